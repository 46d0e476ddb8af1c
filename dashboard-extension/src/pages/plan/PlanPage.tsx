import { Box, Button, Input, Select, Text } from "@saleor/macaw-ui";
import { useEffect, useMemo, useState, type ReactNode } from "react";

import { useApp } from "../../app/context";
import type { MlmError } from "../../app/graphql";
import { ProgramSwitcher, useProgram, type ProgramSummary } from "../../app/program";
import { useQuery } from "../../app/useQuery";
import { BarChart, SERIES_COLORS } from "../../components/charts/BarChart";
import { DataTable } from "../../components/DataTable";
import { ErrorMessage, Loading, MissingApi } from "../../components/Feedback";
import { Page, Section } from "../../components/Layout";
import { ProgressBar } from "../../components/ProgressBar";
import { emptyPlan, fromDocument, toDocument, validatePlan, type PlanErrors, type PlanForm } from "./planDocument";
import { PlanFormView } from "./PlanFormView";

/** Plan versions (list, create, update, activate) and what-if runs come from the periods API. */
export const PLAN_FIELDS = ["Query.planVersions", "Mutation.planVersionCreate", "Mutation.planVersionUpdate", "Mutation.planVersionActivate"];
export const WHAT_IF_FIELDS = ["Mutation.whatIfRun", "Query.periodRun", "PeriodRun.whatIf", "Query.periods"];

const VERSION = `id name displayName status statusName inForceFrom isValid validationErrors { key message } document`;
const VERSIONS = `query PlanVersions($filter: PlanVersionFilterInput) { planVersions(first: 100, filter: $filter) { edges { node { ${VERSION} } } } }`;
const PERIODS = `query WhatIfPeriods { periods(first: 24) { edges { node { id label status } } } }`;
const CREATE = `mutation PlanVersionCreate($input: PlanVersionInput!) {
  planVersionCreate(input: $input) { errors { field code message } planVersion { ${VERSION} } }
}`;
const UPDATE = `mutation PlanVersionUpdate($id: ID!, $input: PlanVersionInput!) {
  planVersionUpdate(id: $id, input: $input) { errors { field code message } planVersion { ${VERSION} } }
}`;
const ACTIVATE = `mutation PlanVersionActivate($id: ID!, $inForceFrom: String!) {
  planVersionActivate(id: $id, inForceFrom: $inForceFrom) { errors { field code message } planVersion { ${VERSION} } }
}`;
const WHAT_IF = `mutation WhatIfRun($periodId: ID!, $planVersionId: ID!) {
  whatIfRun(periodId: $periodId, planVersionId: $planVersionId) { errors { field code message } run { id status phase percent } }
}`;
const SIDE = `planName total bonuses { kind kindName amount } paidAsRanks { count rank { code name } }`;
const RUN = `query WhatIfResult($id: ID!) {
  periodRun(id: $id) {
    id status phase phaseName percent error
    whatIf {
      difference partnersChanged
      base { ${SIDE} }
      draft { ${SIDE} }
      changes { name referralCode baseTotal draftTotal difference baseRank { name } draftRank { name } }
    }
  }
}`;

interface Version {
  id: string;
  name: string;
  displayName: string;
  status: string;
  statusName: string;
  inForceFrom: string | null;
  isValid: boolean;
  validationErrors: Array<{ key: string; message: string }>;
  document: Record<string, unknown>;
}
interface Side {
  planName: string;
  total: string;
  bonuses: Array<{ kind: string; kindName: string; amount: string }>;
  paidAsRanks: Array<{ count: number; rank: { code: string; name: string } }>;
}
interface WhatIfRunAnswer {
  id: string;
  status: string;
  phase: string;
  phaseName: string;
  percent: number;
  error: string | null;
  whatIf: {
    difference: string;
    partnersChanged: number;
    base: Side;
    draft: Side;
    changes: Array<{ name: string; referralCode: string; baseTotal: string; draftTotal: string; difference: string; baseRank: { name: string } | null; draftRank: { name: string } | null }>;
  } | null;
}

function serverErrors(version: Version | null): PlanErrors {
  return Object.fromEntries((version?.validationErrors ?? []).map((error) => [error.key, { text: error.message }]));
}

function pickDefault(versions: Version[]): Version | null {
  return versions.find((version) => version.status === "DRAFT") ?? versions.filter((version) => version.status === "ACTIVE").at(-1) ?? versions[0] ?? null;
}

/** The plan of the program chosen in the switcher (program.tsx): its versions, drafts, what-if and activation. */
export function PlanPage() {
  const { t } = useApp();
  const choice = useProgram();
  if (!choice.ready) {
    return (
      <Page title={t("plan.title")}>
        <Loading />
      </Page>
    );
  }
  return <ProgramPlan key={choice.program?.code ?? ""} program={choice.program} switcher={<ProgramSwitcher choice={choice} />} />;
}

function ProgramPlan({ program, switcher }: { program: ProgramSummary | null; switcher: ReactNode }) {
  const { t, capabilities } = useApp();
  const missing = capabilities.missing(PLAN_FIELDS);
  const versions = useQuery<{ planVersions: { edges: Array<{ node: Version }> } }>(VERSIONS, { filter: program ? { programId: program.id } : null }, missing.length > 0);
  const list = useMemo(() => versions.data?.planVersions.edges.map((edge) => edge.node) ?? [], [versions.data]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = list.find((version) => version.id === selectedId) ?? null;
  const [form, setForm] = useState<PlanForm>(emptyPlan);
  const [name, setName] = useState("");
  const [saved, setSaved] = useState<Version | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  // Show the draft (or the plan in force) once the versions are there.
  useEffect(() => {
    if (selectedId || !list.length) return;
    const first = pickDefault(list);
    if (first) choose(first);
  }, [list]); // eslint-disable-line react-hooks/exhaustive-deps

  const choose = (version: Version | null) => {
    setSelectedId(version?.id ?? null);
    setForm(version ? fromDocument(version.document) : emptyPlan());
    setName(version?.name ?? "");
    setSaved(version);
    setProblem(null);
  };

  const readOnly = Boolean(selected && selected.status !== "DRAFT");
  const clientErrors = useMemo(() => validatePlan(form), [form]);
  // The server's messages stand for the document it validated, until the form changes it.
  const errors = useMemo<PlanErrors>(() => ({ ...serverErrors(saved), ...clientErrors }), [saved, clientErrors]);
  const count = Object.keys(clientErrors).length;

  return (
    <Page
      title={t("plan.title")}
      actions={missing.length === 0 && <PlanActions programId={program?.id ?? null} selected={selected} readOnly={readOnly} form={form} name={name} onSaved={(version) => { versions.reload(); choose(version); }} onProblem={setProblem} onFork={() => { setSelectedId(null); setSaved(null); setName(`${selected?.name ?? ""} (${t("plan.draft")})`); }} />}
    >
      <Section>
        {switcher}
        {missing.length > 0 && <MissingApi fields={missing} />}
        {versions.error && <ErrorMessage error={versions.error} onRetry={versions.reload} />}
        {problem && <ErrorMessage error={new Error(problem)} />}
        {missing.length === 0 && (
          <Box display="flex" gap={3} flexWrap="wrap" alignItems="flex-start">
            <Box __flex="1 1 260px">
              <Select
                size="small"
                label={t("plan.version")}
                options={[{ value: "", label: t("plan.newVersion") }, ...list.map((version) => ({ value: version.id, label: `${version.displayName} · ${version.statusName}${version.inForceFrom ? ` · ${version.inForceFrom.slice(0, 7)}` : ""}` }))]}
                value={{ value: selectedId ?? "", label: selected ? `${selected.displayName} · ${selected.statusName}` : t("plan.newVersion") }}
                onChange={(option) => choose(list.find((version) => version.id === option.value) ?? null)}
                data-testid="plan-version"
              />
            </Box>
            <Box __flex="1 1 260px">
              <Input size="small" label={t("plan.versionName")} value={name} disabled={readOnly} onChange={(event) => setName(event.target.value)} data-testid="plan-version-name" />
            </Box>
          </Box>
        )}
        <Box data-testid="plan-validity">
          <Text size={3} color={count ? "critical1" : "success1"}>
            {count ? t("plan.invalid", { count }) : t("plan.valid")}
          </Text>
        </Box>
      </Section>
      <PlanFormView value={form} onChange={setForm} errors={errors} readOnly={readOnly} />
      <Section title={t("plan.whatIf")} testId="plan-what-if">
        <Text size={2} color="default2">
          {t("plan.whatIfHelp")}
        </Text>
        <WhatIf draft={selected?.status === "DRAFT" ? selected : null} />
      </Section>
      {versions.loading && !versions.data && missing.length === 0 && <Loading />}
    </Page>
  );
}

function PlanActions({
  programId,
  selected,
  readOnly,
  form,
  name,
  onSaved,
  onProblem,
  onFork,
}: {
  programId: string | null;
  selected: Version | null;
  readOnly: boolean;
  form: PlanForm;
  name: string;
  onSaved(version: Version): void;
  onProblem(problem: string | null): void;
  onFork(): void;
}) {
  const { t, client, host } = useApp();
  const [month, setMonth] = useState("");
  const save = async () => {
    onProblem(null);
    const input = { name: name.trim() || null, document: toDocument(form) };
    const answer = selected
      ? (await client.request<{ planVersionUpdate: { errors: MlmError[]; planVersion: Version | null } }>(UPDATE, { id: selected.id, input })).planVersionUpdate
      : (await client.request<{ planVersionCreate: { errors: MlmError[]; planVersion: Version | null } }>(CREATE, { input: programId ? { ...input, programId } : input })).planVersionCreate;
    if (answer.errors.length) onProblem(answer.errors.map((error) => error.message).join(" "));
    if (answer.planVersion) {
      host.notify("success", t("plan.saved"));
      onSaved(answer.planVersion);
    }
  };
  const activate = async () => {
    if (!selected) return;
    const answer = (await client.request<{ planVersionActivate: { errors: MlmError[]; planVersion: Version | null } }>(ACTIVATE, { id: selected.id, inForceFrom: month.trim() })).planVersionActivate;
    if (answer.errors.length) onProblem(answer.errors.map((error) => error.message).join(" "));
    else if (answer.planVersion) onSaved(answer.planVersion);
  };
  if (readOnly) {
    return (
      <Button variant="secondary" onClick={onFork} data-testid="plan-fork">
        {t("plan.newDraft")}
      </Button>
    );
  }
  return (
    <>
      {selected?.status === "DRAFT" && selected.isValid && (
        <Box display="flex" gap={2} alignItems="center">
          <Input size="small" placeholder="YYYY-MM" value={month} onChange={(event) => setMonth(event.target.value)} __width="110px" aria-label={t("plan.inForceFrom")} data-testid="plan-activate-month" />
          <Button variant="secondary" onClick={activate} disabled={!/^\d{4}-\d{2}$/.test(month.trim())} data-testid="plan-activate">
            {t("plan.activate")}
          </Button>
        </Box>
      )}
      <Button variant="primary" onClick={save} data-testid="plan-save">
        {t("plan.saveDraft")}
      </Button>
    </>
  );
}

function WhatIf({ draft }: { draft: Version | null }) {
  const { t, format, client, capabilities } = useApp();
  const missing = capabilities.missing(WHAT_IF_FIELDS);
  const periods = useQuery<{ periods: { edges: Array<{ node: { id: string; label: string; status: string } }> } }>(PERIODS, {}, missing.length > 0);
  const options = (periods.data?.periods.edges.map((edge) => edge.node) ?? []).map((period) => ({ value: period.id, label: period.label }));
  const [periodId, setPeriodId] = useState<string | null>(null);
  const [run, setRun] = useState<WhatIfRunAnswer | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!run || !["PENDING", "RUNNING"].includes(run.status)) return;
    const timer = window.setTimeout(async () => {
      try {
        setRun((await client.request<{ periodRun: WhatIfRunAnswer }>(RUN, { id: run.id })).periodRun);
      } catch (failure) {
        setProblem((failure as Error).message);
      }
    }, 800);
    return () => window.clearTimeout(timer);
  }, [run, client]);

  if (missing.length) return <MissingApi fields={missing} />;
  const compare = async () => {
    if (!draft || !periodId) return;
    setProblem(null);
    const answer = (await client.request<{ whatIfRun: { errors: MlmError[]; run: { id: string } | null } }>(WHAT_IF, { periodId, planVersionId: draft.id })).whatIfRun;
    if (answer.errors.length) setProblem(answer.errors.map((error) => error.message).join(" "));
    else if (answer.run) setRun((await client.request<{ periodRun: WhatIfRunAnswer }>(RUN, { id: answer.run.id })).periodRun);
  };
  const result = run?.whatIf;
  const ranks = result ? Array.from(new Set([...result.base.paidAsRanks, ...result.draft.paidAsRanks].map((entry) => entry.rank.name))) : [];
  const countOf = (side: Side, rank: string) => side.paidAsRanks.find((entry) => entry.rank.name === rank)?.count ?? 0;
  const bonuses = result ? bonusRows(result.base, result.draft) : [];
  return (
    <Box display="flex" flexDirection="column" gap={3}>
      <Box display="flex" gap={2} alignItems="flex-end" flexWrap="wrap">
        <Box __width="220px">
          <Select size="small" label={t("plan.period")} options={options} value={options.find((option) => option.value === periodId) ?? null} onChange={(option) => setPeriodId(option.value)} data-testid="plan-what-if-period" />
        </Box>
        <Button variant="secondary" onClick={compare} disabled={!draft || !periodId} data-testid="plan-compare">
          {t("plan.compare")}
        </Button>
        {!draft && (
          <Text size={2} color="default2">
            {t("plan.whatIfNeedsDraft")}
          </Text>
        )}
      </Box>
      {problem && <ErrorMessage error={new Error(problem)} />}
      {run && ["PENDING", "RUNNING"].includes(run.status) && <ProgressBar percent={run.percent} label={run.phaseName} />}
      {run?.status === "FAILED" && <ErrorMessage error={new Error(run.error ?? "")} />}
      {result && (
        <>
          <Text size={3} data-testid="what-if-result">
            {t("plan.current")}: {format.number(result.base.total, 2)} · {t("plan.draft")}: {format.number(result.draft.total, 2)} · {t("plan.difference")}: {format.number(result.difference, 2)}
          </Text>
          <DataTable
            testId="what-if-bonuses"
            rows={bonuses}
            rowKey={(row) => row.kind}
            columns={[
              { key: "bonus", header: t("plan.bonus"), render: (row) => <Text size={2}>{row.name}</Text> },
              { key: "base", header: t("plan.current"), align: "right", render: (row) => <Text size={2}>{format.number(row.base, 2)}</Text> },
              { key: "draft", header: t("plan.draft"), align: "right", render: (row) => <Text size={2}>{format.number(row.draft, 2)}</Text> },
              { key: "difference", header: t("plan.difference"), align: "right", render: (row) => <Text size={2}>{format.number(row.difference, 2)}</Text> },
            ]}
          />
          <BarChart
            title={t("overview.partnersPerRank")}
            labels={ranks}
            series={[
              // Both documents may carry the same plan name: the legend says which side is which.
              { name: t("plan.current"), color: SERIES_COLORS[0], values: ranks.map((rank) => countOf(result.base, rank)) },
              { name: t("plan.draft"), color: SERIES_COLORS[1], values: ranks.map((rank) => countOf(result.draft, rank)) },
            ]}
          />
          <DataTable
            rows={result.changes}
            rowKey={(row) => row.referralCode}
            columns={[
              { key: "name", header: t("periods.col.partner"), render: (row) => <Text size={2}>{row.name}</Text> },
              { key: "rank", header: t("periods.col.rank"), render: (row) => <Text size={2}>{row.baseRank?.name ?? "—"} → {row.draftRank?.name ?? "—"}</Text> },
              { key: "base", header: t("plan.current"), align: "right", render: (row) => <Text size={2}>{format.number(row.baseTotal, 2)}</Text> },
              { key: "draft", header: t("plan.draft"), align: "right", render: (row) => <Text size={2}>{format.number(row.draftTotal, 2)}</Text> },
              { key: "difference", header: t("plan.difference"), align: "right", render: (row) => <Text size={2}>{format.number(row.difference, 2)}</Text> },
            ]}
          />
        </>
      )}
    </Box>
  );
}

/** The bonuses of both sides by kind (a kind one side lacks counts 0), with the difference. */
export function bonusRows(base: Side, draft: Side) {
  const kinds = Array.from(new Set([...base.bonuses, ...draft.bonuses].map((bonus) => bonus.kind)));
  const amount = (side: Side, kind: string) => Number(side.bonuses.find((bonus) => bonus.kind === kind)?.amount ?? 0);
  return kinds.map((kind) => {
    const name = [...draft.bonuses, ...base.bonuses].find((bonus) => bonus.kind === kind)?.kindName || kind;
    return { kind, name, base: amount(base, kind), draft: amount(draft, kind), difference: amount(draft, kind) - amount(base, kind) };
  });
}
