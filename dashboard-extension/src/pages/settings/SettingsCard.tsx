import { Box, Button, Text } from "@saleor/macaw-ui";
import { useState, type ReactNode } from "react";

import { useApp } from "../../app/context";
import type { MlmError } from "../../app/graphql";
import { useQuery } from "../../app/useQuery";
import { ErrorMessage, Loading, MissingApi } from "../../components/Feedback";
import { FormDialog, type Field, type Values } from "../../components/FormDialog";
import { Section } from "../../components/Layout";

/**
 * One group of settings: what the API has now (its own query, so that a group the user may
 * not read or the API lacks leaves the others alone), and its change in a dialog with the
 * mutation's errors at their fields.
 */
export interface Fact {
  label: string;
  value: ReactNode;
  testId?: string;
}

export interface SettingsEdit<T> {
  label: string;
  title: string;
  fields: Field[];
  initial(data: T): Values;
  submit(values: Values, data: T): Promise<MlmError[]>;
  done: string;
}

export function SettingsCard<T>({
  title,
  testId,
  needs,
  query,
  facts,
  edits,
  intro,
  children,
}: {
  title: string;
  testId: string;
  needs: string[];
  query: string;
  facts(data: T): Fact[];
  edits: SettingsEdit<T>[];
  intro?: string;
  children?(data: T, reload: () => void): ReactNode;
}) {
  const { capabilities } = useApp();
  const missing = capabilities.missing(needs);
  return (
    <Section title={title} testId={testId}>
      {intro && (
        <Text size={2} color="default2">
          {intro}
        </Text>
      )}
      {missing.length ? <MissingApi fields={missing} /> : <Loaded query={query} testId={testId} facts={facts} edits={edits} extra={children} />}
    </Section>
  );
}

function Loaded<T>({
  query,
  testId,
  facts,
  edits,
  extra,
}: {
  query: string;
  testId: string;
  facts(data: T): Fact[];
  edits: SettingsEdit<T>[];
  extra?(data: T, reload: () => void): ReactNode;
}) {
  const { host } = useApp();
  const { data, error, loading, reload } = useQuery<T>(query);
  const [open, setOpen] = useState<SettingsEdit<T> | null>(null);
  if (error) return <ErrorMessage error={error} onRetry={reload} />;
  if (loading && !data) return <Loading rows={3} />;
  if (!data) return null;
  return (
    <>
      <Box as="dl" display="grid" __gridTemplateColumns="repeat(auto-fill, minmax(220px, 1fr))" gap={4} margin={0}>
        {facts(data).map((fact) => (
          <Box key={fact.label} display="flex" flexDirection="column" gap={0.5}>
            <dt>
              <Text size={2} color="default2">
                {fact.label}
              </Text>
            </dt>
            <dd style={{ margin: 0 }} data-testid={fact.testId}>
              {typeof fact.value === "string" ? <Text size={3}>{fact.value}</Text> : fact.value}
            </dd>
          </Box>
        ))}
      </Box>
      {extra?.(data, reload)}
      {edits.length > 0 && (
        <Box display="flex" gap={2} flexWrap="wrap">
          {edits.map((edit, index) => (
            <Button key={edit.label} variant="secondary" size="small" onClick={() => setOpen(edit)} data-testid={`${testId}-edit${index ? `-${index}` : ""}`}>
              {edit.label}
            </Button>
          ))}
        </Box>
      )}
      {open && (
        <FormDialog
          title={open.title}
          testId={`${testId}-dialog`}
          confirmLabel={open.label}
          fields={open.fields}
          initial={open.initial(data)}
          submit={(values) => open.submit(values, data)}
          onClose={() => setOpen(null)}
          onDone={() => {
            host.notify("success", open.done);
            setOpen(null);
            reload();
          }}
        />
      )}
    </>
  );
}
