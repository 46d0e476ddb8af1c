import { Box, Button, Chip, Input, Text } from "@saleor/macaw-ui";
import { useState, type ReactNode } from "react";

import { useApp } from "../../app/context";
import type { MlmError } from "../../app/graphql";
import { useLink, useRouter } from "../../app/router";
import { useQuery } from "../../app/useQuery";
import { CareForm, percentToShare } from "../../components/CareForm";
import { DataTable } from "../../components/DataTable";
import { ErrorMessage, Loading } from "../../components/Feedback";
import { Page, Section } from "../../components/Layout";
import { StatusChip } from "../../components/StatusChip";
import { StatusDialog } from "../../components/StatusDialog";
import { describeChange } from "./changes";
import { PartnerFigures } from "./PartnerFigures";
import { OpenOffice, PartnerActions } from "./PartnerActions";
import { PayoutHolds } from "./PayoutHolds";

/** The voucher code mark needs this field; against an API without it the page shows no mark. */
export const VOUCHER_MARK_FIELDS = ["Partner.voucherCodeMissing"];

export const partnerQuery = (voucherMark: boolean) => `query Partner($id: ID!) {
  partner(id: $id) {
    id displayName firstName lastName email referralCode status statusReason statusChangedAt country language enrolledAt
    payoutCurrency taxStatus${voucherMark ? " voucherCodeMissing" : ""}
    sponsor { id displayName referralCode }
    care { id share effectiveShare shareSource validFrom carePartner { id displayName referralCode } }
    frontline { totalCount }
    customers { totalCount }
    splitAgreement { id share validFrom }
    looksAfter: careRelations(role: AS_BETREUER, first: 50) {
      totalCount
      edges { node { id effectiveShare validFrom partner { id displayName } customer { id displayName } } }
    }
    recruitsCared: careRelations(role: AS_RECRUITER, first: 50) {
      totalCount
      edges { node { id effectiveShare validFrom carePartner { id displayName } partner { id displayName } customer { id displayName } } }
    }
    changes(first: 50) { edges { node { id kind oldValue newValue changedBy reason createdAt } } }
  }
}`;

const CARE_UNASSIGN = `mutation CareUnassign($partnerId: ID, $reason: String) {
  careUnassign(partnerId: $partnerId, reason: $reason) { errors { field code message } }
}`;

const SPLIT_SET = `mutation SplitAgreementSet($input: SplitAgreementSetInput!) {
  splitAgreementSet(input: $input) { errors { field code message } splitAgreement { id share } }
}`;

type Named = { id: string; displayName: string };
interface CareRelation {
  id: string;
  effectiveShare: string;
  validFrom: string;
  partner: Named | null;
  customer: Named | null;
  carePartner?: Named | null;
}
export interface PartnerDetail {
  id: string;
  displayName: string;
  firstName: string;
  lastName: string;
  email: string | null;
  referralCode: string;
  status: string | null;
  statusReason: string | null;
  statusChangedAt: string | null;
  country: string | null;
  language: string | null;
  enrolledAt: string | null;
  payoutCurrency: string | null;
  taxStatus: string | null;
  /** No voucher code in Saleor yet (the sweep gives it); absent against an older API. */
  voucherCodeMissing?: boolean | null;
  sponsor: (Named & { referralCode: string }) | null;
  care: {
    id: string;
    share: string | null;
    effectiveShare: string;
    shareSource: string;
    validFrom: string;
    carePartner: (Named & { referralCode: string }) | null;
  } | null;
  frontline: { totalCount: number } | null;
  customers: { totalCount: number } | null;
  splitAgreement: { id: string; share: string; validFrom: string } | null;
  looksAfter: { totalCount: number; edges: Array<{ node: CareRelation }> } | null;
  recruitsCared: { totalCount: number; edges: Array<{ node: CareRelation }> } | null;
  changes: {
    edges: Array<{
      node: { id: string; kind: string; oldValue: Record<string, unknown> | null; newValue: Record<string, unknown> | null; changedBy: string; reason: string; createdAt: string };
    }>;
  } | null;
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box display="flex" flexDirection="column" gap={0.5}>
      <Text size={2} color="default2">
        {label}
      </Text>
      <Box>{typeof children === "string" ? <Text size={3}>{children}</Text> : children}</Box>
    </Box>
  );
}

function PartnerLink({ partner }: { partner: Named }) {
  const link = useLink({ name: "partner", id: partner.id });
  return (
    <Box as="a" {...link} textDecoration="none">
      <Text size={3} color="accent1">
        {partner.displayName}
      </Text>
    </Box>
  );
}

export function PartnerPage({ id }: { id: string }) {
  const { t, format, client, host, capabilities } = useApp();
  const { navigate } = useRouter();
  const voucherMark = capabilities.missing(VOUCHER_MARK_FIELDS).length === 0;
  const { data, error, loading, reload } = useQuery<{ partner: PartnerDetail | null }>(partnerQuery(voucherMark), { id });
  const [statusOpen, setStatusOpen] = useState(false);
  const [careOpen, setCareOpen] = useState(false);
  const [split, setSplit] = useState("");
  const [splitError, setSplitError] = useState<string | null>(null);
  const partner = data?.partner;

  if (error) return <Page title={t("nav.partners")}><Section><ErrorMessage error={error} onRetry={reload} /></Section></Page>;
  if (loading && !partner) return <Page title={t("nav.partners")}><Section><Loading rows={6} /></Section></Page>;
  if (!partner) return <Page title={t("nav.partners")}><Section><Text>{t("partner.notFound")}</Text></Section></Page>;

  const endCare = async () => {
    const answer = await client.request<{ careUnassign: { errors: MlmError[] } }>(CARE_UNASSIGN, { partnerId: partner.id });
    if (answer.careUnassign.errors.length) host.notify("error", answer.careUnassign.errors[0].message);
    else host.notify("success", t("partner.careEnded"));
    reload();
  };

  const saveSplit = async () => {
    const share = percentToShare(split);
    if (share === null || share === "NaN") {
      setSplitError(t("partner.shareInvalid"));
      return;
    }
    const answer = await client.request<{ splitAgreementSet: { errors: MlmError[] } }>(SPLIT_SET, { input: { partnerId: partner.id, share } });
    if (answer.splitAgreementSet.errors.length) {
      setSplitError(answer.splitAgreementSet.errors.map((item) => item.message).join(" "));
      return;
    }
    setSplit("");
    setSplitError(null);
    host.notify("success", t("partner.splitSaved"));
    reload();
  };

  const relationName = (relation: CareRelation) => relation.partner?.displayName ?? relation.customer?.displayName ?? "?";

  return (
    <Page
      title={
        <Box as="span" display="flex" alignItems="center" gap={3}>
          {partner.displayName} <StatusChip status={partner.status} />
        </Box>
      }
      actions={
        <>
          <Button variant="secondary" onClick={() => navigate({ name: "genealogy", root: null, focus: partner.id })} data-testid="open-genealogy">
            {t("partner.openGenealogy")}
          </Button>
          {capabilities.has("Query.creditNotes") && (
            <Button variant="secondary" onClick={() => navigate({ name: "credit-notes", partner: partner.id })} data-testid="open-credit-notes">
              {t("partner.creditNotes")}
            </Button>
          )}
          {host.getState().mode === "demo" && <OpenOffice partnerId={partner.id} />}
          <PartnerActions partner={partner} onDone={reload} />
          {partner.status !== "TERMINATED" && (
            <Button variant="secondary" onClick={() => setStatusOpen(true)} data-testid="partner-status">
              {partner.status === "ACTIVE" ? t("partners.setInactive") : t("partners.setActive")}
            </Button>
          )}
        </>
      }
    >
      <Section title={t("partner.details")}>
        <Box display="grid" __gridTemplateColumns="repeat(auto-fill, minmax(200px, 1fr))" gap={4}>
          <Field label={t("partner.email")}>{partner.email ?? t("common.none")}</Field>
          <Field label={t("partner.code")}>
            <Box display="flex" flexDirection="column" gap={1}>
              <Text size={3}>{partner.referralCode}</Text>
              {partner.voucherCodeMissing && (
                <Box display="flex" flexDirection="column" gap={0.5} data-testid="voucher-code-missing">
                  <Chip size="small" backgroundColor="warning1" borderColor="warning1" __width="fit-content">
                    <Text size={1} color="warning1" fontWeight="medium">
                      {t("partner.voucherCodeMissing")}
                    </Text>
                  </Chip>
                  <Text size={1} color="default2">
                    {t("partner.voucherCodeMissingHelp")}
                  </Text>
                </Box>
              )}
            </Box>
          </Field>
          <Field label={t("partner.sponsor")}>{partner.sponsor ? <PartnerLink partner={partner.sponsor} /> : t("partner.noSponsor")}</Field>
          <Field label={t("partner.enrolled")}>{format.date(partner.enrolledAt)}</Field>
          <Field label={t("partner.country")}>{partner.country || t("common.none")}</Field>
          <Field label={t("partner.language")}>{partner.language || t("common.none")}</Field>
          <Field label={t("partner.payoutCurrency")}>{partner.payoutCurrency || t("common.none")}</Field>
          <Field label={t("partner.customers")}>{format.number(partner.customers?.totalCount ?? 0)}</Field>
          {partner.statusReason && <Field label={t("partner.statusReason")}>{partner.statusReason}</Field>}
        </Box>
      </Section>

      <PartnerFigures partnerId={partner.id} />

      <Section
        title={t("partner.care")}
        testId="partner-care"
        actions={
          <>
            {partner.care && (
              <Button variant="secondary" size="small" onClick={endCare} data-testid="care-end">
                {t("partner.endCare")}
              </Button>
            )}
            {!careOpen && (
              <Button variant="secondary" size="small" onClick={() => setCareOpen(true)} data-testid="care-open">
                {partner.care ? t("partner.changeCare") : t("partner.assignCare")}
              </Button>
            )}
          </>
        }
      >
        {partner.care?.carePartner ? (
          <Text size={3} data-testid="care-current">
            {t("partner.careSince", { name: partner.care.carePartner.displayName, date: format.date(partner.care.validFrom) })}{" "}
            {t("common.share")}: {format.percent(partner.care.effectiveShare)} ({t(`partner.shareSource.${partner.care.shareSource}` as "partner.shareSource.NONE")})
          </Text>
        ) : (
          <Text size={3} color="default2">
            {t("partner.noCare")}
          </Text>
        )}
        {careOpen && (
          <Box __maxWidth="480px">
            <CareForm
              target={{ partnerId: partner.id }}
              targetName={partner.displayName}
              onCancel={() => setCareOpen(false)}
              onDone={() => {
                setCareOpen(false);
                reload();
              }}
            />
          </Box>
        )}
      </Section>

      <Box display="grid" __gridTemplateColumns="repeat(auto-fit, minmax(min(100%, 420px), 1fr))">
        <Section title={`${t("partner.looksAfter")} (${partner.looksAfter?.totalCount ?? 0})`} testId="looks-after">
          <DataTable
            columns={[
              { key: "who", header: t("partners.col.name"), render: (row: CareRelation) => (row.partner ? <PartnerLink partner={row.partner} /> : <Text size={2}>{relationName(row)}</Text>) },
              { key: "share", header: t("common.share"), align: "right", render: (row: CareRelation) => <Text size={2}>{format.percent(row.effectiveShare)}</Text> },
              { key: "since", header: "", render: (row: CareRelation) => <Text size={2} color="default2">{t("common.since", { date: format.date(row.validFrom) })}</Text> },
            ]}
            rows={partner.looksAfter?.edges.map((edge) => edge.node) ?? []}
            rowKey={(row) => row.id}
            empty={<Text size={2} color="default2">{t("common.empty")}</Text>}
          />
        </Section>
        <Section title={`${t("partner.recruitsCared")} (${partner.recruitsCared?.totalCount ?? 0})`} testId="recruits-cared">
          <DataTable
            columns={[
              { key: "who", header: t("partners.col.name"), render: (row: CareRelation) => <Text size={2}>{relationName(row)}</Text> },
              { key: "care", header: t("partners.col.care"), render: (row: CareRelation) => (row.carePartner ? <PartnerLink partner={row.carePartner} /> : <Text size={2}>{t("common.none")}</Text>) },
              { key: "share", header: t("common.share"), align: "right", render: (row: CareRelation) => <Text size={2}>{format.percent(row.effectiveShare)}</Text> },
            ]}
            rows={partner.recruitsCared?.edges.map((edge) => edge.node) ?? []}
            rowKey={(row) => row.id}
            empty={<Text size={2} color="default2">{t("common.empty")}</Text>}
          />
        </Section>
      </Box>

      <Section title={t("partner.split")} testId="split">
        <Text size={3}>
          {partner.splitAgreement ? t("partner.splitShare", { share: format.percent(partner.splitAgreement.share) }) : t("partner.splitNone")}
        </Text>
        <Box display="flex" gap={2} alignItems="flex-start" __maxWidth="480px">
          <Box flexGrow="1">
            <Input
              size="small"
              label={`${t("common.share")} (%)`}
              value={split}
              onChange={(event) => {
                setSplit(event.target.value);
                setSplitError(null);
              }}
              error={Boolean(splitError)}
              helperText={splitError ?? undefined}
              data-testid="split-share"
            />
          </Box>
          <Button variant="secondary" onClick={saveSplit} data-testid="split-save">
            {t("partner.setSplit")}
          </Button>
        </Box>
      </Section>

      <PayoutHolds partner={partner} />
      <Section title={t("partner.history")} testId="history">
        <DataTable
          columns={[
            { key: "when", header: "", width: "160px", render: (row) => <Text size={2} color="default2">{format.dateTime(row.createdAt)}</Text> },
            { key: "kind", header: "", render: (row) => <Text size={2} fontWeight="medium">{t(`partner.kind.${row.kind}` as "partner.kind.CARE")}</Text> },
            { key: "what", header: "", render: (row) => <Text size={2}>{describeChange(row.kind, row.oldValue, row.newValue, t, format)}</Text> },
            { key: "why", header: "", render: (row) => <Text size={2} color="default2">{[row.reason, row.changedBy && t("partner.by", { who: row.changedBy })].filter(Boolean).join(" · ")}</Text> },
          ]}
          rows={partner.changes?.edges.map((edge) => edge.node) ?? []}
          rowKey={(row) => row.id}
          empty={<Text size={2} color="default2">{t("common.empty")}</Text>}
        />
      </Section>

      {statusOpen && (
        <StatusDialog
          partner={partner}
          onClose={() => setStatusOpen(false)}
          onDone={() => {
            setStatusOpen(false);
            reload();
          }}
        />
      )}
    </Page>
  );
}
