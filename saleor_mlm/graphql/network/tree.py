"""Who is below whom, answered from memory: the downline index.

Terms. As in `downline.py`: edges point upwards; the *genealogy* of a partner is everyone
below it by sponsor edges, its *downline* everyone below it by sponsor and care edges in
force now; a node's *level* is the length of the shortest path down to it (frontline: 1).

Where the figures come from. The live volumes (`live.volumes`) keep every installation's
network in memory per process, as the engine's arrays, and bring it up to date on each
request from the network's change feed (`periods.next_rank.live_snapshot` reads it). The
index here is derived from those arrays: child lists (CSR) by partner ordinal for both
kinds of edge and for sponsor edges alone, and parent lists for the way up. It is rebuilt
when the live network's partner arrays are replaced (a partner created, moved, given a
Betreuer, set inactive ...), never otherwise; there is no second copy of the network.

A page of a downline is then: a breadth-first walk from the partner (numpy, one step per
level; kept for the next page, `WALKS_KEPT` per installation), the status and search
filters on the walk's arrays (search asks the database for the matching ids), the keyset
cursor `(level, id)` found by binary search, and one query for the page's rows. The cost
of a page grows with the levels asked for, not with the page: `downline(depth: 3,
first: 100)` of a partner with 100,000 below reads the frontline's three levels.

Asking the live volumes costs a handful of queries (their change feeds). The downline
needs the network only, so the index keeps a *network version*: the highest ids of the
network's change log and of the tables that shape it (one query). While the version and
the time are those of the last refresh (and no Betreuer or split agreement starts or ends
in between), the index answers without asking the live volumes. Every network action
writes to the change log under the installation's tree lock, so ids there grow in commit
order; rows written without the actions (imports) show in the tables' highest ids.

When the live network is not available (the engine refuses it, e.g. after a cycle was
written by hand), the recursive SQL of `downline.py` answers instead, and the failure is
logged.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable

import numpy as np
from django.utils import timezone

from saleor_mlm.core.rows import instances_with_ids
from saleor_mlm.engine import Network, Status
from saleor_mlm.network.fetch import highest_ids
from saleor_mlm.network.models import CareAssignment, NetworkChange, Partner, SplitAgreement
from saleor_mlm.periods import next_rank

from .downline import MAX_LEVELS
from .filters import search_partners

logger = logging.getLogger(__name__)

# Walks (a partner's levels) kept per installation for the following pages. A walk of
# 100,000 partners is 1.6 MB.
WALKS_KEPT = 16


class TreeUnavailable(RuntimeError):
    """The in-memory network cannot answer; the caller uses the SQL walk."""


def _ranges(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """Concatenated `arange(start, stop)` of every pair."""
    counts = stops - starts
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    offsets = np.repeat(starts - np.cumsum(counts) + counts, counts)
    return offsets + np.arange(total, dtype=np.int64)


class _Adjacency:
    """Neighbours per partner ordinal (CSR): `of(nodes)` lists them all."""

    def __init__(self, source: np.ndarray, target: np.ndarray, count: int):
        by_source = np.lexsort((target, source))
        self.targets = target[by_source]
        self.pointer = np.searchsorted(source[by_source], np.arange(count + 1))

    def of(self, nodes: np.ndarray) -> np.ndarray:
        return self.targets[_ranges(self.pointer[nodes], self.pointer[nodes + 1])]

    def counts(self, nodes: np.ndarray) -> np.ndarray:
        return self.pointer[nodes + 1] - self.pointer[nodes]


class TreeIndex:
    """The partners of one installation as adjacency arrays by ordinal (ordinals ascend
    with the partner's primary key, as the live volumes load them)."""

    def __init__(self, network: Network, partner_ordinal: dict):
        self.network = network
        count = network.n_partners
        self.pks = np.zeros(count, np.int64)
        if count:
            self.pks[np.fromiter(partner_ordinal.values(), np.int64, len(partner_ordinal))] = np.fromiter(
                partner_ordinal.keys(), np.int64, len(partner_ordinal)
            )
        edges = network.edges
        child = network.order[edges.child]
        parent = network.order[edges.parent]
        self.down = _Adjacency(parent, child, count)
        sponsor = np.asarray(edges.is_sponsor, bool)
        self.down_sponsor = _Adjacency(parent[sponsor], child[sponsor], count)
        self.up = _Adjacency(child, parent, count)
        self.status = network.status  # engine Status per ordinal
        self.version: tuple | None = None  # `network_version()` when last brought up to date
        self.valid_until = None  # the live state's next care/split boundary
        self._walks: OrderedDict[tuple, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._lock = threading.Lock()

    def built_from(self, network: Network) -> bool:
        """Whether `network` has the partner arrays this index was built from (the live
        volumes replace only the customer edges when customers change)."""
        mine = self.network
        return all(getattr(mine, name) is getattr(network, name) for name in ("order", "sponsor_position", "care_child", "care_parent", "status"))

    def ordinal(self, pk: int) -> int | None:
        at = int(np.searchsorted(self.pks, pk))
        return at if at < self.pks.size and int(self.pks[at]) == pk else None

    def walk(self, root: int, *, include_care: bool, max_depth: int | None) -> tuple[np.ndarray, np.ndarray]:
        """(ordinals, levels) of everyone below `root`, sorted by level, then ordinal."""
        depth = min(max_depth or MAX_LEVELS, MAX_LEVELS)
        key = (root, include_care, depth)
        with self._lock:
            found = self._walks.get(key)
            if found is not None:
                self._walks.move_to_end(key)
                return found
        adjacency = self.down if include_care else self.down_sponsor
        seen = np.zeros(self.pks.size, bool)
        seen[root] = True
        frontier = np.array([root], np.int64)
        levels, nodes = [], []
        level = 0
        while frontier.size and level < depth:
            level += 1
            below = np.unique(adjacency.of(frontier))
            frontier = below[~seen[below]]
            seen[frontier] = True
            nodes.append(frontier)
            levels.append(np.full(frontier.size, level, np.int16))
        found = (
            np.concatenate(nodes) if nodes else np.zeros(0, np.int64),
            np.concatenate(levels) if levels else np.zeros(0, np.int16),
        )
        with self._lock:
            self._walks[key] = found
            while len(self._walks) > WALKS_KEPT:
                self._walks.popitem(last=False)
        return found

    def which_are_below(self, root: int, candidates: np.ndarray) -> np.ndarray:
        """Per candidate ordinal: whether it is below `root` (both kinds of edge). Walks
        up from all candidates at once; each (candidate, node) pair is visited once."""
        count = self.pks.size
        below = np.zeros(candidates.size, bool)
        origin = np.arange(candidates.size, dtype=np.int64)
        node = np.asarray(candidates, np.int64)
        keep = node != root
        origin, node = origin[keep], node[keep]
        seen = origin * count + node
        while node.size:
            parents = self.up.of(node)
            owners = np.repeat(origin, self.up.counts(node))
            hit = parents == root
            below[owners[hit]] = True
            go_on = ~hit & ~below[owners]
            pairs = np.unique(owners[go_on] * count + parents[go_on])
            pairs = pairs[~np.isin(pairs, seen, assume_unique=True)]
            seen = np.union1d(seen, pairs)
            origin, node = pairs // count, pairs % count
        return below


_indexes: dict[int, TreeIndex] = {}
_indexes_lock = threading.Lock()


def network_version(installation_id: int) -> tuple:
    """Highest ids of the change log, partners, care assignments and split agreements of
    an installation (one query): when none moved, the network did not change."""
    return highest_ids(installation_id, (NetworkChange, Partner, CareAssignment, SplitAgreement))


def tree_index(installation_id: int, context=None) -> TreeIndex:
    """The index of an installation's network as it is now; checked once per request
    (`context`: the GraphQL context)."""
    if context is not None:
        key = ("tree_index", installation_id)
        if key not in context.loaders:
            try:
                context.loaders[key] = tree_index(installation_id)
            except TreeUnavailable as failure:
                context.loaders[key] = failure
        found = context.loaders[key]
        if isinstance(found, TreeUnavailable):
            raise found
        return found
    version = network_version(installation_id)
    with _indexes_lock:
        index = _indexes.get(installation_id)
    if index is not None and index.version == version and (index.valid_until is None or timezone.now() < index.valid_until):
        return index
    try:
        snapshot = next_rank.live_snapshot(installation_id)
    except Exception as exc:  # the SQL walk answers; the cause is in the log
        logger.exception("downline index unavailable", extra={"installation": installation_id})
        raise TreeUnavailable(str(exc)) from exc
    if not (index is not None and index.built_from(snapshot.network) and len(snapshot.partner_ordinal) == index.pks.size):
        index = TreeIndex(snapshot.network, snapshot.partner_ordinal)
    # The version read before the refresh: a change committed in between is in the
    # snapshot, and the next request sees a newer version and refreshes again.
    index.version, index.valid_until = version, snapshot.valid_until
    with _indexes_lock:
        _indexes[installation_id] = index
    return index


_STATUS_CODES = dict(Status.CHOICES)


def partners_below(
    partner: Partner, *, context=None, include_care: bool, max_depth: int | None, statuses: list[str] | None, search: str | None
) -> tuple[Callable[..., list[Partner]], Callable[[], int]]:
    """(rows, count) as `downline.partners_below`: `rows(descending, after, limit)` is one
    page ordered by (level, id), each row with its `level`. Raises TreeUnavailable."""
    index = tree_index(partner.installation_id, context)
    root = index.ordinal(partner.pk)
    if root is None:
        raise TreeUnavailable(f"partner {partner.pk} is not in the live network yet")
    nodes, levels = index.walk(root, include_care=include_care, max_depth=max_depth)
    pks = index.pks[nodes]
    keep = None
    if statuses:
        keep = np.isin(index.status[nodes], [_STATUS_CODES[status] for status in statuses])
    if search and search.strip():
        matching = search_partners(Partner.objects.filter(installation_id=partner.installation_id), search).values_list("pk", flat=True)
        found = np.isin(pks, np.fromiter(matching.iterator(), np.int64))
        keep = found if keep is None else keep & found
    if keep is not None:
        pks, levels = pks[keep], levels[keep]

    def rows(*, descending: bool, after: tuple[int, int] | None, limit: int) -> list[Partner]:
        if after is None:
            start, stop = (max(pks.size - limit, 0), pks.size) if descending else (0, min(limit, pks.size))
        else:
            level, pk = int(after[0]), int(after[1])
            low, high = np.searchsorted(levels, level, "left"), np.searchsorted(levels, level, "right")
            if descending:
                stop = int(low + np.searchsorted(pks[low:high], pk, "left"))
                start = max(stop - limit, 0)
            else:
                start = int(low + np.searchsorted(pks[low:high], pk, "right"))
                stop = min(start + limit, pks.size)
        chosen = range(stop - 1, start - 1, -1) if descending else range(start, stop)
        return _load(partner.installation_id, [(int(pks[i]), int(levels[i])) for i in chosen])

    return rows, lambda: int(pks.size)


def _load(installation_id: int, page: list[tuple[int, int]]) -> list[Partner]:
    """The rows of a page, in page order, each with its `level` (one query)."""
    found = {row.pk: row for row in instances_with_ids(Partner, installation_id, [pk for pk, _ in page])}
    rows = []
    for pk, level in page:
        row = found.get(pk)
        if row is not None:
            row.level = level
            rows.append(row)
    return rows


def which_are_below(installation_id: int, root_id: int, candidate_ids: Iterable[int], context=None) -> set[int]:
    """The candidates below `root_id` (both kinds of edge). Raises TreeUnavailable."""
    candidates = [int(pk) for pk in candidate_ids if pk is not None and int(pk) != root_id]
    if not candidates:
        return set()
    index = tree_index(installation_id, context)
    root = index.ordinal(root_id)
    if root is None:
        raise TreeUnavailable(f"partner {root_id} is not in the live network yet")
    known = [(pk, index.ordinal(pk)) for pk in candidates]
    if any(ordinal is None for _, ordinal in known):
        raise TreeUnavailable("a partner is not in the live network yet")
    below = index.which_are_below(root, np.array([ordinal for _, ordinal in known], np.int64))
    return {pk for (pk, _), is_below in zip(known, below.tolist()) if is_below}
