// Reference data for selects and look-ups: themes, office areas, comuni, providers, venues.
// The paged ones are read whole (every page), never cut at the first.
import { useEffect, useMemo, useState } from 'react';
import { api, asProblem, type Problem } from './client';
import { fetchAll } from './collections';
import type { components } from './schema';

type Schemas = components['schemas'];

/** A list that is not paged, or the problem it came with. */
async function whole<T>(request: Promise<{ data?: { items: T[] }; error?: unknown; response: Response }>): Promise<T[]> {
  const { data, error, response } = await request;
  if (!data) throw asProblem(error, response.status);
  return data.items;
}

const SOURCES = {
  themes: {
    load: () => whole(api.GET('/themes')),
    option: (t: Schemas['ThemeResponse']) => ({ value: t.code, label: t.name }),
  },
  officeAreas: {
    load: () => whole(api.GET('/office-areas')),
    option: (a: Schemas['OfficeAreaResponse']) => ({ value: a.code, label: a.name }),
  },
  comuni: {
    load: () => fetchAll('/comuni', { sort: 'name' }),
    option: (c: Schemas['ComuneResponse']) => ({ value: c.istat_code, label: c.name }),
  },
  providers: {
    load: () => fetchAll('/providers'),
    option: (p: Schemas['ProviderResponse']) => ({ value: p.id, label: p.name }),
  },
  venues: {
    load: () => fetchAll('/venues'),
    option: (v: Schemas['VenueResponse']) => ({ value: v.id, label: `${v.name} (${v.capacity} posti)` }),
  },
};

export type ReferenceSource = keyof typeof SOURCES;
type ItemOfSource<S extends ReferenceSource> = Parameters<(typeof SOURCES)[S]['option']>[0];

export interface Reference<T> {
  items: T[];
  options: { value: string | number; label: string }[];
  /** The item with this key (code, ISTAT code or id). */
  find: (key: string | number) => T | undefined;
  problem?: Problem;
}

/** Every item of a kind of reference data, loaded on mount (`enabled: false` waits). */
export function useReference<S extends ReferenceSource>(source: S, enabled = true): Reference<ItemOfSource<S>> {
  const [items, setItems] = useState<ItemOfSource<S>[]>([]);
  const [problem, setProblem] = useState<Problem>();
  useEffect(() => {
    if (!enabled) return;
    let stale = false;
    (SOURCES[source].load() as Promise<ItemOfSource<S>[]>).then(
      (all) => !stale && setItems(all),
      (p: Problem) => !stale && setProblem(p),
    );
    return () => {
      stale = true;
    };
  }, [source, enabled]);
  return useMemo(() => {
    const option = SOURCES[source].option as (item: ItemOfSource<S>) => { value: string | number; label: string };
    const options = items.map(option);
    const byKey = new Map(items.map((item, i) => [String(options[i].value), item]));
    return { items, options, find: (key: string | number) => byKey.get(String(key)), problem };
  }, [source, items, problem]);
}
