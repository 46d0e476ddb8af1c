import { Text } from "@saleor/macaw-ui";

import { useApp } from "../../app/context";
import { ProgramSwitcher, useProgram } from "../../app/program";
import type { MessageKey } from "../../app/i18n";
import { useQuery } from "../../app/useQuery";
import { DataTable } from "../../components/DataTable";
import { ErrorMessage, Loading } from "../../components/Feedback";
import { Section } from "../../components/Layout";

/** A period's runs, newest first: every preview and close, who asked, when, how it ended. */
const runsQuery = (withProgram: boolean) => `query PeriodRuns($id: ID!) {
  period(id: $id) {
    id label status closedAt closedBy approvedAt approvedBy committedAt committedBy
    runs(first: 50) { totalCount edges { node { id kind status phaseName percent error requestedBy createdAt finishedAt ${withProgram ? "program { code displayName isDefault }" : ""} } } }
  }
}`;

interface RunRow {
  id: string;
  kind: string;
  status: string;
  phaseName: string;
  percent: number;
  error: string | null;
  requestedBy: string;
  createdAt: string;
  finishedAt: string | null;
  /** Each program's run of the month (issue 19); absent on an API without programs. */
  program?: { code: string; displayName: string; isDefault: boolean };
}
interface RunsAnswer {
  period: {
    closedAt: string | null;
    closedBy: string | null;
    approvedAt: string | null;
    approvedBy: string | null;
    committedAt: string | null;
    committedBy: string | null;
    runs: { totalCount: number; edges: Array<{ node: RunRow }> } | null;
  } | null;
}

/**
 * `program`: the program chosen in the switcher (program.tsx) — its runs are marked; every
 * program's runs are listed, since a month closes all programs together and approval and
 * commit are one step for the month.
 */
export function PeriodRuns({ periodId }: { periodId: string }) {
  const { t, format, capabilities } = useApp();
  const choice = useProgram();
  const program = choice.program?.code ?? null;
  const withProgram = capabilities.has("PeriodRun.program");
  const { data, error, loading, reload } = useQuery<RunsAnswer>(runsQuery(withProgram), { id: periodId });
  const rows = periodRows(data);
  const period = data?.period;
  const steps = period
    ? ([
        ["periods.step.closed", period.closedAt, period.closedBy],
        ["periods.step.approved", period.approvedAt, period.approvedBy],
        ["periods.step.committed", period.committedAt, period.committedBy],
      ] as Array<[MessageKey, string | null, string | null]>).filter(([, at]) => at)
    : [];
  return (
    <Section title={t("periods.history")} testId="period-runs" actions={withProgram && <ProgramSwitcher choice={choice} />}>
      {withProgram && choice.programs.length > 1 && (
        <Text size={2} color="default2">
          {t("programs.runsNote")}
        </Text>
      )}
      {error && <ErrorMessage error={error} onRetry={reload} />}
      {loading && !data && <Loading rows={3} />}
      {steps.map(([key, at, by]) => (
        <Text key={key} size={2} data-testid="period-step">
          {t(key, { date: format.dateTime(at), who: by ?? t("common.none") })}
        </Text>
      ))}
      {period?.runs && (
        <DataTable
          testId="period-runs-table"
          rows={rows}
          rowKey={(row) => row.id}
          columns={[
            ...(withProgram
              ? [
                  {
                    key: "program",
                    header: t("programs.runProgram"),
                    render: (row: RunRow) => (
                      <Text size={2} fontWeight={row.program?.code === program ? "bold" : "regular"} data-testid="run-program" data-program={row.program?.code ?? ""}>
                        {row.program?.displayName ?? ""}
                      </Text>
                    ),
                  },
                ]
              : []),
            { key: "kind", header: t("periods.col.runKind"), render: (row) => <Text size={2}>{t(`periods.runKind.${row.kind.toUpperCase()}` as MessageKey)}</Text> },
            {
              key: "status",
              header: t("periods.col.status"),
              render: (row) => (
                <Text size={2} data-testid="run-status" data-status={row.status.toUpperCase()}>
                  {t(`periods.runStatus.${row.status.toUpperCase()}` as MessageKey)}
                  {row.error ? `: ${row.error}` : ""}
                </Text>
              ),
            },
            { key: "by", header: t("periods.col.requestedBy"), render: (row) => <Text size={2}>{row.requestedBy}</Text> },
            { key: "started", header: t("periods.col.started"), render: (row) => <Text size={2}>{format.dateTime(row.createdAt)}</Text> },
            { key: "finished", header: t("periods.col.finished"), render: (row) => <Text size={2}>{format.dateTime(row.finishedAt)}</Text> },
          ]}
          empty={<Text size={2} color="default2">{t("common.empty")}</Text>}
        />
      )}
    </Section>
  );
}

/** The runs of the period, newest first. */
function periodRows(data: RunsAnswer | null | undefined): RunRow[] {
  return data?.period?.runs?.edges.map((edge) => edge.node) ?? [];
}
