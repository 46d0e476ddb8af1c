/**
 * The genealogy as the browser holds it: the partners loaded so far, linked by their sponsor,
 * and a left-to-right layout of the expanded part (depth → column, leaves → rows; a parent sits
 * in the middle of its children). Everything here is plain data and O(n), so that 10,000
 * visible partners lay out in a few milliseconds.
 */

export const COMPANY = "__company__";

export interface ApiNode {
  id: string;
  displayName: string;
  referralCode: string;
  status: string | null;
  sponsor: { id: string } | null;
  care: { effectiveShare: string; carePartner: { id: string } | null } | null;
  frontline: { totalCount: number } | null;
}

export interface TreeNode {
  id: string;
  name: string;
  code: string;
  status: string;
  parentId: string | null;
  careId: string | null;
  careShare: string | null;
  /** Size of the frontline according to the API; -1 when unknown. */
  childCount: number;
  children: string[];
  /** All children are in the store. */
  loaded: boolean;
  expanded: boolean;
}

export interface Placed {
  node: TreeNode;
  x: number;
  y: number;
  depth: number;
}

export const LAYOUT = { nodeWidth: 184, nodeHeight: 40, columnGap: 72, rowGap: 10 };

export class TreeStore {
  readonly nodes = new Map<string, TreeNode>();
  /** Bumped on every change; the canvas redraws when it moves. */
  version = 0;

  constructor(companyName: string) {
    this.nodes.set(COMPANY, {
      id: COMPANY,
      name: companyName,
      code: "",
      status: "COMPANY",
      parentId: null,
      careId: null,
      careShare: null,
      childCount: -1,
      children: [],
      loaded: false,
      expanded: true,
    });
  }

  get(id: string): TreeNode | undefined {
    return this.nodes.get(id);
  }

  /** Add or refresh partners; a partner whose sponsor is not loaded hangs under `fallbackParent`. */
  upsert(items: ApiNode[], fallbackParent: string = COMPANY): void {
    for (const item of items) {
      const existing = this.nodes.get(item.id);
      const sponsorId = item.sponsor?.id ?? null;
      const parentId = sponsorId && this.nodes.has(sponsorId) ? sponsorId : existing?.parentId ?? fallbackParent;
      const node: TreeNode = {
        id: item.id,
        name: item.displayName,
        code: item.referralCode,
        status: item.status ?? "ACTIVE",
        parentId,
        careId: item.care?.carePartner?.id ?? null,
        careShare: item.care?.effectiveShare ?? null,
        childCount: item.frontline?.totalCount ?? -1,
        children: existing?.children ?? [],
        loaded: existing?.loaded ?? item.frontline?.totalCount === 0,
        expanded: existing?.expanded ?? false,
      };
      if (existing && existing.parentId !== parentId && existing.parentId) {
        const old = this.nodes.get(existing.parentId);
        if (old) old.children = old.children.filter((child) => child !== item.id);
      }
      this.nodes.set(item.id, node);
      const parent = this.nodes.get(parentId);
      if (parent && !parent.children.includes(item.id)) parent.children.push(item.id);
    }
    this.version++;
  }

  markLoaded(id: string, expanded = true): void {
    const node = this.nodes.get(id);
    if (!node) return;
    node.loaded = true;
    node.expanded = expanded;
    this.version++;
  }

  toggle(id: string, expanded?: boolean): void {
    const node = this.nodes.get(id);
    if (!node) return;
    node.expanded = expanded ?? !node.expanded;
    this.version++;
  }

  /** Open every loaded node (what "expand loaded" does), or close all below the top. */
  setAllExpanded(expanded: boolean): void {
    this.nodes.forEach((node) => {
      if (node.id === COMPANY) return;
      if (node.children.length) node.expanded = expanded;
    });
    this.version++;
  }

  /** The chain from the top to `id` (inclusive). */
  pathTo(id: string): string[] {
    const path: string[] = [];
    for (let current = this.nodes.get(id); current; current = current.parentId ? this.nodes.get(current.parentId) : undefined) {
      path.unshift(current.id);
      if (path.length > 10000) break;
    }
    return path;
  }

  search(text: string, limit = 200): TreeNode[] {
    const needle = text.trim().toLowerCase();
    if (!needle) return [];
    const found: TreeNode[] = [];
    for (const node of this.nodes.values()) {
      if (node.id === COMPANY) continue;
      if (node.name.toLowerCase().includes(needle) || node.code.toLowerCase() === needle) {
        found.push(node);
        if (found.length >= limit) break;
      }
    }
    return found;
  }
}

export interface Layout {
  placed: Placed[];
  byId: Map<string, Placed>;
  width: number;
  height: number;
}

/** Lay out what is expanded below `rootId`, iteratively (deep lines must not blow the stack). */
export function layoutTree(store: TreeStore, rootId: string = COMPANY, hideRoot = false): Layout {
  const { nodeWidth, nodeHeight, columnGap, rowGap } = LAYOUT;
  const placed: Placed[] = [];
  const byId = new Map<string, Placed>();
  const root = store.get(rootId);
  if (!root) return { placed, byId, width: 0, height: 0 };
  const rowHeight = nodeHeight + rowGap;
  let nextRow = 0;
  let maxDepth = 0;
  const baseDepth = hideRoot ? -1 : 0;
  // Post-order: leaves take the next row; a parent sits in the middle of its first and last child.
  const stack: Array<{ id: string; depth: number; index: number }> = [{ id: rootId, depth: baseDepth, index: 0 }];
  const firstChildY = new Map<string, number>();
  const lastChildY = new Map<string, number>();
  while (stack.length) {
    const frame = stack[stack.length - 1];
    const node = store.get(frame.id)!;
    const children = node.expanded ? node.children : [];
    if (frame.index < children.length) {
      const childId = children[frame.index++];
      if (store.get(childId)) stack.push({ id: childId, depth: frame.depth + 1, index: 0 });
      continue;
    }
    stack.pop();
    let y: number;
    if (firstChildY.has(node.id)) {
      y = (firstChildY.get(node.id)! + lastChildY.get(node.id)!) / 2;
    } else {
      y = nextRow++ * rowHeight;
    }
    if (frame.depth >= 0) {
      const entry: Placed = { node, x: frame.depth * (nodeWidth + columnGap), y, depth: frame.depth };
      placed.push(entry);
      byId.set(node.id, entry);
      maxDepth = Math.max(maxDepth, frame.depth);
    }
    const parentId = stack.length ? stack[stack.length - 1].id : null;
    if (parentId) {
      if (!firstChildY.has(parentId)) firstChildY.set(parentId, y);
      lastChildY.set(parentId, y);
    }
  }
  return {
    placed,
    byId,
    width: (maxDepth + 1) * (nodeWidth + columnGap) - columnGap,
    height: Math.max(0, nextRow * rowHeight - rowGap),
  };
}

/** A synthetic network for the performance check (`?synthetic=10000` in the demo). */
export function syntheticNodes(count: number, fanout = 4): ApiNode[] {
  const nodes: ApiNode[] = [];
  for (let index = 0; index < count; index++) {
    const parent = index === 0 ? null : Math.floor((index - 1) / fanout);
    const children = Math.max(0, Math.min(fanout, count - 1 - index * fanout));
    nodes.push({
      id: `S${index}`,
      displayName: `Partner ${index + 1}`,
      referralCode: `S${index}`,
      status: index % 7 === 0 ? "INACTIVE" : "ACTIVE",
      sponsor: parent === null ? null : { id: `S${parent}` },
      care: index > 8 && index % 11 === 0 ? { effectiveShare: "0.25", carePartner: { id: `S${index - 7}` } } : null,
      frontline: { totalCount: children },
    });
  }
  return nodes;
}
