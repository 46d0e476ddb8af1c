import { Box, Text } from "@saleor/macaw-ui";

import { useApp } from "../../app/context";
import { useQuery } from "../../app/useQuery";
import { DataTable } from "../../components/DataTable";
import { ErrorMessage } from "../../components/Feedback";
import { Section } from "../../components/Layout";
import { Money } from "../../components/Money";

/**
 * A partner's month over every program it is in (issue 19, "combined"): a part per program
 * with its total, rank, volumes and bonuses, and the total over all programs, which the
 * month's balance takes. Shown when the partner is in more than one program; the statement's
 * own figures, bonuses and lines below are the default program's.
 */
export const SECTIONS_FIELDS = ["Statement.sections", "Statement.combinedTotal", "StatementSection.program"];

const SECTIONS = `query PartnerStatementSections($period: String!, $partnerId: ID!) {
  statement(period: $period, partnerId: $partnerId) {
    currency combinedTotal
    sections { program { code displayName isDefault } total statement { pv gv ov qualified paidAsRank { name } bonuses { kind kindName amount } } }
  }
}`;

export interface SectionRow {
  program: { code: string; displayName: string; isDefault: boolean };
  total: string;
  statement: { pv: string; gv: string; ov: string; qualified: boolean; paidAsRank: { name: string } | null; bonuses: Array<{ kind: string; kindName: string; amount: string }> };
}

export function StatementSections({ partnerId, period }: { partnerId: string; period: string }) {
  const { t, format, capabilities } = useApp();
  const skip = capabilities.missing(SECTIONS_FIELDS).length > 0;
  const answer = useQuery<{ statement: { currency: string; combinedTotal: string; sections: SectionRow[] } | null }>(SECTIONS, { period, partnerId }, skip);
  const statement = answer.data?.statement;
  if (skip) return null;
  if (answer.error) {
    return (
      <Section title={t("statement.programs")} testId="statement-programs">
        <ErrorMessage error={answer.error} onRetry={answer.reload} />
      </Section>
    );
  }
  if (!statement || statement.sections.length < 2) return null;
  return (
    <Section title={t("statement.programs")} testId="statement-programs">
      <Text size={2} color="default2">
        {t("statement.programsIntro")}
      </Text>
      <DataTable
        testId="statement-programs-table"
        rows={statement.sections}
        rowKey={(row) => row.program.code}
        columns={[
          {
            key: "program",
            header: t("programs.col.name"),
            render: (row) => (
              <Text size={2} fontWeight="medium" data-testid="statement-program" data-code={row.program.code}>
                {row.program.displayName}
              </Text>
            ),
          },
          { key: "rank", header: t("partner.paidAsRank"), render: (row) => <Text size={2}>{row.statement.paidAsRank?.name ?? t("common.none")}</Text> },
          { key: "pv", header: "PV", align: "right", render: (row) => <Text size={2}>{format.volume(row.statement.pv)}</Text> },
          { key: "gv", header: "GV", align: "right", render: (row) => <Text size={2}>{format.volume(row.statement.gv)}</Text> },
          {
            key: "bonuses",
            header: t("statement.bonuses"),
            render: (row) => (
              <Text size={2}>
                {row.statement.bonuses.filter((bonus) => Number(bonus.amount) !== 0).map((bonus) => `${bonus.kindName} ${format.money(bonus.amount, statement.currency)}`).join(" · ") || t("common.none")}
              </Text>
            ),
          },
          { key: "total", header: t("statement.total"), align: "right", render: (row) => <Money value={row.total} currency={statement.currency} /> },
        ]}
      />
      <Box display="flex" justifyContent="flex-end" gap={2} alignItems="baseline" data-testid="statement-combined-total">
        <Text size={3}>{t("statement.combinedTotal")}</Text>
        <Money value={statement.combinedTotal} currency={statement.currency} size={5} fontWeight="bold" />
      </Box>
    </Section>
  );
}
