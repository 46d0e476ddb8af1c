import { Box, Input, Text } from "@saleor/macaw-ui";

/**
 * A text input of a form with its error below it (the API's message for that field), tied to
 * the input for assistive technology. `testId` names the input; its error is `<testId>-error`.
 */
export function TextField({
  name,
  label,
  value,
  onChange,
  error,
  testId,
  autoComplete,
  disabled,
  type = "text",
}: {
  name: string;
  label: string;
  value: string;
  onChange(value: string): void;
  error?: string;
  testId: string;
  autoComplete?: string;
  disabled?: boolean;
  /** text (default), email or password */
  type?: "text" | "email" | "password";
}) {
  const errorId = `${testId}-error`;
  return (
    <Box display="flex" flexDirection="column" gap={1}>
      <Input
        label={label}
        name={name}
        value={value}
        autoComplete={autoComplete}
        disabled={disabled}
        error={Boolean(error)}
        aria-invalid={Boolean(error)}
        aria-describedby={error ? errorId : undefined}
        onChange={(event) => onChange(event.target.value)}
        data-testid={testId}
        type={type}
      />
      {error && (
        <Text size={2} color="critical1" id={errorId} data-testid={errorId}>
          {error}
        </Text>
      )}
    </Box>
  );
}
