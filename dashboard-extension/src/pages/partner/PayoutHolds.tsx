import { Button, Text } from "@saleor/macaw-ui";
import { useState } from "react";

import { useApp } from "../../app/context";
import type { MlmError } from "../../app/graphql";
import { useQuery } from "../../app/useQuery";
import { DataTable } from "../../components/DataTable";
import { ErrorMessage } from "../../components/Feedback";
import { FormDialog } from "../../components/FormDialog";
import { Section } from "../../components/Layout";

/**
 * A partner's payout holds (`Query.payoutHolds(filter: {partnerId})`): set one for a range of
 * months (`payoutHoldSet`: the balances are carried forward, not lost), release it with a
 * reason (`payoutHoldRelease`).
 */
export const PAYOUT_HOLD_FIELDS = ["Query.payoutHolds", "Mutation.payoutHoldSet", "Mutation.payoutHoldRelease"];

const HOLDS = `query PartnerPayoutHolds($partnerId: ID!) {
  payoutHolds(filter: {partnerId: $partnerId}, first: 50) { edges { node { id reason startsOn endsOn active createdBy createdAt releasedBy releasedAt releaseReason } } }
}`;
const HOLD = `mutation PayoutHoldSet($input: PayoutHoldSetInput!) { payoutHoldSet(input: $input) { errors { field code message } payoutHold { id } } }`;
const RELEASE = `mutation PayoutHoldRelease($id: ID!, $reason: String!) { payoutHoldRelease(id: $id, reason: $reason) { errors { field code message } payoutHold { id active } } }`;

interface Hold {
  id: string;
  reason: string;
  startsOn: string;
  endsOn: string | null;
  active: boolean;
  createdBy: string;
  createdAt: string;
  releasedBy: string | null;
  releasedAt: string | null;
  releaseReason: string | null;
}

export function PayoutHolds({ partner }: { partner: { id: string; displayName: string } }) {
  const { t, format, client, host, capabilities } = useApp();
  const missing = capabilities.missing(PAYOUT_HOLD_FIELDS).length > 0;
  const { data, error, reload } = useQuery<{ payoutHolds: { edges: Array<{ node: Hold }> } }>(HOLDS, { partnerId: partner.id }, missing);
  const [open, setOpen] = useState<{ kind: "hold" } | { kind: "release"; hold: Hold } | null>(null);
  if (missing) return null;
  const months = (row: Hold) =>
    row.endsOn ? t("holds.range", { from: row.startsOn.slice(0, 7), to: row.endsOn.slice(0, 7) }) : t("holds.rangeOpen", { from: row.startsOn.slice(0, 7) });
  const done = (message: string) => {
    setOpen(null);
    host.notify("success", message);
    reload();
  };
  const errorsOf = async (query: string, variables: Record<string, unknown>, key: string) =>
    (await client.request<Record<string, { errors: MlmError[] }>>(query, variables))[key].errors;

  return (
    <Section
      title={t("holds.title")}
      testId="payout-holds"
      actions={
        <Button size="small" variant="secondary" onClick={() => setOpen({ kind: "hold" })} data-testid="hold-add">
          {t("holds.add")}
        </Button>
      }
    >
      {error && <ErrorMessage error={error} onRetry={reload} />}
      {data && (
        <DataTable
          testId="holds-table"
          rows={data.payoutHolds.edges.map((edge) => edge.node)}
          rowKey={(row) => row.id}
          columns={[
            { key: "months", header: t("holds.months"), render: (row) => <Text size={2}>{months(row)}</Text> },
            { key: "reason", header: t("common.reason"), render: (row) => <Text size={2}>{row.reason}</Text> },
            {
              key: "state",
              header: t("partners.col.status"),
              render: (row) => (
                <Text size={2} data-testid="hold-state" data-active={row.active ? "true" : "false"}>
                  {row.active
                    ? t("holds.active", { who: row.createdBy, date: format.date(row.createdAt) })
                    : t("holds.released", { who: row.releasedBy ?? "", date: format.date(row.releasedAt), reason: row.releaseReason ?? "" })}
                </Text>
              ),
            },
            {
              key: "release",
              header: "",
              align: "right",
              render: (row) =>
                row.active && (
                  <Button size="small" variant="tertiary" onClick={() => setOpen({ kind: "release", hold: row })} data-testid="hold-release">
                    {t("holds.release")}
                  </Button>
                ),
            },
          ]}
          empty={<Text size={2} color="default2">{t("holds.none")}</Text>}
        />
      )}
      {open?.kind === "hold" && (
        <FormDialog
          title={t("holds.addTitle", { name: partner.displayName })}
          testId="hold-dialog"
          intro={t("holds.intro")}
          confirmLabel={t("holds.add")}
          fields={[
            { name: "reason", label: t("common.reason"), kind: "textarea", required: true },
            { name: "startsOn", label: t("holds.startsOn"), help: t("holds.startsOnHelp") },
            { name: "endsOn", label: t("holds.endsOn"), help: t("holds.endsOnHelp") },
          ]}
          submit={(values) =>
            errorsOf(HOLD, { input: { partnerId: partner.id, reason: values.reason, startsOn: values.startsOn || null, endsOn: values.endsOn || null } }, "payoutHoldSet")
          }
          onClose={() => setOpen(null)}
          onDone={() => done(t("holds.added", { name: partner.displayName }))}
        />
      )}
      {open?.kind === "release" && (
        <FormDialog
          title={t("holds.releaseTitle", { name: partner.displayName })}
          testId="release-dialog"
          intro={t("holds.releaseIntro", { name: partner.displayName })}
          confirmLabel={t("holds.release")}
          fields={[{ name: "reason", label: t("common.reason"), kind: "textarea", required: true }]}
          submit={(values) => errorsOf(RELEASE, { id: open.hold.id, reason: values.reason }, "payoutHoldRelease")}
          onClose={() => setOpen(null)}
          onDone={() => done(t("holds.releasedDone", { name: partner.displayName }))}
        />
      )}
    </Section>
  );
}
