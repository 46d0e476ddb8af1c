import { Box, Button, Text } from "@saleor/macaw-ui";
import { useCallback, useEffect, useRef, useState } from "react";

import { useApp } from "../../app/context";
import { saveText } from "../../app/download";
import type { MlmError } from "../../app/graphql";
import { useRouter } from "../../app/router";
import { useQuery } from "../../app/useQuery";
import { ErrorMessage, Loading } from "../../components/Feedback";
import { FormDialog } from "../../components/FormDialog";
import { Page, Section } from "../../components/Layout";
import { Money } from "../../components/Money";
import { ProgressBar } from "../../components/ProgressBar";
import { ItemStatusChip, RunStatusChip } from "./PayoutParts";
import { PayoutItems } from "./PayoutItems";
import { RUN_FIELDS, type PayoutRunRow } from "./payoutRun";
import { approveBlock, countOf, executeOffer, executionProgress, payableNow } from "./runState";

/**
 * One payout run: approve (by another person than its creator: the button says why it is
 * disabled), execute (again) with a confirmation and a progress bar polled each second while
 * it pays, its history, its figures per status, its SEPA files to download, and its payouts.
 */
const SEPA_FIELDS = `sepaFiles { id filename messageId transactionCount controlSum createdAt executedAt }`;
const RUN = `query PayoutRun($id: ID!) { payoutRun(id: $id) { ${RUN_FIELDS} ${SEPA_FIELDS} } }`;
const SEPA_CONTENT = `query SepaFileContent($id: ID!) { payoutRun(id: $id) { id sepaFiles { id filename content } } }`;
const APPROVE = `mutation PayoutRunApprove($id: ID!) { payoutRunApprove(id: $id) { errors { field code message } payoutRun { id status } } }`;
const EXECUTE = `mutation PayoutRunExecute($id: ID!) { payoutRunExecute(id: $id) { errors { field code message } payoutRun { id status } } }`;

interface SepaFile {
  id: string;
  filename: string;
  messageId: string;
  transactionCount: number;
  controlSum: string;
  createdAt: string;
  executedAt: string | null;
}
type RunDetail = PayoutRunRow & { sepaFiles: SepaFile[] };

/** Refusals the page says in the user's language (the others in the server's words). */
const EXPLAINED_ERRORS = ["SAME_USER"];

export function PayoutRunView({ runId }: { runId: string }) {
  const { t, format, client, host, state } = useApp();
  const { navigate } = useRouter();
  const { data, error, loading, reload } = useQuery<{ payoutRun: RunDetail | null }>(RUN, { id: runId });
  const [problem, setProblem] = useState<{ code: string; text: string } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  // Bumped after an action: the payouts below are asked for again.
  const [version, setVersion] = useState(0);
  const run = data?.payoutRun ?? null;
  const executing = run?.status === "EXECUTING";

  const refresh = useCallback(() => {
    reload();
    setVersion((value) => value + 1);
  }, [reload]);

  // Follow an execution each second until the run is executed; then say so once.
  const watched = useRef(false);
  useEffect(() => {
    if (!executing) return;
    watched.current = true;
    const timer = window.setInterval(refresh, 1000);
    return () => window.clearInterval(timer);
  }, [executing, refresh]);
  useEffect(() => {
    if (run?.status !== "EXECUTED" || !watched.current) return;
    watched.current = false;
    host.notify("success", t("payouts.executed", { period: run.period.label, paid: format.number(countOf(run, "PAID") + countOf(run, "SENT")), waiting: format.number(run.skipped) }));
  }, [run, host, t, format]);

  const approve = async () => {
    setProblem(null);
    setBusy(true);
    try {
      const { errors } = (await client.request<{ payoutRunApprove: { errors: MlmError[] } }>(APPROVE, { id: runId })).payoutRunApprove;
      if (errors.length) {
        const explained = errors.find((item) => EXPLAINED_ERRORS.includes(item.code));
        setProblem({ code: errors[0].code, text: explained ? t(`payouts.error.${explained.code}` as "payouts.error.SAME_USER") : errors.map((item) => item.message).join(" ") });
      } else if (run) {
        host.notify("success", t("payouts.approved", { period: run.period.label }));
      }
    } catch (failure) {
      setProblem({ code: "ERROR", text: (failure as Error).message });
    } finally {
      setBusy(false);
    }
    refresh();
  };

  const download = async (file: SepaFile) => {
    try {
      const answer = await client.request<{ payoutRun: { sepaFiles: Array<{ id: string; filename: string; content: string }> } | null }>(SEPA_CONTENT, { id: runId });
      const found = answer.payoutRun?.sepaFiles.find((item) => item.id === file.id);
      if (found) saveText(found.content, found.filename, "application/xml");
    } catch (failure) {
      setProblem({ code: "ERROR", text: (failure as Error).message });
    }
  };

  if (!run) {
    return (
      <Page title={t("payouts.title")}>
        <Section testId="payout-run">
          {error && <ErrorMessage error={error} onRetry={reload} />}
          {loading ? <Loading rows={6} /> : !error && <Text size={2}>{t("app.notFound")}</Text>}
        </Section>
      </Page>
    );
  }

  const blocked = approveBlock(run, state.email);
  const offer = executeOffer(run);
  const progress = executionProgress(run);
  const steps = [
    t("payouts.step.created", { when: format.dateTime(run.createdAt), who: run.createdBy }),
    run.approvedAt && t("payouts.step.approved", { when: format.dateTime(run.approvedAt), who: run.approvedBy }),
    run.startedAt && t("payouts.step.started", { when: format.dateTime(run.startedAt), who: run.executedBy }),
    run.executedAt && t("payouts.step.executed", { when: format.dateTime(run.executedAt) }),
  ].filter((step): step is string => Boolean(step));

  return (
    <Page
      title={t("payouts.runOf", { period: run.period.label })}
      actions={
        <>
          <Button variant="secondary" onClick={() => navigate({ name: "payouts", id: null })} data-testid="payout-back">
            {t("payouts.back")}
          </Button>
          {run.status === "CREATED" && (
            <Button
              variant="primary"
              onClick={() => void approve()}
              disabled={Boolean(blocked) || busy}
              aria-describedby={blocked ? "payout-approve-reason" : undefined}
              data-testid="payout-approve"
            >
              {t("payouts.approve")}
            </Button>
          )}
          {offer && (
            <Button variant="primary" onClick={() => setConfirming(true)} disabled={busy || (offer !== "resume" && executing)} data-testid="payout-execute" data-offer={offer}>
              {t(offer === "again" ? "payouts.executeAgain" : offer === "resume" ? "payouts.executeResume" : "payouts.execute")}
            </Button>
          )}
        </>
      }
    >
      <Box paddingX={6} paddingBottom={4} display="flex" flexDirection="column" gap={2} data-testid="payout-run" data-status={run.status}>
        <Box display="flex" gap={2} alignItems="center" flexWrap="wrap">
          <Text size={2} color="default2">
            {t("payouts.col.status")}:
          </Text>
          <Box data-testid="payout-run-status" data-status={run.status}>
            <RunStatusChip status={run.status} />
          </Box>
        </Box>
        {blocked && (
          <Text size={2} color="default2" id="payout-approve-reason" data-testid="payout-approve-reason">
            {t("payouts.ownRun")}
          </Text>
        )}
        {run.status === "CREATED" && (
          <Text size={2} color="default2">
            {t("payouts.waitsForApproval")}
          </Text>
        )}
        {offer === "again" && (
          <Text size={2} color="default2">
            {t("payouts.executeAgainHelp")}
          </Text>
        )}
        {problem && (
          <Box data-testid="payout-problem" data-code={problem.code}>
            <ErrorMessage error={new Error(problem.text)} refusal={problem.code !== "ERROR"} />
          </Box>
        )}
        {executing && (
          <ProgressBar
            testId="payout-progress"
            percent={progress.percent}
            label={t("payouts.executing", { period: run.period.label, done: format.number(progress.done), total: format.number(progress.total) })}
          />
        )}
      </Box>

      <Section title={t("payouts.totals")} testId="payout-totals">
        <Box display="flex" gap={4} flexWrap="wrap">
          {run.totals.map((total) => (
            <Box key={total.status} display="flex" gap={2} alignItems="center" data-testid="payout-total" data-status={total.status}>
              <ItemStatusChip status={total.status} />
              <Text size={2} data-testid="payout-total-count">
                {format.number(total.count)}
              </Text>
              <Money value={total.amount} currency={run.currency} color="default2" />
            </Box>
          ))}
          <Box display="flex" gap={2} alignItems="center">
            <Text size={2} color="default2">
              {t("payouts.col.waiting")}:
            </Text>
            <Text size={2} data-testid="payout-waiting">
              {format.number(run.skipped)}
            </Text>
          </Box>
        </Box>
      </Section>

      <Section title={t("payouts.sepaFiles")} testId="payout-sepa-files">
        {run.sepaFiles.length ? (
          run.sepaFiles.map((file) => (
            <Box key={file.id} display="flex" gap={3} alignItems="center" flexWrap="wrap" data-testid="payout-sepa-file">
              <Text size={2} fontWeight="medium" style={{ overflowWrap: "anywhere" }}>
                {t("payouts.sepaFile", { filename: file.filename, count: format.number(file.transactionCount), sum: format.money(file.controlSum, run.currency) })}
              </Text>
              <Text size={2} color="default2">
                {[t("payouts.sepaCreated", { when: format.dateTime(file.createdAt) }), file.executedAt && t("payouts.sepaExecuted", { when: format.dateTime(file.executedAt) })]
                  .filter(Boolean)
                  .join(" · ")}
              </Text>
              <Button size="small" variant="secondary" onClick={() => void download(file)} aria-label={t("payouts.sepaDownloadOne", { filename: file.filename })} data-testid="payout-sepa-download">
                {t("payouts.sepaDownload")}
              </Button>
            </Box>
          ))
        ) : (
          <Text size={2} color="default2">
            {t("payouts.sepaNone")}
          </Text>
        )}
      </Section>

      <PayoutItems runId={run.id} version={version} onConfirmed={() => setVersion((value) => value + 1)} />

      <Section title={t("payouts.history")} testId="payout-history">
        <Box as="ul" margin={0} paddingLeft={4} display="flex" flexDirection="column" gap={1}>
          {steps.map((step) => (
            <Box as="li" key={step} data-testid="payout-step">
              <Text size={2}>{step}</Text>
            </Box>
          ))}
        </Box>
      </Section>

      {confirming && (
        <FormDialog
          title={t("payouts.executeTitle", { period: run.period.label })}
          testId="payout-execute-dialog"
          intro={t("payouts.executeText", { count: format.number(payableNow(run)) })}
          confirmLabel={t(offer === "again" ? "payouts.executeAgain" : "payouts.execute")}
          fields={[]}
          submit={async () => (await client.request<{ payoutRunExecute: { errors: MlmError[] } }>(EXECUTE, { id: runId })).payoutRunExecute.errors}
          onClose={() => setConfirming(false)}
          onDone={() => {
            setConfirming(false);
            setProblem(null);
            watched.current = true;
            refresh();
          }}
        />
      )}
    </Page>
  );
}

