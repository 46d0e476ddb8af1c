import { Box, Button, SearchInput, Text } from "@saleor/macaw-ui";
import { useState } from "react";

import { useApp } from "../../app/context";
import type { MlmError } from "../../app/graphql";
import { ProgramSwitcher, useProgram, type ProgramChoice } from "../../app/program";
import { useDebounced } from "../../app/useDebounced";
import { useQuery } from "../../app/useQuery";
import { DataTable } from "../../components/DataTable";
import { ErrorMessage, Loading, MissingApi } from "../../components/Feedback";
import { FormDialog, type Field } from "../../components/FormDialog";
import { Page, Section } from "../../components/Layout";
import { PROGRAM_ROW, programInput, programValues, sourceCounts, type ProgramRow } from "./programForm";

/**
 * The shop's partner programs (issue 19): each with its volume source, members and plan in
 * force; created and edited in a dialog whose fields show the API's errors. Below, the
 * members of the program chosen in the switcher (shared with the plan, genealogy and periods
 * pages): enroll a partner under a sponsor, move one (a cycle is refused at the sponsor),
 * remove one (refused while members are below it).
 */
export const PROGRAMS_FIELDS = ["Query.programs", "Mutation.programCreate", "Mutation.programUpdate", "Program.memberCount"];
export const MEMBERS_FIELDS = ["Query.programMembers", "Mutation.programEnrollmentCreate", "Mutation.programEnrollmentMove", "Mutation.programEnrollmentRemove"];

const PROGRAMS = `query Programs { programs(first: 100) { totalCount edges { node { ${PROGRAM_ROW} } } } }`;
const CREATE = `mutation ProgramCreate($input: ProgramInput!) { programCreate(input: $input) { errors { field code message } program { id code } } }`;
const UPDATE = `mutation ProgramUpdate($id: ID!, $input: ProgramInput!) { programUpdate(id: $id, input: $input) { errors { field code message } program { id code } } }`;
const MEMBERS = `query ProgramMembers($programId: ID!, $search: String) {
  programMembers(programId: $programId, search: $search, first: 100) {
    totalCount
    edges { node { partner { id displayName referralCode } sponsor { id displayName referralCode } frontlineCount enrolledAt } }
  }
}`;
const ENROLL = `mutation ProgramEnrollmentCreate($programId: ID!, $partnerId: ID!, $sponsorId: ID) {
  programEnrollmentCreate(programId: $programId, partnerId: $partnerId, sponsorId: $sponsorId) { errors { field code message } }
}`;
const MOVE = `mutation ProgramEnrollmentMove($programId: ID!, $partnerId: ID!, $sponsorId: ID, $reason: String!) {
  programEnrollmentMove(programId: $programId, partnerId: $partnerId, sponsorId: $sponsorId, reason: $reason) { errors { field code message } }
}`;
const REMOVE = `mutation ProgramEnrollmentRemove($programId: ID!, $partnerId: ID!, $reason: String!) {
  programEnrollmentRemove(programId: $programId, partnerId: $partnerId, reason: $reason) { errors { field code message } }
}`;

interface Member {
  partner: { id: string; displayName: string; referralCode: string };
  sponsor: { id: string; displayName: string; referralCode: string } | null;
  frontlineCount: number;
  enrolledAt: string;
}

export function ProgramsPage() {
  const { t, format, client, host, capabilities } = useApp();
  const missing = capabilities.missing(PROGRAMS_FIELDS);
  const programs = useQuery<{ programs: { totalCount: number; edges: Array<{ node: ProgramRow }> } }>(PROGRAMS, {}, missing.length > 0);
  const rows = programs.data?.programs.edges.map((edge) => edge.node) ?? [];
  const choice = useProgram();
  const [editing, setEditing] = useState<ProgramRow | "new" | null>(null);

  const source = (row: ProgramRow) => {
    const counts = sourceCounts(row.volumeSource);
    return counts ? t("programs.source.listed", counts) : t("programs.source.all");
  };
  const fields: Field[] = [
    { name: "name", label: t("programs.field.name"), required: true },
    { name: "code", label: t("programs.field.code"), required: true, help: t("programs.field.codeHelp") },
    ...(editing !== "new" && editing?.isDefault
      ? []
      : ([
          {
            name: "volumeSource",
            label: t("programs.field.source"),
            kind: "select",
            options: [
              { value: "ALL", label: t("programs.source.all") },
              { value: "LISTED", label: t("programs.source.listedOnly") },
            ],
          },
          { name: "productTypeIds", label: t("programs.field.productTypes"), help: t("programs.field.idsHelp") },
          { name: "categoryIds", label: t("programs.field.categories"), help: t("programs.field.idsHelp") },
          { name: "collectionIds", label: t("programs.field.collections"), help: t("programs.field.idsHelp") },
        ] as Field[])),
    { name: "pvMetadataKey", label: t("programs.field.pvKey"), help: t("programs.field.keyHelp", { key: "mlm.<code>.pv" }) },
    { name: "bvMetadataKey", label: t("programs.field.bvKey"), help: t("programs.field.keyHelp", { key: "mlm.<code>.bv" }) },
  ];
  const save = async (values: Record<string, string>): Promise<MlmError[]> => {
    if (editing === "new") {
      return (await client.request<{ programCreate: { errors: MlmError[] } }>(CREATE, { input: programInput(values) })).programCreate.errors;
    }
    const program = editing as ProgramRow;
    return (await client.request<{ programUpdate: { errors: MlmError[] } }>(UPDATE, { id: program.id, input: programInput(values, program.isDefault) })).programUpdate.errors;
  };

  return (
    <Page
      title={t("programs.title")}
      actions={
        missing.length === 0 && (
          <Button variant="primary" onClick={() => setEditing("new")} data-testid="program-create">
            {t("programs.create")}
          </Button>
        )
      }
    >
      <Section>
        <Text size={2} color="default2">
          {t("programs.intro")}
        </Text>
        {missing.length > 0 && <MissingApi fields={missing} />}
        {programs.error && <ErrorMessage error={programs.error} onRetry={programs.reload} />}
        {programs.loading && !programs.data && missing.length === 0 && <Loading rows={3} />}
        {programs.data && (
          <DataTable
            testId="programs-table"
            rows={rows}
            rowKey={(row) => row.id}
            columns={[
              {
                key: "name",
                header: t("programs.col.name"),
                render: (row) => (
                  <Box data-testid="program-row" data-code={row.code}>
                    <Text size={2} fontWeight="medium">
                      {row.displayName}
                    </Text>
                    <Text size={1} color="default2" display="block">
                      {row.code}
                      {row.isDefault ? ` · ${t("programs.default")}` : ""}
                    </Text>
                  </Box>
                ),
              },
              { key: "source", header: t("programs.col.source"), render: (row) => <Text size={2}>{source(row)}</Text> },
              { key: "keys", header: t("programs.col.keys"), render: (row) => <Text size={1}>{row.volumeSource.pvMetadataKey} · {row.volumeSource.bvMetadataKey}</Text> },
              { key: "members", header: t("programs.col.members"), align: "right", render: (row) => <Text size={2} data-testid="program-members">{format.number(row.memberCount)}</Text> },
              {
                key: "plan",
                header: t("programs.col.plan"),
                render: (row) => (
                  <Text size={2} color={row.planInForce ? "default1" : "default2"}>
                    {row.planInForce ? `${row.planInForce.displayName}${row.planInForce.inForceFrom ? ` · ${t("programs.since", { month: row.planInForce.inForceFrom.slice(0, 7) })}` : ""}` : t("programs.noPlan")}
                  </Text>
                ),
              },
              {
                key: "actions",
                header: "",
                render: (row) => (
                  <Box display="flex" gap={2} justifyContent="flex-end">
                    <Button variant="secondary" size="small" onClick={() => setEditing(row)} data-testid={`program-edit-${row.code}`}>
                      {t("programs.edit")}
                    </Button>
                    {!row.isDefault && (
                      <Button variant="tertiary" size="small" onClick={() => choice.select(row.code)} data-testid={`program-members-${row.code}`}>
                        {t("programs.showMembers")}
                      </Button>
                    )}
                  </Box>
                ),
              },
            ]}
          />
        )}
      </Section>
      {missing.length === 0 && <Members choice={choice} />}
      {editing && (
        <FormDialog
          title={editing === "new" ? t("programs.create") : t("programs.editTitle", { name: editing.displayName })}
          testId="program-dialog"
          fields={fields}
          initial={programValues(editing === "new" ? null : editing)}
          confirmLabel={t("common.save")}
          submit={save}
          onClose={() => setEditing(null)}
          onDone={(values) => {
            setEditing(null);
            host.notify("success", t("programs.saved", { name: values.name }));
            programs.reload();
            choice.reload();
          }}
        />
      )}
    </Page>
  );
}

/** The members of the program chosen in the switcher, with enroll, move and remove. */
function Members({ choice }: { choice: ProgramChoice }) {
  const { t, format, client, host, capabilities } = useApp();
  const missing = capabilities.missing(MEMBERS_FIELDS);
  const program = choice.program;
  const [search, setSearch] = useState("");
  const debounced = useDebounced(search, 300);
  const skip = missing.length > 0 || !program || program.isDefault;
  const members = useQuery<{ programMembers: { totalCount: number; edges: Array<{ node: Member }> } | null }>(MEMBERS, { programId: program?.id, search: debounced || null }, skip);
  const [dialog, setDialog] = useState<{ kind: "enroll" } | { kind: "move" | "remove"; member: Member } | null>(null);
  const errorsOf = async (query: string, variables: Record<string, unknown>, key: string) =>
    (await client.request<Record<string, { errors: MlmError[] }>>(query, variables))[key].errors;
  const done = (message: string) => {
    setDialog(null);
    host.notify("success", message);
    members.reload();
  };

  return (
    <Section
      title={t("programs.members")}
      testId="program-members-section"
      actions={
        <Box display="flex" gap={2} alignItems="flex-end" flexWrap="wrap">
          <ProgramSwitcher choice={choice} />
          {!skip && (
            <Button variant="secondary" onClick={() => setDialog({ kind: "enroll" })} data-testid="program-enroll">
              {t("programs.enroll")}
            </Button>
          )}
        </Box>
      }
    >
      {missing.length > 0 && <MissingApi fields={missing} />}
      {program?.isDefault && (
        <Text size={2} color="default2" data-testid="program-default-members">
          {t("programs.defaultMembers")}
        </Text>
      )}
      {!skip && (
        <>
          <Box __maxWidth="360px">
            <SearchInput size="small" placeholder={t("programs.searchMembers")} value={search} onChange={(event) => setSearch(event.target.value)} aria-label={t("programs.searchMembers")} />
          </Box>
          {members.error && <ErrorMessage error={members.error} onRetry={members.reload} />}
          {members.loading && !members.data && <Loading rows={3} />}
          {members.data?.programMembers && (
            <DataTable
              testId="program-members-table"
              rows={members.data.programMembers.edges.map((edge) => edge.node)}
              rowKey={(row) => row.partner.id}
              columns={[
                {
                  key: "partner",
                  header: t("programs.col.partner"),
                  render: (row) => (
                    <Text size={2} data-testid="program-member" data-code={row.partner.referralCode}>
                      {row.partner.displayName} · {row.partner.referralCode}
                    </Text>
                  ),
                },
                { key: "sponsor", header: t("programs.col.sponsor"), render: (row) => <Text size={2} data-testid="program-member-sponsor">{row.sponsor ? `${row.sponsor.displayName} · ${row.sponsor.referralCode}` : t("programs.top")}</Text> },
                { key: "frontline", header: t("programs.col.frontline"), align: "right", render: (row) => <Text size={2}>{format.number(row.frontlineCount)}</Text> },
                { key: "since", header: t("programs.col.enrolled"), render: (row) => <Text size={2}>{format.date(row.enrolledAt)}</Text> },
                {
                  key: "actions",
                  header: "",
                  render: (row) => (
                    <Box display="flex" gap={2} justifyContent="flex-end">
                      <Button variant="secondary" size="small" onClick={() => setDialog({ kind: "move", member: row })} data-testid={`member-move-${row.partner.referralCode}`}>
                        {t("programs.move")}
                      </Button>
                      <Button variant="tertiary" size="small" onClick={() => setDialog({ kind: "remove", member: row })} data-testid={`member-remove-${row.partner.referralCode}`}>
                        {t("programs.remove")}
                      </Button>
                    </Box>
                  ),
                },
              ]}
              empty={<Text size={2} color="default2">{t("programs.noMembers")}</Text>}
            />
          )}
        </>
      )}
      {program && dialog?.kind === "enroll" && (
        <FormDialog
          title={t("programs.enrollTitle", { program: program.displayName })}
          testId="enroll-dialog"
          intro={t("programs.enrollText")}
          fields={[
            { name: "partnerId", label: t("programs.col.partner"), kind: "partner", required: true },
            { name: "sponsorId", label: t("programs.sponsorInProgram"), kind: "partner", help: t("programs.sponsorHelp") },
          ]}
          confirmLabel={t("programs.enroll")}
          submit={(values) => errorsOf(ENROLL, { programId: program.id, partnerId: values.partnerId, sponsorId: values.sponsorId || null }, "programEnrollmentCreate")}
          onClose={() => setDialog(null)}
          onDone={() => done(t("programs.enrolled", { program: program.displayName }))}
        />
      )}
      {program && dialog?.kind === "move" && (
        <FormDialog
          title={t("programs.moveTitle", { name: dialog.member.partner.displayName })}
          testId="move-dialog"
          intro={t("programs.moveText")}
          fields={[
            { name: "sponsorId", label: t("programs.newSponsor"), kind: "partner", exclude: dialog.member.partner.id, help: t("programs.sponsorHelp") },
            { name: "reason", label: t("programs.reason"), kind: "textarea", required: true },
          ]}
          confirmLabel={t("programs.move")}
          submit={(values) => errorsOf(MOVE, { programId: program.id, partnerId: dialog.member.partner.id, sponsorId: values.sponsorId || null, reason: values.reason }, "programEnrollmentMove")}
          onClose={() => setDialog(null)}
          onDone={() => done(t("programs.moved", { name: dialog.member.partner.displayName }))}
        />
      )}
      {program && dialog?.kind === "remove" && (
        <FormDialog
          title={t("programs.removeTitle", { name: dialog.member.partner.displayName, program: program.displayName })}
          testId="remove-dialog"
          intro={t("programs.removeText")}
          fields={[{ name: "reason", label: t("programs.reason"), kind: "textarea", required: true }]}
          confirmLabel={t("programs.remove")}
          submit={(values) => errorsOf(REMOVE, { programId: program.id, partnerId: dialog.member.partner.id, reason: values.reason }, "programEnrollmentRemove")}
          onClose={() => setDialog(null)}
          onDone={() => done(t("programs.removed", { name: dialog.member.partner.displayName }))}
        />
      )}
    </Section>
  );
}
