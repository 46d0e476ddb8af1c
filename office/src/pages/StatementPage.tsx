import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useState } from "react";

import { useOffice, useQuery } from "../app/context";
import { useLink } from "../app/router";
import { Card, ErrorMessage, Loading } from "../components/Feedback";
import { CardItem, CardList } from "../components/List";

const LINES = `lines(first: 50, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { kind sourceName sourceCode level volume rate amount } } }`;

export const STATEMENT = `query OfficeStatement($period: String!, $after: String) {
  me { partner { id
    statement(period: $period) {
      runKind currency total combinedTotal payable paid carriedForward
      period { label statusName }
      program { displayName }
      sections { program { code displayName } total statement { bonuses { kind kindName amount } } }
      bonuses { kind kindName amount lineCount }
      ${LINES}
      creditNote { number downloadUrl }
    }
  } }
}`;

interface Line {
  kind: string | null;
  sourceName: string;
  sourceCode: string | null;
  level: number | null;
  volume: string | null;
  rate: string | null;
  amount: string;
}

type Lines = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: Line }> };

export interface StatementSection {
  program: { code: string; displayName: string };
  total: string;
  statement: { bonuses: Array<{ kind: string; kindName: string; amount: string }> };
}

interface StatementData {
  runKind: string;
  currency: string;
  total: string;
  combinedTotal: string;
  program: { displayName: string };
  sections: StatementSection[];
  payable: string | null;
  paid: string | null;
  carriedForward: string | null;
  period: { label: string; statusName: string };
  bonuses: Array<{ kind: string; kindName: string; amount: string; lineCount: number }>;
  lines: Lines;
  creditNote: { number: string; downloadUrl: string | null } | null;
}

type Answer = { me: { partner: { statement: StatementData | null } } };

/** One month's statement of the partner: bonuses, the lines in pages of 50, the balance. */
export function StatementPage({ period }: { period: string }) {
  const { t, format, client } = useOffice();
  const back = useLink({ name: "earnings" });
  const { data, error, loading, reload } = useQuery<Answer>(STATEMENT, { period });
  const [more, setMore] = useState<Line[]>([]);
  const [cursor, setCursor] = useState<Lines["pageInfo"] | null>(null);
  useEffect(() => {
    setMore([]);
    setCursor(null);
  }, [data]);
  if (error) return <ErrorMessage error={error} onRetry={reload} />;
  if (loading && !data) return <Loading />;
  const statement = data?.me.partner.statement;
  const title = t("statement.title", { period: format.month(period) });
  const header = (
    <Box display="flex" flexDirection="column" gap={1}>
      <Box as="a" {...back} color="default2" data-testid="statement-back">
        {`← ${t("statement.back")}`}
      </Box>
      <Text as="h1" size={8} fontWeight="bold" data-testid="page-title">
        {title}
      </Text>
    </Box>
  );
  if (!statement) {
    return (
      <Box display="flex" flexDirection="column" gap={4}>
        {header}
        <Text size={4} data-testid="statement-none">
          {t("statement.none")}
        </Text>
      </Box>
    );
  }
  const currency = statement.currency;
  const rows = [...statement.lines.edges.map((edge) => edge.node), ...more];
  const pageInfo = cursor ?? statement.lines.pageInfo;
  const kindNames = Object.fromEntries(statement.bonuses.map((bonus) => [bonus.kind, bonus.kindName]));
  const loadMore = async () => {
    const answer = await client.request<Answer>(STATEMENT, { period, after: pageInfo.endCursor });
    const lines = answer.me.partner.statement?.lines;
    if (!lines) return;
    setMore((previous) => [...previous, ...lines.edges.map((edge) => edge.node)]);
    setCursor(lines.pageInfo);
  };

  const several = statement.sections.length > 1;

  return (
    <Box display="flex" flexDirection="column" gap={4} data-testid="statement">
      {header}
      <Text size={3} color="default2">
        {statement.runKind === "PREVIEW" ? t("earnings.preview") : statement.period.statusName}
      </Text>
      {several && <ProgramSections sections={statement.sections} combinedTotal={statement.combinedTotal} currency={currency} />}
      <Card title={several ? t("statement.programBonuses", { program: statement.program.displayName }) : t("statement.bonuses")} testId="statement-bonuses">
        <CardList>
          {statement.bonuses.map((bonus) => (
            <CardItem key={bonus.kind} testId="statement-bonus" extra={{ "data-kind": bonus.kind }} title={bonus.kindName} detail={t("statement.lineCount", { count: format.integer(bonus.lineCount) })} aside={<Text size={4} fontWeight="bold">{format.money(bonus.amount, currency)}</Text>} />
          ))}
        </CardList>
        <Box display="flex" justifyContent="space-between">
          <Text size={4} fontWeight="bold">
            {t("earnings.total")}
          </Text>
          <Text size={5} fontWeight="bold" data-testid="statement-total">
            {format.money(statement.total, currency)}
          </Text>
        </Box>
      </Card>
      {statement.payable !== null && (
        <Card title={t("statement.balance")} testId="statement-balance">
          {[
            [t("statement.payable"), statement.payable],
            [t("earnings.paid"), statement.paid],
            [t("earnings.carried"), statement.carriedForward],
          ].map(([label, value]) => (
            <Box key={label} display="flex" justifyContent="space-between">
              <Text size={3}>{label}</Text>
              <Text size={3}>{format.money(value, currency)}</Text>
            </Box>
          ))}
          {statement.creditNote?.downloadUrl && (
            <Box as="a" href={statement.creditNote.downloadUrl} color="default1" data-testid="statement-credit-note">
              {t("earnings.download", { number: statement.creditNote.number })}
            </Box>
          )}
        </Card>
      )}
      <Card title={several ? t("statement.programLines", { program: statement.program.displayName }) : t("statement.lines")} testId="statement-lines">
        <Text size={2} color="default2" data-testid="statement-lines-shown" data-total={statement.lines.totalCount}>
          {t("statement.linesShown", { shown: format.integer(rows.length), total: format.integer(statement.lines.totalCount) })}
        </Text>
        <CardList testId="statement-lines-list">
          {rows.map((line, index) => (
            <CardItem
              key={index}
              title={line.sourceName}
              detail={[line.kind ? kindNames[line.kind] : null, line.level ? t("statement.level", { level: line.level }) : null, line.volume ? `${format.volume(line.volume)} × ${format.percent(line.rate)}` : null].filter(Boolean).join(" · ")}
              aside={<Text size={3}>{format.exactMoney(line.amount, currency)}</Text>}
            />
          ))}
        </CardList>
        {pageInfo.hasNextPage && (
          <Button variant="secondary" onClick={loadMore} data-testid="statement-more">
            {t("statement.more")}
          </Button>
        )}
      </Card>
    </Box>
  );
}

/** A month over several programs: a section per program with its bonuses and total, and the
 * total of all of them (what the balance below pays). */
export function ProgramSections({ sections, combinedTotal, currency }: { sections: StatementSection[]; combinedTotal: string; currency: string }) {
  const { t, format } = useOffice();
  return (
    <Card title={t("statement.programs")} testId="statement-programs">
      <CardList>
        {sections.map((section) => (
          <CardItem
            key={section.program.code}
            testId="statement-section"
            extra={{ "data-program": section.program.code }}
            title={section.program.displayName}
            detail={section.statement.bonuses.map((bonus) => `${bonus.kindName} ${format.money(bonus.amount, currency)}`).join(" · ") || t("statement.noBonus")}
            aside={
              <Text size={4} fontWeight="bold" data-testid="statement-section-total">
                {format.money(section.total, currency)}
              </Text>
            }
          />
        ))}
      </CardList>
      <Box display="flex" justifyContent="space-between">
        <Text size={4} fontWeight="bold">
          {t("statement.combinedTotal")}
        </Text>
        <Text size={5} fontWeight="bold" data-testid="statement-combined-total">
          {format.money(combinedTotal, currency)}
        </Text>
      </Box>
    </Card>
  );
}
