import { Box, Button, SearchInput, Text } from "@saleor/macaw-ui";
import { useState } from "react";

import { useApp } from "../../app/context";
import { saveText } from "../../app/download";
import { useRouter } from "../../app/router";
import { useDebounced } from "../../app/useDebounced";
import { useQuery } from "../../app/useQuery";
import { DataTable, type TableSort } from "../../components/DataTable";
import { ErrorMessage, Loading } from "../../components/Feedback";
import { Page, Section } from "../../components/Layout";
import { Pager, usePages } from "../../components/Pager";
import { Money } from "../../components/Money";
import { StatementLink } from "../partner/StatementPage";
import { PeriodCorrections } from "./PeriodCorrections";
import { PeriodRuns } from "./PeriodRuns";

/**
 * A period's statements (`Period.statements`): searchable by name, e-mail or code, sorted by
 * a column header (partner, PV, GV, total), with what each partner carried in, was paid and
 * carries forward; the summary as CSV.
 */
const PAGE = 100;
const STATEMENTS = `query PeriodStatements($id: ID!, $search: String, $sortBy: StatementSortingInput, $first: Int, $after: String, $last: Int, $before: String) {
  period(id: $id) {
    id label status
    statements(search: $search, sortBy: $sortBy, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { startCursor endCursor }
      edges { node { currency pv gv partner { id displayName referralCode } paidAsRank { code name } total balance { carriedIn } paid carriedForward } }
    }
  }
}`;
const CSV = `query PeriodStatementsCsv($id: ID!) { period(id: $id) { id label statementsCsv } }`;

type StatementRow = {
  currency: string;
  pv: string;
  gv: string;
  partner: { id: string; displayName: string; referralCode: string } | null;
  paidAsRank: { code: string; name: string } | null;
  total: string | null;
  balance: { carriedIn: string } | null;
  paid: string | null;
  carriedForward: string | null;
};
interface StatementsAnswer {
  period: {
    id: string;
    label: string;
    status: string;
    statements: { totalCount: number; pageInfo: { startCursor: string | null; endCursor: string | null }; edges: Array<{ node: StatementRow }> } | null;
  } | null;
}

export function PeriodStatements({ periodId }: { periodId: string }) {
  const { t, format, client } = useApp();
  const { navigate } = useRouter();
  const [search, setSearch] = useState("");
  const [sort, setSort] = useState<TableSort>({ field: "PARTNER", direction: "ASC" });
  const debounced = useDebounced(search).trim();
  const pages = usePages(PAGE, JSON.stringify([debounced, sort]));
  const variables = { id: periodId, search: debounced || null, sortBy: sort, ...pages.variables };
  const { data, error, loading, reload } = useQuery<StatementsAnswer>(STATEMENTS, variables);
  const period = data?.period;
  const connection = period?.statements;
  const rows = connection?.edges.map((edge) => edge.node) ?? [];

  const download = async () => {
    const answer = await client.request<{ period: { label: string; statementsCsv: string } }>(CSV, { id: periodId });
    saveText(answer.period.statementsCsv, `statements-${answer.period.label}.csv`, "text/csv");
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
      <Box display="flex" gap={3} paddingX={6} paddingBottom={4} flexWrap="wrap" alignItems="flex-end">
        <Box __flex="1 1 320px" __maxWidth="480px">
          <SearchInput
            size="small"
            placeholder={t("periods.statementsSearch")}
            aria-label={t("periods.statementsSearch")}
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            data-testid="statements-search"
          />
        </Box>
      </Box>
      <Section testId="statements">
        {error && <ErrorMessage error={error} onRetry={reload} />}
        {loading && !data && <Loading rows={8} />}
        {period && (
          <DataTable
            testId="statements-table"
            rows={rows}
            rowKey={(row) => row.partner?.id ?? ""}
            onRowClick={(row) => row.partner && navigate({ name: "partner", id: row.partner.id })}
            sort={sort}
            onSort={setSort}
            columns={[
              {
                key: "partner",
                sortField: "PARTNER",
                header: t("periods.col.partner"),
                render: (row) => (
                  <Text size={2} data-testid="statement-partner">
                    {row.partner?.displayName ?? t("common.none")}
                  </Text>
                ),
              },
              { key: "rank", header: t("periods.col.rank"), render: (row) => <Text size={2}>{row.paidAsRank?.name ?? t("common.none")}</Text> },
              { key: "pv", sortField: "PV", header: "PV", align: "right", render: (row) => <Text size={2}>{format.volume(row.pv)}</Text> },
              { key: "gv", sortField: "GV", header: "GV", align: "right", render: (row) => <Text size={2}>{format.volume(row.gv)}</Text> },
              {
                key: "total",
                sortField: "TOTAL",
                header: t("periods.col.total"),
                align: "right",
                render: (row) => <Money value={row.total} currency={row.currency} testId="statement-total" />,
              },
              {
                key: "carriedIn",
                header: t("periods.col.carriedIn"),
                align: "right",
                render: (row) => <Money value={row.balance?.carriedIn} currency={row.currency} testId="statement-carried-in" />,
              },
              { key: "paid", header: t("periods.col.paid"), align: "right", render: (row) => <Money value={row.paid} currency={row.currency} /> },
              { key: "carried", header: t("periods.col.carried"), align: "right", render: (row) => <Money value={row.carriedForward} currency={row.currency} /> },
              {
                key: "statement",
                header: "",
                align: "right",
                render: (row) => row.partner && <StatementLink partnerId={row.partner.id} period={period.id} />,
              },
            ]}
            empty={<Text size={2} color="default2">{debounced ? t("periods.statementsNoMatch") : t("common.empty")}</Text>}
          />
        )}
        {connection && <Pager pages={pages} connection={connection} shown={rows.length} testId="statements" />}
      </Section>
      <PeriodCorrections periodId={periodId} />
      <PeriodRuns periodId={periodId} />
    </Page>
  );
}
