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

from .fixedpoint import WEIGHT_SCALE
from .ordering import RELATION_CHECKS, below, check_relations, layers, node_edges, positions

__all__ = ["CycleError", "Network", "NetworkError", "SHARE_SCALE", "Status", "find_cycles"]

SHARE_SCALE = WEIGHT_SCALE  # care shares and edge weights are millionths


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

    @property
    def all_ids(self) -> Sequence[str]:
        """The ids of every node (what ``nodes`` index)."""
        return self._ids

    @property
    def nodes(self) -> np.ndarray:
        return self._nodes

    def __len__(self) -> int:
        return int(self._nodes.size)

    def __getitem__(self, item):
        if isinstance(item, slice):
            return [self._ids[node] for node in self._nodes[item].tolist()]
        return self._ids[int(self._nodes[item])]

    def __iter__(self):
        ids = self._ids
        return (ids[node] for node in self._nodes.tolist())


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
        is_partner = np.ascontiguousarray(np.asarray(is_partner, dtype=bool).reshape(n))
        sponsor = np.ascontiguousarray(np.asarray(sponsor, dtype=np.int64).reshape(n))
        care = np.full(n, -1, np.int64) if care is None else np.asarray(care, np.int64).reshape(n)
        share = np.zeros(n, np.int64) if care_share is None else np.asarray(care_share, np.int64).reshape(n)
        care, share = np.ascontiguousarray(care), np.ascontiguousarray(share)
        _raise_first_error(ids, sponsor, care, check_relations(is_partner, sponsor, care, share))
        (partner_nodes, sponsor, sponsor_weight, care, care_weight,
         customer_node, customer_parent, customer_weight) = node_edges(is_partner, sponsor, care, share)  # fmt: skip
        if status is None:
            status = np.zeros(partner_nodes.size, np.int8)
        else:
            status = np.asarray(status, np.int8).reshape(n)[partner_nodes]
            bad = np.flatnonzero((status < 0) | (status > Status.TERMINATED))
            if bad.size:
                node = int(partner_nodes[bad[0]])
                raise NetworkError(node, "status", f"unknown status {status[bad[0]]}")
        return cls._build(
            ids=ids,
            is_partner=is_partner,
            partner_nodes=partner_nodes,
            status=status,
            sponsor=sponsor,
            sponsor_weight=sponsor_weight,
            care=care,
            care_weight=care_weight,
            customer_node=customer_node,
            customer_parent=customer_parent,
            customer_weight=customer_weight,
        )

    @classmethod
    def _build(
        cls,
        ids,
        is_partner,
        partner_nodes,
        status,
        sponsor,
        sponsor_weight,
        care,
        care_weight,
        customer_node,
        customer_parent,
        customer_weight,
    ) -> Network:
        """Layer the partners and sort the edges.

        ``sponsor``, ``care`` (the separate care edge, -1 for none) and
        ``customer_parent`` are partner ordinals here, weights millionths.
        """
        count = partner_nodes.size
        sponsor, care = np.ascontiguousarray(sponsor, np.int64), np.ascontiguousarray(care, np.int64)
        layer = layers(sponsor, care)
        if count and layer.min() < 0:
            sponsored, cared = np.flatnonzero(sponsor >= 0), np.flatnonzero(care >= 0)
            child = np.concatenate([sponsored, cared])
            parent = np.concatenate([sponsor[sponsored], care[cared]])
            is_sponsor = np.arange(child.size) < sponsored.size
            cycle, kinds = _find_cycle(layer, child, parent, is_sponsor)
            raise CycleError([int(partner_nodes[o]) for o in cycle], kinds, ids)

        n_layers = int(layer.max()) + 1 if count else 0
        layer_bounds = np.zeros(n_layers + 1, np.int64)
        np.cumsum(np.bincount(layer, minlength=n_layers), out=layer_bounds[1:])
        position = positions(layer, sponsor, layer_bounds)
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

        # Care edges by block of the child, then by parent (ties: by child position).
        care_by_position = care[order]
        care_child = np.flatnonzero(care_by_position >= 0)
        care_parent = position[care_by_position[care_child]]
        block = np.searchsorted(block_bounds, care_child, side="right") - 1
        by_block = np.argsort(block * max(count, 1) + care_parent, kind="stable")
        care_bounds = np.searchsorted(block[by_block], np.arange(block_bounds.size))
        return cls(
            ids=ids,
            is_partner=is_partner,
            partner_nodes=partner_nodes,
            status=status,
            order=order,
            position=position,
            layer_bounds=layer_bounds,
            block_bounds=block_bounds.astype(np.int64),
            sponsor_position=sponsor_position,
            sponsor_weight=np.asarray(sponsor_weight, np.int64)[order],
            care_child=care_child[by_block],
            care_parent=care_parent[by_block],
            care_weight=np.asarray(care_weight, np.int64)[order][care_child][by_block],
            care_bounds=care_bounds.astype(np.int64),
            customer_node=np.asarray(customer_node, np.int64),
            customer_parent=position[customer_parent],
            customer_weight=np.asarray(customer_weight, np.int64),
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

    def care_by_position(self) -> tuple[np.ndarray, np.ndarray]:
        """Per position the parent position of its care edge (-1 for none) and its weight:
        a partner has at most one (a Betreuer who is also the sponsor is merged)."""
        cached = self._cache.get("care_by_position")
        if cached is None:
            parent = np.full(self.n_partners, -1, np.int64)
            weight = np.zeros(self.n_partners, np.int64)
            parent[self.care_child] = self.care_parent
            weight[self.care_child] = self.care_weight
            cached = self._cache["care_by_position"] = (parent, weight)
        return cached

    def downline(self, positions) -> np.ndarray:
        """Sorted positions of the given partners and of everyone below them (any edge)."""
        chosen = np.zeros(self.n_partners, bool)
        chosen[np.asarray(positions, np.int64)] = True
        return np.flatnonzero(below(self.sponsor_position, self.care_by_position()[0], chosen))

    def subnetwork(self, positions) -> tuple[Network, np.ndarray]:
        """The network of the given partners (a downline: closed under "below"),
        with the customers attached to them, and the node index here of each of its nodes.

        Sub-network partner ordinal ``i`` is the partner at ``positions[i]`` (sorted).
        Edges leaving the set are dropped; a node keeps the weights of its remaining
        edges, so every partner in the set gets exactly the volume it gets here.
        """
        positions = np.asarray(positions, np.int64)
        inside = np.full(self.n_partners + 1, -1, np.int64)  # [-1]: no parent
        inside[positions] = np.arange(positions.size)
        care, care_weight = self.care_by_position()
        keep_customer = inside[self.customer_parent] >= 0
        customers, customer_ordinal = np.unique(
            self.customer_node[keep_customer], return_inverse=True
        )
        nodes = self.partner_nodes[self.order[positions]]
        ids = [self.ids[n] for n in nodes.tolist()] + [self.ids[n] for n in customers.tolist()]
        count = positions.size
        sponsor = inside[self.sponsor_position[positions]]
        care_parent = inside[care[positions]]
        sub = Network._build(
            ids=ids,
            is_partner=np.arange(len(ids)) < count,
            partner_nodes=np.arange(count),
            status=self.status[self.order[positions]],
            sponsor=sponsor,
            sponsor_weight=np.where(sponsor >= 0, self.sponsor_weight[positions], SHARE_SCALE),
            care=care_parent,
            care_weight=np.where(care_parent >= 0, care_weight[positions], 0),
            customer_node=count + customer_ordinal,
            customer_parent=inside[self.customer_parent[keep_customer]],
            customer_weight=self.customer_weight[keep_customer],
        )
        return sub, np.concatenate([nodes, customers])


def _raise_first_error(ids, sponsor, care, first) -> None:
    """The ``NetworkError`` of the first failed check of ``ordering.check_relations``."""
    for check, node in zip(RELATION_CHECKS, first.tolist()):
        if node < 0:
            continue
        field = "care_share" if check.startswith("share") else check.split()[0]
        target = sponsor[node] if field == "sponsor" else care[node]
        if check.endswith("not a partner"):
            message = f"{ids[target]!r} is not a partner"
        elif check == "share outside":
            message = "outside [0, 1]"
        elif check == "share without Betreuer":
            message = "a share without a Betreuer"
        else:
            message = f"no node {int(target)}"
        raise NetworkError(node, field, message)


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
    sponsor = np.array(sponsor, np.int64)  # copies: the reported edges are cut below
    care = np.array(care, np.int64)
    layer = layers(sponsor, care)
    found: list[CycleError] = []
    while len(found) < limit and (layer < 0).any():
        sponsored, cared = np.flatnonzero(sponsor >= 0), np.flatnonzero(care >= 0)
        child = np.concatenate([sponsored, cared])
        parent = np.concatenate([sponsor[sponsored], care[cared]])
        is_sponsor = np.arange(child.size) < sponsored.size
        error = CycleError(*_find_cycle(layer, child, parent, is_sponsor), ids)
        found.append(error)
        (sponsor if error.field == "sponsor" else care)[error.node] = -1
        # a partner above a stuck one is stuck too: layer again only the stuck part
        stuck = layer < 0
        layer = np.where(stuck, layers(np.where(stuck, sponsor, -1), np.where(stuck, care, -1)), layer)
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
