"""The next-rank report of the open period (spec section 3), and the live network it reads.

Terms
-----
live snapshot
    What the live volumes (`live.volumes`) hold for an installation, brought up to date
    for this request: the network as engine arrays (partner ordinals ascend with the
    partner's primary key), and, when asked for, the rollup with the paid-as ranks the
    engine computed with the plan in force. One per process and installation, shared
    with every other reader of live volumes (no second cache of the network).
next rank
    The rank right above the partner's paid-as rank (the lowest rank when it has none).
    The report lists each of its requirements with the needed and the actual value:

    - `qualifying_pv`: `PV >= active_min_pv` (only qualified partners have a rank; shown
      when the plan asks for a minimum), together with `active` (the status);
    - `min_pv`: PV;
    - `min_gv`: `PV + sum over the partners q with an edge to p of min(w * GV(q), cap)`,
      the cap being `max_leg_share * min_gv` when the rank sets one, else GV;
    - `min_ov`: OV (open volume; GV for a plan without breakaways);
    - `min_legs`: the number of legs whose sponsorship subtree holds a partner with a
      paid-as rank at or above the named rank.

The ranks themselves are the engine's (`engine.compute` over the whole network, as the
live volumes run it); the report shows the same figures as the API's volumes, shown
volumes (hundredths rounded toward minus infinity, `engine.volumes.shown_volume`), and
`met` compares those. For a threshold of at most 2 decimals that is exactly the engine's
decision: the floor of the exact figure meets it exactly when the exact figure does (no
more "49.995 reads 50.00 but is not qualified"). A finer threshold (50.005) may read
`met: false` for a figure up to a hundredth above it, and a capped GV is summed from the
lines' shown GVs, so it can only read below the engine's.
"""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from saleor_mlm.engine import SHARE_SCALE, Network, Plan
from saleor_mlm.engine.volumes import SHOWN_VOLUME_PLACES, shown_volume
from saleor_mlm.live import volumes as live
from saleor_mlm.plans.fetch import plan_in_force, plan_of


class RequirementKind:
    QUALIFYING_PV = "qualifying_pv"  # plan.active_min_pv: qualification for any rank
    MIN_PV = "min_pv"
    MIN_GV = "min_gv"  # capped per line by max_leg_share
    MIN_OV = "min_ov"
    MIN_LEGS = "min_legs"

    CHOICES = [
        (QUALIFYING_PV, "Qualifying PV"),
        (MIN_PV, "Personal volume"),
        (MIN_GV, "Group volume"),
        (MIN_OV, "Open volume"),
        (MIN_LEGS, "Qualified legs"),
    ]


@dataclass(frozen=True)
class Requirement:
    kind: str
    needed: Decimal  # volume, or a number of legs
    actual: Decimal
    met: bool
    leg_rank: str | None = None  # min_legs: the rank a leg needs somewhere in it
    leg_cap: Decimal | None = None  # min_gv with max_leg_share: the most one line counts


@dataclass(frozen=True)
class NextRankReport:
    partner_id: int
    period_id: int | None  # None while the month has no period yet (no entry so far)
    period_starts_on: datetime.date
    plan_version_id: int
    plan_document: dict  # the plan's document (names of its ranks)
    active: bool
    qualified: bool
    paid_as_rank: str | None
    next_rank: str | None  # None at the highest rank
    requirements: tuple[Requirement, ...]
    as_of: datetime.datetime


# ---------------------------------------------------------------------------- live state


@dataclass(frozen=True)
class LiveRanks:
    """The live rollup: per partner ordinal, hundredths and rank indices (-1 none)."""

    pv: np.ndarray
    gv: np.ndarray
    ov: np.ndarray
    qualified: np.ndarray | None  # None without a plan in force
    rank: np.ndarray | None
    rank_codes: tuple[str, ...]


@dataclass(frozen=True)
class LiveSnapshot:
    installation_id: int
    network: Network
    partner_ordinal: dict  # partner pk -> ordinal; the live state's own map, read only
    period_id: int | None
    period_starts_on: datetime.date
    as_of: datetime.datetime
    ranks: LiveRanks | None = None
    # The next moment a care assignment or split agreement starts or ends (the shares in
    # force change then).
    valid_until: datetime.datetime | None = None

    def ordinal(self, partner_id: int) -> int | None:
        return self.partner_ordinal.get(partner_id)


def live_snapshot(installation_id: int, *, period=None, with_ranks: bool = False) -> LiveSnapshot:
    """The live network of an installation, fresh for this request (see the module doc).

    `with_ranks` also runs (or reuses) the engine over the live volumes with the plan in
    force. Raises what the live volumes raise (a network they cannot build).

    This reads the live volumes' whole state (`live.volumes.refreshed_state`): a downline
    or a next-rank report needs the whole network once per request, not per-partner
    figures. Always the state shared by the process, inside a transaction too
    (`always_shared`): a private one would load the whole network for every call.
    """
    with live.refreshed_state(installation_id, period=period, always_shared=True) as state:
        ranks = None
        if with_ranks:
            rollup = state.all_figures(with_ov=True)
            ranks = LiveRanks(
                pv=rollup.pv, gv=rollup.gv, ov=rollup.ov, qualified=rollup.qualified, rank=rollup.rank, rank_codes=tuple(rollup.rank_codes)
            )
        return LiveSnapshot(
            installation_id=installation_id,
            network=state.network,
            partner_ordinal=state.partner_node,
            period_id=state.period_id,
            period_starts_on=state.period_start,
            as_of=state.as_of,
            ranks=ranks,
            valid_until=getattr(state, "valid_until", None),
        )


# ---------------------------------------------------------------------------- the report


def _volume(hundredths) -> Decimal:
    return shown_volume(hundredths, SHOWN_VOLUME_PLACES)


_top_lock = threading.Lock()
_top_cache: dict[int, tuple[np.ndarray, Network, np.ndarray]] = {}


def subtree_top_ranks(network: Network, rank_by_ordinal: np.ndarray, installation_id: int = 0) -> np.ndarray:
    """`top(q)` by position: the highest paid-as rank in q's sponsorship subtree (q
    included), carried up the sponsor edges layer by layer as the engine does for
    `min_legs`. Kept per installation for the rank array it was computed from."""
    with _top_lock:
        cached = _top_cache.get(installation_id)
        if cached is not None and cached[0] is rank_by_ordinal and cached[1] is network:
            return cached[2]
    top = np.asarray(rank_by_ordinal, np.int64)[network.order].copy()
    sponsor = network.sponsor_position
    bounds = network.layer_bounds
    for layer in range(network.n_layers):
        rows = np.arange(bounds[layer], bounds[layer + 1])
        above = sponsor[rows]
        has = above >= 0
        if has.any():
            np.maximum.at(top, above[has], top[rows[has]])
    with _top_lock:
        _top_cache[installation_id] = (rank_by_ordinal, network, top)
    return top


def _lines_gv(network: Network, gv: np.ndarray, position: int, cap: Decimal | None) -> Decimal:
    """Sum over the partners with an edge to `position` of min(w * GV(q), cap), exactly:
    GV in hundredths times weights in millionths are integers (of 10^-8), summed in numpy."""
    edges = network.edges
    at = np.flatnonzero(edges.parent == position)
    lines = np.asarray(gv, np.int64)[network.order[edges.child[at]]] * edges.weight[at].astype(np.int64)
    if cap is not None:
        lines = np.minimum(lines, int(cap * 100 * SHARE_SCALE))
    small = float(np.abs(lines).sum(dtype=np.float64)) < 2**62
    total = int(lines.sum(dtype=np.int64)) if small else sum(int(line) for line in lines.tolist())
    return Decimal(total).scaleb(-2) / SHARE_SCALE


def build_report(snapshot: LiveSnapshot, plan: Plan, version, partner_id: int) -> NextRankReport | None:
    """The report of one partner from a snapshot with ranks; None for an unknown partner."""
    ordinal = snapshot.ordinal(partner_id)
    ranks = snapshot.ranks
    if ordinal is None or ranks is None or ranks.rank is None:
        return None
    network = snapshot.network
    rank = int(ranks.rank[ordinal])
    qualified = bool(ranks.qualified[ordinal])
    active = int(network.status[ordinal]) == 0  # engine Status.ACTIVE
    pv = _volume(ranks.pv[ordinal])
    target_index = rank + 1
    requirements: list[Requirement] = []
    target = plan.ranks[target_index] if target_index < len(plan.ranks) else None
    if target is not None:
        if plan.active_min_pv > 0:
            requirements.append(Requirement(RequirementKind.QUALIFYING_PV, plan.active_min_pv, pv, pv >= plan.active_min_pv))
        if target.min_pv is not None:
            requirements.append(Requirement(RequirementKind.MIN_PV, target.min_pv, pv, pv >= target.min_pv))
        if target.min_gv is not None:
            cap = target.leg_cap
            position = int(network.position[ordinal])
            actual = shown_volume(pv + _lines_gv(network, ranks.gv, position, cap)) if cap is not None else _volume(ranks.gv[ordinal])
            requirements.append(Requirement(RequirementKind.MIN_GV, target.min_gv, actual, actual >= target.min_gv, leg_cap=cap))
        if target.min_ov is not None:
            ov = _volume(ranks.ov[ordinal])
            requirements.append(Requirement(RequirementKind.MIN_OV, target.min_ov, ov, ov >= target.min_ov))
        if target.min_legs is not None:
            top = subtree_top_ranks(network, ranks.rank, snapshot.installation_id)
            position = int(network.position[ordinal])
            legs = np.flatnonzero(network.sponsor_position == position)
            count = int((top[legs] >= target.min_legs.rank).sum())
            needed = target.min_legs.count
            requirements.append(
                Requirement(
                    RequirementKind.MIN_LEGS, Decimal(needed), Decimal(count), count >= needed, leg_rank=plan.ranks[target.min_legs.rank].code
                )
            )
    return NextRankReport(
        partner_id=partner_id,
        period_id=snapshot.period_id,
        period_starts_on=snapshot.period_starts_on,
        plan_version_id=version.pk,
        plan_document=version.document,
        active=active,
        qualified=qualified,
        paid_as_rank=plan.ranks[rank].code if rank >= 0 else None,
        next_rank=target.code if target is not None else None,
        requirements=tuple(requirements),
        as_of=snapshot.as_of,
    )


def next_rank_report(installation_id: int, partner_id: int) -> NextRankReport | None:
    """The next-rank report of a partner in the open period, fresh; None without a plan
    in force for the period or for a partner the network does not hold."""
    snapshot = live_snapshot(installation_id, with_ranks=True)
    version = plan_in_force(installation_id, snapshot.period_starts_on)
    if version is None:
        return None
    return build_report(snapshot, plan_of(version), version, partner_id)


def next_rank_reports(installation_id: int, partner_ids) -> dict[int, NextRankReport | None]:
    """`next_rank_report` of many partners from one snapshot."""
    snapshot = live_snapshot(installation_id, with_ranks=True)
    version = plan_in_force(installation_id, snapshot.period_starts_on)
    if version is None:
        return {pk: None for pk in partner_ids}
    plan = plan_of(version)
    return {pk: build_report(snapshot, plan, version, pk) for pk in partner_ids}
