import { Box, Button, Text } from "@saleor/macaw-ui";
import { useState, type MouseEvent, type ReactNode } from "react";

import { useApp } from "../../app/context";
import { saveText } from "../../app/download";
import type { MessageKey } from "../../app/i18n";
import { useLink, useRouter } from "../../app/router";
import { useQuery } from "../../app/useQuery";
import { DataTable } from "../../components/DataTable";
import { ErrorMessage, Loading, MissingApi } from "../../components/Feedback";
import { Page, Section } from "../../components/Layout";
import { Money } from "../../components/Money";
import { StatementSections } from "./StatementSections";

/**
 * One partner's statement of a period (`Query.statement(period, partnerId)`): each bonus with
 * its total and groups (per level, generation or rate), then the lines that explain it, a
 * page of 50 at a time, largest first, filterable by bonus; the lines as CSV (`linesCsv`).
 * Amounts are shown in the currency's minor unit, the API's exact decimal on hover
 * (`Money`); the lines CSV keeps every digit.
 */
export const STATEMENT_VIEW_FIELDS = [
  "Query.statement(partnerId)",
  "Statement.bonuses",
  "StatementBonus.lineCount",
  "StatementBonus.groups",
  "Statement.lines",
  "Statement.linesCsv",
];

/** Lines per page ("load more" asks for the next 50 after the last cursor). */
export const LINES_PAGE = 50;

const STATEMENT = `query PartnerStatement($period: String!, $partnerId: ID!) {
  statement(period: $period, partnerId: $partnerId) {
    runKind currency total pv gv ov qualified
    carriedIn payable paid carriedForward
    period { id label status }
    partner { id displayName referralCode }
    paidAsRank { code name }
    adjustments { amount reason createdAt }
    bonuses { kind kindName amount lineTotal lineCount groups { level rate count volume amount } }
  }
}`;

const LINES = `query PartnerStatementLines($period: String!, $partnerId: ID!, $first: Int, $after: String, $kind: BonusKindEnum) {
  statement(period: $period, partnerId: $partnerId) {
    lines(first: $first, after: $after, kind: $kind) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { kind sourceId sourceType sourceName sourceCode level volume rate amount } }
    }
  }
}`;

const LINES_CSV = `query PartnerStatementCsv($period: String!, $partnerId: ID!) {
  statement(period: $period, partnerId: $partnerId) { linesCsv period { label } partner { referralCode } }
}`;

type Kind = "CUSTOMER" | "LEVEL" | "DIFFERENCE" | "GENERATION" | "ADVANCEMENT";
interface Group {
  level: number | null;
  rate: string | null;
  count: number;
  volume: string | null;
  amount: string;
}
interface Bonus {
  kind: Kind;
  kindName: string;
  amount: string;
  lineTotal: string;
  lineCount: number;
  groups: Group[];
}
export interface StatementSummary {
  runKind: "CLOSE" | "PREVIEW";
  currency: string;
  total: string;
  pv: string;
  gv: string;
  ov: string;
  qualified: boolean;
  carriedIn: string | null;
  payable: string | null;
  paid: string | null;
  carriedForward: string | null;
  period: { id: string; label: string; status: string };
  partner: { id: string; displayName: string; referralCode: string };
  paidAsRank: { code: string; name: string } | null;
  adjustments: Array<{ amount: string; reason: string; createdAt: string }>;
  bonuses: Bonus[];
}
interface Line {
  kind: Kind | null;
  sourceId: string;
  sourceType: string;
  sourceName: string;
  sourceCode: string | null;
  level: number | null;
  volume: string | null;
  rate: string | null;
  amount: string;
}
interface LinesPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Array<{ cursor: string; node: Line }>;
}
type LinesAnswer = { statement: { lines: LinesPage } | null };

/** A link to a partner's statement of a period; inside a clickable row it opens only the statement. */
export function StatementLink({ partnerId, period, label }: { partnerId: string; period: string; label?: string }) {
  const { t } = useApp();
  const link = useLink({ name: "statement", partnerId, period });
  return (
    <Box
      as="a"
      href={link.href}
      onClick={(event: MouseEvent) => {
        event.stopPropagation();
        link.onClick(event);
      }}
      textDecoration="none"
      data-testid="statement-open"
    >
      <Text size={2} color="accent1">
        {label ?? t("statement.open")}
      </Text>
    </Box>
  );
}

function SourceLink({ line }: { line: Line }) {
  const { t } = useApp();
  const link = useLink({ name: "partner", id: line.sourceId });
  if (line.sourceType !== "PARTNER") {
    return (
      <Text size={2}>
        {line.sourceName}{" "}
        <Text size={2} color="default2">
          ({t("statement.customer")})
        </Text>
      </Text>
    );
  }
  return (
    <Box as="a" {...link} textDecoration="none" data-testid="line-source">
      <Text size={2} color="accent1">
        {line.sourceName}
      </Text>
      {line.sourceCode && (
        <Text size={2} color="default2">
          {" "}
          · {line.sourceCode}
        </Text>
      )}
    </Box>
  );
}

function Figure({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <Box display="flex" flexDirection="column" gap={0.5} data-testid={testId}>
      <Text size={2} color="default2">
        {label}
      </Text>
      {typeof value === "string" ? (
        <Text size={5} fontWeight="bold">
          {value}
        </Text>
      ) : (
        value
      )}
    </Box>
  );
}

export function StatementPage({ partnerId, period }: { partnerId: string; period: string }) {
  const { t, capabilities, client, host } = useApp();
  const { navigate } = useRouter();
  const missing = capabilities.missing(STATEMENT_VIEW_FIELDS);
  const summary = useQuery<{ statement: StatementSummary | null }>(STATEMENT, { period, partnerId }, missing.length > 0);
  const statement = summary.data?.statement;
  const [exporting, setExporting] = useState(false);

  const download = async () => {
    setExporting(true);
    try {
      const answer = await client.request<{ statement: { linesCsv: string; period: { label: string }; partner: { referralCode: string } } | null }>(LINES_CSV, {
        period,
        partnerId,
      });
      if (!answer.statement) return;
      saveText(answer.statement.linesCsv, `statement-${answer.statement.partner.referralCode}-${answer.statement.period.label}.csv`, "text/csv");
    } catch (failure) {
      host.notify("error", t("statement.exportFailed", { message: (failure as Error).message }));
    } finally {
      setExporting(false);
    }
  };

  const title = statement ? t("statement.title", { period: statement.period.label, partner: statement.partner.displayName }) : t("statement.heading");
  return (
    <Page
      title={title}
      actions={
        <>
          <Button variant="secondary" onClick={() => navigate({ name: "partner", id: partnerId })} data-testid="statement-partner">
            {t("statement.toPartner")}
          </Button>
          {statement && (
            <Button variant="secondary" onClick={download} disabled={exporting} data-testid="statement-export">
              {t("statement.export")}
            </Button>
          )}
        </>
      }
    >
      {missing.length > 0 ? (
        <Section testId="statement">
          <MissingApi fields={missing} />
        </Section>
      ) : (
        <>
          {summary.error && (
            <Section testId="statement">
              <ErrorMessage error={summary.error} onRetry={summary.reload} />
            </Section>
          )}
          {summary.loading && !summary.data && (
            <Section testId="statement">
              <Loading rows={6} />
            </Section>
          )}
          {summary.data && !statement && (
            <Section testId="statement">
              <Text size={3} color="default2">
                {t("statement.none")}
              </Text>
            </Section>
          )}
          {statement && <StatementSections partnerId={partnerId} period={period} />}
          {statement && <StatementView statement={statement} partnerId={partnerId} period={period} />}
        </>
      )}
    </Page>
  );
}

/** The statement's figures, each bonus with its groups, and the lines page by page. */
export function StatementView({ statement, partnerId, period }: { statement: StatementSummary; partnerId: string; period: string }) {
  const { t, format } = useApp();
  const [kind, setKind] = useState<Kind | null>(null);
  const money = (value: string | null) => <Money value={value} currency={statement.currency} size={5} fontWeight="bold" />;
  const partnerLink = useLink({ name: "partner", id: statement.partner.id });
  const settled = statement.runKind === "CLOSE";

  return (
    <>
      <Section testId="statement">
        <Box display="flex" gap={2} flexWrap="wrap" alignItems="center">
          <Box as="a" {...partnerLink} textDecoration="none">
            <Text size={3} color="accent1">
              {statement.partner.displayName} · {statement.partner.referralCode}
            </Text>
          </Box>
          <Text size={3} color="default2" data-testid="statement-run-kind" data-kind={statement.runKind}>
            · {statement.period.label} · {t(`statement.runKind.${statement.runKind}` as MessageKey)} ·{" "}
            {t(statement.qualified ? "statement.qualified" : "statement.notQualified")}
          </Text>
        </Box>
        <Box display="grid" __gridTemplateColumns="repeat(auto-fill, minmax(140px, 1fr))" gap={4}>
          <Figure label={t("statement.total")} value={money(statement.total)} testId="statement-total" />
          <Figure label={t("partner.paidAsRank")} value={statement.paidAsRank?.name ?? t("common.none")} />
          <Figure label="PV" value={format.volume(statement.pv)} />
          <Figure label="GV" value={format.volume(statement.gv)} />
          <Figure label="OV" value={format.volume(statement.ov)} />
          {settled && (
            <>
              <Figure label={t("statement.carriedIn")} value={money(statement.carriedIn)} />
              <Figure label={t("statement.payable")} value={money(statement.payable)} />
              <Figure label={t("statement.paid")} value={money(statement.paid)} />
              <Figure label={t("statement.carriedForward")} value={money(statement.carriedForward)} />
            </>
          )}
        </Box>
        {statement.adjustments.length > 0 && (
          <DataTable
            testId="statement-adjustments"
            rows={statement.adjustments}
            rowKey={(row) => `${row.createdAt}-${row.amount}`}
            columns={[
              { key: "date", header: t("statement.adjustments"), render: (row) => <Text size={2}>{format.date(row.createdAt)}</Text> },
              { key: "reason", header: t("common.reason"), render: (row) => <Text size={2}>{row.reason}</Text> },
              { key: "amount", header: t("statement.col.amount"), align: "right", render: (row) => <Money value={row.amount} currency={statement.currency} /> },
            ]}
          />
        )}
      </Section>
      <Section title={t("statement.bonuses")} testId="statement-bonuses">
        {!statement.bonuses.length && (
          <Text size={2} color="default2">
            {t("common.empty")}
          </Text>
        )}
        {statement.bonuses.map((bonus) => (
          <Box key={bonus.kind} display="flex" flexDirection="column" gap={2} data-testid="statement-bonus" data-kind={bonus.kind}>
            <Box display="flex" gap={3} alignItems="baseline" flexWrap="wrap">
              <Text size={4} fontWeight="bold">
                {bonus.kindName}
              </Text>
              <Text
                size={4}
                fontWeight="bold"
                data-testid="bonus-amount"
                data-exact={bonus.lineTotal}
                title={t("statement.lineTotal", { amount: format.exactMoney(bonus.lineTotal, statement.currency) })}
              >
                {format.money(bonus.amount, statement.currency)}
              </Text>
              <Text size={2} color="default2">
                {t("statement.lineCount", { count: format.number(bonus.lineCount) })}
              </Text>
              {bonus.lineCount > 0 && (
                <Button size="small" variant="tertiary" onClick={() => setKind(bonus.kind)} data-testid="bonus-show-lines">
                  {t("statement.showLines")}
                </Button>
              )}
            </Box>
            <DataTable
              testId="bonus-groups"
              rows={bonus.groups}
              rowKey={(group) => `${group.level ?? ""}-${group.rate ?? ""}`}
              columns={[
                { key: "group", header: t("statement.col.group"), render: (group) => <Text size={2}>{groupLabel(bonus.kind, group, t, format.exactPercent)}</Text> },
                { key: "rate", header: t("statement.col.rate"), align: "right", width: "12%", render: (group) => <Text size={2}>{format.exactPercent(group.rate)}</Text> },
                { key: "count", header: t("statement.col.count"), align: "right", width: "12%", render: (group) => <Text size={2}>{format.number(group.count)}</Text> },
                { key: "volume", header: t("statement.col.volume"), align: "right", width: "20%", render: (group) => <Text size={2}>{format.exactNumber(group.volume, 2)}</Text> },
                { key: "amount", header: t("statement.col.amount"), align: "right", width: "20%", render: (group) => <Money value={group.amount} currency={statement.currency} /> },
              ]}
            />
          </Box>
        ))}
      </Section>
      <StatementLines statement={statement} partnerId={partnerId} period={period} kind={kind} onKind={setKind} />
    </>
  );
}

function groupLabel(kind: Kind, group: Group, t: ReturnType<typeof useApp>["t"], percent: (value: string | null) => string): string {
  if (group.level !== null) return t(kind === "GENERATION" ? "statement.group.generation" : "statement.group.level", { level: group.level });
  if (kind === "DIFFERENCE" && group.rate !== null) return t("statement.group.rate", { rate: percent(group.rate) });
  return t("statement.group.all");
}

/** The lines, largest first: the first page with the statement, then 50 more per "load more". */
function StatementLines({
  statement,
  partnerId,
  period,
  kind,
  onKind,
}: {
  statement: StatementSummary;
  partnerId: string;
  period: string;
  kind: Kind | null;
  onKind(kind: Kind | null): void;
}) {
  const { t, format, client } = useApp();
  const first = useQuery<LinesAnswer>(LINES, { period, partnerId, first: LINES_PAGE, kind });
  // Pages loaded after the first, valid for the first page they continue (a new filter, or
  // a reload in another language, starts over).
  const [more, setMore] = useState<{ base: LinesAnswer; edges: LinesPage["edges"]; pageInfo: LinesPage["pageInfo"] } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<Error | null>(null);
  const page = first.data?.statement?.lines;
  const extra = more && more.base === first.data ? more : null;
  const edges = page ? [...page.edges, ...(extra?.edges ?? [])] : [];
  const pageInfo = extra?.pageInfo ?? page?.pageInfo;
  const names = new Map(statement.bonuses.map((bonus) => [bonus.kind, bonus.kindName]));

  const loadMore = async () => {
    if (!first.data || !pageInfo?.endCursor) return;
    const base = first.data;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const answer = await client.request<LinesAnswer>(LINES, { period, partnerId, first: LINES_PAGE, after: pageInfo.endCursor, kind });
      const next = answer.statement?.lines;
      if (next) setMore({ base, edges: [...(extra?.edges ?? []), ...next.edges], pageInfo: next.pageInfo });
    } catch (failure) {
      setMoreError(failure as Error);
    } finally {
      setLoadingMore(false);
    }
  };

  const filters: Array<{ kind: Kind | null; label: string; count: number }> = [
    { kind: null, label: t("statement.filter.all"), count: statement.bonuses.reduce((sum, bonus) => sum + bonus.lineCount, 0) },
    ...statement.bonuses.filter((bonus) => bonus.lineCount > 0).map((bonus) => ({ kind: bonus.kind, label: bonus.kindName, count: bonus.lineCount })),
  ];

  return (
    <Section title={t("statement.lines")} testId="statement-lines">
      <Box display="flex" gap={2} flexWrap="wrap" role="group" aria-label={t("statement.filter")} data-testid="statement-filter">
        {filters.map((filter) => (
          <Button
            key={filter.kind ?? "ALL"}
            size="small"
            variant={filter.kind === kind ? "primary" : "secondary"}
            aria-pressed={filter.kind === kind}
            data-testid={`lines-filter-${filter.kind ?? "ALL"}`}
            onClick={() => onKind(filter.kind)}
          >
            {filter.label} ({format.number(filter.count)})
          </Button>
        ))}
      </Box>
      {first.error && <ErrorMessage error={first.error} onRetry={first.reload} />}
      {first.loading && <Loading rows={4} />}
      {page && !first.loading && (
        <>
          <DataTable
            testId="statement-lines-table"
            rows={edges}
            rowKey={(edge) => edge.cursor}
            columns={[
              { key: "bonus", header: t("statement.col.bonus"), render: ({ node }) => <Text size={2}>{(node.kind && names.get(node.kind)) ?? node.kind ?? t("common.none")}</Text> },
              { key: "source", header: t("statement.col.source"), render: ({ node }) => <SourceLink line={node} /> },
              { key: "level", header: t("statement.col.level"), align: "right", render: ({ node }) => <Text size={2}>{node.level ?? t("common.none")}</Text> },
              { key: "volume", header: t("statement.col.volume"), align: "right", render: ({ node }) => <Text size={2}>{format.exactNumber(node.volume, 2)}</Text> },
              { key: "rate", header: t("statement.col.rate"), align: "right", render: ({ node }) => <Text size={2}>{format.exactPercent(node.rate)}</Text> },
              {
                key: "amount",
                header: t("statement.col.amount"),
                align: "right",
                render: ({ node }) => (
                  <Money value={node.amount} currency={statement.currency} testId="line-amount" />
                ),
              },
            ]}
            empty={<Text size={2} color="default2">{t("common.empty")}</Text>}
          />
          {moreError && <ErrorMessage error={moreError} onRetry={loadMore} />}
          <Box display="flex" alignItems="center" justifyContent="space-between" gap={3} flexWrap="wrap">
            <Text size={2} color="default2" data-testid="statement-lines-shown" data-shown={edges.length} data-total={page.totalCount}>
              {t("statement.shown", { shown: format.number(edges.length), total: format.number(page.totalCount) })}
            </Text>
            {pageInfo?.hasNextPage && (
              <Button variant="secondary" onClick={loadMore} disabled={loadingMore} data-testid="statement-load-more">
                {t("statement.loadMore")}
              </Button>
            )}
          </Box>
        </>
      )}
    </Section>
  );
}
