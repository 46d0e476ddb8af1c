import { useCallback, useEffect, useRef, useState } from "react";

/** What both apps' GraphQL clients offer. */
export interface Requester {
  request<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

export interface QueryState<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload(): void;
}

/**
 * Runs a GraphQL query when its variables or the language change (names and messages come
 * back translated); `skip` leaves it alone. Only the latest request's answer is kept: an
 * earlier one arriving late (a search typed on) never overwrites it.
 */
export function useRequest<T>(client: Requester, language: string, query: string, variables: Record<string, unknown> = {}, skip = false): QueryState<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(!skip);
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(variables);
  const latest = useRef(0);

  useEffect(() => {
    if (skip) {
      setLoading(false);
      return;
    }
    const run = ++latest.current;
    setLoading(true);
    client
      .request<T>(query, JSON.parse(key))
      .then((answer) => {
        if (run !== latest.current) return;
        setData(answer);
        setError(null);
      })
      .catch((failure: Error) => {
        if (run === latest.current) setError(failure);
      })
      .finally(() => {
        if (run === latest.current) setLoading(false);
      });
  }, [client, query, key, skip, tick, language]);

  const reload = useCallback(() => setTick((value) => value + 1), []);
  return { data, error, loading, reload };
}
