import { useCallback, useEffect, useRef, useState } from "react";

import { useApp } from "./context";

export interface QueryState<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload(): void;
}

/** Runs a GraphQL query when its variables change; `skip` leaves it alone. */
export function useQuery<T>(query: string, variables: Record<string, unknown> = {}, skip = false): QueryState<T> {
  const { client, state } = useApp();
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
        if (run !== latest.current) return;
        setError(failure);
      })
      .finally(() => {
        if (run === latest.current) setLoading(false);
      });
    // `state.locale`: translated names come back in the new language.
  }, [client, query, key, skip, tick, state.locale]);

  const reload = useCallback(() => setTick((value) => value + 1), []);
  return { data, error, loading, reload };
}
