"""The compute step of a run: `RunInputs` -> the engine -> `Figures` by partner ordinal.

Rank overrides (docs/periods.md, "Rank overrides"): an override counts as the paid-as
rank of a *qualified* partner for the period, bonuses included; an unqualified partner
stays unqualified (it earns nothing, whatever its rank). The engine decides paid-as ranks
layer by layer, so the override belongs in it: when `engine.compute` takes
`rank_override` (rank index per ordinal, -2 for none) it is passed on, and the upline
sees the overridden rank too (breakaways, legs, difference rates). Until then the
override is applied here to the partner's own figures: its paid-as and career rank, and
its bonuses recomputed from its statement lines (`engine.explain`) with the overridden
rank; the upline keeps the calculated rank, and the run says so in its warnings.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from saleor_mlm.engine import BONUS_KINDS, Plan, compute, explain

from .fetch import NO_OVERRIDE, RunInputs

Progress = Callable[[str, float], None]

ENGINE_TAKES_OVERRIDES = "rank_override" in inspect.signature(compute).parameters


@dataclass
class Figures:
    """A run's figures by partner ordinal: volumes in hundredths, money in minor units."""

    currency: str
    minor_digits: int
    rank_codes: tuple[str, ...]
    pv: np.ndarray
    gv: np.ndarray
    ov: np.ndarray
    pbv: np.ndarray
    gbv: np.ndarray
    obv: np.ndarray
    qualified: np.ndarray
    calculated_rank: np.ndarray  # what the requirements give
    rank: np.ndarray  # paid-as: the override where one applied
    career_rank: np.ndarray
    previous_career_rank: np.ndarray
    overridden: np.ndarray  # bool
    bonuses: dict[str, np.ndarray]
    total: np.ndarray
    own_pv_total: int  # units of 10^-4
    own_bv_total: int
    exact_partners: int = 0
    warnings: list[str] = field(default_factory=list)

    def code(self, index: int) -> str:
        return "" if index < 0 else self.rank_codes[index]


@dataclass(frozen=True)
class RankView:
    """What `engine.explain` reads of a result: ranks, qualification, career before."""

    rank: np.ndarray
    qualified: np.ndarray
    previous_career_rank: np.ndarray


def compute_figures(plan: Plan, inputs: RunInputs, progress: Progress | None = None) -> Figures:
    network = inputs.network()
    volumes = inputs.volumes()
    previous = inputs.previous_career.astype(np.int64)
    override = inputs.override.astype(np.int64)
    wanted = override != NO_OVERRIDE
    warnings = list(inputs.warnings)
    if ENGINE_TAKES_OVERRIDES and wanted.any():
        result = compute(plan, network, volumes, previous, rank_override=override, progress=progress)
        calculated = np.asarray(getattr(result, "calculated_rank", result.rank))
        rank = np.asarray(result.rank)
        bonuses = {kind: np.asarray(result.bonuses[kind]) for kind in BONUS_KINDS}
        total = np.asarray(result.total)
        career = np.asarray(result.career_rank)
        overridden = wanted & np.asarray(result.qualified)
    else:
        result = compute(plan, network, volumes, previous, progress=progress)
        calculated = np.asarray(result.rank)
        rank, career, total = calculated.copy(), np.asarray(result.career_rank).copy(), np.asarray(result.total).copy()
        bonuses = {kind: np.asarray(result.bonuses[kind]).copy() for kind in BONUS_KINDS}
        overridden = wanted & np.asarray(result.qualified)
        if overridden.any():
            rank[overridden] = override[overridden]
            career[overridden] = np.maximum(previous[overridden], rank[overridden])
            view = RankView(rank, np.asarray(result.qualified), previous)
            for ordinal in np.flatnonzero(overridden).tolist():
                amounts = own_bonuses(plan, network, volumes, view, network.partner_ids[ordinal])
                for kind in BONUS_KINDS:
                    bonuses[kind][ordinal] = amounts[kind]
                total[ordinal] = sum(amounts.values())
            warnings.append(
                "Rank overrides were applied to the overridden partners' own ranks and bonuses; their uplines "
                "were computed with the calculated ranks (the engine does not take ranks as input yet)."
            )
    ignored = wanted & ~np.asarray(result.qualified)
    if ignored.any():
        warnings.append(f"{int(ignored.sum())} rank override(s) not applied: the partner did not qualify.")
    return Figures(
        currency=result.currency,
        minor_digits=result.minor_digits,
        rank_codes=tuple(result.rank_codes),
        pv=np.asarray(result.pv),
        gv=np.asarray(result.gv),
        ov=np.asarray(result.ov),
        pbv=np.asarray(result.pbv),
        gbv=np.asarray(result.gbv),
        obv=np.asarray(result.obv),
        qualified=np.asarray(result.qualified),
        calculated_rank=calculated,
        rank=rank,
        career_rank=career,
        previous_career_rank=previous,
        overridden=overridden,
        bonuses=bonuses,
        total=total,
        own_pv_total=int(result.own_pv_total),
        own_bv_total=int(result.own_bv_total),
        exact_partners=int(getattr(result, "exact_partners", 0)),
        warnings=warnings,
    )


def own_bonuses(plan: Plan, network, volumes, view: RankView, node_id: str) -> dict[str, int]:
    """A partner's bonuses in minor units from its statement lines: per bonus the exact
    sum of the lines, rounded once, half up (spec section 4)."""
    sums = {kind: Decimal(0) for kind in BONUS_KINDS}
    for line in explain(plan, network, volumes, view, node_id):
        sums[line.kind] += line.amount
    quantum = Decimal(1).scaleb(-plan.minor_digits)
    return {kind: int(value.quantize(quantum, rounding=ROUND_HALF_UP).scaleb(plan.minor_digits)) for kind, value in sums.items()}
