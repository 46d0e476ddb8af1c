import { Box, Button, SearchInput, Select, Text } from "@saleor/macaw-ui";
import { useEffect, useState, type MouseEvent } from "react";

import { useApp } from "../../app/context";
import type { MlmError } from "../../app/graphql";
import type { MessageKey } from "../../app/i18n";
import { useLink, useRouter } from "../../app/router";
import { useDebounced } from "../../app/useDebounced";
import { useQuery } from "../../app/useQuery";
import { DataTable, type Column } from "../../components/DataTable";
import { ErrorMessage, Loading } from "../../components/Feedback";
import { FormDialog } from "../../components/FormDialog";
import { ApiGate, Page, Section } from "../../components/Layout";
import { Pager, usePages } from "../../components/Pager";
import { PartnerPicker, type PickedPartner } from "../../components/PartnerPicker";
import { Money } from "../../components/Money";
import { ToneChip } from "../../components/StatusChip";
import { saveFrom } from "../../app/download";

/**
 * The shop's credit notes (issue 16): by period and partner, searched by number or partner,
 * issued or cancelled; each PDF (with its Factur-X XML) and a period's ZIP through the API's
 * signed links, asked for at the click; a cancellation with its reason (and a new document
 * with today's tax profile unless the merchant says no).
 */
export const CREDIT_NOTES_FIELDS = [
  "Query.creditNotes",
  "Query.creditNotes(search)",
  "Query.creditNote",
  "Query.periodCreditNotes",
  "PeriodCreditNotes.withheld",
  "CreditNote.downloadUrl",
  "Mutation.creditNoteCancel",
];

const LIST = `query CreditNotes($search: String, $filter: CreditNoteFilterInput, $first: Int, $after: String, $last: Int, $before: String) {
  creditNotes(search: $search, filter: $filter, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { node {
      id number kind status issueDate currency net vat gross rendered reason
      period { id label }
      partner { id displayName }
      cancels { id number }
      cancelledBy { id number }
    } }
  }
}`;
const PERIODS = `query CreditNotePeriods { periods(first: 36, filter: {status: [COMMITTED]}) { edges { node { id label } } } }`;
const PERIOD_FILES = `query PeriodCreditNotes($period: String!) { periodCreditNotes(period: $period) {
  issued rendered zipUrl withheld { partner { id displayName referralCode } carriedForward currency missingFields } } }`;
const LINK = `query CreditNoteLink($id: ID!) { creditNote(id: $id) { number downloadUrl } }`;
const PARTNER = `query CreditNotePartner($id: ID!) { partner(id: $id) { id displayName referralCode } }`;
const CANCEL = `mutation CreditNoteCancel($id: ID!, $reason: String!, $reissue: Boolean) {
  creditNoteCancel(id: $id, reason: $reason, reissue: $reissue) {
    errors { field code message }
    cancellation { id number }
    replacement { id number }
  }
}`;

export interface CreditNoteRow {
  id: string;
  number: string;
  kind: "CREDIT_NOTE" | "STATEMENT" | "CANCELLATION";
  status: "ISSUED" | "CANCELLED";
  issueDate: string;
  currency: string;
  net: string;
  vat: string;
  gross: string;
  rendered: boolean;
  reason: string;
  period: { id: string; label: string };
  partner: { id: string; displayName: string };
  cancels: { id: string; number: string } | null;
  cancelledBy: { id: string; number: string } | null;
}

interface ListAnswer {
  creditNotes: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
    edges: Array<{ node: CreditNoteRow }>;
  };
}

const PAGE = 20;

function PartnerLink({ id, name }: { id: string; name: string }) {
  const link = useLink({ name: "partner", id });
  return (
    <Box as="a" href={link.href} textDecoration="none" onClick={(event: MouseEvent) => link.onClick(event)}>
      <Text size={2} color="accent1">
        {name}
      </Text>
    </Box>
  );
}

function NoteStatus({ row }: { row: CreditNoteRow }) {
  const { t } = useApp();
  const cancelled = row.status === "CANCELLED";
  return <ToneChip tone={cancelled ? "critical" : "success"} label={t(cancelled ? "creditNotes.status.CANCELLED" : "creditNotes.status.ISSUED")} status={row.status} />;
}

export function CreditNotesPage({ partnerId }: { partnerId: string | null }) {
  const { t } = useApp();
  return (
    <ApiGate title={t("creditNotes.title")} testId="credit-notes" fields={CREDIT_NOTES_FIELDS}>
      <CreditNoteList partnerId={partnerId} />
    </ApiGate>
  );
}

function CreditNoteList({ partnerId }: { partnerId: string | null }) {
  const { t, format, client, host } = useApp();
  const { navigate } = useRouter();
  const [search, setSearch] = useState("");
  const [period, setPeriod] = useState("");
  const [status, setStatus] = useState("");
  const [partner, setPartner] = useState<PickedPartner | null>(null);
  const [cancelling, setCancelling] = useState<CreditNoteRow | null>(null);
  const [problem, setProblem] = useState<Error | null>(null);
  const debouncedSearch = useDebounced(search);

  // A partner page's link opens the list of that partner's documents.
  useEffect(() => {
    if (!partnerId) return;
    client
      .request<{ partner: { id: string; displayName: string; referralCode: string } | null }>(PARTNER, { id: partnerId })
      .then((answer) => answer.partner && setPartner({ value: answer.partner.id, label: `${answer.partner.displayName} (${answer.partner.referralCode})` }))
      .catch(setProblem);
  }, [client, partnerId]);

  const pages = usePages(PAGE, JSON.stringify([debouncedSearch, period, status, partner?.value]));

  const filter: Record<string, unknown> = {};
  if (period) filter.period = period;
  if (status) filter.status = status;
  if (partner) filter.partnerId = partner.value;
  const waitingForPartner = Boolean(partnerId) && !partner && !problem;
  const { data, error, loading, reload } = useQuery<ListAnswer>(LIST, { search: debouncedSearch.trim() || null, filter, ...pages.variables }, waitingForPartner);
  const periods = useQuery<{ periods: { edges: Array<{ node: { id: string; label: string } }> } }>(PERIODS);
  const files = useQuery<{ periodCreditNotes: PeriodFiles | null }>(PERIOD_FILES, { period }, !period);
  const connection = data?.creditNotes;
  const rows = connection?.edges.map((edge) => edge.node) ?? [];

  const download = async (row: CreditNoteRow) => {
    try {
      const answer = await client.request<{ creditNote: { number: string; downloadUrl: string | null } | null }>(LINK, { id: row.id });
      if (!answer.creditNote?.downloadUrl) throw new Error(t("creditNotes.notRendered"));
      saveFrom(answer.creditNote.downloadUrl, `${answer.creditNote.number}.pdf`);
    } catch (failure) {
      setProblem(failure as Error);
    }
  };
  const downloadZip = async () => {
    try {
      // Asked for again: the link in the page may have expired since it loaded.
      const answer = await client.request<{ periodCreditNotes: { zipUrl: string | null } | null }>(PERIOD_FILES, { period });
      if (!answer.periodCreditNotes?.zipUrl) throw new Error(t("creditNotes.notRendered"));
      saveFrom(answer.periodCreditNotes.zipUrl, `credit-notes-${period}.zip`);
    } catch (failure) {
      setProblem(failure as Error);
    }
  };

  const columns: Column<CreditNoteRow>[] = [
    {
      key: "number",
      header: t("creditNotes.col.number"),
      render: (row) => (
        <Text size={2} fontFamily="Geist Mono" whiteSpace="nowrap" data-testid="credit-note-number">
          {row.number}
        </Text>
      ),
    },
    {
      key: "kind",
      header: t("creditNotes.col.kind"),
      render: (row) => (
        <Box display="flex" flexDirection="column">
          <Text size={2}>{t(`creditNotes.kind.${row.kind}`)}</Text>
          {row.cancels && (
            <Text size={1} color="default2">
              {t("creditNotes.cancels", { number: row.cancels.number })}
            </Text>
          )}
          {row.reason && (
            <Text size={1} color="default2" data-testid="credit-note-reason">
              {row.reason}
            </Text>
          )}
        </Box>
      ),
    },
    { key: "partner", header: t("creditNotes.col.partner"), render: (row) => <PartnerLink id={row.partner.id} name={row.partner.displayName} /> },
    { key: "period", header: t("creditNotes.col.period"), render: (row) => <Text size={2} whiteSpace="nowrap">{row.period.label}</Text> },
    { key: "issued", header: t("creditNotes.col.issued"), render: (row) => <Text size={2} whiteSpace="nowrap">{format.date(row.issueDate)}</Text> },
    { key: "net", header: t("creditNotes.col.net"), align: "right", render: (row) => <Text size={2} whiteSpace="nowrap">{format.money(row.net, row.currency)}</Text> },
    { key: "vat", header: t("creditNotes.col.vat"), align: "right", render: (row) => <Text size={2} whiteSpace="nowrap">{format.money(row.vat, row.currency)}</Text> },
    {
      key: "gross",
      header: t("creditNotes.col.gross"),
      align: "right",
      render: (row) => (
        <Text size={2} fontWeight="medium" whiteSpace="nowrap" data-testid="credit-note-gross">
          {format.money(row.gross, row.currency)}
        </Text>
      ),
    },
    {
      key: "status",
      header: t("creditNotes.col.status"),
      render: (row) => (
        <Box display="flex" flexDirection="column" gap={1} alignItems="flex-start">
          <NoteStatus row={row} />
          {row.cancelledBy && (
            <Text size={1} color="default2" whiteSpace="nowrap">
              {t("creditNotes.cancelledBy", { number: row.cancelledBy.number })}
            </Text>
          )}
        </Box>
      ),
    },
    {
      key: "actions",
      header: "",
      align: "right",
      render: (row) => (
        <Box display="flex" gap={1} justifyContent="flex-end">
          <Button
            size="small"
            variant="secondary"
            disabled={!row.rendered}
            title={row.rendered ? undefined : t("creditNotes.notRendered")}
            aria-label={t("creditNotes.downloadOne", { number: row.number })}
            onClick={() => void download(row)}
            data-testid="credit-note-download"
          >
            {t("creditNotes.pdf")}
          </Button>
          {row.kind !== "CANCELLATION" && row.status === "ISSUED" && (
            <Button
              size="small"
              variant="tertiary"
              aria-label={t("creditNotes.cancelOne", { number: row.number })}
              onClick={() => setCancelling(row)}
              data-testid="credit-note-cancel"
            >
              {t("creditNotes.cancel")}
            </Button>
          )}
        </Box>
      ),
    },
  ];

  const periodOptions = [{ value: "", label: t("creditNotes.allPeriods") }, ...(periods.data?.periods.edges.map((edge) => ({ value: edge.node.label, label: edge.node.label })) ?? [])];
  const statusOptions = [
    { value: "", label: t("common.all") },
    { value: "ISSUED", label: t("creditNotes.status.ISSUED") },
    { value: "CANCELLED", label: t("creditNotes.status.CANCELLED") },
  ];
  const zip = files.data?.periodCreditNotes;

  return (
    <Page
      title={t("creditNotes.title")}
      actions={
        period && zip ? (
          <Button variant="secondary" disabled={!zip.zipUrl} onClick={() => void downloadZip()} data-testid="credit-notes-zip">
            {t("creditNotes.zip", { period })}
          </Button>
        ) : undefined
      }
    >
      <Box display="flex" gap={3} paddingX={6} paddingBottom={4} flexWrap="wrap" alignItems="flex-end">
        <Box __flex="2 1 240px">
          <SearchInput
            size="small"
            placeholder={t("creditNotes.search")}
            aria-label={t("creditNotes.search")}
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            data-testid="credit-notes-search"
          />
        </Box>
        <Box __flex="1 1 140px" data-testid="credit-notes-period">
          <Select
            size="small"
            label={t("creditNotes.period")}
            options={periodOptions}
            value={periodOptions.find((option) => option.value === period) ?? periodOptions[0]}
            onChange={(option) => setPeriod(option.value)}
          />
        </Box>
        <Box __flex="1 1 140px" data-testid="credit-notes-status">
          <Select
            size="small"
            label={t("creditNotes.col.status")}
            options={statusOptions}
            value={statusOptions.find((option) => option.value === status) ?? statusOptions[0]}
            onChange={(option) => setStatus(option.value)}
          />
        </Box>
        <Box __flex="2 1 220px" data-testid="credit-notes-partner">
          <PartnerPicker label={t("creditNotes.partner")} value={partner} onChange={setPartner} />
        </Box>
      </Box>
      <Section>
        {period && zip && (
          <Text size={2} color="default2" data-testid="credit-notes-rendered">
            {t("creditNotes.rendered", { period, issued: zip.issued, rendered: zip.rendered })}
          </Text>
        )}
        {period && zip && zip.withheld.length > 0 && <WithheldList rows={zip.withheld} period={period} />}
        {problem && <ErrorMessage error={problem} refusal />}
        {error && <ErrorMessage error={error} onRetry={reload} />}
        {(loading || waitingForPartner) && !data ? (
          <Loading rows={8} />
        ) : (
          <DataTable
            testId="credit-notes-table"
            columns={columns}
            rows={rows}
            rowKey={(row) => row.id}
            empty={<Text color="default2">{t("creditNotes.empty")}</Text>}
          />
        )}
        {connection && <Pager pages={pages} connection={connection} shown={rows.length} testId="credit-notes" />}
      </Section>
      {cancelling && (
        <FormDialog
          title={t("creditNotes.cancelTitle", { number: cancelling.number })}
          testId="cancel-dialog"
          intro={t("creditNotes.cancelText", { number: cancelling.number, partner: cancelling.partner.displayName })}
          confirmLabel={t("creditNotes.cancelConfirm")}
          initial={{ reissue: "yes" }}
          fields={[
            { name: "reason", label: t("common.reason"), kind: "textarea", required: true, help: t("creditNotes.reasonHelp") },
            {
              name: "reissue",
              label: t("creditNotes.reissue"),
              kind: "select",
              options: [
                { value: "yes", label: t("creditNotes.reissueYes") },
                { value: "no", label: t("creditNotes.reissueNo") },
              ],
            },
          ]}
          submit={async (values) => {
            const answer = await client.request<{ creditNoteCancel: { errors: MlmError[] } }>(CANCEL, {
              id: cancelling.id,
              reason: values.reason,
              reissue: values.reissue !== "no",
            });
            return answer.creditNoteCancel.errors;
          }}
          onClose={() => setCancelling(null)}
          onDone={() => {
            host.notify("success", t("creditNotes.cancelled", { number: cancelling.number }));
            setCancelling(null);
            reload();
            files.reload();
          }}
        />
      )}
      {partnerId && partner && (
        <Box paddingX={6} paddingBottom={4}>
          <Button variant="tertiary" size="small" onClick={() => navigate({ name: "partner", id: partnerId })}>
            {t("creditNotes.backToPartner", { name: partner.label })}
          </Button>
        </Box>
      )}
    </Page>
  );
}

interface Withheld {
  partner: { id: string; displayName: string; referralCode: string };
  carriedForward: string;
  currency: string;
  missingFields: string[];
}

interface PeriodFiles {
  issued: number;
  rendered: number;
  zipUrl: string | null;
  withheld: Withheld[];
}

/** The field names `missingFields` gives, as the partner's tax profile form labels them. */
const MISSING_LABELS: Record<string, MessageKey> = {
  tax_profile: "creditNotes.missing.tax_profile",
  legal_name: "creditNotes.missing.legal_name",
  street: "creditNotes.missing.street",
  postal_code: "creditNotes.missing.postal_code",
  city: "creditNotes.missing.city",
  country: "creditNotes.missing.country",
  tax_number: "creditNotes.missing.tax_number",
  vat_id: "creditNotes.missing.vat_id",
};

function WithheldRow({ row }: { row: Withheld }) {
  const { t } = useApp();
  const link = useLink({ name: "partner", id: row.partner.id });
  const missing = row.missingFields.map((name) => (MISSING_LABELS[name] ? t(MISSING_LABELS[name]) : name)).join(", ");
  return (
    <Box as="li" display="flex" gap={3} flexWrap="wrap" alignItems="baseline" data-testid="withheld-partner">
      <Box as="a" {...link} textDecoration="none">
        <Text size={3} color="accent1">
          {row.partner.displayName}
        </Text>
      </Box>
      <Money value={row.carriedForward} currency={row.currency} size={3} />
      <Text size={2} color="default2">
        {row.missingFields.length ? t("creditNotes.withheldMissing", { missing }) : t("creditNotes.withheldComplete")}
      </Text>
    </Box>
  );
}

/** Partners the period issued no document for: their tax profile was missing or incomplete. */
export function WithheldList({ rows, period }: { rows: Withheld[]; period: string }) {
  const { t } = useApp();
  return (
    <Box
      as="section"
      aria-labelledby="withheld-title"
      borderStyle="solid"
      borderWidth={1}
      borderColor="default1"
      borderRadius={3}
      padding={4}
      marginBottom={4}
      data-testid="credit-notes-withheld"
    >
      <Text as="h3" id="withheld-title" size={4} fontWeight="bold">
        {t("creditNotes.withheldTitle", { count: rows.length, period })}
      </Text>
      <Text as="p" size={2} color="default2">
        {t("creditNotes.withheldText")}
      </Text>
      <Box as="ul" display="flex" flexDirection="column" gap={2} paddingLeft={0} marginTop={3} style={{ listStyle: "none" }}>
        {rows.map((row) => (
          <WithheldRow key={row.partner.id} row={row} />
        ))}
      </Box>
    </Box>
  );
}
