import { Box, Button, Text } from "@saleor/macaw-ui";
import { useCallback, useEffect, useState } from "react";

import { useApp } from "../app/context";

/** The paging arguments of a Relay connection of the API (`first`/`after` or `last`/`before`). */
export type PageVariables = { first?: number; after?: string; last?: number; before?: string };

/** What the footer reads of a connection the API answered. */
export interface PagedConnection {
  totalCount: number;
  pageInfo: { startCursor?: string | null; endCursor?: string | null };
}

export interface Pages {
  size: number;
  /** Spread into the query's variables. */
  variables: PageVariables;
  /** Rows before the page shown (for "21–40 of 95"). */
  offset: number;
  previous(connection: PagedConnection): void;
  next(connection: PagedConnection, shown: number): void;
}

/**
 * Keyset paging both ways over a connection: the next page continues after the last row's
 * cursor, the previous one ends before the first row's. `resetKey` is whatever selects the rows
 * (search, filters, sorting): when it changes the list starts again at its first page, as a
 * cursor of another selection means nothing.
 */
export function usePages(size: number, resetKey: string): Pages {
  const [variables, setVariables] = useState<PageVariables>({ first: size });
  const [offset, setOffset] = useState(0);
  useEffect(() => {
    setVariables({ first: size });
    setOffset(0);
  }, [size, resetKey]);
  const previous = useCallback(
    (connection: PagedConnection) => {
      setVariables({ last: size, before: connection.pageInfo.startCursor ?? undefined });
      setOffset((current) => Math.max(0, current - size));
    },
    [size],
  );
  const next = useCallback(
    (connection: PagedConnection, shown: number) => {
      setVariables({ first: size, after: connection.pageInfo.endCursor ?? undefined });
      setOffset((current) => current + shown);
    },
    [size],
  );
  return { size, variables, offset, previous, next };
}

/**
 * A table's footer: "21–40 of 95" (or "0 results") with Previous and Next. `testId` names the
 * count (`<testId>-count`, with `data-total`) and the Next button (`<testId>-next`).
 */
export function Pager({ pages, connection, shown, testId }: { pages: Pages; connection: PagedConnection; shown: number; testId: string }) {
  const { t } = useApp();
  const { offset } = pages;
  return (
    <Box display="flex" justifyContent="flex-end" alignItems="center" gap={3} flexWrap="wrap" data-testid={`${testId}-pager`}>
      <Text size={2} color="default2" data-testid={`${testId}-count`} data-total={connection.totalCount}>
        {connection.totalCount
          ? t("common.page", { from: offset + 1, to: offset + shown, total: connection.totalCount })
          : t("common.results", { count: 0 })}
      </Text>
      <Button size="small" variant="secondary" disabled={offset === 0} onClick={() => pages.previous(connection)} data-testid={`${testId}-previous`}>
        {t("common.previous")}
      </Button>
      <Button
        size="small"
        variant="secondary"
        disabled={offset + shown >= connection.totalCount}
        onClick={() => pages.next(connection, shown)}
        data-testid={`${testId}-next`}
      >
        {t("common.next")}
      </Button>
    </Box>
  );
}
