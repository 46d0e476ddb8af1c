import { Box, Button, SearchInput, Text } from "@saleor/macaw-ui";
import { useState } from "react";

import { useApp } from "../app/context";
import type { MlmError } from "../app/graphql";
import { useDebounced } from "../app/useDebounced";
import { useQuery } from "../app/useQuery";
import { DataTable, type Column } from "../components/DataTable";
import { ErrorMessage, Loading, MissingApi } from "../components/Feedback";
import { FormDialog } from "../components/FormDialog";
import { Page, Section } from "../components/Layout";
import { Pager, usePages } from "../components/Pager";

/**
 * House customers (issue 20 item 1): customers who ordered without any partner's code, so no
 * partner earns on them. The merchant gives one to the partner meant (`houseCustomerAssign`,
 * with a reason for the history); a customer with a sponsor is protected and never moved.
 */
export const HOUSE_CUSTOMER_FIELDS = ["Query.houseCustomers", "Mutation.houseCustomerAssign"];

const LIST = `query HouseCustomers($search: String, $first: Int, $after: String, $last: Int, $before: String) {
  houseCustomers(search: $search, sortBy: {field: CREATED_AT, direction: DESC}, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { startCursor endCursor }
    edges { node { id displayName email attributionSource createdAt } }
  }
}`;
const ASSIGN = `mutation HouseCustomerAssign($customerId: ID!, $sponsorId: ID!, $reason: String) {
  houseCustomerAssign(customerId: $customerId, sponsorId: $sponsorId, reason: $reason) { errors { field code message } customer { id } }
}`;

export interface HouseCustomerRow {
  id: string;
  displayName: string | null;
  email: string | null;
  attributionSource: string | null;
  createdAt: string | null;
}
interface Answer {
  houseCustomers: { totalCount: number; pageInfo: { startCursor: string | null; endCursor: string | null }; edges: Array<{ node: HouseCustomerRow }> };
}

const PAGE = 20;

export function HouseCustomersPage() {
  const { t, capabilities } = useApp();
  const missing = capabilities.missing(HOUSE_CUSTOMER_FIELDS);
  return (
    <Page title={t("houseCustomers.title")}>
      <Box paddingX={6} paddingBottom={4}>
        <Text size={2} color="default2">
          {t("houseCustomers.intro")}
        </Text>
      </Box>
      {missing.length ? (
        <Section>
          <MissingApi fields={missing} />
        </Section>
      ) : (
        <HouseCustomerList />
      )}
    </Page>
  );
}

function HouseCustomerList() {
  const { t, format, client, host } = useApp();
  const [search, setSearch] = useState("");
  const [assigning, setAssigning] = useState<HouseCustomerRow | null>(null);
  const debounced = useDebounced(search);
  const pages = usePages(PAGE, debounced);
  const { data, error, loading, reload } = useQuery<Answer>(LIST, { search: debounced.trim() || null, ...pages.variables });
  const connection = data?.houseCustomers;
  const rows = connection?.edges.map((edge) => edge.node) ?? [];
  const name = (row: HouseCustomerRow) => row.displayName || row.email || t("common.none");

  const columns: Column<HouseCustomerRow>[] = [
    {
      key: "name",
      header: t("houseCustomers.col.name"),
      render: (row) => (
        <Text size={2} fontWeight="medium" data-testid="house-customer-name">
          {name(row)}
        </Text>
      ),
    },
    { key: "email", header: t("houseCustomers.col.email"), render: (row) => <Text size={2}>{row.email ?? t("common.none")}</Text> },
    {
      key: "source",
      header: t("houseCustomers.col.source"),
      render: (row) => <Text size={2}>{row.attributionSource ? t(`houseCustomers.source.${row.attributionSource}` as "houseCustomers.source.NONE") : t("common.none")}</Text>,
    },
    { key: "since", header: t("houseCustomers.col.since"), render: (row) => <Text size={2} whiteSpace="nowrap">{format.date(row.createdAt)}</Text> },
    {
      key: "assign",
      header: "",
      align: "right",
      render: (row) => (
        <Button size="small" variant="secondary" onClick={() => setAssigning(row)} aria-label={t("houseCustomers.assignOne", { name: name(row) })} data-testid="house-customer-assign">
          {t("houseCustomers.assign")}
        </Button>
      ),
    },
  ];

  return (
    <>
      <Box paddingX={6} paddingBottom={4} __maxWidth="480px">
        <SearchInput
          size="small"
          placeholder={t("houseCustomers.search")}
          aria-label={t("houseCustomers.search")}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          data-testid="house-customers-search"
        />
      </Box>
      <Section>
        {error && <ErrorMessage error={error} onRetry={reload} />}
        {loading && !data ? (
          <Loading rows={6} />
        ) : (
          <DataTable testId="house-customers-table" columns={columns} rows={rows} rowKey={(row) => row.id} empty={<Text color="default2">{t("houseCustomers.empty")}</Text>} />
        )}
        {connection && <Pager pages={pages} connection={connection} shown={rows.length} testId="house-customers" />}
      </Section>
      {assigning && (
        <FormDialog
          title={t("houseCustomers.assignTitle", { name: name(assigning) })}
          testId="house-customer-dialog"
          intro={t("houseCustomers.assignText")}
          confirmLabel={t("houseCustomers.assign")}
          fields={[
            { name: "sponsorId", label: t("houseCustomers.partner"), kind: "partner", required: true, help: t("partner.carePartnerHelp") },
            { name: "reason", label: t("common.reason"), kind: "textarea", help: t("houseCustomers.reasonHelp") },
          ]}
          submit={async (values) =>
            (
              await client.request<{ houseCustomerAssign: { errors: MlmError[] } }>(ASSIGN, {
                customerId: assigning.id,
                sponsorId: values.sponsorId,
                reason: values.reason || null,
              })
            ).houseCustomerAssign.errors
          }
          onClose={() => setAssigning(null)}
          onDone={() => {
            host.notify("success", t("houseCustomers.assigned", { name: name(assigning) }));
            setAssigning(null);
            reload();
          }}
        />
      )}
    </>
  );
}
