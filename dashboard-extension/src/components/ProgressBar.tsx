import { Box, Text } from "@saleor/macaw-ui";

/** A determinate progress bar (0–100) with its label; role=progressbar for assistive tech. */
export function ProgressBar({ percent, label, testId }: { percent: number; label?: string; testId?: string }) {
  const value = Math.max(0, Math.min(100, Math.round(percent)));
  return (
    <Box display="flex" flexDirection="column" gap={1} data-testid={testId}>
      {label && (
        <Box display="flex" justifyContent="space-between">
          <Text size={2}>{label}</Text>
          <Text size={2} color="default2" data-testid="progress-percent">
            {value} %
          </Text>
        </Box>
      )}
      <Box
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value}
        data-testid="progress"
        __height="8px"
        borderRadius={4}
        backgroundColor="default2"
        overflow="hidden"
      >
        <Box __height="100%" __width={`${value}%`} backgroundColor="accent1" __transition="width 300ms ease" />
      </Box>
    </Box>
  );
}
