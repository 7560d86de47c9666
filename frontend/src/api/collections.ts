// The API's paged collections ({items, total, limit, offset, links}) and CSV uploads, through
// the typed client. Lists page on the server; what truly needs every item fetches every page.
import { useCallback, useEffect, useState } from 'react';
import { api, asProblem, type Problem } from './client';
import type { paths } from './schema';

/** The API's largest page. */
export const MAX_PAGE = 200;
/** The page size of the screens' tables. */
export const PAGE_SIZE = 20;

type JsonOk<Op> = Op extends { responses: { 200: { content: { 'application/json': infer Body } } } } ? Body : never;
type QueryOf<Op> = Op extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** The collection paths that page: GET with `limit` and `offset`, answering `{items, total}`. */
export type PagedPath = {
  [P in keyof paths]: paths[P] extends { get: infer Op }
    ? QueryOf<Op> extends { limit?: number; offset?: number }
      ? JsonOk<Op> extends { items: unknown[]; total: number }
        ? P
        : never
      : never
    : never;
}[keyof paths];

type GetOf<P extends PagedPath> = paths[P] extends { get: infer Op } ? Op : never;
/** One item of a paged collection. */
export type ItemOf<P extends PagedPath> = JsonOk<GetOf<P>> extends { items: (infer I)[] } ? I : never;
/** A collection's filters: its query without the paging. */
export type FiltersOf<P extends PagedPath> = Omit<QueryOf<GetOf<P>>, 'limit' | 'offset'>;

interface Page<T> {
  items: T[];
  total: number;
}

/** One page; the cast is the one place the generic path meets openapi-fetch's overloads. */
async function getPage<P extends PagedPath>(path: P, filters: FiltersOf<P>, limit: number, offset: number) {
  const get = api.GET as unknown as (
    path: string,
    init: { params: { query: object } },
  ) => Promise<{ data?: Page<ItemOf<P>>; error?: unknown; response: Response }>;
  return get(path, { params: { query: { ...filters, limit, offset } } });
}

/**
 * Every item of a collection, following `total` page after page (200 at a time): for the
 * places that need them all, such as a select of every provider or the map of every comune.
 */
export async function fetchAll<P extends PagedPath>(path: P, filters = {} as FiltersOf<P>): Promise<ItemOf<P>[]> {
  const items: ItemOf<P>[] = [];
  for (;;) {
    const { data, error, response } = await getPage(path, filters, MAX_PAGE, items.length);
    if (!data) throw asProblem(error, response.status);
    items.push(...data.items);
    if (data.items.length === 0 || items.length >= data.total) return items;
  }
}

export interface PagedList<T> {
  /** The items of the current page (kept while the next one loads). */
  items: T[];
  /** How many items match, over all pages; undefined before the first answer. */
  total?: number;
  /** The current page, from 1. */
  page: number;
  pageCount: number;
  pageSize: number;
  setPage: (page: number) => void;
  loading: boolean;
  problem?: Problem;
  /** Asks for the current page again (after a change). */
  reload: () => void;
}

/**
 * One page of a collection, fetched from the server. A change of filters (compared by
 * value) goes back to page 1; `enabled: false` waits (e.g. for the signed-in user).
 */
export function usePagedList<P extends PagedPath>(
  path: P,
  filters: FiltersOf<P> = {} as FiltersOf<P>,
  { pageSize = PAGE_SIZE, enabled = true }: { pageSize?: number; enabled?: boolean } = {},
): PagedList<ItemOf<P>> {
  const key = JSON.stringify(filters);
  // The page belongs to the filters it was chosen under: new filters start from page 1.
  const [chosen, setChosen] = useState({ key, page: 1 });
  // (React's way of adjusting state to a prop: during render, before anything is shown.)
  if (chosen.key !== key) setChosen({ key, page: 1 });
  const current = chosen.key === key ? chosen.page : 1;
  const setPage = useCallback((page: number) => setChosen({ key, page }), [key]);
  const [items, setItems] = useState<ItemOf<P>[]>([]);
  const [total, setTotal] = useState<number>();
  const [problem, setProblem] = useState<Problem>();
  const [generation, setGeneration] = useState(0);
  // What the items shown answer: loading until it is what is asked (no in-between render).
  const asked = `${key}#${current}#${pageSize}#${generation}`;
  const [answered, setAnswered] = useState<string>();

  useEffect(() => {
    if (!enabled) return;
    let stale = false;
    getPage(path, JSON.parse(key) as FiltersOf<P>, pageSize, (current - 1) * pageSize).then(({ data, error, response }) => {
      if (stale) return;
      setAnswered(asked);
      if (data) {
        setItems(data.items);
        setTotal(data.total);
        setProblem(undefined);
        // A page emptied by a change (the last item removed): show the last one left.
        if (data.items.length === 0 && data.total > 0 && current > 1) setPage(Math.ceil(data.total / pageSize));
      } else setProblem(asProblem(error, response.status));
    });
    return () => {
      stale = true;
    };
  }, [path, key, current, pageSize, enabled, generation, asked, setPage]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return {
    items,
    total,
    page: current,
    pageCount: Math.max(1, Math.ceil((total ?? 0) / pageSize)),
    pageSize,
    setPage,
    loading: enabled && answered !== asked,
    problem,
    reload,
  };
}

type CsvImportPath = {
  [P in keyof paths]: paths[P] extends { post: { requestBody: { content: { 'text/csv': string } } } } ? P : never;
}[keyof paths];
type PostOf<P extends CsvImportPath> = paths[P] extends { post: infer Op } ? Op : never;
/** What an import answers: its report. */
export type ImportReportOf<P extends CsvImportPath> = JsonOk<PostOf<P>>;
type ParamsOf<P extends CsvImportPath> = PostOf<P> extends { parameters: infer Params } ? Params : never;

/**
 * Sends a CSV file, as it is on disk (Excel's encodings included), to an import endpoint:
 * the typed report, or the problem to show.
 */
export async function uploadCsv<P extends CsvImportPath>(
  path: P,
  params: ParamsOf<P>,
  file: File,
): Promise<{ report?: ImportReportOf<P>; problem?: Problem }> {
  const post = api.POST as unknown as (
    path: string,
    init: { params: object; body: File; bodySerializer: (body: File) => File; headers: Record<string, string> },
  ) => Promise<{ data?: ImportReportOf<P>; error?: unknown; response: Response }>;
  try {
    const { data, error, response } = await post(path, {
      params: params as object,
      body: file,
      bodySerializer: (body) => body,
      headers: { 'Content-Type': 'text/csv' },
    });
    return data ? { report: data } : { problem: asProblem(error, response.status) };
  } catch {
    return { problem: asProblem(undefined, 0) };
  }
}
