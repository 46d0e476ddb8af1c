import { useApp } from "../app/context";
import { MissingApi } from "../components/Feedback";
import { Page, Section } from "../components/Layout";

/** Periods: list with figures, preview, close with progress, approve, statements, CSV export. */
export const PERIODS_FIELDS = [
  "Query.periods",
  "Query.period",
  "Mutation.periodPreview",
  "Mutation.periodClose",
  "Mutation.periodApprove",
  "PeriodRun.percent",
  "PeriodRun.phase",
  "Period.statements",
];

export function PeriodsPage({ periodId }: { periodId: string | null }) {
  const { t, capabilities } = useApp();
  const missing = capabilities.missing(PERIODS_FIELDS);
  return (
    <Page title={t("periods.title")}>
      <Section testId={periodId ? "period" : "periods"}>
        <MissingApi fields={missing.length ? missing : PERIODS_FIELDS} />
      </Section>
    </Page>
  );
}
