"""Types of the periods part, gathered from the modules that define them.

Periods, runs, plan versions, overrides, adjustments, holds and statistics are the
merchant's (MANAGE_ORDERS, checked on the root fields). Per-partner figures are also
reached from `Partner` (`partner_fields.py`); they come wrapped in `Visible` with the
access the requestor has to the partner: volumes and ranks at downline access, money
(bonuses, totals, balances, statements) only for the partner itself and the merchant.

Money is a decimal string quantized to the currency's minor unit, volumes are shown volumes
(hundredths rounded toward minus infinity, `formats.volume`).

Where each lives: `period.py` (Period), `runs.py` (PeriodRun), `plans.py` (PlanVersion),
`statistics.py`, `what_if.py`, `partner_results.py` (a partner's figures, balance and
volumes), `statements.py`, `overrides.py` (rank overrides, adjustments, payout holds),
`ranks.py` (ranks, bonus amounts, the next-rank report) and `formats.py` (money, volumes).
The schema, the resolvers and the mutations import them from here.
"""

from .formats import HUNDREDTH, money, volume
from .overrides import (
    Adjustment,
    AdjustmentCountableConnection,
    PayoutHold,
    PayoutHoldCountableConnection,
    RankOverride,
    RankOverrideCountableConnection,
    currency_places,
)
from .partner_results import (
    Balance,
    BalanceValue,
    PartnerPeriodResult,
    PartnerPeriodResultCountableConnection,
    PartnerVolumes,
    balance_value,
)
from .period import Period, PeriodCountableConnection, merchant_only
from .plans import PlanValidationMessage, PlanVersion, PlanVersionCountableConnection
from .ranks import (
    BonusAmount,
    NextRankReport,
    Rank,
    RankRequirement,
    RankValue,
    bonus_amounts,
    next_rank_of,
    rank_names,
    rank_value,
)
from .runs import PeriodRun, PeriodRunCountableConnection
from .statements import CSV_COST, STATEMENT_COST, Statement, StatementAdjustment, StatementBonus, StatementView
from .statistics import BalanceStatistics, RankCount, ReasonCount, Statistics, statistics_of
from .what_if import WhatIfChange, WhatIfChangeValue, WhatIfComparison, WhatIfSide, WhatIfSideValue, what_if_of

__all__ = [
    "CSV_COST",
    "HUNDREDTH",
    "STATEMENT_COST",
    "Adjustment",
    "AdjustmentCountableConnection",
    "Balance",
    "BalanceStatistics",
    "BalanceValue",
    "BonusAmount",
    "NextRankReport",
    "PartnerPeriodResult",
    "PartnerPeriodResultCountableConnection",
    "PartnerVolumes",
    "PayoutHold",
    "PayoutHoldCountableConnection",
    "Period",
    "PeriodCountableConnection",
    "PeriodRun",
    "PeriodRunCountableConnection",
    "PlanValidationMessage",
    "PlanVersion",
    "PlanVersionCountableConnection",
    "Rank",
    "RankCount",
    "RankOverride",
    "RankOverrideCountableConnection",
    "RankRequirement",
    "RankValue",
    "ReasonCount",
    "Statement",
    "StatementAdjustment",
    "StatementBonus",
    "StatementView",
    "Statistics",
    "WhatIfChange",
    "WhatIfChangeValue",
    "WhatIfComparison",
    "WhatIfSide",
    "WhatIfSideValue",
    "balance_value",
    "bonus_amounts",
    "currency_places",
    "merchant_only",
    "money",
    "next_rank_of",
    "rank_names",
    "rank_value",
    "statistics_of",
    "volume",
    "what_if_of",
]
