/**
 * A program's network for the genealogy (a program other than the default, whose network is
 * the partner table): its members under their sponsors there, from `programMembers`, as the
 * tree's nodes. The default program's genealogy reads `partners` and `genealogy` as before.
 */
import type { ApiNode } from "./tree";

export const MEMBER_NODE = `partner { id displayName referralCode status } sponsor { id referralCode } frontlineCount`;

export const PROGRAM_MEMBERS = `query ProgramNetwork($programId: ID!, $sponsorId: ID, $isRoot: Boolean, $search: String, $after: String) {
  programMembers(programId: $programId, sponsorId: $sponsorId, isRoot: $isRoot, search: $search, first: 100, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { ${MEMBER_NODE} } }
  }
}`;

export interface MemberNode {
  partner: { id: string; displayName: string; referralCode: string; status: string | null };
  sponsor: { id: string; referralCode: string } | null;
  frontlineCount: number;
}

export interface MembersPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Array<{ node: MemberNode }>;
}

/** A member as the tree's node: its sponsor in the program, its frontline there. */
export function memberNode(member: MemberNode): ApiNode {
  return {
    id: member.partner.id,
    displayName: member.partner.displayName,
    referralCode: member.partner.referralCode,
    status: member.partner.status,
    sponsor: member.sponsor ? { id: member.sponsor.id } : null,
    care: null,
    frontline: { totalCount: member.frontlineCount },
  };
}

interface Requester {
  request<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

/** Every page of members matching `filter` (the roots, one sponsor's frontline, a search). */
export async function allMembers(client: Requester, programId: string, filter: { sponsorId?: string; isRoot?: boolean; search?: string }, limit = 20000): Promise<MemberNode[]> {
  const found: MemberNode[] = [];
  let after: string | null = null;
  do {
    const data: { programMembers: MembersPage | null } = await client.request(PROGRAM_MEMBERS, { programId, ...filter, after });
    if (!data.programMembers) break;
    found.push(...data.programMembers.edges.map((edge) => edge.node));
    after = data.programMembers.pageInfo.hasNextPage ? data.programMembers.pageInfo.endCursor : null;
  } while (after && found.length < limit);
  return found;
}

/** A member and its sponsors in the program up to the top, top first (empty when it is no member). */
export async function memberUpline(client: Requester, programId: string, referralCode: string): Promise<ApiNode[]> {
  const chain: ApiNode[] = [];
  const seen = new Set<string>();
  for (let code: string | null = referralCode; code && chain.length < 10000; ) {
    const wanted: string = code.toLowerCase();
    const member: MemberNode | undefined = (await allMembers(client, programId, { search: code }, 100)).find((found) => found.partner.referralCode.toLowerCase() === wanted);
    if (!member || seen.has(member.partner.id)) break;
    seen.add(member.partner.id);
    chain.push(memberNode(member));
    code = member.sponsor?.referralCode ?? null;
  }
  return chain.reverse();
}
