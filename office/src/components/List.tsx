import { Box, Text } from "@saleor/macaw-ui";
import type { ReactNode } from "react";

/** A list of cards, one per item: readable on a phone, no table to scroll sideways. */
export function CardList({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <Box as="ul" margin={0} padding={0} className="plain-list" display="flex" flexDirection="column" gap={2} data-testid={testId}>
      {children}
    </Box>
  );
}

export function CardItem({ title, detail, aside, testId, extra }: { title: ReactNode; detail?: ReactNode; aside?: ReactNode; testId?: string; extra?: Record<string, string> }) {
  return (
    <Box
      as="li"
      data-testid={testId ?? "row"}
      {...extra}
      display="grid"
      __gridTemplateColumns="minmax(0, 1fr) auto"
      gap={2}
      padding={3}
      borderRadius={3}
      borderStyle="solid"
      borderWidth={1}
      borderColor="default1"
    >
      <Box display="flex" flexDirection="column" gap={0.5} __minWidth="0">
        <Text size={4} fontWeight="bold" className="wrap-anywhere">
          {title}
        </Text>
        {detail && (
          <Text size={2} color="default2">
            {detail}
          </Text>
        )}
      </Box>
      {aside && (
        <Box textAlign="right" display="flex" flexDirection="column" gap={0.5}>
          {aside}
        </Box>
      )}
    </Box>
  );
}
