"""The network as arrays in topological order (spec section 1).

Terms
-----
node
    A partner or a customer, numbered ``0 .. N-1`` in input order (``Network.ids``).
partner ordinal
    The number of a partner among the partners, in input order: results are arrays
    indexed by partner ordinal. ``partner_nodes[ordinal]`` is its node.
edge
    ``n -> sponsor(n)`` with weight ``1 - care_share(n)`` (1 without a Betreuer) and
    ``n -> care(n)`` with weight ``care_share(n)``; weights are held in millionths
    (``SHARE_SCALE``). Two edges from ``n`` to the same partner are merged into one
    edge (weights added); the merged edge still counts as the sponsor edge.
leg
    A partner ``q`` is a leg of ``sponsor(q)``: legs follow sponsor edges only.
layer
    ``layer(p) = 0`` for a partner without partners below it, else
    ``1 + max(layer(q))`` over its partners ``q`` below (both kinds of edge). Every
    edge goes from a lower to a higher layer, so layers in increasing order are a
    topological order from the leaves up (``networkx.topological_generations``
    reversed); a cycle leaves nodes without a layer and raises ``CycleError``.
position
    The index of a partner in that order (layers one after another, within a layer
    sorted by sponsor). The engine computes on positions; ``order[position]`` is the
    partner ordinal.

Customers have no incoming edges, so they are not part of the layers: their volume is
attached to partners once (``customer_*`` arrays).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

__all__ = ["CycleError", "Network", "NetworkError", "SHARE_SCALE", "Status", "find_cycles"]

SHARE_SCALE = 1_000_000  # care shares and edge weights are millionths


class Status:
    ACTIVE = 0  # can qualify
    INACTIVE = 1  # set inactive by the company: stays in place, never qualifies or earns
    TERMINATED = 2  # left: stays in place, never qualifies or earns

    CHOICES = {"active": ACTIVE, "inactive": INACTIVE, "terminated": TERMINATED}


class NetworkError(ValueError):
    """An invalid relation of node ``node`` (a node index); ``field`` is ``sponsor``,
    ``care``, ``care_share`` or ``status``."""

    def __init__(self, node: int, field: str, message: str):
        self.node = node
        self.field = field
        self.message = message
        super().__init__(f"node {node} {field}: {message}")


class CycleError(NetworkError):
    """Sponsor and care edges close a cycle.

    ``cycle`` lists node indices ``[n0, n1, ..., nk]`` where each ``n(i) -> n(i+1)`` and
    ``nk -> n0`` are edges (upwards), ``kinds[i]`` is the kind of the edge leaving
    ``cycle[i]`` (``"sponsor"`` or ``"care"``). The cycle starts at the node with the
    highest index, the assignment most likely to be the new one; ``node`` and ``field``
    name the edge leaving it.
    """

    def __init__(self, cycle: list[int], kinds: list[str], ids: Sequence[str]):
        at = max(range(len(cycle)), key=lambda i: cycle[i])
        self.cycle = cycle[at:] + cycle[:at]  # starts with the reported node
        self.kinds = kinds[at:] + kinds[:at]
        path = " -> ".join(str(ids[n]) for n in self.cycle + self.cycle[:1])
        super().__init__(self.cycle[0], self.kinds[0], f"closes a cycle: {path}")


class IdView(Sequence):
    """The ids of some nodes, ``ids[nodes[i]]``, without copying them."""

    def __init__(self, ids: Sequence[str], nodes: np.ndarray):
        self._ids, self._nodes = ids, nodes

    def __len__(self) -> int:
        return int(self._nodes.size)

    def __getitem__(self, item):
        if isinstance(item, slice):
            return [self._ids[node] for node in self._nodes[item].tolist()]
        return self._ids[int(self._nodes[item])]

    def __iter__(self):
        ids = self._ids
        return (ids[node] for node in self._nodes.tolist())


def _ranges(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """Concatenation of ``arange(start, stop)`` for each pair, vectorized."""
    counts = stops - starts
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.cumsum(counts) + counts, counts)
    return offsets + np.arange(total, dtype=np.int64)


BLOCK_ROWS = 16384  # positions per block: arrays of a block stay a few MB (no page faults)


@dataclass(frozen=True)
class Edges:
    """All partner edges as positions, sorted by the layer of the child, then by parent:
    ``bounds[h]:bounds[h+1]`` are the edges leaving layer ``h``."""

    child: np.ndarray
    parent: np.ndarray
    weight: np.ndarray  # millionths
    is_sponsor: np.ndarray  # the edge is (or includes) the sponsor edge
    bounds: np.ndarray


@dataclass(frozen=True, eq=False)
class Network:
    """Partners in topological order, with their edges, and customers attached to them.

    Build one with ``Network.from_arrays``. Within a layer, partners are sorted by the
    position of their sponsor, so the sponsor edges of consecutive positions come grouped
    by parent, in increasing order: the engine sums them without gathering. A layer is cut into blocks of at most
    ``BLOCK_ROWS`` positions (``block_bounds``); the care edges (those not to the sponsor)
    are sorted by the block of their child, then by parent (``care_bounds`` per block).
    ``customer_*`` hold the customer edges (node index, parent position, weight).
    """

    ids: Sequence[str]
    is_partner: np.ndarray  # bool per node
    partner_nodes: np.ndarray  # node index per partner ordinal
    status: np.ndarray  # Status per partner ordinal
    order: np.ndarray  # partner ordinal per position
    position: np.ndarray  # position per partner ordinal
    layer_bounds: np.ndarray  # positions of layer h: layer_bounds[h]:layer_bounds[h+1]
    block_bounds: np.ndarray  # positions of block b; blocks never straddle layers
    sponsor_position: np.ndarray  # per position, -1 for none
    sponsor_weight: np.ndarray  # per position, millionths (of the merged edge)
    care_child: np.ndarray  # position
    care_parent: np.ndarray  # position
    care_weight: np.ndarray  # millionths
    care_bounds: np.ndarray  # care edges of block b: care_bounds[b]:care_bounds[b+1]
    customer_node: np.ndarray  # node index
    customer_parent: np.ndarray  # position
    customer_weight: np.ndarray  # millionths
    _cache: dict = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_arrays(
        cls,
        ids: Sequence[str],
        is_partner,
        sponsor,
        care=None,
        care_share=None,
        status=None,
    ) -> Network:
        """Build a network from one entry per node.

        Parameters
        ----------
        ids : sequence of str
            Node ids, partners and customers, in any order.
        is_partner : array_like of bool
            True for partners, False for customers.
        sponsor, care : array_like of int
            Node index of the sponsor and of the Betreuer, ``-1`` for none.
        care_share : array_like of int
            The Betreuer's share in millionths (``300000`` is 0.3); 0 without Betreuer.
        status : array_like of int
            ``Status`` per node (ignored for customers); default all active.

        Returns
        -------
        Network

        Raises
        ------
        NetworkError
            A sponsor or Betreuer that is not a partner, a share outside ``[0, 1]``.
        CycleError
            Sponsor and care edges close a cycle.

        Examples
        --------
        >>> net = Network.from_arrays(["a", "b", "c"], [True, True, False], [-1, 0, 1])
        >>> net.n_partners, net.n_layers, net.order.tolist()
        (2, 2, [1, 0])
        """
        n = len(ids)
        is_partner = np.asarray(is_partner, dtype=bool).reshape(n)
        sponsor = np.asarray(sponsor, dtype=np.int64).reshape(n)
        partner_nodes = np.flatnonzero(is_partner)
        ordinal = np.full(n, -1, np.int64)
        ordinal[partner_nodes] = np.arange(partner_nodes.size)

        def parents(name, target, children):
            """Ordinals of the targets of ``children``; a clear error for a bad one."""
            nodes = target[children]
            bad = np.flatnonzero(nodes >= n)
            if bad.size:
                raise NetworkError(int(children[bad[0]]), name, f"no node {int(nodes[bad[0]])}")
            found = ordinal[nodes]
            bad = np.flatnonzero(found < 0)
            if bad.size:
                node = int(children[bad[0]])
                raise NetworkError(node, name, f"{ids[nodes[bad[0]]]!r} is not a partner")
            return found

        for name, target in (("sponsor", sponsor), ("care", care)):
            if target is not None and (np.asarray(target) < -1).any():
                node = int(np.flatnonzero(np.asarray(target) < -1)[0])
                raise NetworkError(node, name, f"no node {int(np.asarray(target)[node])}")
        with_sponsor = np.flatnonzero(sponsor >= 0)
        sponsor_parent = parents("sponsor", sponsor, with_sponsor)
        sponsor_weight = np.full(with_sponsor.size, SHARE_SCALE, np.int64)

        share = np.zeros(n, np.int64) if care_share is None else np.asarray(care_share, np.int64)
        with_care = np.zeros(0, np.int64)
        if care is not None:
            care = np.asarray(care, np.int64).reshape(n)
            with_care = np.flatnonzero(care >= 0)
        care_parent = parents("care", care, with_care) if with_care.size else with_care
        shares = share[with_care]
        bad = np.flatnonzero((shares < 0) | (shares > SHARE_SCALE))
        if bad.size:
            raise NetworkError(int(with_care[bad[0]]), "care_share", "outside [0, 1]")
        if np.count_nonzero(share) != np.count_nonzero(shares):
            node = int(np.flatnonzero((share != 0) & (care < 0 if care is not None else True))[0])
            raise NetworkError(node, "care_share", "a share without a Betreuer")
        if status is None:
            status = np.zeros(partner_nodes.size, np.int8)
        else:
            status = np.asarray(status, np.int8).reshape(n)[partner_nodes]
            bad = np.flatnonzero((status < 0) | (status > Status.TERMINATED))
            if bad.size:
                node = int(partner_nodes[bad[0]])
                raise NetworkError(node, "status", f"unknown status {status[bad[0]]}")

        # A Betreuer who is also the sponsor: one edge of weight 1. Otherwise the sponsor
        # edge keeps 1 - share (and stays an edge at weight 0: a leg, and part of cycles).
        merged = care[with_care] == sponsor[with_care] if with_care.size else np.zeros(0, bool)
        split = with_care[~merged]
        if with_sponsor.size and split.size:
            at = np.minimum(np.searchsorted(with_sponsor, split), with_sponsor.size - 1)
            sponsored = with_sponsor[at] == split
            sponsor_weight[at[sponsored]] = SHARE_SCALE - share[split[sponsored]]
        child = np.concatenate([with_sponsor, split])
        parent = np.concatenate([sponsor_parent, care_parent[~merged]])
        weight = np.concatenate([sponsor_weight, share[split]])
        is_sponsor = np.arange(child.size) < with_sponsor.size

        from_partner = is_partner[child]
        # customer edges of weight 0 carry nothing
        to_customer = ~from_partner & (weight > 0)
        return cls._build(
            ids=ids,
            is_partner=is_partner,
            partner_nodes=partner_nodes,
            status=status,
            child=ordinal[child[from_partner]],
            parent=parent[from_partner],
            weight=weight[from_partner],
            is_sponsor=is_sponsor[from_partner],
            customer_node=child[to_customer],
            customer_parent=parent[to_customer],
            customer_weight=weight[to_customer],
        )

    @classmethod
    def _build(
        cls,
        ids,
        is_partner,
        partner_nodes,
        status,
        child,
        parent,
        weight,
        is_sponsor,
        customer_node,
        customer_parent,
        customer_weight,
    ) -> Network:
        """Layer the partners (Kahn's algorithm, one numpy step per layer) and sort edges.

        ``child``, ``parent``, ``customer_parent`` are partner ordinals here.
        """
        count = partner_nodes.size
        layer = _layers(count, child, parent)
        if (layer < 0).any():
            cycle, kinds = _find_cycle(layer, child, parent, is_sponsor)
            raise CycleError([int(partner_nodes[o]) for o in cycle], kinds, ids)

        sponsor = np.full(count, -1, np.int64)
        sponsor_weight = np.full(count, SHARE_SCALE, np.int64)
        sponsor[child[is_sponsor]] = parent[is_sponsor]
        sponsor_weight[child[is_sponsor]] = weight[is_sponsor]
        n_layers = int(layer.max()) + 1 if count else 0
        by_layer = np.argsort(layer, kind="stable")
        layer_bounds = np.searchsorted(layer[by_layer], np.arange(n_layers + 1))
        # Top-down, each layer sorted by the position of the sponsor (none first): the
        # sponsor edges of a block then reach their parents in increasing order.
        position = np.empty(count, np.int64)
        for h in range(n_layers - 1, -1, -1):
            members = by_layer[layer_bounds[h] : layer_bounds[h + 1]]
            above = sponsor[members]
            key = np.where(above >= 0, position[np.maximum(above, 0)], -1)
            position[members[np.argsort(key, kind="stable")]] = np.arange(
                layer_bounds[h], layer_bounds[h + 1]
            )
        order = np.empty(count, np.int64)
        order[position] = np.arange(count)
        block_bounds = np.unique(
            np.concatenate(
                [np.arange(a, b, BLOCK_ROWS) for a, b in zip(layer_bounds[:-1], layer_bounds[1:])]
                + [layer_bounds[-1:]]
            )
        )
        by_position = sponsor[order]
        sponsor_position = np.where(by_position >= 0, position[np.maximum(by_position, 0)], -1)

        care = ~is_sponsor
        care_child = position[child[care]]
        care_parent = position[parent[care]]
        block = np.searchsorted(block_bounds, care_child, side="right") - 1
        by_block = np.lexsort((care_parent, block))
        care_bounds = np.searchsorted(block[by_block], np.arange(block_bounds.size))
        return cls(
            ids=ids,
            is_partner=is_partner,
            partner_nodes=partner_nodes,
            status=status,
            order=order,
            position=position,
            layer_bounds=layer_bounds.astype(np.int64),
            block_bounds=block_bounds.astype(np.int64),
            sponsor_position=sponsor_position,
            sponsor_weight=sponsor_weight[order],
            care_child=care_child[by_block],
            care_parent=care_parent[by_block],
            care_weight=weight[care][by_block].astype(np.int64),
            care_bounds=care_bounds.astype(np.int64),
            customer_node=customer_node.astype(np.int64),
            customer_parent=position[customer_parent],
            customer_weight=customer_weight.astype(np.int64),
        )

    @cached_property
    def edges(self) -> Edges:
        """All partner edges sorted by the layer of the child, then by parent."""
        sponsored = np.flatnonzero(self.sponsor_position >= 0)
        child = np.concatenate([sponsored, self.care_child])
        parent = np.concatenate([self.sponsor_position[sponsored], self.care_parent])
        weight = np.concatenate([self.sponsor_weight[sponsored], self.care_weight])
        is_sponsor = np.arange(child.size) < sponsored.size
        child_layer = np.searchsorted(self.layer_bounds, child, side="right") - 1
        by_layer = np.lexsort((parent, child_layer))
        bounds = np.searchsorted(child_layer[by_layer], np.arange(self.n_layers + 1))
        return Edges(
            child=child[by_layer],
            parent=parent[by_layer],
            weight=weight[by_layer],
            is_sponsor=is_sponsor[by_layer],
            bounds=bounds.astype(np.int64),
        )

    # ------------------------------------------------------------------ queries

    @property
    def n_nodes(self) -> int:
        return len(self.ids)

    @property
    def n_partners(self) -> int:
        return int(self.partner_nodes.size)

    @property
    def n_layers(self) -> int:
        return int(self.layer_bounds.size - 1)

    @cached_property
    def partner_ids(self) -> IdView:
        """Partner ids by partner ordinal (a view: nothing is copied)."""
        return IdView(self.ids, self.partner_nodes)

    def index(self) -> dict[str, int]:
        """``{id: node index}`` (built once)."""
        index = self._cache.get("index")
        if index is None:
            index = self._cache["index"] = {node: i for i, node in enumerate(self.ids)}
        return index

    def remember_index(self, index: dict[str, int]) -> None:
        """Keep an ``{id: node index}`` mapping its builder had anyway."""
        self._cache["index"] = index

    def node_index(self, node_id: str) -> int:
        """Node index of an id; ``KeyError`` if unknown."""
        return self.index()[node_id]

    def partner_position(self, node_id: str) -> int:
        """Position of a partner id; ``KeyError`` if it is no partner."""
        node = self.node_index(node_id)
        ordinal = np.searchsorted(self.partner_nodes, node)
        if ordinal >= self.n_partners or self.partner_nodes[ordinal] != node:
            raise KeyError(node_id)
        return int(self.position[ordinal])

    def max_split_hops(self) -> int:
        """Most split edges (weight strictly between 0 and 1) on any walk between partners.

        A walk's weight has at most ``6 * hops`` decimal places: the exact mode of the
        engine sizes its fixed-point scale with this.
        """
        hops = self._cache.get("hops")
        if hops is None:
            edges = self.edges
            depth = np.zeros(self.n_partners, np.int64)
            split = ((edges.weight != 0) & (edges.weight != SHARE_SCALE)).astype(np.int64)
            for h in range(self.n_layers):
                e0, e1 = edges.bounds[h], edges.bounds[h + 1]
                if e1 > e0:
                    reach = depth[edges.child[e0:e1]] + split[e0:e1]
                    np.maximum.at(depth, edges.parent[e0:e1], reach)
            hops = self._cache["hops"] = int(depth.max()) if depth.size else 0
        return hops

    def _edges_by_parent(self) -> tuple[np.ndarray, np.ndarray]:
        """Edge indices sorted by parent position and the CSR pointer per position."""
        cached = self._cache.get("by_parent")
        if cached is None:
            by_parent = np.argsort(self.edges.parent, kind="stable")
            pointer = np.searchsorted(self.edges.parent[by_parent], np.arange(self.n_partners + 1))
            cached = self._cache["by_parent"] = (by_parent, pointer)
        return cached

    def downline(self, positions) -> np.ndarray:
        """Sorted positions of the given partners and of everyone below them (any edge)."""
        by_parent, pointer = self._edges_by_parent()
        seen = np.zeros(self.n_partners, bool)
        frontier = np.unique(np.asarray(positions, np.int64))
        seen[frontier] = True
        while frontier.size:
            below = self.edges.child[by_parent[_ranges(pointer[frontier], pointer[frontier + 1])]]
            frontier = np.unique(below[~seen[below]])
            seen[frontier] = True
        return np.flatnonzero(seen)

    def subnetwork(self, positions) -> tuple[Network, np.ndarray]:
        """The network of the given partners (a downline: closed under "below"),
        with the customers attached to them, and the node index here of each of its nodes.

        Sub-network partner ordinal ``i`` is the partner at ``positions[i]`` (sorted).
        Edges leaving the set are dropped; a node keeps the weights of its remaining
        edges, so every partner in the set gets exactly the volume it gets here.
        """
        positions = np.asarray(positions, np.int64)
        edges = self.edges
        inside = np.full(self.n_partners, -1, np.int64)
        inside[positions] = np.arange(positions.size)
        keep = (inside[edges.parent] >= 0) & (inside[edges.child] >= 0)
        keep_customer = inside[self.customer_parent] >= 0
        customers, customer_ordinal = np.unique(
            self.customer_node[keep_customer], return_inverse=True
        )
        nodes = self.partner_nodes[self.order[positions]]
        ids = [self.ids[n] for n in nodes.tolist()] + [self.ids[n] for n in customers.tolist()]
        count = positions.size
        sub = Network._build(
            ids=ids,
            is_partner=np.arange(len(ids)) < count,
            partner_nodes=np.arange(count),
            status=self.status[self.order[positions]],
            child=inside[edges.child[keep]],
            parent=inside[edges.parent[keep]],
            weight=edges.weight[keep],
            is_sponsor=edges.is_sponsor[keep],
            customer_node=count + customer_ordinal,
            customer_parent=inside[self.customer_parent[keep_customer]],
            customer_weight=self.customer_weight[keep_customer],
        )
        return sub, np.concatenate([nodes, customers])


def _layers(count: int, child: np.ndarray, parent: np.ndarray) -> np.ndarray:
    """Layer of every partner ordinal by Kahn's algorithm from the leaves; -1 on a cycle."""
    pending = np.bincount(parent, minlength=count).astype(np.int64)
    by_child = np.argsort(child, kind="stable")
    parent_by_child = parent[by_child]
    pointer = np.searchsorted(child[by_child], np.arange(count + 1))
    layer = np.full(count, -1, np.int64)
    last_seen = np.full(count, -1, np.int64)  # to keep one of several equal parents
    frontier = np.flatnonzero(pending == 0)
    height = 0
    while frontier.size:
        layer[frontier] = height
        parents = parent_by_child[_ranges(pointer[frontier], pointer[frontier + 1])]
        if parents.size == 0:
            break
        np.subtract.at(pending, parents, 1)
        done = parents[pending[parents] == 0]
        slot = np.arange(done.size)
        last_seen[done] = slot  # the last write wins: one slot per parent
        frontier = done[last_seen[done] == slot]
        height += 1
    return layer


def find_cycles(ids: Sequence[str], sponsor, care, limit: int = 1000) -> list[CycleError]:
    """Every cycle of sponsor and care edges among partners, one ``CycleError`` each.

    ``Network.from_arrays`` stops at the first cycle; an import wants them all. After
    each cycle found, the edge it reports (the one leaving its highest node) is left out
    and the partners that were stuck are layered again, until none is (or ``limit``
    cycles were found). Costs one layering of the whole network, then one of the stuck
    part per cycle.

    Parameters
    ----------
    ids : sequence of str
        Partner ids (for the messages).
    sponsor, care : array_like of int
        Index of the sponsor and of the Betreuer, -1 for none.

    Examples
    --------
    >>> [str(e) for e in find_cycles(["a", "b", "c", "d"], [1, 0, 3, -1], [-1, -1, -1, 2])]
    ['node 1 sponsor: closes a cycle: b -> a -> b', 'node 3 care: closes a cycle: d -> c -> d']
    """
    sponsor = np.asarray(sponsor, np.int64)
    care = np.asarray(care, np.int64)
    count = sponsor.size
    with_sponsor, with_care = np.flatnonzero(sponsor >= 0), np.flatnonzero(care >= 0)
    child = np.concatenate([with_sponsor, with_care])
    parent = np.concatenate([sponsor[with_sponsor], care[with_care]])
    is_sponsor = np.arange(child.size) < with_sponsor.size
    layer = _layers(count, child, parent)
    found: list[CycleError] = []
    while len(found) < limit and (layer < 0).any():
        error = CycleError(*_find_cycle(layer, child, parent, is_sponsor), ids)
        found.append(error)
        target = error.cycle[1 % len(error.cycle)]
        edge = np.flatnonzero((child == error.node) & (parent == target) & (is_sponsor == (error.field == "sponsor")))[0]
        stuck = layer < 0
        keep = stuck[child] & stuck[parent]
        keep[edge] = False
        child, parent, is_sponsor = child[keep], parent[keep], is_sponsor[keep]
        layer = np.where(stuck, _layers(count, child, parent), layer)
    return found


def _find_cycle(layer, child, parent, is_sponsor) -> tuple[list[int], list[str]]:
    """A cycle among the partners Kahn's algorithm could not layer (error path only).

    Every such partner has a child that is also unlayered, so walking down from any of
    them must repeat a partner: the repeated stretch is a cycle.
    """
    stuck = (layer[child] < 0) & (layer[parent] < 0)
    children: dict[int, list[tuple[int, bool]]] = {}
    for c, p, s in zip(child[stuck].tolist(), parent[stuck].tolist(), is_sponsor[stuck].tolist()):
        children.setdefault(p, []).append((c, s))
    node = next(iter(children))
    path: list[int] = []
    kinds: list[bool] = []
    seen: dict[int, int] = {}
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node, sponsor_edge = children[node][0]
        kinds.append(sponsor_edge)
    start = seen[node]
    down, down_kinds = path[start:], kinds[start:]
    # down[i] has child down[i+1] (edge kind down_kinds[i]); reverse to point upwards
    up = down[::-1]
    up_kinds = [down_kinds[(len(down) - 2 - i) % len(down)] for i in range(len(down))]
    return up, ["sponsor" if k else "care" for k in up_kinds]
