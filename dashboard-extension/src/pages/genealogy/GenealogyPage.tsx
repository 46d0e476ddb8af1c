import { Box, Button, SearchInput, Text } from "@saleor/macaw-ui";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";

import { useApp } from "../../app/context";
import { ProgramSwitcher, useProgram, type ProgramSummary } from "../../app/program";
import { useLink, useRouter } from "../../app/router";
import { ErrorMessage } from "../../components/Feedback";
import { Page } from "../../components/Layout";
import { PartnerPicker } from "../../components/PartnerPicker";
import { StatusChip } from "../../components/StatusChip";
import { GenealogyLegend } from "./GenealogyLegend";
import { allMembers, memberNode, memberUpline } from "./programNetwork";
import { COMPANY, layoutTree, syntheticNodes, TreeStore, type ApiNode } from "./tree";
import { TreeCanvas, type TreeCanvasHandle } from "./TreeCanvas";

const NODE = `id displayName referralCode status sponsor { id } care { effectiveShare carePartner { id } } frontline { totalCount }`;

const ROOTS = `query GenealogyRoots($after: String) {
  partners(filter: {isRoot: true}, first: 100, after: $after, sortBy: {field: NAME}) {
    pageInfo { hasNextPage endCursor }
    edges { node { ${NODE} } }
  }
}`;

const ONE = `query GenealogyPartner($id: ID!) { partner(id: $id) { ${NODE} } }`;

const BELOW = `query GenealogyBelow($id: ID!, $depth: Int!, $after: String, $search: String) {
  genealogy(partnerId: $id, depth: $depth, first: 100, after: $after, search: $search) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { level node { ${NODE} } }
  }
}`;

/** A partner and its sponsors, 6 at a time (within the API's depth limit of 12). */
const PATH_LEVELS = 6;
const nestedSponsors = (levels: number): string => (levels ? `sponsor { ${NODE} ${nestedSponsors(levels - 1)} }` : "");
const PATH = `query GenealogyPath($id: ID!) { partner(id: $id) { ${NODE} ${nestedSponsors(PATH_LEVELS - 1)} } }`;
type PathNode = Omit<ApiNode, "sponsor"> & { sponsor: (Partial<PathNode> & { id: string }) | null };

const ANCESTORS = `query GenealogyAncestors($id: ID!) {
  partner(id: $id) { id sponsor { id sponsor { id sponsor { id sponsor { id sponsor { id sponsor { id } } } } } } }
}`;

type Connection = {
  totalCount?: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Array<{ level?: number; node: ApiNode }>;
};

/** Most partners the page loads with "load levels" (the canvas stays smooth far beyond). */
const LOAD_LIMIT = 20000;

/** The network of the program chosen in the switcher (program.tsx): the partner table's for the default program, a program's enrollments for another. */
export function GenealogyPage({ root, focus = null }: { root: string | null; focus?: string | null }) {
  const choice = useProgram();
  if (!choice.ready) return null;
  const program = choice.program && !choice.program.isDefault ? choice.program : null;
  return <Genealogy key={program?.code ?? ""} root={root} focus={focus} program={program} switcher={<ProgramSwitcher choice={choice} />} />;
}

function Genealogy({ root, focus, program, switcher }: { root: string | null; focus: string | null; program: ProgramSummary | null; switcher: ReactNode }) {
  const { t, format, client, state } = useApp();
  const { navigate } = useRouter();
  const programId = program?.id ?? null;
  const synthetic = !programId && state.mode === "demo" ? Number(new URLSearchParams(window.location.search).get("synthetic") || 0) : 0;
  const store = useMemo(() => new TreeStore(t("genealogy.company")), [root, focus, synthetic]); // eslint-disable-line react-hooks/exhaustive-deps
  const [version, setVersion] = useState(0);
  const [showAllCare, setShowAllCare] = useState(true);
  /** The upline of the focused partner, from the top (empty without a focus). */
  const [path, setPath] = useState<Array<{ id: string; name: string }>>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [search, setSearch] = useState("");
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const canvas = useRef<TreeCanvasHandle>(null);
  const bump = useCallback(() => setVersion(store.version), [store]);
  const topId = root ?? COMPANY;

  const loadChildren = useCallback(
    async (id: string, depth = 1) => {
      if (programId) {
        // A program's network, one frontline at a time (level by level for more levels).
        let level = [id];
        for (let step = 0; step < depth && level.length; step++) {
          const next: string[] = [];
          for (const sponsorId of level) {
            const nodes = (await allMembers(client, programId, { sponsorId })).map(memberNode);
            store.upsert(nodes, sponsorId);
            store.markLoaded(sponsorId, true);
            next.push(...nodes.filter((node) => (node.frontline?.totalCount ?? 0) > 0).map((node) => node.id));
          }
          bump();
          level = next;
        }
        return;
      }
      let after: string | null = null;
      let loaded = 0;
      do {
        const data: { genealogy: Connection } = await client.request(BELOW, { id, depth, after });
        const nodes = data.genealogy.edges.map((edge) => edge.node);
        store.upsert(nodes, id);
        // Everything above the last level loaded has all its frontline here.
        data.genealogy.edges.forEach((edge) => {
          if ((edge.level ?? depth) < depth) store.markLoaded(edge.node.id, true);
        });
        loaded += nodes.length;
        bump();
        after = data.genealogy.pageInfo.hasNextPage ? data.genealogy.pageInfo.endCursor : null;
        if (depth > 1) setBusy(`${format.number(loaded)} / ${format.number(data.genealogy.totalCount ?? loaded)}`);
      } while (after && loaded < LOAD_LIMIT);
      store.markLoaded(id, true);
      bump();
    },
    [client, store, bump, format, programId],
  );

  // The start: one partner and its frontline, or the company's roots.
  useEffect(() => {
    let cancelled = false;
    setSelected(null);
    setError(null);
    setPath([]);
    /** The partner and its sponsors up to the top, top first. */
    const uplineOf = async (id: string): Promise<ApiNode[]> => {
      const chain: ApiNode[] = [];
      for (let next: string | null = id; next && chain.length < 100000; ) {
        const data: { partner: PathNode | null } = await client.request(PATH, { id: next });
        if (!data.partner) {
          if (!chain.length) throw new Error(t("partner.notFound"));
          break;
        }
        next = null;
        for (let cursor: PathNode | null = data.partner; cursor; ) {
          chain.push({ ...cursor, sponsor: cursor.sponsor ? { id: cursor.sponsor.id } : null });
          const sponsor: PathNode["sponsor"] = cursor.sponsor;
          if (sponsor && "displayName" in sponsor) cursor = sponsor as PathNode;
          else {
            next = sponsor?.id ?? null; // further up than this answer reaches
            cursor = null;
          }
        }
      }
      return chain.reverse();
    };
    const start = async () => {
      if (programId && (focus || root)) {
        // A partner in the program: its upline there from the top, and its frontline there.
        const data = await client.request<{ partner: ApiNode | null }>(ONE, { id: focus ?? root });
        if (!data.partner) throw new Error(t("partner.notFound"));
        const chain = await memberUpline(client, programId, data.partner.referralCode);
        if (cancelled) return;
        if (!chain.length) throw new Error(t("programs.notMember", { name: data.partner.displayName, program: program?.displayName ?? "" }));
        store.upsert(chain);
        chain.slice(0, -1).forEach((node) => store.toggle(node.id, true));
        await loadChildren(chain[chain.length - 1].id, 1);
        if (cancelled) return;
        setPath(chain.map((node) => ({ id: node.id, name: node.displayName })));
        setSelected(chain[chain.length - 1].id);
        bump();
        requestAnimationFrame(() => canvas.current?.centerOn(chain[chain.length - 1].id, 1));
        return;
      } else if (programId) {
        store.upsert((await allMembers(client, programId, { isRoot: true })).map(memberNode));
        store.markLoaded(COMPANY, true);
        const roots = store.get(COMPANY)!.children;
        if (roots.length <= 20) for (const id of roots) if (!cancelled) await loadChildren(id, 2);
      } else if (synthetic) {
        store.upsert(syntheticNodes(synthetic));
        store.setAllExpanded(true);
        store.markLoaded(COMPANY, true);
      } else if (focus) {
        // "Show in genealogy": the partner's upline from the top, each sponsor opened on the
        // way down (its other recruits load with a double-click), and the partner's frontline.
        const chain = await uplineOf(focus);
        if (cancelled) return;
        store.upsert(chain);
        chain.slice(0, -1).forEach((node) => store.toggle(node.id, true));
        await loadChildren(focus, 1);
        if (cancelled) return;
        setPath(chain.map((node) => ({ id: node.id, name: node.displayName })));
        setSelected(focus);
        bump();
        requestAnimationFrame(() => canvas.current?.centerOn(focus, 1));
        return;
      } else if (root) {
        const data = await client.request<{ partner: ApiNode | null }>(ONE, { id: root });
        if (!data.partner) throw new Error(t("partner.notFound"));
        store.upsert([{ ...data.partner, sponsor: null }], COMPANY);
        await loadChildren(root, 2);
      } else {
        let after: string | null = null;
        do {
          const data: { partners: Connection } = await client.request(ROOTS, { after });
          store.upsert(data.partners.edges.map((edge) => edge.node));
          after = data.partners.pageInfo.hasNextPage ? data.partners.pageInfo.endCursor : null;
        } while (after);
        store.markLoaded(COMPANY, true);
        // A company with a few roots: open their first two levels right away.
        const roots = store.get(COMPANY)!.children;
        if (roots.length <= 20) for (const id of roots) if (!cancelled) await loadChildren(id, 2);
      }
      if (!cancelled) {
        bump();
        requestAnimationFrame(() => canvas.current?.fit());
      }
    };
    setBusy("…");
    start()
      .catch((failure) => !cancelled && setError(failure))
      .finally(() => !cancelled && setBusy(null));
    return () => {
      cancelled = true;
    };
  }, [store, root, focus, synthetic, client, loadChildren, bump, t, programId, program]);

  const layout = useMemo(() => layoutTree(store, COMPANY, topId !== COMPANY), [store, version, topId]); // eslint-disable-line react-hooks/exhaustive-deps
  const matches = useMemo(() => store.search(search), [store, search, version]); // eslint-disable-line react-hooks/exhaustive-deps
  const highlighted = useMemo(() => new Set(matches.map((node) => node.id)), [matches]);
  const shownCount = layout.placed.filter((placed) => placed.node.id !== COMPANY).length;

  const toggle = useCallback(
    async (id: string) => {
      const node = store.get(id);
      if (!node || id === COMPANY) return;
      if (!node.loaded && node.childCount !== 0) {
        setBusy("…");
        try {
          await loadChildren(id, 1);
        } catch (failure) {
          setError(failure as Error);
        } finally {
          setBusy(null);
        }
        return;
      }
      store.toggle(id);
      bump();
    },
    [store, loadChildren, bump],
  );

  const loadLevels = async (levels: number) => {
    setBusy("…");
    try {
      const starts = topId === COMPANY ? store.get(COMPANY)!.children : [topId];
      for (const id of starts) await loadChildren(id, levels);
      store.setAllExpanded(true);
      bump();
      requestAnimationFrame(() => canvas.current?.fit());
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(null);
    }
  };

  /** Load the sponsor chain of a partner found on the server, open it, and centre on it. */
  const reveal = async (id: string) => {
    setBusy("…");
    try {
      if (programId) {
        const data = await client.request<{ partner: ApiNode | null }>(ONE, { id });
        const upline = data.partner ? await memberUpline(client, programId, data.partner.referralCode) : [];
        if (!upline.length) throw new Error(t("programs.notMember", { name: data.partner?.displayName ?? "", program: program?.displayName ?? "" }));
        for (const node of upline) if (!store.get(node.id)) store.upsert([node]);
        for (const node of upline.slice(0, -1)) {
          if (!store.get(node.id)?.loaded) await loadChildren(node.id, 1);
          store.toggle(node.id, true);
        }
        bump();
        setSelected(id);
        requestAnimationFrame(() => canvas.current?.centerOn(id, 1));
        return;
      }
      const chain: string[] = [id];
      while (!store.get(chain[0]) && chain.length < 200) {
        const data = await client.request<{ partner: { id: string; sponsor: unknown } | null }>(ANCESTORS, { id: chain[0] });
        let cursor = data.partner?.sponsor as { id: string; sponsor?: unknown } | null;
        const found: string[] = [];
        while (cursor) {
          found.push(cursor.id);
          if (store.get(cursor.id)) break;
          cursor = (cursor.sponsor as { id: string; sponsor?: unknown } | null) ?? null;
        }
        if (!found.length) break;
        chain.unshift(...found.reverse());
      }
      for (const ancestor of chain.slice(0, -1)) {
        const node = store.get(ancestor);
        if (!node) continue;
        if (!node.loaded) await loadChildren(ancestor, 1);
        store.toggle(ancestor, true);
      }
      bump();
      setSelected(id);
      requestAnimationFrame(() => canvas.current?.centerOn(id, 1));
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(null);
    }
  };

  const focusMatch = (index: number) => {
    const node = matches[index % matches.length];
    if (!node) return;
    store.pathTo(node.id).slice(0, -1).forEach((id) => store.toggle(id, true));
    bump();
    setSelected(node.id);
    requestAnimationFrame(() => canvas.current?.centerOn(node.id, 1));
  };
  const [matchIndex, setMatchIndex] = useState(0);

  const selectedNode = selected ? store.get(selected) : null;
  const careNode = selectedNode?.careId ? store.get(selectedNode.careId) : null;

  return (
    <Page
      title={t("genealogy.title")}
      actions={
        <>
          <Button variant="secondary" size="small" onClick={() => canvas.current?.zoomBy(1.25)} data-testid="zoom-in" title={t("genealogy.zoomIn")}>
            +
          </Button>
          <Button variant="secondary" size="small" onClick={() => canvas.current?.zoomBy(0.8)} data-testid="zoom-out" title={t("genealogy.zoomOut")}>
            −
          </Button>
          <Button variant="secondary" size="small" onClick={() => canvas.current?.fit()} data-testid="zoom-fit">
            {t("genealogy.fit")}
          </Button>
          <Button variant="secondary" size="small" onClick={() => loadLevels(3)} disabled={Boolean(busy) || Boolean(synthetic)} data-testid="load-levels">
            {t("genealogy.loadLevels", { levels: 3 })}
          </Button>
          <Button
            variant="tertiary"
            size="small"
            onClick={() => {
              store.setAllExpanded(false);
              bump();
            }}
          >
            {t("genealogy.collapseAll")}
          </Button>
        </>
      }
    >
      <Box display="flex" gap={3} paddingX={6} paddingBottom={3} flexWrap="wrap" alignItems="center">
        {switcher}
        {program && (
          <Text size={2} color="default2" data-testid="genealogy-program">
            {t("programs.genealogyNote", { program: program.displayName })}
          </Text>
        )}
        <Box __flex="1 1 240px">
          <PartnerPicker
            label={t("genealogy.root")}
            value={root ? { value: root, label: store.get(root)?.name ?? "…" } : null}
            onChange={(picked) => navigate({ name: "genealogy", root: picked?.value ?? null })}
            placeholder={t("genealogy.allRoots")}
            testId="genealogy-root"
          />
        </Box>
        <Box __flex="1 1 240px" display="flex" gap={2} alignItems="center">
          <SearchInput
            size="small"
            placeholder={t("genealogy.search")}
            value={search}
            onChange={(event) => {
              setSearch(event.target.value);
              setMatchIndex(0);
            }}
            onKeyDown={(event) => {
              if (event.key === "Enter") {
                focusMatch(matchIndex);
                setMatchIndex(matchIndex + 1);
              }
            }}
            data-testid="genealogy-search"
          />
          {search && (
            <Text size={2} color="default2" whiteSpace="nowrap" data-testid="genealogy-matches">
              {matches.length ? t("genealogy.found", { count: matches.length }) : t("genealogy.noMatch")}
            </Text>
          )}
        </Box>
        <Box __flex="1 1 240px">
          <PartnerPicker label={t("genealogy.findPartner")} value={null} onChange={(picked) => picked && reveal(picked.value)} testId="genealogy-find" />
        </Box>
      </Box>
      <Box display="flex" gap={4} paddingX={6} paddingBottom={3} alignItems="center" flexWrap="wrap">
        <GenealogyLegend />
        <Box as="label" display="flex" alignItems="center" gap={1.5} cursor="pointer">
          <input type="checkbox" checked={showAllCare} onChange={(event) => setShowAllCare(event.target.checked)} data-testid="genealogy-all-care" />
          <Text size={2}>{t("genealogy.showAllCare")}</Text>
        </Box>
        <Text size={2} color="default2" data-testid="genealogy-visible" data-count={shownCount}>
          {t("genealogy.visible", { count: format.number(shownCount) })}
        </Text>
        {busy && (
          <Text size={2} color="default2" data-testid="genealogy-busy">
            {t("app.loading")} {busy}
          </Text>
        )}
        <Text size={1} color="default2">
          {t("genealogy.hint")}
        </Text>
      </Box>
      {error && (
        <Box paddingX={6} paddingBottom={3}>
          <ErrorMessage error={error} />
        </Box>
      )}
      {path.length > 0 && (
        <Box as="nav" aria-label={t("genealogy.upline")} paddingX={6} paddingBottom={3} display="flex" gap={1} flexWrap="wrap" alignItems="center" data-testid="genealogy-path">
          <Text size={2} color="default2">
            {t("genealogy.upline")}:
          </Text>
          {path.map((step, index) => (
            <Box key={step.id} display="flex" alignItems="center" gap={1}>
              {index > 0 && (
                <Text size={2} color="default2" aria-hidden="true">
                  ›
                </Text>
              )}
              <Button
                size="small"
                variant={step.id === selected ? "secondary" : "tertiary"}
                data-testid="genealogy-path-step"
                aria-current={step.id === focus ? "true" : undefined}
                onClick={() => {
                  setSelected(step.id);
                  canvas.current?.centerOn(step.id, 1);
                }}
              >
                {step.name}
              </Button>
            </Box>
          ))}
        </Box>
      )}
      <Box display="flex" flexGrow="1" __minHeight="520px">
        <TreeCanvas
          ref={canvas}
          layout={layout}
          version={version}
          selected={selected}
          highlighted={highlighted}
          showAllCare={showAllCare}
          label={t("genealogy.title")}
          formatShare={(share) => format.percent(share)}
          onSelect={setSelected}
          onToggle={toggle}
        />
        {selectedNode && selectedNode.id !== COMPANY && (
          <SelectedPanel
            id={selectedNode.id}
            name={selectedNode.name}
            code={selectedNode.code}
            status={selectedNode.status}
            childCount={selectedNode.childCount}
            loaded={selectedNode.loaded}
            careName={careNode?.name ?? null}
            careShare={selectedNode.careShare}
            onLoad={() => toggle(selectedNode.id)}
            synthetic={Boolean(synthetic)}
          />
        )}
      </Box>
    </Page>
  );
}

function SelectedPanel(props: {
  id: string;
  name: string;
  code: string;
  status: string;
  childCount: number;
  loaded: boolean;
  careName: string | null;
  careShare: string | null;
  onLoad(): void;
  synthetic: boolean;
}) {
  const { t, format } = useApp();
  const link = useLink({ name: "partner", id: props.id });
  return (
    <Box
      data-testid="genealogy-selected"
      __width="280px"
      flexShrink="0"
      padding={4}
      borderLeftStyle="solid"
      borderLeftWidth={1}
      borderTopStyle="solid"
      borderTopWidth={1}
      borderColor="default1"
      display="flex"
      flexDirection="column"
      gap={3}
    >
      <Text size={5} fontWeight="bold">
        {props.name}
      </Text>
      <Box display="flex" gap={2} alignItems="center">
        <Text size={2} color="default2">
          {props.code}
        </Text>
        <StatusChip status={props.status} />
      </Box>
      <Text size={2}>
        {t("partner.care")}: {props.careName ? `${props.careName} (${format.percent(props.careShare)})` : t("common.none")}
      </Text>
      {!props.loaded && props.childCount > 0 && (
        <Button variant="secondary" size="small" onClick={props.onLoad}>
          {t("genealogy.loadFrontline", { count: props.childCount })}
        </Button>
      )}
      {!props.synthetic && (
        <Box as="a" {...link} textDecoration="none">
          <Text size={2} color="accent1">
            {t("common.open")} →
          </Text>
        </Box>
      )}
    </Box>
  );
}
