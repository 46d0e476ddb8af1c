import { useRequest, type QueryState } from "../../../web-shared/useRequest";
import { useApp } from "./context";

export type { QueryState };

/** Runs a GraphQL query of the app's API when its variables or the Dashboard's language change; `skip` leaves it alone. */
export function useQuery<T>(query: string, variables: Record<string, unknown> = {}, skip = false): QueryState<T> {
  const { client, state } = useApp();
  return useRequest<T>(client, state.locale, query, variables, skip);
}
