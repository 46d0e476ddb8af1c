import { Box, Text } from "@saleor/macaw-ui";
import type { ReactNode } from "react";

export interface Column<T> {
  key: string;
  header: ReactNode;
  render(row: T): ReactNode;
  align?: "left" | "right";
  width?: string;
  /** The API's sort field of this column: its header sorts the table (see `sort`). */
  sortField?: string;
}

export interface TableSort {
  field: string;
  direction: "ASC" | "DESC";
}

/** A plain table with the Dashboard's list look: header row, hairlines, hover, row clicks. */
export function DataTable<T>({
  columns,
  rows,
  rowKey,
  onRowClick,
  empty,
  testId,
  sort,
  onSort,
}: {
  columns: Column<T>[];
  rows: T[];
  rowKey(row: T): string;
  onRowClick?(row: T): void;
  empty?: ReactNode;
  testId?: string;
  /** The current order; a column with a `sortField` sorts by it (again: the other way). */
  sort?: TableSort;
  onSort?(sort: TableSort): void;
}) {
  return (
    // Focusable: a table wider than a phone scrolls sideways, and the keyboard must reach it (axe scrollable-region-focusable).
    <Box overflowX="auto" tabIndex={0} data-testid={testId}>
      <Box as="table" width="100%" borderCollapse="collapse">
        <thead style={columns.every((column) => column.header === "") ? { display: "none" } : undefined}>
          <tr>
            {columns.map((column) => (
              <Box
                as="th"
                key={column.key}
                paddingX={3}
                paddingY={2}
                textAlign={column.align ?? "left"}
                borderBottomStyle="solid"
                borderBottomWidth={1}
                borderColor="default1"
                whiteSpace="nowrap"
                __width={column.width}
                aria-sort={column.sortField && sort?.field === column.sortField ? (sort.direction === "ASC" ? "ascending" : "descending") : undefined}
              >
                {column.sortField && onSort ? (
                  <SortButton column={column} sort={sort} onSort={onSort} />
                ) : (
                  <Text size={2} color="default2" fontWeight="medium">
                    {column.header}
                  </Text>
                )}
              </Box>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <Box
              as="tr"
              key={rowKey(row)}
              data-testid="row"
              cursor={onRowClick ? "pointer" : undefined}
              backgroundColor={onRowClick ? { default: "default1", hover: "default1Hovered" } : undefined}
              onClick={onRowClick ? () => onRowClick(row) : undefined}
            >
              {columns.map((column) => (
                <Box
                  as="td"
                  key={column.key}
                  paddingX={3}
                  paddingY={2}
                  textAlign={column.align ?? "left"}
                  borderBottomStyle="solid"
                  borderBottomWidth={1}
                  borderColor="default1"
                  style={{ verticalAlign: "middle" }}
                >
                  {column.render(row)}
                </Box>
              ))}
            </Box>
          ))}
        </tbody>
      </Box>
      {!rows.length && empty && (
        <Box paddingX={3} paddingY={6}>
          {empty}
        </Box>
      )}
    </Box>
  );
}

function SortButton<T>({ column, sort, onSort }: { column: Column<T>; sort?: TableSort; onSort(sort: TableSort): void }) {
  const active = sort?.field === column.sortField;
  const next: TableSort = { field: column.sortField!, direction: active && sort?.direction === "ASC" ? "DESC" : "ASC" };
  return (
    <Box
      as="button"
      type="button"
      onClick={() => onSort(next)}
      data-testid={`sort-${column.key}`}
      display="inline-flex"
      alignItems="center"
      gap={1}
      padding={0}
      borderWidth={0}
      __backgroundColor="transparent"
      cursor="pointer"
    >
      <Text size={2} color={active ? "default1" : "default2"} fontWeight={active ? "bold" : "medium"}>
        {column.header}
      </Text>
      <Text size={2} color="default2" aria-hidden="true">
        {active ? (sort?.direction === "ASC" ? "▲" : "▼") : "↕"}
      </Text>
    </Box>
  );
}
