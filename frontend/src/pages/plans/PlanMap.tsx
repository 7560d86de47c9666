import type { components } from '../../api/schema';
import { ComuniMap, type Located } from '../../components/ComuniMap';
import type { Plan } from './figures';

type Comune = components['schemas']['ComuneResponse'];
type Venue = components['schemas']['VenueResponse'];

const COLOURS = {
  inPerson: '#0066cc',
  webinar: '#a66300',
  none: '#9aa5b1',
  venue: '#17324d',
  line: '#0066cc',
};

interface Flow {
  comune: Comune;
  venue: Located & { name: string };
  headcount: number;
}

/**
 * Where the people go: a line from each comune to each venue its people attend, as thick as
 * how many; the venues as squares; the comuni served by webinar as rings.
 */
export function PlanMap({ plan, comuni, venues }: { plan: Plan; comuni: Comune[]; venues: Venue[] }) {
  const comune = new Map(comuni.map((c) => [c.istat_code, c]));
  const venueById = new Map(venues.map((v) => [v.id, v]));
  const flows = new Map<string, Flow>();
  const inPerson = new Set<string>();
  const webinar = new Set<string>();
  const usedVenues = new Map<number, Venue>();
  for (const e of plan.editions) {
    for (const a of e.assignments) {
      if (e.modality === 'webinar') {
        webinar.add(a.comune_istat_code);
        continue;
      }
      inPerson.add(a.comune_istat_code);
      const v = e.venue_id !== undefined ? venueById.get(e.venue_id) : undefined;
      const c = comune.get(a.comune_istat_code);
      if (!v || !c) continue;
      usedVenues.set(v.id, v);
      const key = `${c.istat_code}-${v.id}`;
      const flow = flows.get(key) ?? { comune: c, venue: v, headcount: 0 };
      flow.headcount += a.headcount;
      flows.set(key, flow);
    }
  }
  const max = Math.max(1, ...[...flows.values()].map((f) => f.headcount));
  const width = (h: number) => 1 + 5 * Math.sqrt(h / max);
  const drawn = [...flows.values()].sort((a, b) => b.headcount - a.headcount);

  return (
    <section aria-labelledby="mappa" className="mb-4">
      <h2 id="mappa" className="h4">
        Dove vanno le persone
      </h2>
      <div className="row">
        <div className="col-lg-8">
          <ComuniMap
            frame={comuni}
            title="Mappa dei comuni con le sedi delle edizioni e i percorsi delle persone"
            caption={
              <>
                Ogni linea va da un comune alla sede dove vanno le sue persone: più è spessa, più sono le persone. La{' '}
                <a href="#edizioni">tabella delle edizioni</a> qui sotto riporta gli stessi dati in forma di testo.
              </>
            }
          >
            {({ x, y }) => (
              <>
                {comuni
                  .filter((c) => !inPerson.has(c.istat_code) && !webinar.has(c.istat_code))
                  .map((c) => (
                    <circle key={c.istat_code} cx={x(c.longitude)} cy={y(c.latitude)} r={2.5} fill={COLOURS.none}>
                      <title>{c.name}: nessuno nel piano</title>
                    </circle>
                  ))}
                {drawn.map((f) => (
                  <line
                    key={`${f.comune.istat_code}-${f.venue.name}`}
                    x1={x(f.comune.longitude)}
                    y1={y(f.comune.latitude)}
                    x2={x(f.venue.longitude)}
                    y2={y(f.venue.latitude)}
                    stroke={COLOURS.line}
                    strokeOpacity={0.55}
                    strokeWidth={width(f.headcount)}
                    strokeLinecap="round"
                  >
                    <title>
                      {f.comune.name} → {f.venue.name}: {f.headcount} persone
                    </title>
                  </line>
                ))}
                {[...webinar].map((code) => {
                  const c = comune.get(code);
                  if (!c) return null;
                  return (
                    <circle key={`w-${code}`} cx={x(c.longitude)} cy={y(c.latitude)} r={7} fill="#fff" stroke={COLOURS.webinar} strokeWidth={3}>
                      <title>{c.name}: persone in webinar</title>
                    </circle>
                  );
                })}
                {[...inPerson].map((code) => {
                  const c = comune.get(code);
                  if (!c) return null;
                  return (
                    <circle key={`p-${code}`} cx={x(c.longitude)} cy={y(c.latitude)} r={4.5} fill={COLOURS.inPerson} stroke="#fff">
                      <title>{c.name}: persone in presenza</title>
                    </circle>
                  );
                })}
                {[...usedVenues.values()].map((v) => (
                  <rect key={`v-${v.id}`} x={x(v.longitude) - 7} y={y(v.latitude) - 7} width={14} height={14} fill={COLOURS.venue} stroke="#fff" strokeWidth={2}>
                    <title>Sede: {v.name}</title>
                  </rect>
                ))}
              </>
            )}
          </ComuniMap>
        </div>
        <div className="col-lg-4">
          <h3 className="h6 mt-3 mt-lg-0">Legenda</h3>
          <ul className="list-unstyled small plan-legend">
            <li>
              <svg width="16" height="16" aria-hidden="true">
                <rect x="1" y="1" width="14" height="14" fill={COLOURS.venue} />
              </svg>{' '}
              Sede di un’edizione in presenza ({usedVenues.size})
            </li>
            <li>
              <svg width="16" height="16" aria-hidden="true">
                <circle cx="8" cy="8" r="5" fill={COLOURS.inPerson} />
              </svg>{' '}
              Comune con persone in presenza ({inPerson.size})
            </li>
            <li>
              <svg width="16" height="16" aria-hidden="true">
                <circle cx="8" cy="8" r="5.5" fill="#fff" stroke={COLOURS.webinar} strokeWidth="3" />
              </svg>{' '}
              Comune con persone in webinar ({webinar.size})
            </li>
            <li>
              <svg width="16" height="16" aria-hidden="true">
                <circle cx="8" cy="8" r="3" fill={COLOURS.none} />
              </svg>{' '}
              Comune senza persone nel piano
            </li>
            <li>
              <svg width="24" height="16" aria-hidden="true">
                <line x1="2" y1="8" x2="22" y2="8" stroke={COLOURS.line} strokeWidth="4" strokeLinecap="round" />
              </svg>{' '}
              Percorso comune → sede: lo spessore cresce con le persone
            </li>
          </ul>
        </div>
      </div>
    </section>
  );
}
