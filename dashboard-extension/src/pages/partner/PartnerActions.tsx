import { Box, Button, Text } from "@saleor/macaw-ui";
import { useState } from "react";

import { useApp } from "../../app/context";
import type { MlmError } from "../../app/graphql";
import { FormDialog } from "../../components/FormDialog";

/**
 * A partner's changes from its page, each in a dialog with a reason for the history: edit its
 * details (`partnerUpdate`), move it with its downline under another sponsor
 * (`partnerChangeSponsor`: a move that would close a cycle is refused at the sponsor field),
 * terminate it (`partnerSetStatus` TERMINATED).
 */
const UPDATE = `mutation PartnerUpdate($id: ID!, $input: PartnerUpdateInput!) { partnerUpdate(id: $id, input: $input) { errors { field code message } partner { id } } }`;
const MOVE = `mutation PartnerChangeSponsor($id: ID!, $sponsorId: ID, $reason: String!) { partnerChangeSponsor(id: $id, sponsorId: $sponsorId, reason: $reason) { errors { field code message } partner { id } } }`;
const TERMINATE = `mutation PartnerTerminate($id: ID!, $reason: String) { partnerSetStatus(id: $id, status: TERMINATED, reason: $reason) { errors { field code message } partner { id status } } }`;

export interface EditablePartner {
  id: string;
  displayName: string;
  firstName: string;
  lastName: string;
  email: string | null;
  country: string | null;
  language: string | null;
  status: string | null;
  sponsor: { id: string; displayName: string } | null;
}

/**
 * The demo only: the partner office (/office/) signed in as this partner, in a new tab. The demo
 * server issues the partner's token (saleor_mlm/office/demo.py); on a shop partners sign in
 * with their own shop account, and nobody opens the office as someone else.
 */
export function OpenOffice({ partnerId }: { partnerId: string }) {
  const { t } = useApp();
  return (
    <Box
      as="a"
      href={`/office/?${new URLSearchParams({ demoPartner: partnerId })}`}
      target="_blank"
      rel="noopener"
      data-testid="open-office"
      display="flex"
      alignItems="center"
      paddingX={3}
      borderRadius={3}
      borderStyle="solid"
      borderWidth={1}
      borderColor="default1"
      textDecoration="none"
      backgroundColor={{ default: "default1", hover: "default1Hovered" }}
    >
      <Text size={3} fontWeight="medium">
        {t("partner.openOffice")}
      </Text>
    </Box>
  );
}

export function PartnerActions({ partner, onDone }: { partner: EditablePartner; onDone(): void }) {
  const { t, client, host } = useApp();
  const [open, setOpen] = useState<"edit" | "move" | "terminate" | null>(null);
  const errorsOf = async (query: string, variables: Record<string, unknown>, key: string) =>
    (await client.request<Record<string, { errors: MlmError[] }>>(query, variables))[key].errors;
  const done = (message: string) => {
    setOpen(null);
    host.notify("success", message);
    onDone();
  };
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen("edit")} data-testid="partner-edit">
        {t("partner.edit")}
      </Button>
      <Button variant="secondary" onClick={() => setOpen("move")} data-testid="partner-move">
        {t("partner.move")}
      </Button>
      {partner.status !== "TERMINATED" && (
        <Button variant="secondary" onClick={() => setOpen("terminate")} data-testid="partner-terminate">
          {t("partner.terminate")}
        </Button>
      )}
      {open === "edit" && (
        <FormDialog
          title={t("partner.editTitle", { name: partner.displayName })}
          testId="edit-dialog"
          confirmLabel={t("common.save")}
          initial={{
            firstName: partner.firstName,
            lastName: partner.lastName,
            email: partner.email ?? "",
            country: partner.country ?? "",
            language: partner.language ?? "",
            reason: "",
          }}
          fields={[
            { name: "firstName", label: t("partner.firstName") },
            { name: "lastName", label: t("partner.lastName") },
            { name: "email", label: t("partner.email"), inputMode: "email" },
            { name: "country", label: t("partner.country"), help: t("partner.countryHelp") },
            { name: "language", label: t("partner.language") },
            { name: "reason", label: t("common.reason"), kind: "textarea", help: t("partners.reasonHelp") },
          ]}
          submit={(values) => errorsOf(UPDATE, { id: partner.id, input: { ...values, reason: values.reason || null } }, "partnerUpdate")}
          onClose={() => setOpen(null)}
          onDone={() => done(t("partner.saved", { name: partner.displayName }))}
        />
      )}
      {open === "move" && (
        <FormDialog
          title={t("partner.moveTitle", { name: partner.displayName })}
          testId="move-dialog"
          intro={t("partner.moveIntro", { sponsor: partner.sponsor?.displayName ?? t("partner.noSponsor") })}
          confirmLabel={t("partner.move")}
          fields={[
            { name: "sponsorId", label: t("partner.newSponsor"), kind: "partner", exclude: partner.id, help: t("partner.newSponsorHelp") },
            { name: "reason", label: t("common.reason"), kind: "textarea", required: true, help: t("partners.reasonHelp") },
          ]}
          submit={(values) => errorsOf(MOVE, { id: partner.id, sponsorId: values.sponsorId || null, reason: values.reason }, "partnerChangeSponsor")}
          onClose={() => setOpen(null)}
          onDone={() => done(t("partner.moved", { name: partner.displayName }))}
        />
      )}
      {open === "terminate" && (
        <FormDialog
          title={t("partner.terminateTitle", { name: partner.displayName })}
          testId="terminate-dialog"
          intro={t("partner.terminateIntro")}
          confirmLabel={t("partner.terminate")}
          fields={[{ name: "reason", label: t("common.reason"), kind: "textarea", required: true, help: t("partners.reasonHelp") }]}
          submit={(values) => errorsOf(TERMINATE, { id: partner.id, reason: values.reason }, "partnerSetStatus")}
          onClose={() => setOpen(null)}
          onDone={() => done(t("partners.statusChanged", { name: partner.displayName, status: t("status.TERMINATED") }))}
        />
      )}
    </>
  );
}
