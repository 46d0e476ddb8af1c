import { Box, Button, Input, Text } from "@saleor/macaw-ui";
import { useEffect, useState } from "react";

import { useOffice, useQuery } from "../app/context";
import { Card, ErrorMessage, Loading } from "../components/Feedback";
import { CardItem, CardList } from "../components/List";

export const CUSTOMERS = `query OfficeCustomers($search: String, $after: String) {
  me { partner { id
    customers(search: $search, first: 50, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { id displayName email attributedAt volume { pv } care { effectiveShare carePartner { displayName } } } }
    }
  } }
}`;

export const CARED_FOR = `query OfficeCaredFor {
  me { partner { id
    careRelations(role: AS_BETREUER, first: 100) { edges { node { id effectiveShare validFrom customer { id displayName email volume { pv } } } } }
  } }
}`;

interface CustomerNode {
  id: string;
  displayName: string | null;
  email: string | null;
  attributedAt: string | null;
  volume: { pv: string } | null;
  care: { effectiveShare: string; carePartner: { displayName: string } | null } | null;
}

type Answer = { me: { partner: { customers: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: CustomerNode }> } } } };

/** What a customer bought this month (its own PV; the partner's share is beside it). */
function Volume({ pv }: { pv: string | undefined }) {
  const { t, format } = useOffice();
  if (pv === undefined) return null;
  return (
    <Text size={3} fontWeight="bold" data-testid="customer-volume" data-pv={pv}>
      {t("customers.volume", { pv: format.volume(pv) })}
    </Text>
  );
}

/** The partner's own customers (searchable, paged) and the customers it looks after, with the shares. */
export function CustomersPage() {
  const { t, format, client } = useOffice();
  const [search, setSearch] = useState("");
  const [debounced, setDebounced] = useState("");
  const [more, setMore] = useState<CustomerNode[]>([]);
  const [cursor, setCursor] = useState<{ hasNextPage: boolean; endCursor: string | null } | null>(null);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(search.trim()), 250);
    return () => window.clearTimeout(timer);
  }, [search]);
  const own = useQuery<Answer>(CUSTOMERS, { search: debounced || null });
  const cared = useQuery<{ me: { partner: { careRelations: { edges: Array<{ node: { id: string; effectiveShare: string; validFrom: string; customer: { id: string; displayName: string | null; email: string | null; volume: { pv: string } | null } | null } }> } } } }>(CARED_FOR);
  useEffect(() => {
    setMore([]);
    setCursor(null);
  }, [own.data]);
  const customers = own.data?.me.partner.customers;
  const rows = [...(customers?.edges.map((edge) => edge.node) ?? []), ...more];
  const pageInfo = cursor ?? customers?.pageInfo;
  const loadMore = async () => {
    const answer = await client.request<Answer>(CUSTOMERS, { search: debounced || null, after: pageInfo?.endCursor });
    setMore((previous) => [...previous, ...answer.me.partner.customers.edges.map((edge) => edge.node)]);
    setCursor(answer.me.partner.customers.pageInfo);
  };
  const caredFor = (cared.data?.me.partner.careRelations.edges ?? []).map((edge) => edge.node).filter((node) => node.customer);

  return (
    <Box display="flex" flexDirection="column" gap={4} data-testid="customers">
      <Text as="h1" size={8} fontWeight="bold" data-testid="page-title">
        {t("customers.title")}
      </Text>
      <Card title={t("customers.own")} testId="own-customers">
        <Input label={t("customers.search")} value={search} onChange={(event) => setSearch(event.target.value)} data-testid="customers-search" type="text" />
        {own.error && <ErrorMessage error={own.error} onRetry={own.reload} />}
        {own.loading && !own.data && <Loading />}
        {customers && (
          <Text size={3} color="default2" data-testid="customers-total" data-total={customers.totalCount}>
            {t("customers.total", { count: format.integer(customers.totalCount) })}
          </Text>
        )}
        {customers && rows.length === 0 && <Text size={3}>{debounced ? t("customers.empty") : t("customers.none")}</Text>}
        {rows.length > 0 && (
          <CardList testId="customers-list">
            {rows.map((node) => (
              <CardItem
                key={node.id}
                title={node.displayName || node.email || "—"}
                detail={
                  <>
                    <span>{[node.email, node.attributedAt ? t("customers.since", { date: format.date(node.attributedAt) }) : null].filter(Boolean).join(" · ")}</span>
                    {node.care && (
                      <Text as="span" display="block" size={2} color="default2">
                        {t("customers.caredByShare", { carer: node.care.carePartner?.displayName ?? "—", share: format.percent(node.care.effectiveShare) })}
                      </Text>
                    )}
                  </>
                }
                aside={<Volume pv={node.volume?.pv} />}
              />
            ))}
          </CardList>
        )}
        {pageInfo?.hasNextPage && (
          <Button variant="secondary" onClick={loadMore} data-testid="customers-more">
            {t("team.more")}
          </Button>
        )}
      </Card>
      <Card title={t("customers.caredFor")} testId="cared-for-customers">
        {cared.error && <ErrorMessage error={cared.error} onRetry={cared.reload} />}
        {cared.data && caredFor.length === 0 && <Text size={3}>{t("team.careEmpty")}</Text>}
        {caredFor.length > 0 && (
          <CardList>
            {caredFor.map((node) => (
              <CardItem
                key={node.id}
                title={node.customer?.displayName || node.customer?.email || "—"}
                detail={t("customers.since", { date: format.date(node.validFrom) })}
                aside={
                  <>
                    <Volume pv={node.customer?.volume?.pv} />
                    <Text size={2} color="default2">
                      {t("customers.share", { share: format.percent(node.effectiveShare) })}
                    </Text>
                  </>
                }
              />
            ))}
          </CardList>
        )}
      </Card>
    </Box>
  );
}
