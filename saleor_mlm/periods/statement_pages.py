"""A statement opened in one step for any partner: its groups, then its lines page by page.

`engine.explain` builds every line of a partner as an exact `Decimal`: the root of a
million partners would have a line per partner (seconds, gigabytes). A statement opens
instead with `engine.opening` on the run's network prepared once per process
(`prepared_network`: partners in layers, personal and open volumes): every line as a key
and the totals per level, rate and generation, on `int64` arrays. Only the lines of the
page asked for become `Decimal`s, with `explain` itself on a small network: the partner,
the page's sources and every partner on a paying walk between them; edges leaving it
point to the stand-in, as for a downline. The generation sources' OBV comes exactly from
the prepared network (computed once with Python integers).

The few leaders whose openings would take a tenth of a second or more are computed when
the network is prepared and stored next to the run's unpacked arrays (docs/periods.md).
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

from saleor_mlm.engine import explain
from saleor_mlm.engine.opening import BONUS_CODES, CUSTOMER, GENERATION, Group, Opening, StatementNetwork, Sum

from .downline import partners_network
from .models import PeriodRun
from .runs import INPUT_ARRAYS
from .snapshot import _run_dir, cached_arrays

# Prepared networks a process keeps (a million partners: about 150 MB each), and
# openings (a million-line opening: about 40 MB), most recently used last.
_NETWORKS = 2
_OPENINGS = 8
_lock = threading.Lock()
# Keyed by run id, checked against the snapshot arrays they were built from (the
# arrays are opened anew when their cache was dropped).
_networks: OrderedDict[int, tuple[dict, StatementNetwork]] = OrderedDict()
_openings: OrderedDict[tuple[int, int], tuple[StatementNetwork, Opening]] = OrderedDict()


def _remember(cache: OrderedDict, key, value, size: int):
    with _lock:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > size:
            cache.popitem(last=False)
    return value


def _cached(cache: OrderedDict, key):
    with _lock:
        value = cache.get(key)
        if value is not None:
            cache.move_to_end(key)
        return value


def prepared_network(run: PeriodRun, plan) -> StatementNetwork:
    """The run's network for openings (built once per process and run, again when the
    snapshot's arrays were opened anew)."""
    arrays = cached_arrays(run, INPUT_ARRAYS)
    found = _cached(_networks, run.pk)
    if found is not None and found[0] is arrays:
        return found[1]
    prepared = StatementNetwork(
        plan,
        sponsor=arrays["partner_sponsor"], care=arrays["partner_care"], share=arrays["partner_share"],
        own_bv=arrays["partner_bv"],
        customer_sponsor=arrays["customer_sponsor"], customer_care=arrays["customer_care"],
        customer_share=arrays["customer_share"], customer_bv=arrays["customer_bv"],
        rank=arrays["result_rank"], qualified=arrays["result_qualified"], previous_career=arrays["previous_career"],
    )  # fmt: skip
    _remember(_networks, run.pk, (arrays, prepared), _NETWORKS)
    # The few leaders whose openings take longer than a statement may: computed now,
    # once per run on this machine, and stored next to the arrays.
    for leader in _leaders(arrays, prepared):
        if not _stored_path(run, leader).exists():
            _store(run, leader, prepared.opening(leader))
    return prepared


def opening(run: PeriodRun, plan, ordinal: int) -> Opening:
    """The opening of the partner with this ordinal in the run (kept for its next pages;
    a large one also on disk for the other processes)."""
    prepared = prepared_network(run, plan)
    key = (run.pk, ordinal)
    found = _cached(_openings, key)
    if found is not None and found[0] is prepared:
        return found[1]
    computed = _load(run, ordinal)
    if computed is None:
        computed = prepared.opening(ordinal)
        if len(computed) >= STORE_LINES:
            _store(run, ordinal, computed)
    return _remember(_openings, key, (prepared, computed), _OPENINGS)[1]


# Partners whose sponsor subtree holds at least this many partners have their opening
# computed with the prepared network and stored (a million partners: 23 leaders, 0.05 to
# 0.4 s of CPU each; every other opening takes under 0.05 s); openings of at least
# STORE_LINES lines are stored whenever computed.
LEADER_DOWNLINE = 20_000
STORE_LINES = 50_000


def _leaders(arrays, prepared: StatementNetwork) -> list[int]:
    sponsor = np.asarray(arrays["partner_sponsor"]).astype(np.int64)
    if sponsor.size < LEADER_DOWNLINE:
        return []
    size = np.ones(sponsor.size, np.int64)
    height = prepared.height[prepared.position]  # a sponsor is higher than its partners
    for members in np.split(np.argsort(height, kind="stable"), np.flatnonzero(np.diff(np.sort(height))) + 1):
        members = members[sponsor[members] >= 0]
        np.add.at(size, sponsor[members], size[members])
    return np.flatnonzero(size >= LEADER_DOWNLINE).tolist()


def _stored_path(run: PeriodRun, ordinal: int) -> Path:
    return _run_dir(run) / "openings" / f"{ordinal}.npz"


def _store(run: PeriodRun, ordinal: int, found: Opening) -> None:
    path = _stored_path(run, ordinal)
    path.parent.mkdir(parents=True, exist_ok=True)
    groups = [
        [g.kind, g.level, g.rate, g.count, *(_sum_fields(g.volume)), *(_sum_fields(g.amount))] for g in found.groups
    ]  # big integers as text
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".npz", delete=False) as handle:
        np.savez(handle, keys=found.keys, counts=found.counts, source=found.source, amount=found.amount, paying=np.packbits(found.paying), groups=np.array(json.dumps(groups)))
    os.replace(handle.name, path)  # readers see a whole file or none


def _load(run: PeriodRun, ordinal: int) -> Opening | None:
    path = _stored_path(run, ordinal)
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as data:
        groups = tuple(
            Group(kind, level, rate, count, _sum(volume), _sum(amount))
            for kind, level, rate, count, *rest in json.loads(str(data["groups"]))
            for volume, amount in [(rest[:3], rest[3:])]
        )
        paying = np.unpackbits(data["paying"], count=len(run_partners(run))).astype(bool)
        return Opening(groups, data["keys"], data["counts"], data["source"], data["amount"], paying)


def run_partners(run: PeriodRun) -> np.ndarray:
    return cached_arrays(run, INPUT_ARRAYS)["partner_pk"]


def _sum_fields(value: Sum | None) -> list:
    return [None, None, None] if value is None else [str(value.units), str(value.error), value.places]


def _sum(fields: list) -> Sum | None:
    return None if fields[0] is None else Sum(int(fields[0]), int(fields[1]), fields[2])


def forget(run_id: int) -> None:
    with _lock:
        _networks.pop(run_id, None)
        for key in [key for key in _openings if key[0] == run_id]:
            del _openings[key]


def page_lines(run: PeriodRun, plan, ordinal: int, rows: np.ndarray) -> list:
    """The engine's exact lines (`engine.StatementLine`) at the positions ``rows`` of the
    partner's opening, in that order."""
    found = opening(run, plan, ordinal)
    if rows.size == 0:
        return []
    arrays = cached_arrays(run, INPUT_ARRAYS)
    kind, source = found.kind[rows], found.source[rows]
    partners = np.unique(np.append(source[kind != CUSTOMER], ordinal))
    members = _paying_upline(arrays, partners, found.paying)
    sub = partners_network(arrays, members)
    partner_pk, customer_pk = arrays["partner_pk"], arrays["customer_pk"]
    # The generation sources' OBV as the prepared network holds it, exactly: their
    # open groups (a manager's can be a quarter of the network) stay outside.
    prepared = prepared_network(run, plan)
    generation = np.unique(source[kind == GENERATION]).tolist()
    open_bv = ({f"p{int(partner_pk[o])}": prepared.obv_exact[o] for o in generation}, prepared.obv_exact_places)
    ids = [f"c{int(customer_pk[s])}" if k == CUSTOMER else f"p{int(partner_pk[s])}" for k, s in zip(kind.tolist(), source.tolist())]
    top = f"p{int(partner_pk[ordinal])}"
    lines = explain(plan, sub.network, sub.volumes, sub.ranks, top, sources=set(ids), open_bv=open_bv)
    by_key = {_key(line.kind, line.source, line.level or 0, line.rate, line.amount): line for line in lines}
    keys = zip(kind.tolist(), ids, found.level[rows].tolist(), found.rate[rows].tolist(), found.amount[rows].tolist())
    return [by_key[_key(BONUS_CODES[k], name, level, rate, amount)] for k, name, level, rate, amount in keys]


def _key(kind: str, source: str, level: int, rate, amount) -> tuple:
    """A line's identity: an advancement line (one per rank passed) is known by its amount."""
    if kind == "advancement":
        return kind, source, float(amount)
    return kind, source, level, rate if isinstance(rate, int) else int(rate.scaleb(6))


def _paying_upline(arrays, partners: np.ndarray, paying: np.ndarray) -> np.ndarray:
    """``partners`` and every partner above them on a walk that pays the statement's
    partner (``paying``: the opening's mask; it holds the statement's partner)."""
    sponsor, care = arrays["partner_sponsor"], arrays["partner_care"]
    seen = np.zeros(paying.size, bool)
    seen[partners] = True
    frontier = partners
    while frontier.size:
        above = np.concatenate([np.asarray(sponsor[frontier]), np.asarray(care[frontier])]).astype(np.int64)
        above = above[above >= 0]
        above = np.unique(above[paying[above] & ~seen[above]])
        seen[above] = True
        frontier = above
    return np.flatnonzero(seen)
