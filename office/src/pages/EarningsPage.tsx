import { Box, Button, Text } from "@saleor/macaw-ui";
import { useState } from "react";

import { useOffice, useQuery } from "../app/context";
import { useLink } from "../app/router";
import { Card, ErrorMessage, Loading } from "../components/Feedback";
import { CardItem, CardList } from "../components/List";

export const EARNINGS = `query OfficeEarnings($after: String) {
  me { partner { id
    statements(first: 12, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { runKind currency total paid carriedForward period { id label status statusName } paidAsRank { name } } }
    }
  } }
  myCreditNotes(first: 24) { edges { node { id number kind status issueDate currency gross rendered downloadUrl period { label } } } }
}`;

interface StatementRow {
  runKind: string;
  currency: string;
  total: string | null;
  paid: string | null;
  carriedForward: string | null;
  period: { id: string; label: string; status: string; statusName: string };
  paidAsRank: { name: string } | null;
}

interface CreditNoteRow {
  id: string;
  number: string;
  kind: string;
  status: string;
  issueDate: string;
  currency: string;
  gross: string;
  rendered: boolean;
  downloadUrl: string | null;
  period: { label: string };
}

type Answer = {
  me: { partner: { statements: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: StatementRow }> } } };
  myCreditNotes: { edges: Array<{ node: CreditNoteRow }> };
};

function StatementItem({ row }: { row: StatementRow }) {
  const { t, format } = useOffice();
  const link = useLink({ name: "statement", period: row.period.label });
  const month = format.month(row.period.label);
  return (
    <CardItem
      extra={{ "data-period": row.period.label }}
      title={
        <Box as="a" {...link} color="default1" aria-label={t("earnings.open", { period: month })} data-testid="statement-open">
          {month}
        </Box>
      }
      detail={[row.runKind === "PREVIEW" ? t("earnings.preview") : row.period.statusName, row.paidAsRank?.name].filter(Boolean).join(" · ")}
      aside={
        <>
          <Text size={4} fontWeight="bold" data-testid="statement-total">
            {format.money(row.total, row.currency)}
          </Text>
          {row.paid !== null && Number(row.paid) > 0 && (
            <Text size={2} color="default2">
              {`${t("earnings.paid")} ${format.money(row.paid, row.currency)}`}
            </Text>
          )}
          {row.carriedForward !== null && Number(row.carriedForward) > 0 && (
            <Text size={2} color="default2">
              {`${t("earnings.carried")} ${format.money(row.carriedForward, row.currency)}`}
            </Text>
          )}
        </>
      }
    />
  );
}

/** The partner's statements per month (newest first) and its credit notes to download. */
export function EarningsPage() {
  const { t, format, client } = useOffice();
  const { data, error, loading, reload } = useQuery<Answer>(EARNINGS);
  const [more, setMore] = useState<StatementRow[]>([]);
  const [cursor, setCursor] = useState<{ hasNextPage: boolean; endCursor: string | null } | null>(null);
  if (error) return <ErrorMessage error={error} onRetry={reload} />;
  if (loading && !data) return <Loading />;
  if (!data) return null;
  const statements = data.me.partner.statements;
  const rows = [...statements.edges.map((edge) => edge.node), ...more];
  const pageInfo = cursor ?? statements.pageInfo;
  const loadMore = async () => {
    const answer = await client.request<Answer>(EARNINGS, { after: pageInfo.endCursor });
    setMore((previous) => [...previous, ...answer.me.partner.statements.edges.map((edge) => edge.node)]);
    setCursor(answer.me.partner.statements.pageInfo);
  };
  const notes = data.myCreditNotes.edges.map((edge) => edge.node);

  return (
    <Box display="flex" flexDirection="column" gap={4} data-testid="earnings-page">
      <Text as="h1" size={8} fontWeight="bold" data-testid="page-title">
        {t("earnings.title")}
      </Text>
      <Card title={t("earnings.statements")} testId="statements">
        {rows.length === 0 && <Text size={3}>{t("earnings.none")}</Text>}
        <CardList testId="statements-list">
          {rows.map((row) => (
            <StatementItem key={`${row.period.id}-${row.runKind}`} row={row} />
          ))}
        </CardList>
        {pageInfo.hasNextPage && (
          <Button variant="secondary" onClick={loadMore} data-testid="statements-more">
            {t("team.more")}
          </Button>
        )}
      </Card>
      <Card title={t("earnings.creditNotes")} testId="credit-notes">
        {notes.length === 0 && <Text size={3}>{t("earnings.noCreditNotes")}</Text>}
        <CardList testId="credit-notes-list">
          {notes.map((note) => (
            <CardItem
              key={note.id}
              extra={{ "data-number": note.number }}
              title={
                note.downloadUrl ? (
                  <Box as="a" href={note.downloadUrl} color="default1" data-testid="credit-note-download">
                    {t("earnings.download", { number: note.number })}
                  </Box>
                ) : (
                  t("earnings.notRendered", { number: note.number })
                )
              }
              detail={[format.month(note.period.label), format.date(note.issueDate), note.status === "CANCELLED" ? t("earnings.cancelled") : null].filter(Boolean).join(" · ")}
              aside={<Text size={4}>{format.money(note.gross, note.currency)}</Text>}
            />
          ))}
        </CardList>
      </Card>
    </Box>
  );
}
