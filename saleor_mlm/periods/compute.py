"""The compute step of a run: `RunInputs` -> the engine -> `Figures` by partner ordinal.

Rank overrides (docs/periods.md, "Rank overrides") go into the engine as
`rank_override`: the override is the paid-as rank of a *qualified* partner, decided in
the engine's sweep before the partner's figures go up, so its own bonuses and its upline
(breakaways, legs, difference rates met on the walks) follow it; `calculated_rank` keeps
what the requirements gave. An unqualified partner stays unqualified (it earns nothing,
whatever its rank); the run warns about such overrides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from saleor_mlm.engine import BONUS_KINDS, Plan, compute

from .fetch import NO_OVERRIDE, RunInputs

Progress = Callable[[str, float], None]


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
    override = inputs.override.astype(np.int64)
    wanted = override != NO_OVERRIDE
    result = compute(
        plan,
        inputs.network(),
        inputs.volumes(),
        inputs.previous_career.astype(np.int64),
        rank_override=override if wanted.any() else None,
        progress=progress,
    )
    qualified = np.asarray(result.qualified)
    warnings = list(inputs.warnings)
    ignored = wanted & ~qualified
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
        qualified=qualified,
        calculated_rank=np.asarray(result.calculated_rank),
        rank=np.asarray(result.rank),
        career_rank=np.asarray(result.career_rank),
        previous_career_rank=np.asarray(result.previous_career_rank),
        overridden=wanted & qualified,
        bonuses={kind: np.asarray(result.bonuses[kind]) for kind in BONUS_KINDS},
        total=np.asarray(result.total),
        own_pv_total=int(result.own_pv_total),
        own_bv_total=int(result.own_bv_total),
        exact_partners=int(result.exact_partners),
        warnings=warnings,
    )
