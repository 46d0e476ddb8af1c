import { Box, Button, Text } from "@saleor/macaw-ui";
import { useState } from "react";

import { useApp } from "../../app/context";
import type { MlmError } from "../../app/graphql";
import { LOCALES, displayLanguage } from "../../app/i18n";
import { useQuery } from "../../app/useQuery";
import { DataTable } from "../../components/DataTable";
import { ErrorMessage, Loading, MissingApi } from "../../components/Feedback";
import { FormDialog } from "../../components/FormDialog";
import { Section } from "../../components/Layout";
import { SettingsCard } from "./SettingsCard";

/**
 * Online registration in the partner office (docs/office.md, "Registration settings"): whether
 * the merchant approves each registration (`registrationSettingsUpdate.approvalRequired`), the
 * partner terms (a new version per publication, a text per language) and the registrations
 * waiting for approval, approved or rejected with a reason (`partnerRegistrations`,
 * `partnerRegistrationApprove`, `partnerRegistrationReject`).
 */
const SETTINGS = `query RegistrationSettings { registrationSettings { approvalRequired termsVersion termsPublishedBy terms { language text publishedAt } } }`;
const SETTINGS_UPDATE = `mutation RegistrationSettingsUpdate($input: RegistrationSettingsInput!) { registrationSettingsUpdate(input: $input) { errors { field code message } } }`;
const PENDING = `query PendingRegistrations { partnerRegistrations(status: [PENDING], first: 100) { totalCount edges { node {
  id email firstName lastName legalName postalCode city country taxStatus termsVersion createdAt sponsor { id displayName referralCode }
} } } }`;
const APPROVE = `mutation PartnerRegistrationApprove($id: ID!) { partnerRegistrationApprove(id: $id) { errors { field code message } } }`;
const REJECT = `mutation PartnerRegistrationReject($id: ID!, $reason: String!) { partnerRegistrationReject(id: $id, reason: $reason) { errors { field code message } } }`;

interface SettingsAnswer {
  registrationSettings: {
    approvalRequired: boolean;
    termsVersion: number | null;
    termsPublishedBy: string | null;
    terms: Array<{ language: string; text: string; publishedAt: string }>;
  };
}
interface Registration {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  legalName: string;
  postalCode: string;
  city: string;
  country: string;
  taxStatus: string;
  termsVersion: number;
  createdAt: string;
  sponsor: { id: string; displayName: string; referralCode: string } | null;
}
interface PendingAnswer {
  partnerRegistrations: { totalCount: number; edges: Array<{ node: Registration }> };
}

export function RegistrationSettingsCard() {
  const { t, format, client, state } = useApp();
  const errorsOf = async (input: Record<string, unknown>) =>
    (await client.request<{ registrationSettingsUpdate: { errors: MlmError[] } }>(SETTINGS_UPDATE, { input })).registrationSettingsUpdate.errors;
  const textOf = (data: SettingsAnswer, language: string) => data.registrationSettings.terms.find((terms) => terms.language === language)?.text ?? "";
  return (
    <SettingsCard<SettingsAnswer>
      title={t("registration.title")}
      testId="settings-registration"
      intro={t("registration.intro")}
      needs={["Query.registrationSettings", "Mutation.registrationSettingsUpdate"]}
      query={SETTINGS}
      facts={(data) => {
        const settings = data.registrationSettings;
        return [
          { label: t("registration.approval"), value: settings.approvalRequired ? t("registration.approvalOn") : t("registration.approvalOff"), testId: "settings-registration-approval" },
          {
            label: t("registration.terms"),
            value: settings.termsVersion
              ? t("registration.termsVersion", {
                  version: settings.termsVersion,
                  date: format.date(settings.terms[0]?.publishedAt),
                  languages: settings.terms.map((terms) => terms.language.toUpperCase()).join(", "),
                })
              : t("registration.noTerms"),
            testId: "settings-registration-terms",
          },
        ];
      }}
      edits={[
        {
          label: t("registration.changeApproval"),
          title: t("registration.approval"),
          fields: [
            {
              name: "approvalRequired",
              label: t("registration.approval"),
              kind: "select",
              required: true,
              options: [
                { value: "yes", label: t("registration.approvalOn") },
                { value: "no", label: t("registration.approvalOff") },
              ],
              help: t("registration.approvalHelp"),
            },
          ],
          initial: (data) => ({ approvalRequired: data.registrationSettings.approvalRequired ? "yes" : "no" }),
          submit: (values) => errorsOf({ approvalRequired: values.approvalRequired === "yes" }),
          done: t("settings.saved"),
        },
        {
          label: t("registration.publish"),
          title: t("registration.publishTitle"),
          fields: LOCALES.map((language) => ({ name: `terms_${language}`, label: t("registration.termsText", { language: displayLanguage(state.locale, language) }), kind: "textarea" as const, help: t("registration.termsHelp") })),
          initial: (data) => Object.fromEntries(LOCALES.map((language) => [`terms_${language}`, textOf(data, language)])),
          submit: (values) =>
            errorsOf({ terms: LOCALES.filter((language) => values[`terms_${language}`]).map((language) => ({ language, text: values[`terms_${language}`] })) }),
          done: t("registration.published"),
        },
      ]}
    />
  );
}

/** The registrations waiting for the merchant: approve, or reject with a reason. */
export function PendingRegistrations() {
  const { t, format, client, host, capabilities } = useApp();
  const missing = capabilities.missing(["Query.partnerRegistrations", "Mutation.partnerRegistrationApprove", "Mutation.partnerRegistrationReject"]);
  const { data, error, loading, reload } = useQuery<PendingAnswer>(PENDING, {}, missing.length > 0);
  const [rejecting, setRejecting] = useState<Registration | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const approve = async (registration: Registration) => {
    setBusy(registration.id);
    try {
      const answer = await client.request<{ partnerRegistrationApprove: { errors: MlmError[] } }>(APPROVE, { id: registration.id });
      const errors = answer.partnerRegistrationApprove.errors;
      if (errors.length) host.notify("error", t("registration.approveFailed"), errors.map((item) => item.message).join(" "));
      else host.notify("success", t("registration.approved", { email: registration.email }));
      reload();
    } catch (failure) {
      host.notify("error", t("registration.approveFailed"), (failure as Error).message);
    } finally {
      setBusy(null);
    }
  };

  let body;
  if (missing.length) body = <MissingApi fields={missing} />;
  else if (error) body = <ErrorMessage error={error} onRetry={reload} />;
  else if (loading && !data) body = <Loading rows={2} />;
  else if (data) {
    body = (
      <DataTable<Registration>
        testId="registrations-table"
        columns={[
          {
            key: "person",
            header: t("registration.col.person"),
            render: (row) => (
              <Box display="flex" flexDirection="column">
                <Text size={2} fontWeight="medium">
                  {`${row.firstName} ${row.lastName}`.trim() || row.legalName}
                </Text>
                <Text size={1} color="default2">
                  {row.email}
                </Text>
              </Box>
            ),
          },
          { key: "sponsor", header: t("registration.col.sponsor"), render: (row) => <Text size={2}>{row.sponsor ? `${row.sponsor.displayName} (${row.sponsor.referralCode})` : t("common.none")}</Text> },
          { key: "tax", header: t("registration.col.tax"), render: (row) => <Text size={2}>{`${row.legalName}, ${row.postalCode} ${row.city}, ${row.country}`}</Text> },
          { key: "terms", header: t("registration.col.terms"), render: (row) => <Text size={2}>{t("registration.versionShort", { version: row.termsVersion })}</Text> },
          { key: "date", header: t("registration.col.date"), render: (row) => <Text size={2}>{format.dateTime(row.createdAt)}</Text> },
          {
            key: "actions",
            header: "",
            align: "right",
            render: (row) => (
              <Box display="flex" gap={2} justifyContent="flex-end">
                <Button size="small" variant="primary" disabled={busy === row.id} onClick={() => approve(row)} data-testid="registration-approve" aria-label={t("registration.approveName", { email: row.email })}>
                  {t("registration.approve")}
                </Button>
                <Button size="small" variant="secondary" onClick={() => setRejecting(row)} data-testid="registration-reject" aria-label={t("registration.rejectName", { email: row.email })}>
                  {t("registration.reject")}
                </Button>
              </Box>
            ),
          },
        ]}
        rows={data.partnerRegistrations.edges.map((edge) => edge.node)}
        rowKey={(row) => row.id}
        empty={<Text color="default2">{t("registration.nonePending")}</Text>}
      />
    );
  }
  return (
    <Section title={t("registration.pending", { count: data?.partnerRegistrations.totalCount ?? 0 })} testId="settings-registrations">
      {body}
      {rejecting && (
        <FormDialog
          title={t("registration.rejectTitle", { email: rejecting.email })}
          testId="registration-reject-dialog"
          confirmLabel={t("registration.reject")}
          fields={[{ name: "reason", label: t("registration.reason"), kind: "textarea", required: true, help: t("registration.reasonHelp") }]}
          submit={async (values) =>
            (await client.request<{ partnerRegistrationReject: { errors: MlmError[] } }>(REJECT, { id: rejecting.id, reason: values.reason })).partnerRegistrationReject.errors
          }
          onClose={() => setRejecting(null)}
          onDone={() => {
            host.notify("success", t("registration.rejected", { email: rejecting.email }));
            setRejecting(null);
            reload();
          }}
        />
      )}
    </Section>
  );
}
