import { Box, Button, Text } from "@saleor/macaw-ui";

import { useOffice } from "../app/context";

export function Loading() {
  const { t } = useOffice();
  return (
    <Box data-testid="loading" padding={4} role="status">
      <Text size={3} color="default2">
        {t("app.loading")}
      </Text>
    </Box>
  );
}

export function ErrorMessage({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  const { t } = useOffice();
  return (
    <Box data-testid="error" role="alert" display="flex" flexWrap="wrap" alignItems="center" gap={3} padding={4} borderRadius={4} backgroundColor="critical1">
      <Text size={3} color="critical1">
        {t("app.error", { message: error.message })}
      </Text>
      {onRetry && (
        <Button variant="secondary" size="small" onClick={onRetry}>
          {t("app.retry")}
        </Button>
      )}
    </Box>
  );
}

/** A titled block of a page: a card on a phone and on the desktop alike. */
export function Card({ title, children, testId }: { title?: string; children: React.ReactNode; testId?: string }) {
  return (
    <Box
      as="section"
      data-testid={testId}
      display="flex"
      flexDirection="column"
      gap={3}
      padding={4}
      borderRadius={4}
      borderStyle="solid"
      borderWidth={1}
      borderColor="default1"
      backgroundColor="default1"
    >
      {title && (
        <Text as="h2" size={5} fontWeight="bold">
          {title}
        </Text>
      )}
      {children}
    </Box>
  );
}

/** A determinate progress bar (0–100) with its label, for assistive technology too. */
export function ProgressBar({ percent, label, detail, met }: { percent: number; label: string; detail: string; met: boolean }) {
  const value = Math.max(0, Math.min(100, Math.round(percent)));
  return (
    <Box display="flex" flexDirection="column" gap={1} data-testid="requirement" data-met={met}>
      <Box display="flex" justifyContent="space-between" gap={2} flexWrap="wrap">
        <Text size={3}>{label}</Text>
        <Text size={2} color="default2">
          {detail}
        </Text>
      </Box>
      <Box
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value}
        __height="8px"
        borderRadius={4}
        backgroundColor="default2"
        overflow="hidden"
      >
        <Box __height="100%" __width={`${value}%`} backgroundColor={met ? "success1" : "accent1"} />
      </Box>
    </Box>
  );
}
