import { Box, Button, Input, Text } from "@saleor/macaw-ui";
import { useEffect, useState } from "react";

import { useOffice, useQuery } from "../app/context";
import { Card, ErrorMessage, Loading } from "../components/Feedback";

const MEMBER = `fragment OfficeMember on Partner {
  id
  displayName
  referralCode
  enrolledAt
  paidAsRank { name }
  volumes { pv qualified }
  frontline(first: 1) { totalCount }
}`;

export const TEAM_LIST = `query OfficeTeam($search: String, $first: Int!, $after: String) {
  me { partner { id downline(search: $search, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { level node { ...OfficeMember } }
  } } }
}
${MEMBER}`;

export const TEAM_FRONTLINE = `query OfficeFrontline {
  me { partner { id frontline(first: 100) { totalCount edges { node { ...OfficeMember } } } } }
}
${MEMBER}`;

/** The first level of someone in the partner's downline, found by referral code (exact). */
export const TEAM_BRANCH = `query OfficeBranch($code: String!) {
  me { partner { id downline(search: $code, first: 5) { edges { node { referralCode frontline(first: 100) { totalCount edges { node { ...OfficeMember } } } } } } } }
}
${MEMBER}`;

export const TEAM_NEW = `query OfficeTeamNew { me { partner { id newPartners } } }`;

export const TEAM_CARE = `query OfficeCare {
  me { partner { id
    asBetreuer: careRelations(role: AS_BETREUER, first: 50) { edges { node { id effectiveShare partner { displayName } customer { displayName } } } }
    asRecruiter: careRelations(role: AS_RECRUITER, first: 50) { edges { node { id effectiveShare carePartner { displayName } partner { displayName } customer { displayName } } } }
  } }
}`;

interface Member {
  id: string;
  displayName: string;
  referralCode: string;
  enrolledAt: string | null;
  paidAsRank: { name: string } | null;
  volumes: { pv: string; qualified: boolean | null } | null;
  frontline: { totalCount: number } | null;
}

interface Connection {
  totalCount: number;
  edges: Array<{ node: Member }>;
}

const PAGE = 50;

function isNew(enrolledAt: string | null): boolean {
  if (!enrolledAt) return false;
  const enrolled = new Date(enrolledAt);
  const now = new Date();
  return enrolled.getUTCFullYear() === now.getUTCFullYear() && enrolled.getUTCMonth() === now.getUTCMonth();
}

function NewMark({ enrolledAt }: { enrolledAt: string | null }) {
  const { t } = useOffice();
  if (!isNew(enrolledAt)) return null;
  return (
    <Text size={1} fontWeight="bold" color="success1" data-testid="new-partner">
      {` · ${t("team.new")}`}
    </Text>
  );
}

/** The downline as a list: searchable, by level, in pages of 50. */
function TeamList() {
  const { t, format, client } = useOffice();
  const [search, setSearch] = useState("");
  const [debounced, setDebounced] = useState("");
  const [more, setMore] = useState<Array<{ level: number; node: Member }>>([]);
  const [cursor, setCursor] = useState<{ hasNextPage: boolean; endCursor: string | null } | null>(null);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(search.trim()), 250);
    return () => window.clearTimeout(timer);
  }, [search]);
  type Answer = { me: { partner: { downline: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ level: number; node: Member }> } } } };
  const { data, error, loading, reload } = useQuery<Answer>(TEAM_LIST, { search: debounced || null, first: PAGE });
  useEffect(() => {
    setMore([]);
    setCursor(null);
  }, [data]);
  const downline = data?.me.partner.downline;
  const rows = [...(downline?.edges ?? []), ...more];
  const pageInfo = cursor ?? downline?.pageInfo;

  const loadMore = async () => {
    const answer = await client.request<Answer>(TEAM_LIST, { search: debounced || null, first: PAGE, after: pageInfo?.endCursor });
    setMore((previous) => [...previous, ...answer.me.partner.downline.edges]);
    setCursor(answer.me.partner.downline.pageInfo);
  };

  return (
    <Box display="flex" flexDirection="column" gap={3}>
      <Input
        label={t("team.search")}
        helperText={t("team.searchHint")}
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        data-testid="team-search"
        type="text"
      />
      {error && <ErrorMessage error={error} onRetry={reload} />}
      {loading && !data && <Loading />}
      {downline && (
        <Text size={3} color="default2" data-testid="team-total" data-total={downline.totalCount}>
          {t("team.total", { count: format.integer(downline.totalCount) })}
        </Text>
      )}
      {downline && rows.length === 0 && (
        <Text size={3} data-testid="team-empty">
          {debounced ? t("team.empty") : t("team.none")}
        </Text>
      )}
      {rows.length > 0 && (
        <Box as="ul" margin={0} padding={0} className="plain-list" display="flex" flexDirection="column" gap={2} data-testid="team-list">
          {rows.map(({ level, node }) => (
            <Box
              as="li"
              key={node.id}
              data-testid="row"
              data-code={node.referralCode}
              display="grid"
              __gridTemplateColumns="minmax(0, 1fr) auto"
              gap={1}
              padding={3}
              borderRadius={3}
              borderStyle="solid"
              borderWidth={1}
              borderColor="default1"
            >
              <Box>
                <Text size={4} fontWeight="bold">
                  {node.displayName}
                </Text>
                <NewMark enrolledAt={node.enrolledAt} />
                <Text as="p" size={2} color="default2">
                  {`${t("team.level", { level })} · ${node.paidAsRank?.name ?? t("home.noRank")}`}
                </Text>
              </Box>
              <Box textAlign="right">
                <Text as="p" size={3} data-testid="row-pv">
                  {`${t("team.pv")} ${format.volume(node.volumes?.pv)}`}
                </Text>
                <Text as="p" size={2} color={node.volumes?.qualified ? "success1" : "default2"} data-testid="row-active">
                  {`${t("team.active")}: ${node.volumes?.qualified ? t("team.yes") : t("team.no")}`}
                </Text>
              </Box>
            </Box>
          ))}
        </Box>
      )}
      {pageInfo?.hasNextPage && (
        <Button variant="secondary" onClick={loadMore} data-testid="team-more">
          {t("team.more")}
        </Button>
      )}
    </Box>
  );
}

/** One partner in the tree, with a button that opens its first level. */
function TreeNode({ member, depth }: { member: Member; depth: number }) {
  const { t, format, client } = useOffice();
  const [open, setOpen] = useState(false);
  const [children, setChildren] = useState<Member[] | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const count = member.frontline?.totalCount ?? 0;

  const toggle = async () => {
    if (open) return setOpen(false);
    setOpen(true);
    if (children) return;
    try {
      type Answer = { me: { partner: { downline: { edges: Array<{ node: { referralCode: string; frontline: Connection } }> } } } };
      const answer = await client.request<Answer>(TEAM_BRANCH, { code: member.referralCode });
      const found = answer.me.partner.downline.edges.find((edge) => edge.node.referralCode === member.referralCode);
      setChildren(found?.node.frontline.edges.map((edge) => edge.node) ?? []);
    } catch (failure) {
      setError(failure as Error);
    }
  };

  return (
    <Box as="li" data-testid="tree-node" data-code={member.referralCode} display="flex" flexDirection="column" gap={1}>
      <Box display="flex" alignItems="center" gap={2} flexWrap="wrap">
        {count > 0 ? (
          <Button
            size="small"
            variant="tertiary"
            aria-expanded={open}
            aria-label={open ? t("team.collapse", { name: member.displayName }) : t("team.expand", { name: member.displayName })}
            data-testid="tree-toggle"
            onClick={toggle}
          >
            {open ? "−" : "+"}
          </Button>
        ) : (
          <Box __width="32px" />
        )}
        <Text size={3} fontWeight="bold">
          {member.displayName}
        </Text>
        <NewMark enrolledAt={member.enrolledAt} />
        <Text size={2} color="default2">
          {`${member.paidAsRank?.name ?? t("home.noRank")} · ${t("team.pv")} ${format.volume(member.volumes?.pv)}${count ? ` · ${format.integer(count)}` : ""}`}
        </Text>
      </Box>
      {open && error && <ErrorMessage error={error} />}
      {open && !children && !error && <Loading />}
      {open && children && (
        <Box as="ul" margin={0} __paddingLeft={depth < 6 ? "20px" : "8px"} className="plain-list" display="flex" flexDirection="column" gap={1}>
          {children.map((child) => (
            <TreeNode key={child.id} member={child} depth={depth + 1} />
          ))}
        </Box>
      )}
    </Box>
  );
}

/** The downline by sponsor as a tree: the first level, each branch opened on demand. */
function TeamTree() {
  const { t } = useOffice();
  const { data, error, loading, reload } = useQuery<{ me: { partner: { frontline: Connection } } }>(TEAM_FRONTLINE);
  if (error) return <ErrorMessage error={error} onRetry={reload} />;
  if (loading && !data) return <Loading />;
  const frontline = data?.me.partner.frontline;
  if (!frontline?.edges.length) return <Text size={3}>{t("team.none")}</Text>;
  return (
    <Box as="ul" margin={0} padding={0} className="plain-list" display="flex" flexDirection="column" gap={1} data-testid="team-tree">
      {frontline.edges.map((edge) => (
        <TreeNode key={edge.node.id} member={edge.node} depth={1} />
      ))}
    </Box>
  );
}

interface CareNode {
  id: string;
  effectiveShare: string;
  partner: { displayName: string } | null;
  customer: { displayName: string } | null;
  carePartner?: { displayName: string } | null;
}

/** Whom the partner looks after, and who looks after its own recruits, with the shares. */
function CareRelations() {
  const { t, format } = useOffice();
  const { data, error } = useQuery<{ me: { partner: { asBetreuer: { edges: Array<{ node: CareNode }> }; asRecruiter: { edges: Array<{ node: CareNode }> } } } }>(TEAM_CARE);
  if (error) return <ErrorMessage error={error} />;
  if (!data) return null;
  const caresFor = data.me.partner.asBetreuer.edges.map((edge) => edge.node);
  const caredBy = data.me.partner.asRecruiter.edges.map((edge) => edge.node);
  const nameOf = (node: CareNode) => node.partner?.displayName ?? node.customer?.displayName ?? "—";
  return (
    <Card title={t("team.care")} testId="team-care">
      {!caresFor.length && !caredBy.length && <Text size={3}>{t("team.careEmpty")}</Text>}
      <Box as="ul" margin={0} padding={0} className="plain-list" display="flex" flexDirection="column" gap={1}>
        {caresFor.map((node) => (
          <Box as="li" key={node.id} data-testid="cares-for">
            <Text size={3}>{t("team.caresFor", { name: nameOf(node), share: format.percent(node.effectiveShare) })}</Text>
          </Box>
        ))}
        {caredBy.map((node) => (
          <Box as="li" key={node.id} data-testid="cared-by">
            <Text size={3}>
              {t("team.caredBy", { name: nameOf(node), carer: node.carePartner?.displayName ?? "—", share: format.percent(node.effectiveShare) })}
            </Text>
          </Box>
        ))}
      </Box>
    </Card>
  );
}

/** How many partners joined the downline this month (the whole downline, not the page shown). */
function NewThisMonth() {
  const { t, format } = useOffice();
  const { data } = useQuery<{ me: { partner: { newPartners: number | null } } }>(TEAM_NEW);
  const count = data?.me.partner.newPartners;
  if (count === undefined || count === null) return null;
  return (
    <Text size={3} color="default2" data-testid="team-new" data-count={count}>
      {t("team.newThisMonth", { count: format.integer(count) })}
    </Text>
  );
}

export function TeamPage() {
  const { t } = useOffice();
  const [view, setView] = useState<"list" | "tree">("list");
  return (
    <Box display="flex" flexDirection="column" gap={4} data-testid="team">
      <Text as="h1" size={8} fontWeight="bold" data-testid="page-title">
        {t("team.title")}
      </Text>
      <NewThisMonth />
      <Box role="group" aria-label={t("team.viewLabel")} display="flex" gap={2}>
        {(["list", "tree"] as const).map((name) => (
          <Button
            key={name}
            size="small"
            variant={view === name ? "primary" : "secondary"}
            aria-pressed={view === name}
            data-testid={`team-view-${name}`}
            onClick={() => setView(name)}
          >
            {t(name === "list" ? "team.list" : "team.tree")}
          </Button>
        ))}
      </Box>
      {view === "list" ? <TeamList /> : <TeamTree />}
      <CareRelations />
    </Box>
  );
}
