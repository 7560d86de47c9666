import { useId, type ReactNode } from 'react';

/** Anything with coordinates: a comune, a venue. */
export interface Located {
  latitude: number;
  longitude: number;
}

/** From coordinates to the map's drawing units. */
export interface Projection {
  width: number;
  height: number;
  x: (longitude: number) => number;
  y: (latitude: number) => number;
}

/**
 * A projection that fits every point in a box 520 units wide. Longitude degrees are
 * shorter than latitude ones at 44°N: the height keeps the proportions.
 */
export function projection(points: Located[], width = 520, margin = 12): Projection | undefined {
  if (points.length === 0) return undefined;
  const lats = points.map((p) => p.latitude);
  const lons = points.map((p) => p.longitude);
  const [minLat, maxLat, minLon, maxLon] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
  const aspect = ((maxLon - minLon) * Math.cos((44 * Math.PI) / 180)) / Math.max(maxLat - minLat, 0.01);
  const height = Math.max(200, width / Math.max(aspect, 0.5));
  return {
    width,
    height,
    x: (lon) => margin + ((lon - minLon) / Math.max(maxLon - minLon, 0.01)) * (width - 2 * margin),
    y: (lat) => margin + ((maxLat - lat) / Math.max(maxLat - minLat, 0.01)) * (height - 2 * margin),
  };
}

interface ComuniMapProps {
  /** The points that frame the map (usually every comune of the Province). */
  frame: Located[];
  /** What the map shows, read by screen readers as the image's name. */
  title: string;
  /** Under the map: how to read it, and where its content is as text. */
  caption: ReactNode;
  /** The layers, drawn with the projection. */
  children: (p: Projection) => ReactNode;
}

/**
 * The comuni at their coordinates: a map without tiles (no network), drawn in SVG. What it
 * shows is up to its layers; the figure's caption says how to read it.
 */
export function ComuniMap({ frame, title, caption, children }: ComuniMapProps) {
  const titleId = useId();
  const p = projection(frame);
  if (!p) return null;
  return (
    <figure className="mb-0">
      <svg
        viewBox={`0 0 ${p.width} ${p.height}`}
        role="img"
        aria-labelledby={titleId}
        style={{ width: '100%', height: 'auto', background: '#f2f7fc', borderRadius: 4 }}
      >
        <title id={titleId}>{title}</title>
        {children(p)}
      </svg>
      <figcaption className="small">{caption}</figcaption>
    </figure>
  );
}
