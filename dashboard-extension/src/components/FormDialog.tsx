import { Box, Button, Input, Select, Text, Textarea } from "@saleor/macaw-ui";
import { useRef, useState } from "react";

import { useApp } from "../app/context";
import type { MlmError } from "../app/graphql";
import { useAriaRepair } from "./ariaRepair";
import { Dialog, DialogErrors, splitErrors } from "./Dialog";
import { PartnerPicker, type PickedPartner } from "./PartnerPicker";

/**
 * A dialog with a form for one mutation: its fields by the mutation's input names, required
 * fields asked for before sending, and the server's errors at the field they name (`field` in
 * camelCase), the others above the buttons. `submit` sends the values and returns the errors.
 */
export interface Field {
  name: string;
  label: string;
  kind?: "text" | "textarea" | "partner" | "select" | "file";
  required?: boolean;
  /** What a required field says while empty (default "Required."). */
  requiredText?: string;
  help?: string;
  options?: Array<{ value: string; label: string }>;
  /** For a partner field: leave this partner out of the choices (itself). */
  exclude?: string;
  inputMode?: "decimal" | "email" | "text";
  /** For a file field: the types offered (`.csv,text/csv`); the file's text becomes the value. */
  accept?: string;
}

export type Values = Record<string, string>;

export function FormDialog({
  title,
  testId,
  fields,
  initial = {},
  intro,
  confirmLabel,
  submit,
  onClose,
  onDone,
}: {
  title: string;
  testId: string;
  fields: Field[];
  initial?: Values;
  intro?: string;
  confirmLabel: string;
  submit(values: Values): Promise<MlmError[]>;
  onClose(): void;
  onDone(values: Values): void;
}) {
  const { t } = useApp();
  const [values, setValues] = useState<Values>(initial);
  const [partners, setPartners] = useState<Record<string, PickedPartner | null>>({});
  const [byField, setByField] = useState<Record<string, string>>({});
  const [other, setOther] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const selects = useRef<HTMLDivElement>(null);
  useAriaRepair(selects, title);

  const set = (name: string, value: string) => {
    setValues((current) => ({ ...current, [name]: value }));
    setByField((current) => ({ ...current, [name]: "" }));
  };
  const send = async () => {
    const missing = Object.fromEntries(fields.filter((field) => field.required && !(values[field.name] ?? "").trim()).map((field) => [field.name, field.requiredText ?? t("common.required")]));
    if (Object.keys(missing).length) {
      setByField(missing);
      return;
    }
    setSaving(true);
    setOther([]);
    try {
      const trimmed = Object.fromEntries(Object.entries(values).map(([name, value]) => [name, value.trim()]));
      const errors = await submit(trimmed);
      const split = splitErrors(errors, fields.map((field) => field.name));
      setByField(split.byField);
      setOther(split.other);
      if (!errors.length) onDone(trimmed);
    } catch (failure) {
      setOther([(failure as Error).message]);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog
      title={title}
      testId={testId}
      onClose={onClose}
      actions={
        <>
          <Button variant="secondary" onClick={onClose} data-testid={`${testId}-cancel`}>
            {t("common.cancel")}
          </Button>
          <Button variant="primary" onClick={send} disabled={saving} data-testid={`${testId}-confirm`}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {intro && <Text size={3}>{intro}</Text>}
      <Box ref={selects} display="flex" flexDirection="column" gap={3}>
        {fields.map((field) => {
          const error = byField[field.name] || "";
          const helper = error || field.help;
          const fieldTestId = `${testId}-${field.name}`;
          const value = values[field.name] ?? "";
          switch (field.kind) {
            case "textarea":
              return (
                <Textarea
                  key={field.name}
                  label={field.label}
                  value={value}
                  onChange={(event) => set(field.name, event.target.value)}
                  error={Boolean(error)}
                  helperText={helper}
                  rows={3}
                  data-testid={fieldTestId}
                />
              );
            case "partner":
              return (
                <Box key={field.name} data-testid={fieldTestId} data-error={error || undefined}>
                  <PartnerPicker
                    label={field.label}
                    value={partners[field.name] ?? (value ? { value, label: initial[`${field.name}Label`] ?? value } : null)}
                    onChange={(picked) => {
                      setPartners((current) => ({ ...current, [field.name]: picked }));
                      set(field.name, picked?.value ?? "");
                    }}
                    error={Boolean(error)}
                    helperText={helper}
                    exclude={field.exclude}
                  />
                </Box>
              );
            case "file":
              return (
                <Box key={field.name} display="flex" flexDirection="column" gap={1} data-testid={fieldTestId} data-error={error || undefined}>
                  <label htmlFor={fieldTestId}>
                    <Text size={2} fontWeight="medium">
                      {field.label}
                    </Text>
                  </label>
                  <input
                    id={fieldTestId}
                    type="file"
                    accept={field.accept}
                    aria-describedby={helper ? `${fieldTestId}-help` : undefined}
                    onChange={(event) => {
                      const file = event.target.files?.[0];
                      if (file) void file.text().then((text) => set(field.name, text));
                    }}
                  />
                  {helper && (
                    <Text id={`${fieldTestId}-help`} size={1} color={error ? "critical1" : "default2"}>
                      {helper}
                    </Text>
                  )}
                </Box>
              );
            case "select": {
              const options = field.options ?? [];
              return (
                <Box key={field.name} data-testid={fieldTestId} data-error={error || undefined}>
                  <Select
                    label={field.label}
                    options={options}
                    value={options.find((option) => option.value === value) ?? null}
                    onChange={(option) => set(field.name, option?.value ?? "")}
                    error={Boolean(error)}
                    helperText={helper}
                  />
                </Box>
              );
            }
            default:
              return (
                <Input
                  key={field.name}
                  label={field.label}
                  value={value}
                  inputMode={field.inputMode}
                  onChange={(event) => set(field.name, event.target.value)}
                  error={Boolean(error)}
                  helperText={helper}
                  data-testid={fieldTestId}
                />
              );
          }
        })}
      </Box>
      <DialogErrors messages={other} />
    </Dialog>
  );
}
