"""A statement opened in one step for any partner: its groups, then its lines page by page.

`engine.explain` builds every line of a partner as an exact `Decimal`: the root of a
million partners would have a line per partner (seconds, gigabytes). A statement opens
instead with `engine.opening` on the run's network prepared once per process
(`prepared_network`: edges in layers, personal and open volumes; about 2 s for a million
partners, next to unpacking the snapshot): every line as a key in statement order and
the totals per level, rate and generation, on `int64` arrays. Only the lines of the page
asked for become `Decimal`s, with `explain` itself on a small network: the partner, the
page's sources and every partner on a paying walk between them; edges leaving it point to the stand-in, as for a downline. The generation sources' OBV
comes exactly from the prepared network (computed once with Python integers).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from saleor_mlm.engine import explain
from saleor_mlm.engine.opening import BONUS_CODES, CUSTOMER, GENERATION, Opening, StatementNetwork

from .models import PeriodRun
from .runs import INPUT_ARRAYS
from .snapshot import cached_arrays

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
    return _remember(_networks, run.pk, (arrays, prepared), _NETWORKS)[1]


def opening(run: PeriodRun, plan, ordinal: int) -> Opening:
    """The opening of the partner with this ordinal in the run (kept for its next pages)."""
    prepared = prepared_network(run, plan)
    key = (run.pk, ordinal)
    found = _cached(_openings, key)
    if found is not None and found[0] is prepared:
        return found[1]
    return _remember(_openings, key, (prepared, prepared.opening(ordinal)), _OPENINGS)[1]


def forget(run_id: int) -> None:
    with _lock:
        _networks.pop(run_id, None)
        for key in [key for key in _openings if key[0] == run_id]:
            del _openings[key]


def page_lines(run: PeriodRun, plan, ordinal: int, rows: np.ndarray) -> list:
    """The engine's exact lines (`engine.StatementLine`) at the positions ``rows`` of the
    partner's opening, in that order."""
    from .statements import partners_network

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
