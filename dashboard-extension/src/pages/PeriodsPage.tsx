import { Box, Button, Modal, Text } from "@saleor/macaw-ui";
import { useEffect, useMemo, useState } from "react";

import { useApp } from "../app/context";
import type { MlmError } from "../app/graphql";
import { useLink, useRouter } from "../app/router";
import { useQuery } from "../app/useQuery";
import { DataTable } from "../components/DataTable";
import { ErrorMessage, Loading, MissingApi } from "../components/Feedback";
import { Page, Section } from "../components/Layout";
import { ProgressBar } from "../components/ProgressBar";
import { StatementLink } from "./partner/StatementPage";

/**
 * Periods: list with figures, preview, close with progress, approve, statements, CSV export.
 * Written against the periods API (saleor_mlm/graphql/periods); until its fields exist the
 * page says which are missing.
 */
export const PERIODS_FIELDS = [
  "Query.periods",
  "Query.period",
  "Period.label",
  "Period.status",
  "Period.statistics",
  "Period.run",
  "Period.statements",
  "Period.statementsCsv",
  "PeriodRun.phase",
  "PeriodRun.percent",
  "Mutation.periodPreview",
  "Mutation.periodClose",
  "Mutation.periodApprove",
];

const RUN = `run { id kind status phase phaseName percent error }`;
const PERIODS = `query Periods {
  periods(first: 24) { edges { node {
    id label startsOn status statusName closedAt approvedAt
    statistics { currency bv total earningPartners }
    ${RUN}
  } } }
}`;
const STATEMENTS = `query PeriodStatements($id: ID!, $after: String) {
  period(id: $id) {
    id label status
    statements(first: 100, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { currency partner { id displayName } paidAsRank { code name } total paid carriedForward } }
    }
  }
}`;
const CSV = `query PeriodStatementsCsv($id: ID!) { period(id: $id) { id label statementsCsv } }`;
const ACTION = (name: string) => `mutation ${name[0].toUpperCase()}${name.slice(1)}($id: ID!) {
  ${name}(id: $id) { errors { field code message } period { id status } ${RUN} }
}`;

interface Run {
  id: string;
  kind: string;
  status: string;
  phase: string;
  phaseName: string;
  percent: number;
  error: string | null;
}
interface PeriodRow {
  id: string;
  label: string;
  startsOn: string;
  status: string;
  statusName: string;
  closedAt: string | null;
  approvedAt: string | null;
  statistics: { currency: string; bv: string; total: string; earningPartners: number } | null;
  run: Run | null;
}

const isRunning = (run: Run | null) => Boolean(run && ["PENDING", "RUNNING"].includes(run.status.toUpperCase()));

/** Error codes of the period actions the page explains in the user's language. */
const EXPLAINED_ERRORS = ["SAME_USER", "RUN_NOT_FINISHED"];

type Action = "periodPreview" | "periodClose" | "periodApprove";
interface ActionAnswer {
  errors: MlmError[];
  period: { id: string; status: string } | null;
  run: Run | null;
}

export function PeriodsPage({ periodId }: { periodId: string | null }) {
  const { t, capabilities } = useApp();
  const missing = capabilities.missing(PERIODS_FIELDS);
  if (missing.length) {
    return (
      <Page title={t("periods.title")}>
        <Section testId={periodId ? "period" : "periods"}>
          <MissingApi fields={missing} />
        </Section>
      </Page>
    );
  }
  return periodId ? <Statements periodId={periodId} /> : <PeriodList />;
}

function PeriodList() {
  const { t, format, client, host } = useApp();
  const { data, error, loading, reload } = useQuery<{ periods: { edges: Array<{ node: PeriodRow }> } }>(PERIODS);
  const [confirm, setConfirm] = useState<PeriodRow | null>(null);
  const [problem, setProblem] = useState<{ code: string; text: string; refusal: boolean } | null>(null);
  // A run a mutation just started, shown at once (the run is in the background: the answer
  // comes back with it pending) until the list has caught up with it.
  const [started, setStarted] = useState<Record<string, { status: string; run: Run }>>({});
  const rows = useMemo(
    () =>
      (data?.periods.edges.map((edge) => edge.node) ?? []).map((row) => {
        const mine = started[row.id];
        return mine && row.run?.id !== mine.run.id ? { ...row, status: mine.status, statusName: "", run: mine.run } : row;
      }),
    [data, started],
  );
  const running = rows.some((row) => isRunning(row.run));

  // Follow a run's phase and percent while it works.
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(reload, 1000);
    return () => window.clearInterval(timer);
  }, [running, reload]);

  const act = async (name: Action, period: PeriodRow) => {
    setProblem(null);
    try {
      const answer = (await client.request<Record<string, ActionAnswer>>(ACTION(name), { id: period.id }))[name];
      const errors = answer.errors;
      if (errors.length) {
        const explained = errors.find((item) => EXPLAINED_ERRORS.includes(item.code));
        setProblem({
          code: errors[0].code,
          refusal: true,
          text: explained
            ? t(`periods.error.${explained.code}` as "periods.error.SAME_USER", { period: period.label })
            : errors.map((item) => item.message).join(" "),
        });
      } else if (name === "periodApprove") host.notify("success", t("periods.approved", { period: period.label }));
      else if (name === "periodClose") host.notify("info", t("periods.closeStarted", { period: period.label }));
      if (!errors.length && answer.period && answer.run && isRunning(answer.run)) {
        setStarted((current) => ({ ...current, [period.id]: { status: answer.period!.status, run: answer.run! } }));
      }
    } catch (failure) {
      setProblem({ code: "ERROR", text: (failure as Error).message, refusal: false });
    }
    reload();
  };

  const currency = (row: PeriodRow) => row.statistics?.currency || "EUR";
  return (
    <Page title={t("periods.title")}>
      <Section testId="periods">
        {error && <ErrorMessage error={error} onRetry={reload} />}
        {problem && (
          <Box data-testid="period-problem" data-code={problem.code}>
            <ErrorMessage error={new Error(problem.text)} refusal={problem.refusal} />
          </Box>
        )}
        {loading && !data && <Loading rows={6} />}
        {rows
          .filter((row) => isRunning(row.run))
          .map((row) => (
            <ProgressBar
              key={row.id}
              testId={`period-progress-${row.label}`}
              percent={row.run!.percent}
              label={t(row.run!.kind.toUpperCase() === "CLOSE" ? "periods.closing" : "periods.previewing", {
                period: row.label,
                phase: row.run!.phaseName || t(`periods.phase.${row.run!.phase.toLowerCase()}` as "periods.phase.done"),
              })}
            />
          ))}
        {rows
          .filter((row) => row.run?.status.toUpperCase() === "FAILED")
          .map((row) => (
            <ErrorMessage key={row.id} error={new Error(t("periods.runFailed", { error: `${row.label}: ${row.run!.error ?? ""}` }))} />
          ))}
        {data && (
          <DataTable
            rows={rows}
            rowKey={(row) => row.id}
            columns={[
              { key: "period", header: t("periods.col.period"), render: (row) => <Text size={2} fontWeight="medium">{row.label}</Text> },
              {
                key: "status",
                header: t("periods.col.status"),
                render: (row) => (
                  <Text size={2} data-testid="period-status" data-status={row.status.toUpperCase()}>
                    {row.statusName || t(`periods.status.${row.status.toUpperCase()}` as "periods.status.OPEN")}
                  </Text>
                ),
              },
              { key: "volume", header: t("periods.col.volume"), align: "right", render: (row) => <Text size={2}>{format.volume(row.statistics?.bv ?? null)}</Text> },
              { key: "commissions", header: t("periods.col.commissions"), align: "right", render: (row) => <Text size={2}>{format.money(row.statistics?.total ?? null, currency(row))}</Text> },
              { key: "partners", header: t("periods.col.partners"), align: "right", render: (row) => <Text size={2}>{format.number(row.statistics?.earningPartners ?? null)}</Text> },
              {
                key: "actions",
                header: "",
                align: "right",
                render: (row) => <PeriodActions row={row} onAction={act} onClose={() => setConfirm(row)} />,
              },
            ]}
            empty={<Text size={2} color="default2">{t("common.empty")}</Text>}
          />
        )}
      </Section>
      {confirm && (
        <Modal open onChange={(open) => !open && setConfirm(null)}>
          <Modal.Content>
            <Box
              backgroundColor="default1"
              padding={6}
              borderRadius={4}
              boxShadow="defaultModal"
              display="flex"
              flexDirection="column"
              gap={4}
              position="fixed"
              __left="50%"
              __top="20%"
              __transform="translateX(-50%)"
              __width="min(480px, 92vw)"
            >
              <Text size={4}>{t("periods.closeConfirm", { period: confirm.label })}</Text>
              <Box display="flex" justifyContent="flex-end" gap={2}>
                <Button variant="secondary" onClick={() => setConfirm(null)}>
                  {t("common.cancel")}
                </Button>
                <Button
                  variant="primary"
                  data-testid="period-close-confirm"
                  onClick={() => {
                    const period = confirm;
                    setConfirm(null);
                    void act("periodClose", period);
                  }}
                >
                  {t("periods.close")}
                </Button>
              </Box>
            </Box>
          </Modal.Content>
        </Modal>
      )}
    </Page>
  );
}

function PeriodActions({
  row,
  onAction,
  onClose,
}: {
  row: PeriodRow;
  onAction(name: Exclude<Action, "periodClose">, row: PeriodRow): void;
  onClose(): void;
}) {
  const { t } = useApp();
  const statements = useLink({ name: "periods", id: row.id });
  const status = row.status.toUpperCase();
  return (
    <Box display="flex" gap={2} justifyContent="flex-end">
      {status === "OPEN" && (
        <>
          <Button size="small" variant="tertiary" onClick={() => onAction("periodPreview", row)}>
            {t("periods.preview")}
          </Button>
          <Button size="small" variant="secondary" onClick={onClose} data-testid="period-close">
            {t("periods.close")}
          </Button>
        </>
      )}
      {status === "CLOSED" && (
        <Button size="small" variant="secondary" onClick={() => onAction("periodApprove", row)} data-testid="period-approve">
          {t("periods.approve")}
        </Button>
      )}
      {status !== "OPEN" && (
        <Button size="small" variant="tertiary" as="a" {...statements} data-testid="period-statements">
          {t("periods.statements")}
        </Button>
      )}
    </Box>
  );
}

type StatementRow = {
  currency: string;
  partner: { id: string; displayName: string } | null;
  paidAsRank: { code: string; name: string } | null;
  total: string | null;
  paid: string | null;
  carriedForward: string | null;
};

function Statements({ periodId }: { periodId: string }) {
  const { t, format, client } = useApp();
  const { navigate } = useRouter();
  const { data, error, loading, reload } = useQuery<{
    period: { id: string; label: string; status: string; statements: { totalCount: number; edges: Array<{ node: StatementRow }> } } | null;
  }>(STATEMENTS, { id: periodId });
  const period = data?.period;

  const download = async () => {
    const answer = await client.request<{ period: { label: string; statementsCsv: string } }>(CSV, { id: periodId });
    const url = URL.createObjectURL(new Blob([answer.period.statementsCsv], { type: "text/csv" }));
    const anchor = document.createElement("a");
    anchor.href = url;
    anchor.download = `statements-${answer.period.label}.csv`;
    anchor.click();
    URL.revokeObjectURL(url);
  };

  return (
    <Page
      title={period ? t("periods.statementsOf", { period: period.label }) : t("periods.statements")}
      actions={
        <>
          <Button variant="secondary" onClick={() => navigate({ name: "periods", id: null })}>
            {t("nav.periods")}
          </Button>
          <Button variant="secondary" onClick={download} data-testid="period-export">
            {t("periods.export")}
          </Button>
        </>
      }
    >
      <Section testId="statements">
        {error && <ErrorMessage error={error} onRetry={reload} />}
        {loading && !data && <Loading rows={8} />}
        {period && (
          <DataTable
            rows={period.statements.edges.map((edge) => edge.node)}
            rowKey={(row) => row.partner?.id ?? ""}
            onRowClick={(row) => row.partner && navigate({ name: "partner", id: row.partner.id })}
            columns={[
              { key: "partner", header: t("periods.col.partner"), render: (row) => <Text size={2}>{row.partner?.displayName ?? t("common.none")}</Text> },
              { key: "rank", header: t("periods.col.rank"), render: (row) => <Text size={2}>{row.paidAsRank?.name ?? t("common.none")}</Text> },
              { key: "total", header: t("periods.col.total"), align: "right", render: (row) => <Text size={2}>{format.money(row.total, row.currency)}</Text> },
              { key: "paid", header: t("periods.col.paid"), align: "right", render: (row) => <Text size={2}>{format.money(row.paid, row.currency)}</Text> },
              { key: "carried", header: t("periods.col.carried"), align: "right", render: (row) => <Text size={2}>{format.money(row.carriedForward, row.currency)}</Text> },
              {
                key: "statement",
                header: "",
                align: "right",
                render: (row) => row.partner && <StatementLink partnerId={row.partner.id} period={period.id} />,
              },
            ]}
            empty={<Text size={2} color="default2">{t("common.empty")}</Text>}
          />
        )}
      </Section>
    </Page>
  );
}
