"""One period's computation: volumes, ranks and bonuses of every partner.

Terms
-----
fast path
    ``int64`` fixed point with error bounds (``fixedpoint``), the normal case.
exact path
    The same computation with Python integers (no error at all), run on the downline of
    the partners whose figures the fast path cannot decide: a threshold or a half-unit
    rounding boundary within the error bound. A downline is closed under "below", so
    the exact path computes those partners exactly as they are in the whole network.
result
    ``PeriodResult``: arrays by partner ordinal, volumes in hundredths rounded toward
    minus infinity (shown volumes, ``volumes.shown_volume``) and bonuses in minor units
    rounded half up, each rounded once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .bonuses import BONUS_KINDS, bonus_amounts
from .fixedpoint import FixedPoint
from .kernel import FIGURES, UNDECIDED, Tables, by_ordinal, filled, int_sums, kernel_digits, run_pass
from .limbs import VOLUME_COLUMNS, floor_figures, volume_limbs
from .money import ceil_units, units_text
from .network import Network
from .plan import Compression, Plan
from .propagation import VOL, Layout, State, leg_caps, sweep
from .ranks import NO_OVERRIDE, RankEvaluator, advancement_units, qualified_positions
from .volumes import (
    PERSONAL_PLACES,
    SHOWN_VOLUME_PLACES,
    VOLUME_PLACES,
    Volumes,
    personal_volumes,
    shown_volume_units,
)

__all__ = ["PeriodResult", "VolumeRollup", "compute", "rollup_volumes"]

_CHUNK = 1 << 14  # positions per block when rounding: temporaries of a few MB

Progress = Callable[[str, float], None]


@dataclass(frozen=True, eq=False)
class PeriodResult:
    """Figures of every partner by partner ordinal (the order of ``Network.partner_ids``).

    Volumes are integers in hundredths rounded toward minus infinity (shown volumes),
    bonuses integers in the currency's minor unit rounded half up; ranks are indices into
    ``Plan.ranks``, -1 for none.
    """

    currency: str
    minor_digits: int
    rank_codes: tuple[str, ...]
    partner_ids: Sequence[str]
    pv: np.ndarray
    gv: np.ndarray
    ov: np.ndarray
    pbv: np.ndarray
    gbv: np.ndarray
    obv: np.ndarray
    qualified: np.ndarray
    rank: np.ndarray  # paid-as rank (an override where one applied)
    calculated_rank: np.ndarray  # what the requirements give
    career_rank: np.ndarray
    previous_career_rank: np.ndarray  # before the period
    bonuses: dict[str, np.ndarray]
    total: np.ndarray
    own_pv_total: int  # sum of all volume rows, at scale 10^4
    own_bv_total: int
    exact_partners: int = 0  # partners whose figures the fast path left open (diagnostics)
    exact_downline: int = 0  # partners the exact path (Python integers) computed again

    def totals(self) -> dict:
        """The ``totals`` object of the result JSON."""
        places = self.minor_digits
        totals = {kind: units_text(int(self.bonuses[kind].sum()), places) for kind in BONUS_KINDS}
        totals["total"] = units_text(int(self.total.sum()), places)
        for key, value in (("pv", self.own_pv_total), ("bv", self.own_bv_total)):
            totals[key] = units_text(shown_volume_units(value, VOLUME_PLACES), SHOWN_VOLUME_PLACES)
        totals["partners"] = len(self.partner_ids)
        totals["qualified"] = int(self.qualified.sum())
        return totals

    def partner_figures(self, ordinal: int) -> dict:
        """The result JSON object of one partner."""
        places = self.minor_digits

        def code(index):
            return None if index < 0 else self.rank_codes[index]

        return {
            "pv": units_text(self.pv[ordinal], 2),
            "gv": units_text(self.gv[ordinal], 2),
            "ov": units_text(self.ov[ordinal], 2),
            "qualified": bool(self.qualified[ordinal]),
            "rank": code(int(self.rank[ordinal])),
            "career_rank": code(int(self.career_rank[ordinal])),
            "bonuses": {
                kind: units_text(self.bonuses[kind][ordinal], places) for kind in BONUS_KINDS
            },
            "total": units_text(self.total[ordinal], places),
        }

    def to_dict(self) -> dict:
        """The result JSON of spec section 6, as a dict."""
        return {
            "currency": self.currency,
            "partners": {
                partner_id: self.partner_figures(ordinal)
                for ordinal, partner_id in enumerate(self.partner_ids)
            },
            "totals": self.totals(),
        }


def _sum(values: np.ndarray) -> int:
    """Exact sum of an integer array, however large."""
    if values.dtype == object:
        return int(values.sum())
    total, bound = int_sums(values)
    if bound < 2**62:
        return int(total)
    return sum(int(v) for v in values.tolist())


def compute(
    plan: Plan,
    network: Network,
    volumes: Volumes,
    previous_career_rank=None,
    *,
    progress: Progress | None = None,
    exact: bool = False,
    arithmetic: FixedPoint | None = None,
    rank_override=None,
    compiled: bool = True,
) -> PeriodResult:
    """Volumes, ranks and bonuses of every partner for one period.

    Parameters
    ----------
    plan : Plan
    network : Network
    volumes : Volumes
        Own PV and BV per node.
    previous_career_rank : array_like of int, optional
        Career rank index before the period per partner ordinal, -1 for none.
    progress : callable, optional
        Called as ``progress(phase, fraction)``.
    exact : bool
        Compute with Python integers only (slow; for tests and comparisons).
    arithmetic : FixedPoint, optional
        Force the fast arithmetic's limb sizes (tests use tiny ones to exercise the
        exact path); by default chosen from the magnitudes.
    rank_override : array_like of int, optional
        Per partner ordinal a paid-as rank index set by the company, -1 for "no rank",
        ``NO_OVERRIDE`` (-2) for none. Applied to qualified partners only, before their
        upline is computed; ``calculated_rank`` of the result keeps what the requirements
        gave.
    compiled : bool
        Run the fast path in the compiled kernel (``kernel``, the default) or in the pure
        numpy sweep (``propagation``, the reference). The exact path is numpy either way.

    Returns
    -------
    PeriodResult

    Examples
    --------
    >>> from saleor_mlm.engine.plan import parse_plan
    >>> plan = parse_plan({"currency": "EUR", "bonuses": {"level_rates": ["0.05"]},
    ...                    "ranks": [{"code": "partner"}]})
    >>> net = Network.from_arrays(["a", "b"], [True, True], [-1, 0])
    >>> result = compute(plan, net, Volumes.from_rows(net, [1], [1250000], [1250000]))
    >>> result.gv.tolist(), result.bonuses["level"].tolist()  # 0.05 * 125.00 = 6.25
    ([12500, 12500], [625, 0])
    """
    period = _Period(plan, network, volumes, previous_career_rank, progress, exact, arithmetic)
    period.compiled = compiled
    if rank_override is not None:
        override = np.asarray(rank_override, np.int64).reshape(network.n_partners)
        if ((override < NO_OVERRIDE) | (override >= len(plan.ranks))).any():
            raise ValueError("rank_override holds a value that is no rank index, -1 or -2")
        period.override = override
    return period.run()


class _Period:
    override = None  # rank overrides by ordinal
    exact_downline = 0  # partners the exact path computed again for ranks
    compiled = True  # the fast path in the kernel (else in the numpy sweep)

    def __init__(self, plan, network, volumes, previous_career_rank, progress, exact, arithmetic):
        self.plan, self.network, self.volumes = plan, network, volumes
        self.progress = progress
        count = network.n_partners
        previous = (
            np.full(count, -1, np.int64)
            if previous_career_rank is None
            else np.asarray(previous_career_rank, np.int64).reshape(count)
        )
        self.previous = previous  # by ordinal
        self.personal = personal_volumes(network, volumes)
        self.fp = arithmetic or _arithmetic(plan, network, volumes, self.personal, exact)
        self.qualified = qualified_positions(plan, network, self.personal)
        self.magnitude = _magnitude(plan, volumes) if self.personal.pv.dtype != object else None

    def _report(self, phase):
        if self.progress is None:
            return None
        return lambda fraction: self.progress(phase, fraction)

    def _shift(self) -> np.ndarray:
        """By position: the partner counts as a level for those above it."""
        if self.plan.compression == Compression.NONE:
            return np.ones(self.network.n_partners, bool)
        return self.qualified

    def _kernel_digits(self) -> int | None:
        """Decimal places of the kernel's single limb, or None if it cannot hold the
        magnitudes with the places the decisions need (then the numpy path runs)."""
        if not self.compiled or self.fp.exact or self.magnitude is None:
            return None
        digits = kernel_digits(self.magnitude, self.fp.fine_digits)
        return digits if digits >= max(4, self.plan.minor_digits) else None

    def run(self) -> PeriodResult:
        plan, network = self.plan, self.network
        digits = self._kernel_digits()
        if digits is not None:
            rank, calculated, figures, doubts, exact_partners = self._in_kernel(digits)
            unsure = np.flatnonzero(doubts)
            exact_partners += unsure.size
            unsure = self._volumes_in_limbs(digits, rank, figures, doubts, unsure)
        else:
            rank, calculated, figures, unsure, exact_partners = self._in_sweep()
            exact_partners += unsure.size
        exact_downline = self.exact_downline
        if unsure.size:  # figures by ordinal, unsure by position
            result, closure = self._exact(unsure)
            exact_downline += closure.size
            at, ordinals = np.searchsorted(closure, unsure), network.order[unsure]
            for key in ("pv", "gv", "ov", "pbv", "gbv", "obv"):
                figures[key][ordinals] = getattr(result, key)[at]
            for kind in BONUS_KINDS[:-1]:
                figures[kind][ordinals] = result.bonuses[kind][at]

        to_ordinal = network.position  # position of each ordinal
        rank_by_ordinal = rank[to_ordinal]
        bonuses = {kind: figures[kind] for kind in BONUS_KINDS[:-1]}
        bonuses["advancement"] = advancement_units(plan, self.previous, rank_by_ordinal)
        total = sum(bonuses[kind] for kind in BONUS_KINDS)
        own_pv_total = _sum(self.volumes.own_pv)
        own_bv_total = _sum(self.volumes.own_bv)
        return PeriodResult(
            currency=plan.currency,
            minor_digits=plan.minor_digits,
            rank_codes=tuple(rank.code for rank in plan.ranks),
            partner_ids=network.partner_ids,
            **{key: figures[key] for key in ("pv", "gv", "ov", "pbv", "gbv", "obv")},
            qualified=self.qualified[to_ordinal],
            rank=rank_by_ordinal,
            calculated_rank=calculated[to_ordinal],
            career_rank=np.maximum(self.previous, rank_by_ordinal),
            previous_career_rank=self.previous,
            bonuses=bonuses,
            total=total,
            own_pv_total=own_pv_total,
            own_bv_total=own_bv_total,
            exact_partners=exact_partners,
            exact_downline=exact_downline,
        )

    def _in_kernel(self, digits: int):
        """The fast path in the kernel: ranks and calculated ranks by position, figures by
        ordinal, the undecided positions, and how many partners' ranks took the exact path."""
        plan, network = self.plan, self.network
        count = network.n_partners
        tables = Tables.of(plan, digits, PERSONAL_PLACES)
        override = filled(count, NO_OVERRIDE)
        if self.override is not None:
            override = np.ascontiguousarray(self.override[network.order])
        given = filled(count, UNDECIDED)
        care, care_weight = network.care_by_position()
        # Partners of layer 0 have no partners below: their state stays blank.
        base = int(network.layer_bounds[1]) if network.n_layers > 1 else count
        state, blank = tables.new_state(count - base), tables.new_state(1)[0]
        rank, calculated = filled(count, -1), filled(count, -1)
        figures = filled((count, len(FIGURES)), 0)
        unsure = filled(count, 0)  # bits of FIGURES
        ambiguous = filled(count, 0)
        personal, shift = self.personal, self._shift()
        exact_partners = 0
        report = self._report("ranks and volumes")  # the bonuses come with them
        layers = network.n_layers
        step = max(1, -(-layers // 8)) if report else max(layers, 1)
        for first in range(0, layers, step):
            stop, layer = min(first + step, layers), first
            while layer >= 0:
                layer, pending = run_pass(
                    layer, stop, network.layer_bounds, network.sponsor_position,
                    network.sponsor_weight, care, care_weight, personal.pv, personal.pbv,
                    personal.cbv, self.qualified, shift, override, given, tables.layout,
                    tables.requirements, tables.caps, tables.leg_ranks, tables.rank_table,
                    tables.level_rates, tables.rate_values, tables.generation_rates,
                    tables.scalars, state, base, blank, rank, calculated, figures, unsure,
                    ambiguous,
                )  # fmt: skip
                if pending:
                    positions = ambiguous[:pending].copy()
                    given[positions] = self._exact_ranks(positions)
                    exact_partners += pending
            if report:
                report(int(network.layer_bounds[stop]) / max(count, 1))
        if report:
            self._report("bonuses")(1.0)
        del state
        columns = by_ordinal(figures, network.position)  # the state is gone: no new peak
        del figures
        by_name = dict(zip(FIGURES, columns))
        return rank, calculated, by_name, unsure, exact_partners

    def _volumes_in_limbs(self, digits, rank, figures, doubts, unsure):
        """Decide the undecided volume figures exactly in limbs (``limbs``), over the
        downline of their partners only; returns the positions left for the exact path
        (a bonus undecided, or, never in theory, a volume the limbs left open)."""
        network, plan = self.network, self.plan
        if not unsure.size:
            return unsure
        # Without open volume the kernel has no ov, obv: it copies gv, gbv (doubts too).
        is_open = Layout.for_plan(plan).open_volume
        names = VOLUME_COLUMNS if is_open else VOLUME_COLUMNS[:2]
        bits = np.array([1 << FIGURES.index(name) for name in VOLUME_COLUMNS], np.int64)
        flagged = (doubts[unsure][:, None] & bits[: len(names)]) != 0
        volumes_only = (doubts[unsure] & ~np.bitwise_or.reduce(bits)) == 0
        rest, wanted, flagged = unsure[~volumes_only], unsure[volumes_only], flagged[volumes_only]
        if not wanted.size:
            return rest
        breakaway = (
            rank >= plan.breakaway_rank if is_open else np.zeros(network.n_partners, bool)
        )
        care, care_weight = network.care_by_position()
        base = int(network.layer_bounds[1]) if network.n_layers > 1 else network.n_partners
        arrays = (
            base, network.sponsor_position, network.sponsor_weight, care, care_weight,
            self.personal.pv, self.personal.pbv, breakaway,
        )  # fmt: skip
        # Four limbs hold 18 places more than the kernel: enough for the walks of real
        # networks; otherwise, column by column, as many as any walk can need. Partners
        # are taken together by the columns they need (the top's gv and gbv, the open
        # volumes of breakaways: the closures differ most).
        def decide(chosen, columns, limbs):
            positions = wanted[chosen]
            out = volume_limbs(network.downline(positions), positions, *arrays, columns, digits, limbs)
            values, decided = floor_figures(out, columns.size, limbs, digits, SHOWN_VOLUME_PLACES)
            ordinals = network.order[positions]
            for at, column in enumerate(columns):
                done = decided[:, at]
                copies = (names[column],) if is_open else (names[column], VOLUME_COLUMNS[column + 2])
                for name in copies:
                    figures[name][ordinals[done]] = values[done, at]
                flagged[np.flatnonzero(chosen)[done], column] = False

        for pattern in np.unique(flagged, axis=0):
            chosen = (flagged == pattern).all(axis=1)
            if pattern.any() and chosen.any():
                decide(chosen, np.flatnonzero(pattern), 4)
        for column in range(len(names)):
            chosen = flagged[:, column].copy()
            if chosen.any():
                decide(chosen, np.array([column]), network.max_split_hops() + 2)
        return np.union1d(rest, wanted[flagged.any(axis=1)])

    def _in_sweep(self):
        """The fast (or exact) path in the numpy sweep; as ``_in_kernel`` returns."""
        plan, network, fp = self.plan, self.network, self.fp
        self.layout = layout = Layout.for_plan(plan, fp)
        self.pv = fp.from_units(self.personal.pv, PERSONAL_PLACES)
        self.pbv = fp.from_units(self.personal.pbv, PERSONAL_PLACES)
        self.cbv = fp.from_units(self.personal.cbv, PERSONAL_PLACES)
        evaluator = RankEvaluator(
            plan, network, fp, layout, self.personal, self.pv, self.qualified,
            resolve=self._exact_ranks,
            override=None if self.override is None else self.override[network.order],
        )  # fmt: skip
        state = sweep(
            network, fp, layout, self.pv, self.pbv, self._shift(), evaluator.decide,
            self._report("ranks and volumes"),
        )  # fmt: skip
        figures, unsure = self._round_all(state, evaluator.rank)
        by_ordinal = {key: value[network.position] for key, value in figures.items()}
        return evaluator.rank, evaluator.calculated, by_ordinal, unsure, evaluator.ambiguous

    def _round_all(self, state: State, rank: np.ndarray):
        """Round every figure by position; returns the figures and the undecided positions."""
        plan, fp, layout = self.plan, self.fp, self.layout
        count = self.network.n_partners
        places = plan.minor_digits
        figures = {key: np.zeros(count, np.int64) for key in ("pv", "gv", "ov", "pbv", "gbv", "obv")}
        figures.update({kind: np.zeros(count, np.int64) for kind in BONUS_KINDS[:-1]})
        if fp.exact:
            figures = {key: value.astype(object) for key, value in figures.items()}
        unsure = np.zeros(count, bool)
        breakaway = (
            rank >= plan.breakaway_rank
            if plan.breakaway_rank is not None
            else np.zeros(count, bool)
        )
        report = self._report("bonuses")
        for start in range(0, count, _CHUNK):
            rows = slice(start, min(start + _CHUNK, count))
            figures["pv"][rows] = shown_volume_units(self.personal.pv[rows], PERSONAL_PLACES)
            figures["pbv"][rows] = shown_volume_units(self.personal.pbv[rows], PERSONAL_PLACES)
            volume_columns = [("gv", layout.GV, self.pv), ("gbv", layout.GBV, self.pbv)]
            if layout.open_volume:
                volume_columns += [("ov", layout.OV, self.pv), ("obv", layout.OBV, self.pbv)]
            for key, column, own in volume_columns:
                value = fp.add(state.hi[rows, column], state.lo[rows, column], own[0][rows], own[1][rows])
                figures[key][rows], ambiguous = fp.floor(*value, state.err[rows, VOL], SHOWN_VOLUME_PLACES)
                unsure[rows] |= ambiguous
            if not layout.open_volume:
                figures["ov"][rows] = figures["gv"][rows]
                figures["obv"][rows] = figures["gbv"][rows]
            amounts = bonus_amounts(
                plan, fp, layout, state, rows, rank[rows], self.qualified[rows],
                breakaway[rows], self.pbv, self.cbv,
            )  # fmt: skip
            for kind, (hi, lo, error) in amounts.items():
                figures[kind][rows], ambiguous = fp.round(hi, lo, error, places)
                unsure[rows] |= ambiguous
            if report:
                report(rows.stop / count)
        return figures, np.flatnonzero(unsure)

    def _exact(self, positions: np.ndarray) -> tuple[PeriodResult, np.ndarray]:
        """The exact result of the downline of ``positions``, and that downline."""
        network = self.network
        closure = network.downline(positions)
        sub, nodes = network.subnetwork(closure)
        ordinals = network.order[closure]
        override = None if self.override is None else self.override[ordinals]
        result = compute(
            self.plan, sub, self.volumes.subset(nodes), self.previous[ordinals],
            exact=True, rank_override=override,
        )  # fmt: skip
        return result, closure

    def _exact_ranks(self, positions: np.ndarray) -> np.ndarray:
        """The calculated ranks of ``positions`` (overrides are applied by the caller)."""
        result, closure = self._exact(positions)
        self.exact_downline += closure.size
        return result.calculated_rank[np.searchsorted(closure, positions)]


def _magnitude(plan: Plan, volumes: Volumes) -> int:
    """A bound of every volume, vector entry, amount and threshold of a run, in units."""
    thresholds = [plan.active_min_pv] + [
        value
        for rank in plan.ranks
        for value in (rank.min_pv, rank.min_gv, rank.min_ov)
        if value is not None
    ]
    return max([volumes.magnitude()] + [abs(ceil_units(t, 0)) for t in thresholds])


def _arithmetic(plan: Plan, network: Network, volumes: Volumes, personal, exact: bool):
    """The fast arithmetic if the magnitudes allow it, else (or if asked) the exact one."""
    if not exact and personal.pv.dtype != object:
        magnitude = _magnitude(plan, volumes)
        fp = FixedPoint.fast_for(magnitude, min_hi_digits=max(4, plan.minor_digits))
        if fp is not None:
            return fp
    return exact_arithmetic(network, leg_caps(plan))


def exact_arithmetic(network: Network, caps=()) -> FixedPoint:
    """Arithmetic in which no multiplication of this network ever rounds.

    A walk through ``k`` split edges has at most ``10 + 6k`` decimal places (customer
    volume times a share, then ``k`` shares); a leg cap has its own; one more rate adds 6.
    """
    cap_places = max([0] + [-cap.as_tuple().exponent for cap in caps])
    places = max(PERSONAL_PLACES + 6 * network.max_split_hops(), cap_places) + 6
    return FixedPoint.exact_for(places)


@dataclass(frozen=True, eq=False)
class VolumeRollup:
    """PV, GV, PBV, GBV per partner ordinal, hundredths rounded toward minus infinity."""

    pv: np.ndarray
    gv: np.ndarray
    pbv: np.ndarray
    gbv: np.ndarray


def rollup_volumes(network: Network, own_pv, own_bv, *, exact: bool = False) -> VolumeRollup:
    """Personal and group volumes without ranks or bonuses (live volumes).

    OV needs the paid-as ranks of the downline, so it is not part of the cheap rollup.

    Parameters
    ----------
    network : Network
    own_pv, own_bv : array_like of int
        Own volume per node, at scale ``10^4``.
    exact : bool
        Python integers only (slow).

    Returns
    -------
    VolumeRollup
        ``pv, gv, pbv, gbv`` per partner ordinal in hundredths, rounded toward minus
        infinity (shown volumes).

    Examples
    --------
    >>> net = Network.from_arrays(["a", "b", "c"], [True, True, False], [-1, 0, 1])
    >>> rollup_volumes(net, [10000, 20000, 5000], [0, 0, 0]).gv.tolist()
    [350, 250]
    """
    volumes = Volumes(np.asarray(own_pv, np.int64), np.asarray(own_bv, np.int64))
    personal = personal_volumes(network, volumes)
    fp = None
    if not exact and personal.pv.dtype != object:
        fp = FixedPoint.fast_for(volumes.magnitude())
    if fp is None:
        fp = exact_arithmetic(network)
    layout = Layout()
    pv = fp.from_units(personal.pv, PERSONAL_PLACES)
    pbv = fp.from_units(personal.pbv, PERSONAL_PLACES)
    state = sweep(network, fp, layout, pv, pbv, np.zeros(network.n_partners, bool))
    figures = {
        "pv": shown_volume_units(personal.pv, PERSONAL_PLACES),
        "pbv": shown_volume_units(personal.pbv, PERSONAL_PLACES),
    }
    unsure = np.zeros(network.n_partners, bool)
    for key, column, own in (("gv", layout.GV, pv), ("gbv", layout.GBV, pbv)):
        value = fp.add(state.hi[:, column], state.lo[:, column], *own)
        figures[key], ambiguous = fp.floor(*value, state.err[:, VOL], SHOWN_VOLUME_PLACES)
        unsure |= ambiguous
    unsure = np.flatnonzero(unsure)
    if unsure.size:
        closure = network.downline(unsure)
        sub, nodes = network.subnetwork(closure)
        exact_rollup = rollup_volumes(sub, volumes.own_pv[nodes], volumes.own_bv[nodes], exact=True)
        at = np.searchsorted(closure, unsure)
        for key in ("gv", "gbv"):
            figures[key][unsure] = getattr(exact_rollup, key)[at]
    return VolumeRollup(**{key: np.asarray(value)[network.position] for key, value in figures.items()})
