import graphene

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.engine import BONUS_KINDS
from saleor_mlm.payouts import BalanceReason
from saleor_mlm.periods import RunKind, RunPhase, RunStatus
from saleor_mlm.periods.next_rank import RequirementKind
from saleor_mlm.plans import PlanStatus

from ..network.enums import _enum

PeriodStatusEnum = _enum("PeriodStatusEnum", PeriodStatus.CHOICES, "Where a settlement period stands: open, closed, approved, committed.")
RunKindEnum = _enum("RunKindEnum", RunKind.CHOICES, "What a run computes: a close, a preview of an open period, a what-if comparison.")
RunStatusEnum = _enum("RunStatusEnum", RunStatus.CHOICES, "Where a run stands.")
RunPhaseEnum = _enum("RunPhaseEnum", RunPhase.CHOICES, "The step a run is in: queued, fetch, snapshot, compute, persist, done.")
PlanStatusEnum = _enum("PlanStatusEnum", PlanStatus.CHOICES, "Draft (editable), active (in force from a month), retired.")
BalanceReasonEnum = _enum("BalanceReasonEnum", BalanceReason.CHOICES, "Why a balance was paid or carried forward.")
BonusKindEnum = _enum("BonusKindEnum", [(kind, kind) for kind in BONUS_KINDS], "The bonuses of the plan (docs/compensation.md, section 4).")
RequirementKindEnum = _enum("RequirementKindEnum", RequirementKind.CHOICES, "A requirement of a rank.")


class StatementSortField(graphene.Enum):
    PARTNER = "partner_id"
    TOTAL = "total"
    PV = "pv"
    GV = "gv"
