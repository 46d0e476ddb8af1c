import { Box, Text } from "@saleor/macaw-ui";

import { useApp } from "../../app/context";
import { useLink } from "../../app/router";
import { useQuery } from "../../app/useQuery";
import { DataTable } from "../../components/DataTable";
import { ErrorMessage, Loading, MissingApi } from "../../components/Feedback";
import { Section } from "../../components/Layout";
import { ProgressBar } from "../../components/ProgressBar";
import { StatementLink } from "./StatementPage";

/** Volumes, rank with next-rank progress, and statements: from the periods API. */
export const VOLUME_FIELDS = ["Partner.volumes", "Partner.careerRank", "Partner.nextRank"];
export const STATEMENT_FIELDS = ["Partner.statements"];

const FIGURES = `query PartnerFigures($id: ID!) {
  partner(id: $id) {
    id
    volumes { period live pv gv ov pbv gbv obv qualified paidAsRank { code name } asOf }
    careerRank { code name }
    nextRank {
      period qualified active
      currentRank { code name }
      nextRank { code name }
      requirements { kind kindName needed actual missing met legRank { name } }
    }
  }
}`;

const STATEMENTS = `query PartnerStatements($id: ID!) {
  partner(id: $id) {
    id
    statements(first: 24) { edges { node {
      currency runKind total paid carriedForward
      period { id label status }
      paidAsRank { code name }
    } } }
  }
}`;

type Rank = { code: string; name: string } | null;
interface Figures {
  volumes: { period: string; live: boolean; pv: string; gv: string; ov: string; pbv: string; gbv: string; obv: string; qualified: boolean | null; paidAsRank: Rank; asOf: string | null } | null;
  careerRank: Rank;
  nextRank: {
    period: string;
    qualified: boolean;
    active: boolean;
    currentRank: Rank;
    nextRank: Rank;
    requirements: Array<{ kind: string; kindName: string; needed: string; actual: string; missing: string; met: boolean; legRank: { name: string } | null }>;
  } | null;
}
interface StatementRow {
  currency: string;
  runKind: string;
  total: string | null;
  paid: string | null;
  carriedForward: string | null;
  period: { id: string; label: string; status: string };
  paidAsRank: Rank;
}

const isLegs = (kind: string) => kind === "MIN_LEGS";

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Box display="flex" flexDirection="column" gap={0.5}>
      <Text size={2} color="default2">
        {label}
      </Text>
      <Text size={5} fontWeight="bold">
        {value}
      </Text>
    </Box>
  );
}

function PeriodLink({ id, label }: { id: string; label: string }) {
  const link = useLink({ name: "periods", id });
  return (
    <Box as="a" {...link} textDecoration="none">
      <Text size={2} color="accent1">
        {label}
      </Text>
    </Box>
  );
}

export function PartnerFigures({ partnerId }: { partnerId: string }) {
  const { t, format, capabilities } = useApp();
  const missingVolumes = capabilities.missing(VOLUME_FIELDS);
  const missingStatements = capabilities.missing(STATEMENT_FIELDS);
  const figures = useQuery<{ partner: Figures | null }>(FIGURES, { id: partnerId }, missingVolumes.length > 0);
  const statements = useQuery<{ partner: { statements: { edges: Array<{ node: StatementRow }> } | null } | null }>(
    STATEMENTS,
    { id: partnerId },
    missingStatements.length > 0,
  );
  const data = figures.data?.partner;
  const volumes = data?.volumes;
  const next = data?.nextRank;
  const progress = next?.requirements.length
    ? (100 * next.requirements.reduce((sum, item) => sum + (Number(item.needed) > 0 ? Math.min(1, Number(item.actual) / Number(item.needed)) : 1), 0)) /
      next.requirements.length
    : 0;

  return (
    <>
      <Section title={t("partner.volumes")} testId="partner-volumes">
        {missingVolumes.length > 0 && <MissingApi fields={missingVolumes} />}
        {figures.error && <ErrorMessage error={figures.error} onRetry={figures.reload} />}
        {figures.loading && <Loading />}
        {volumes && (
          <>
            <Text size={2} color="default2">
              {volumes.period}
              {volumes.live ? ` · ${t("partner.live")}` : ""}
            </Text>
            <Box display="grid" __gridTemplateColumns="repeat(auto-fill, minmax(120px, 1fr))" gap={4}>
              <Figure label="PV" value={format.volume(volumes.pv)} />
              <Figure label="GV" value={format.volume(volumes.gv)} />
              <Figure label="OV" value={format.volume(volumes.ov)} />
              <Figure label="BV" value={format.volume(volumes.pbv)} />
              <Figure label={t("partner.paidAsRank")} value={volumes.paidAsRank?.name ?? t("common.none")} />
              <Figure label={t("partner.careerRank")} value={data?.careerRank?.name ?? t("common.none")} />
            </Box>
          </>
        )}
        {next?.nextRank && (
          <Box display="flex" flexDirection="column" gap={2} data-testid="next-rank">
            <ProgressBar percent={progress} label={t("partner.nextRank", { rank: next.nextRank.name })} />
            <DataTable
              rows={next.requirements}
              rowKey={(row) => row.kind}
              columns={[
                { key: "what", header: "", render: (row) => <Text size={2}>{row.kindName}{row.legRank ? ` (${row.legRank.name})` : ""}</Text> },
                // Volumes: the actual figure as shown volumes are (floored: 49.995 is 49.99, never
                // "50" beside "not met"), the threshold and what is missing exactly; legs whole.
                { key: "actual", header: t("partner.actual"), align: "right", render: (row) => <Text size={2}>{isLegs(row.kind) ? format.number(row.actual, 0) : format.volume(row.actual)}</Text> },
                { key: "needed", header: t("partner.needed"), align: "right", render: (row) => <Text size={2}>{isLegs(row.kind) ? format.number(row.needed, 0) : format.exactNumber(row.needed, 2)}</Text> },
                {
                  key: "missing",
                  header: t("partner.missing"),
                  align: "right",
                  render: (row) => (
                    <Text size={2} color={row.met ? "success1" : "default1"}>
                      {row.met ? "✓" : isLegs(row.kind) ? format.number(row.missing, 0) : format.exactNumber(row.missing, 2)}
                    </Text>
                  ),
                },
              ]}
            />
          </Box>
        )}
      </Section>
      <Section title={t("partner.statements")} testId="partner-statements">
        {missingStatements.length > 0 && <MissingApi fields={missingStatements} />}
        {statements.error && <ErrorMessage error={statements.error} onRetry={statements.reload} />}
        {statements.data?.partner?.statements && (
          <DataTable
            rows={statements.data.partner.statements.edges.map((edge) => edge.node)}
            rowKey={(row) => row.period.id}
            columns={[
              { key: "period", header: t("periods.col.period"), render: (row) => <PeriodLink id={row.period.id} label={row.period.label} /> },
              { key: "rank", header: t("periods.col.rank"), render: (row) => <Text size={2}>{row.paidAsRank?.name ?? t("common.none")}</Text> },
              { key: "total", header: t("periods.col.total"), align: "right", render: (row) => <Text size={2}>{format.money(row.total, row.currency)}</Text> },
              { key: "paid", header: t("periods.col.paid"), align: "right", render: (row) => <Text size={2}>{format.money(row.paid, row.currency)}</Text> },
              { key: "carried", header: t("periods.col.carried"), align: "right", render: (row) => <Text size={2}>{format.money(row.carriedForward, row.currency)}</Text> },
              { key: "statement", header: "", align: "right", render: (row) => <StatementLink partnerId={partnerId} period={row.period.id} /> },
            ]}
            empty={<Text size={2} color="default2">{t("common.empty")}</Text>}
          />
        )}
      </Section>
    </>
  );
}
