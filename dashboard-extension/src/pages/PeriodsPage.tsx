import { Box, Button, Modal, Text } from "@saleor/macaw-ui";
import { useEffect, useMemo, useState } from "react";

import { useApp } from "../app/context";
import type { MlmError } from "../app/graphql";
import { useLink } from "../app/router";
import { useQuery } from "../app/useQuery";
import { DataTable } from "../components/DataTable";
import { ErrorMessage, Loading } from "../components/Feedback";
import { ApiGate, Page, Section } from "../components/Layout";
import { ProgressBar } from "../components/ProgressBar";
import { closeBlock } from "./periods/closable";
import { CommitDialog, ReopenDialog, type SettledPeriod } from "./periods/PeriodDialogs";
import { PeriodStatements } from "./periods/PeriodStatements";

/**
 * Periods: list with figures, preview, close with progress, approve, statements, CSV export.
 * Close is offered once the month is over (before, it is disabled with the reason); a run's
 * bar is the notice while it works, and its end is confirmed (with the preview's figures).
 * Written against the periods API (saleor_mlm/graphql/periods); until its fields exist the
 * page says which are missing.
 */
export const PERIODS_FIELDS = [
  "Query.periods",
  "Query.period",
  "Period.label",
  "Period.endsOn",
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
  "Mutation.periodCommit",
  "Mutation.periodReopen",
  "Period.runs",
];

const RUN = `run { id kind status phase phaseName percent error }`;
const PERIODS = `query Periods {
  periods(first: 24) { edges { node {
    id label startsOn endsOn status statusName closedAt approvedAt
    statistics { currency bv total earningPartners }
    ${RUN}
  } } }
}`;
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
  endsOn: string;
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

const currency = (row: PeriodRow) => row.statistics?.currency || "EUR";

export function PeriodsPage({ periodId }: { periodId: string | null }) {
  const { t } = useApp();
  return (
    <ApiGate title={t("periods.title")} testId={periodId ? "period" : "periods"} fields={PERIODS_FIELDS}>
      {periodId ? <PeriodStatements periodId={periodId} /> : <PeriodList />}
    </ApiGate>
  );
}

function PeriodList() {
  const { t, format, client, host } = useApp();
  const { data, error, loading, reload } = useQuery<{ periods: { edges: Array<{ node: PeriodRow }> } }>(PERIODS);
  const [confirm, setConfirm] = useState<PeriodRow | null>(null);
  const [settling, setSettling] = useState<{ action: "commit" | "reopen"; period: SettledPeriod } | null>(null);
  const settled = () => {
    setSettling(null);
    reload();
  };
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

  // The runs this page started, confirmed when they end: a close with "closed", a preview
  // with its figures (the bar above was the notice while it ran).
  const [watched, setWatched] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<{ periodId: string; kind: string; text: string } | null>(null);
  useEffect(() => {
    const ended = (data?.periods.edges ?? [])
      .map((edge) => edge.node)
      .filter((row) => watched[row.id] && row.run?.id === watched[row.id] && !isRunning(row.run));
    if (!ended.length) return;
    setWatched((current) => Object.fromEntries(Object.entries(current).filter(([id]) => !ended.some((row) => row.id === id))));
    for (const row of ended) {
      if (row.run!.status.toUpperCase() !== "SUCCEEDED") continue; // a failure shows with its error below
      const kind = row.run!.kind.toUpperCase();
      const text =
        kind === "CLOSE"
          ? t("periods.closed", { period: row.label })
          : t("periods.previewDone", {
              period: row.label,
              total: format.money(row.statistics?.total ?? null, currency(row)),
              partners: format.number(row.statistics?.earningPartners ?? 0),
            });
      setNotice({ periodId: row.id, kind, text });
      host.notify("success", text);
    }
  }, [data, watched, t, format, host]);

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
      if (!errors.length && answer.run) {
        setNotice(null);
        setWatched((current) => ({ ...current, [period.id]: answer.run!.id }));
        if (answer.period && isRunning(answer.run)) {
          setStarted((current) => ({ ...current, [period.id]: { status: answer.period!.status, run: answer.run! } }));
        }
      }
    } catch (failure) {
      setProblem({ code: "ERROR", text: (failure as Error).message, refusal: false });
    }
    reload();
  };

  return (
    <Page title={t("periods.title")}>
      <Section testId="periods">
        {error && <ErrorMessage error={error} onRetry={reload} />}
        {problem && (
          <Box data-testid="period-problem" data-code={problem.code}>
            <ErrorMessage error={new Error(problem.text)} refusal={problem.refusal} />
          </Box>
        )}
        {notice && <RunNotice notice={notice} onDismiss={() => setNotice(null)} />}
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
                render: (row) => (
                  <PeriodActions
                    row={row}
                    rows={rows}
                    onAction={act}
                    onClose={() => setConfirm(row)}
                    onSettle={(action) => setSettling({ action, period: { id: row.id, label: row.label } })}
                  />
                ),
              },
            ]}
            empty={<Text size={2} color="default2">{t("common.empty")}</Text>}
          />
        )}
      </Section>
      {settling?.action === "commit" && <CommitDialog period={settling.period} onClose={() => setSettling(null)} onDone={settled} />}
      {settling?.action === "reopen" && <ReopenDialog period={settling.period} onClose={() => setSettling(null)} onDone={settled} />}
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

/** A run's end confirmed: "closed", or the preview's figures with a link to its statements. */
function RunNotice({ notice, onDismiss }: { notice: { periodId: string; kind: string; text: string }; onDismiss(): void }) {
  const { t } = useApp();
  const statements = useLink({ name: "periods", id: notice.periodId });
  return (
    <Box
      role="status"
      data-testid="period-notice"
      data-kind={notice.kind}
      display="flex"
      alignItems="center"
      gap={3}
      flexWrap="wrap"
      padding={4}
      borderRadius={4}
      borderStyle="solid"
      borderWidth={1}
      borderColor="success1"
      backgroundColor="default1"
      __borderLeftWidth="4px"
    >
      <Text size={3} __flex="1 1 auto" data-testid="period-notice-text">
        {notice.text}
      </Text>
      <Button size="small" variant="secondary" as="a" {...statements} data-testid="period-notice-statements">
        {t("periods.statements")}
      </Button>
      <Button size="small" variant="tertiary" onClick={onDismiss} data-testid="period-notice-dismiss">
        {t("common.dismiss")}
      </Button>
    </Box>
  );
}

function PeriodActions({
  row,
  rows,
  onAction,
  onClose,
  onSettle,
}: {
  row: PeriodRow;
  rows: PeriodRow[];
  onAction(name: Exclude<Action, "periodClose">, row: PeriodRow): void;
  onClose(): void;
  onSettle(action: "commit" | "reopen"): void;
}) {
  const { t } = useApp();
  const statements = useLink({ name: "periods", id: row.id });
  const status = row.status.toUpperCase();
  const blocked = status === "OPEN" ? closeBlock(row, rows) : null;
  const reasonId = `period-close-reason-${row.label}`;
  return (
    <Box display="flex" flexDirection="column" alignItems="flex-end" gap={1}>
      <Box display="flex" gap={2} justifyContent="flex-end">
        {status === "OPEN" && (
          <>
            <Button size="small" variant="tertiary" onClick={() => onAction("periodPreview", row)} data-testid="period-preview" disabled={isRunning(row.run)}>
              {t("periods.preview")}
            </Button>
            <Button
              size="small"
              variant="secondary"
              onClick={onClose}
              data-testid="period-close"
              disabled={Boolean(blocked) || isRunning(row.run)}
              aria-describedby={blocked ? reasonId : undefined}
            >
              {t("periods.close")}
            </Button>
          </>
        )}
        {status === "CLOSED" && (
          <Button size="small" variant="secondary" onClick={() => onAction("periodApprove", row)} data-testid="period-approve">
            {t("periods.approve")}
          </Button>
        )}
        {status === "APPROVED" && (
          <Button size="small" variant="secondary" onClick={() => onSettle("commit")} data-testid="period-commit">
            {t("periods.commit")}
          </Button>
        )}
        {(status === "CLOSED" || status === "APPROVED") && (
          <Button size="small" variant="tertiary" onClick={() => onSettle("reopen")} data-testid="period-reopen" disabled={isRunning(row.run)}>
            {t("periods.reopen")}
          </Button>
        )}
        {status !== "OPEN" && (
          <Button size="small" variant="tertiary" as="a" {...statements} data-testid="period-statements">
            {t("periods.statements")}
          </Button>
        )}
      </Box>
      {blocked && (
        <Text size={1} color="default2" id={reasonId} data-testid="period-close-reason">
          {t(blocked.key, blocked.params)}
        </Text>
      )}
    </Box>
  );
}
