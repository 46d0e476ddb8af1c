import { Box, Button, Input, SearchInput, Select, Text } from "@saleor/macaw-ui";
import { useRef, useState, type MouseEvent } from "react";

import { useApp } from "../app/context";
import type { MlmError } from "../app/graphql";
import { useLink, useRouter } from "../app/router";
import { useDebounced } from "../app/useDebounced";
import { useQuery } from "../app/useQuery";
import { DataTable, type Column } from "../components/DataTable";
import { ErrorMessage, Loading } from "../components/Feedback";
import { FormDialog } from "../components/FormDialog";
import { Page, Section } from "../components/Layout";
import { Pager, usePages } from "../components/Pager";
import { StatusChip } from "../components/StatusChip";
import { StatusDialog, type StatusTarget } from "../components/StatusDialog";

export const PARTNERS = `query Partners($search: String, $filter: PartnerFilterInput, $sortBy: PartnerSortingInput, $first: Int, $after: String, $last: Int, $before: String) {
  partners(search: $search, filter: $filter, sortBy: $sortBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { node {
      id displayName email referralCode status country enrolledAt
      sponsor { id displayName }
      care { id effectiveShare carePartner { id displayName } }
    } }
  }
}`;

export interface PartnerRow extends StatusTarget {
  email: string | null;
  referralCode: string;
  country: string | null;
  enrolledAt: string | null;
  sponsor: { id: string; displayName: string } | null;
  care: { id: string; effectiveShare: string; carePartner: { id: string; displayName: string } | null } | null;
}

interface PartnersAnswer {
  partners: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
    edges: Array<{ node: PartnerRow }>;
  };
}

const PAGE = 20;
const SORT_FIELDS = ["NAME", "EMAIL", "REFERRAL_CODE", "ENROLLED_AT", "CREATED_AT"] as const;

/**
 * The sponsor's link inside a row that opens its own partner: the click must not bubble to the
 * row, and must still reach the link's handler. Stopping it in the capture phase skipped that
 * handler, so the browser followed the href: a full reload, which inside the Dashboard's
 * iframe loses the token (app-sdk's handshake needs the Dashboard as referrer).
 */
function PartnerLink({ id, name }: { id: string; name: string }) {
  const link = useLink({ name: "partner", id });
  return (
    <Box
      as="a"
      href={link.href}
      textDecoration="none"
      onClick={(event: MouseEvent) => {
        event.stopPropagation();
        link.onClick(event);
      }}
    >
      <Text size={2} color="accent1">
        {name}
      </Text>
    </Box>
  );
}

const CREATE = `mutation PartnerCreate($input: PartnerCreateInput!) { partnerCreate(input: $input) { errors { field code message } partner { id } } }`;

export function PartnersPage() {
  const { t, format, client, host } = useApp();
  const created = useRef<string | null>(null);
  const { navigate } = useRouter();
  const [search, setSearch] = useState("");
  const [status, setStatus] = useState("");
  const [country, setCountry] = useState("");
  const [sortField, setSortField] = useState<string>("NAME");
  const [direction, setDirection] = useState<"ASC" | "DESC">("ASC");
  const [dialog, setDialog] = useState<StatusTarget | null>(null);
  const [creating, setCreating] = useState(false);
  const debouncedSearch = useDebounced(search);
  const debouncedCountry = useDebounced(country);

  const pages = usePages(PAGE, JSON.stringify([debouncedSearch, status, debouncedCountry, sortField, direction]));

  const filter: Record<string, unknown> = {};
  if (status) filter.status = [status];
  if (debouncedCountry.trim()) filter.country = debouncedCountry.trim().toUpperCase();
  const { data, error, loading, reload } = useQuery<PartnersAnswer>(PARTNERS, {
    search: debouncedSearch.trim() || null,
    filter,
    sortBy: { field: sortField, direction },
    ...pages.variables,
  });
  const connection = data?.partners;
  const rows = connection?.edges.map((edge) => edge.node) ?? [];

  const columns: Column<PartnerRow>[] = [
    {
      key: "name",
      header: t("partners.col.name"),
      render: (row) => (
        <Text size={2} fontWeight="medium">
          {row.displayName}
        </Text>
      ),
    },
    { key: "email", header: t("partners.col.email"), render: (row) => <Text size={2}>{row.email ?? t("common.none")}</Text> },
    { key: "code", header: t("partners.col.code"), render: (row) => <Text size={2} fontFamily="Geist Mono">{row.referralCode}</Text> },
    { key: "status", header: t("partners.col.status"), render: (row) => <StatusChip status={row.status} /> },
    {
      key: "sponsor",
      header: t("partners.col.sponsor"),
      render: (row) => (row.sponsor ? <PartnerLink id={row.sponsor.id} name={row.sponsor.displayName} /> : <Text size={2}>{t("common.none")}</Text>),
    },
    {
      key: "care",
      header: t("partners.col.care"),
      render: (row) =>
        row.care?.carePartner ? (
          <Text size={2}>
            {row.care.carePartner.displayName} · {format.percent(row.care.effectiveShare)}
          </Text>
        ) : (
          <Text size={2}>{t("common.none")}</Text>
        ),
    },
    { key: "country", header: t("partners.col.country"), render: (row) => <Text size={2}>{row.country || t("common.none")}</Text> },
    { key: "enrolled", header: t("partners.col.enrolled"), render: (row) => <Text size={2}>{format.date(row.enrolledAt)}</Text> },
    {
      key: "actions",
      header: "",
      align: "right",
      render: (row) =>
        row.status === "TERMINATED" ? null : (
          <Button
            size="small"
            variant="tertiary"
            data-testid="row-status"
            onClick={(event) => {
              event.stopPropagation();
              setDialog(row);
            }}
          >
            {row.status === "ACTIVE" ? t("partners.setInactive") : t("partners.setActive")}
          </Button>
        ),
    },
  ];

  const statusOptions = [
    { value: "", label: t("common.all") },
    { value: "ACTIVE", label: t("status.ACTIVE") },
    { value: "INACTIVE", label: t("status.INACTIVE") },
    { value: "TERMINATED", label: t("status.TERMINATED") },
  ];
  const sortOptions = SORT_FIELDS.map((field) => ({ value: field, label: t(`partners.sort.${field}`) }));
  const directionOptions = [
    { value: "ASC", label: t("partners.ascending") },
    { value: "DESC", label: t("partners.descending") },
  ];

  return (
    <Page
      title={t("partners.title")}
      actions={
        <>
          <Button variant="secondary" onClick={() => navigate({ name: "house-customers" })} data-testid="open-house-customers">
            {t("houseCustomers.open")}
          </Button>
          <Button variant="primary" onClick={() => setCreating(true)} data-testid="partner-create">
            {t("partners.create")}
          </Button>
        </>
      }
    >
      <Box display="flex" gap={3} paddingX={6} paddingBottom={4} flexWrap="wrap" alignItems="flex-end">
        <Box __flex="2 1 260px">
          <SearchInput
            size="small"
            placeholder={t("partners.search")}
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            data-testid="partners-search"
          />
        </Box>
        <Box __flex="1 1 140px">
          <Select
            size="small"
            label={t("partners.status")}
            options={statusOptions}
            value={statusOptions.find((option) => option.value === status) ?? statusOptions[0]}
            onChange={(option) => setStatus(option.value)}
            data-testid="partners-status"
          />
        </Box>
        <Box __flex="1 1 100px">
          <Input size="small" label={t("partners.country")} value={country} maxLength={2} onChange={(event) => setCountry(event.target.value)} />
        </Box>
        <Box __flex="1 1 150px">
          <Select
            size="small"
            label={t("partners.sortBy")}
            options={sortOptions}
            value={sortOptions.find((option) => option.value === sortField) ?? sortOptions[0]}
            onChange={(option) => setSortField(option.value)}
            data-testid="partners-sort"
          />
        </Box>
        <Box __flex="1 1 140px">
          <Select
            size="small"
            label={t("partners.order")}
            options={directionOptions}
            value={directionOptions.find((option) => option.value === direction) ?? directionOptions[0]}
            onChange={(option) => setDirection(option.value as "ASC" | "DESC")}
          />
        </Box>
      </Box>
      <Section>
        {error && <ErrorMessage error={error} onRetry={reload} />}
        {loading && !data ? (
          <Loading rows={8} />
        ) : (
          <DataTable
            testId="partners-table"
            columns={columns}
            rows={rows}
            rowKey={(row) => row.id}
            onRowClick={(row) => navigate({ name: "partner", id: row.id })}
            empty={<Text color="default2">{t("common.empty")}</Text>}
          />
        )}
        {connection && <Pager pages={pages} connection={connection} shown={rows.length} testId="partners" />}
      </Section>
      {creating && (
        <FormDialog
          title={t("partners.createTitle")}
          testId="create-dialog"
          confirmLabel={t("partners.create")}
          fields={[
            { name: "email", label: t("partner.email"), required: true, inputMode: "email" },
            { name: "firstName", label: t("partner.firstName") },
            { name: "lastName", label: t("partner.lastName") },
            { name: "sponsorId", label: t("partner.sponsor"), kind: "partner", help: t("partner.sponsorHelp") },
            { name: "country", label: t("partner.country"), help: t("partner.countryHelp") },
          ]}
          submit={async (values) => {
            const input = Object.fromEntries(Object.entries(values).filter(([, value]) => value));
            const answer = await client.request<{ partnerCreate: { errors: MlmError[]; partner: { id: string } | null } }>(CREATE, { input });
            created.current = answer.partnerCreate.partner?.id ?? null;
            return answer.partnerCreate.errors;
          }}
          onClose={() => setCreating(false)}
          onDone={(values) => {
            setCreating(false);
            host.notify("success", t("partners.created", { name: [values.firstName, values.lastName].filter(Boolean).join(" ") || values.email }));
            if (created.current) navigate({ name: "partner", id: created.current });
          }}
        />
      )}
      {dialog && (
        <StatusDialog
          partner={dialog}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            reload();
          }}
        />
      )}
    </Page>
  );
}
