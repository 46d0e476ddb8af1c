import { Box, Text } from "@saleor/macaw-ui";
import type { ReactNode } from "react";

export interface Column<T> {
  key: string;
  header: ReactNode;
  render(row: T): ReactNode;
  align?: "left" | "right";
  width?: string;
}

/** A plain table with the Dashboard's list look: header row, hairlines, hover, row clicks. */
export function DataTable<T>({
  columns,
  rows,
  rowKey,
  onRowClick,
  empty,
  testId,
}: {
  columns: Column<T>[];
  rows: T[];
  rowKey(row: T): string;
  onRowClick?(row: T): void;
  empty?: ReactNode;
  testId?: string;
}) {
  return (
    <Box overflowX="auto" data-testid={testId}>
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
              >
                <Text size={2} color="default2" fontWeight="medium">
                  {column.header}
                </Text>
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
