import { useCallback, useEffect, useState, type DependencyList } from 'react';
import { asProblem, type Problem } from './client';

type Answer<T> = { data?: T; error?: unknown; response: Response };

export interface Loaded<T> {
  data?: T;
  /** Replaces what was loaded (with what a change answered). */
  setData: (data: T, response?: Response) => void;
  /** The version of what was loaded, for `If-Match`. */
  etag?: string;
  problem?: Problem;
  setProblem: (problem?: Problem) => void;
  /** Asks again. */
  reload: () => void;
}

/**
 * One API answer for a screen: its data, or the problem to show. Asked again when `deps`
 * change or on `reload()`; `enabled: false` waits (e.g. for the session to be known).
 */
export function useApi<T>(request: () => Promise<Answer<T>>, deps: DependencyList, enabled = true): Loaded<T> {
  const [data, setLoaded] = useState<T>();
  const [etag, setEtag] = useState<string>();
  const [problem, setProblem] = useState<Problem>();
  const [generation, setGeneration] = useState(0);

  const setData = useCallback((value: T, response?: Response) => {
    setLoaded(value);
    if (response) setEtag(response.headers.get('ETag') ?? undefined);
  }, []);

  useEffect(() => {
    if (!enabled) return;
    let stale = false;
    request().then(({ data, error, response }) => {
      if (stale) return;
      if (data !== undefined) {
        setData(data, response);
        setProblem(undefined);
      } else setProblem(asProblem(error, response.status));
    });
    return () => {
      stale = true;
    };
    // The request is a new closure every render: what it depends on is in `deps`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, enabled, generation, setData]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, setData, etag, problem, setProblem, reload };
}
