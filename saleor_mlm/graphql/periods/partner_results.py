"""A partner's figures of a period: one row of a run, its balance, and its volumes.

They come wrapped in `Visible` with the access the requestor has to the partner: volumes and
ranks at downline access, money (bonuses, totals, balances, statements) only for the partner
itself and the merchant.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import graphene
from django.utils.translation import pgettext_lazy

from saleor_mlm.engine import BONUS_KINDS
from saleor_mlm.payouts import BalanceReason
from saleor_mlm.periods import RunKind

from ..core.connection import CountableConnection
from ..core.i18n import TranslatedString, register_names, resolve_language, translate_name
from ..network import dataloaders as network_loaders
from ..network.types import Partner
from ..network.visibility import Access, Visible
from . import dataloaders as loaders
from .enums import BalanceReasonEnum, PeriodStatusEnum, RunKindEnum
from .formats import money, volume
from .ranks import BonusAmount, Rank, bonus_amounts, rank_value
from .statements import Statement

register_names(
    "balance_reason",
    {
        BalanceReason.PAID: pgettext_lazy("balance reason", "Paid"),
        BalanceReason.BELOW_MINIMUM: pgettext_lazy("balance reason", "Below the minimum payout"),
        BalanceReason.NEGATIVE: pgettext_lazy("balance reason", "Negative (carried forward)"),
        BalanceReason.HELD: pgettext_lazy("balance reason", "Payout hold"),
        BalanceReason.NOTHING: pgettext_lazy("balance reason", "Nothing to pay"),
        BalanceReason.TAX_PROFILE: pgettext_lazy("balance reason", "Tax profile incomplete"),
    },
)


# Period is named by import path: period.py imports this module, and graphene imports it when
# it builds the schema.
_PERIOD = "saleor_mlm.graphql.periods.period.Period"


class Balance(graphene.ObjectType):
    earned = graphene.Decimal(required=True, description="The run's total.")
    adjustments = graphene.Decimal(required=True)
    carried_in = graphene.Decimal(required=True, description="Carried forward from the previous settled period.")
    payable = graphene.Decimal(required=True, description="earned + adjustments + carried in.")
    paid = graphene.Decimal(required=True)
    carried_forward = graphene.Decimal(required=True, description="Into the next period.")
    reason = graphene.Field(BalanceReasonEnum, description="Why paid or carried forward.")
    reason_name = TranslatedString("The reason in the requested language.")

    class Meta:
        description = "What a partner is owed for a settled period and what of it is paid or carried forward. The partner itself and the merchant."

    @staticmethod
    def resolve_reason(root, info):
        return root.reason or None

    @staticmethod
    def resolve_reason_name(root, info, language_code=None):
        return translate_name("balance_reason", root.reason, resolve_language(info, language_code)) if root.reason else None


@dataclass(frozen=True)
class BalanceValue:
    earned: Decimal
    adjustments: Decimal
    carried_in: Decimal
    payable: Decimal
    paid: Decimal
    carried_forward: Decimal
    reason: str


def balance_value(row, places: int) -> BalanceValue:
    return BalanceValue(*(money(getattr(row, name), places) for name in ("earned", "adjustments", "carried_in", "payable", "paid", "carried_forward")), row.reason)


def _money_guard(root) -> bool:
    return root.access >= Access.SELF


class PartnerPeriodResult(graphene.ObjectType):
    period = graphene.Field(_PERIOD, required=True)
    partner = graphene.Field(Partner, required=True)
    run_kind = graphene.Field(RunKindEnum, required=True, description="CLOSE once settled; PREVIEW for projected figures.")
    currency = graphene.String(required=True)
    pv = graphene.Decimal(required=True, description="Downline access.")
    gv = graphene.Decimal(required=True, description="Downline access.")
    ov = graphene.Decimal(required=True, description="Downline access.")
    pbv = graphene.Decimal(required=True, description="Downline access.")
    gbv = graphene.Decimal(required=True, description="Downline access.")
    obv = graphene.Decimal(required=True, description="Downline access.")
    qualified = graphene.Boolean(required=True)
    calculated_rank = graphene.Field(Rank, description="What the requirements give.")
    paid_as_rank = graphene.Field(Rank, description="The rank paid: the override where one applied.")
    career_rank = graphene.Field(Rank)
    previous_career_rank = graphene.Field(Rank)
    rank_overridden = graphene.Boolean(required=True)
    bonuses = graphene.List(graphene.NonNull(BonusAmount), description="The partner itself and the merchant.")
    total = graphene.Decimal(description="All bonuses. The partner itself and the merchant.")
    balance = graphene.Field(Balance, description="Settled periods. The partner itself and the merchant.")
    paid = graphene.Decimal(description="`balance.paid`. The partner itself and the merchant.")
    carried_forward = graphene.Decimal(description="`balance.carriedForward`. The partner itself and the merchant.")
    statement = graphene.Field(Statement, description="The lines that explain the bonuses (computed on demand). The partner itself and the merchant.")

    class Meta:
        description = "A partner's figures of a period (one row of a run): volumes and ranks, and its money for the partner itself and the merchant."

    @staticmethod
    def resolve_period(root, info):
        return loaders.PeriodByIdLoader(info.context).load(root.run.period_id)

    @staticmethod
    def resolve_partner(root, info):
        partner = network_loaders.PartnerByIdLoader(info.context).load_for(root, lambda row: row.partner_id)
        return Visible(partner, root.access) if partner else None

    @staticmethod
    def resolve_run_kind(root, info):
        return root.run.kind

    @staticmethod
    def resolve_currency(root, info):
        return root.run.currency

    @staticmethod
    def resolve_pv(root, info):
        return volume(root.pv)

    resolve_gv = staticmethod(lambda root, info: volume(root.gv))
    resolve_ov = staticmethod(lambda root, info: volume(root.ov))
    resolve_pbv = staticmethod(lambda root, info: volume(root.pbv))
    resolve_gbv = staticmethod(lambda root, info: volume(root.gbv))
    resolve_obv = staticmethod(lambda root, info: volume(root.obv))

    @staticmethod
    def resolve_calculated_rank(root, info):
        return rank_value(root.calculated_rank, root.run.plan_document)

    @staticmethod
    def resolve_paid_as_rank(root, info):
        return rank_value(root.paid_as_rank, root.run.plan_document)

    @staticmethod
    def resolve_career_rank(root, info):
        return rank_value(root.career_rank, root.run.plan_document)

    @staticmethod
    def resolve_previous_career_rank(root, info):
        return rank_value(root.previous_career_rank, root.run.plan_document)

    @staticmethod
    def resolve_bonuses(root, info):
        if not _money_guard(root):
            return None
        return bonus_amounts({kind: getattr(root, f"{kind}_bonus") for kind in BONUS_KINDS}, root.run.minor_digits)

    @staticmethod
    def resolve_total(root, info):
        return money(root.total, root.run.minor_digits) if _money_guard(root) else None

    @staticmethod
    def resolve_balance(root, info):
        if not _money_guard(root) or root.run.kind != RunKind.CLOSE:
            return None
        row = loaders.BalanceByPartnerIdLoader(info.context, root.run.period_id).load_for(root, lambda result: result.partner_id)
        if row is None:
            # No row: nothing to settle in that period (docs/periods.md).
            zero = money(0, root.run.minor_digits)
            earned = money(root.total, root.run.minor_digits)
            return BalanceValue(earned, zero, zero, earned, earned if earned else zero, zero, BalanceReason.NOTHING if not earned else "")
        return balance_value(row, root.run.minor_digits)

    @staticmethod
    def resolve_paid(root, info):
        balance = PartnerPeriodResult.resolve_balance(root, info)
        return balance.paid if balance else None

    @staticmethod
    def resolve_carried_forward(root, info):
        balance = PartnerPeriodResult.resolve_balance(root, info)
        return balance.carried_forward if balance else None

    @staticmethod
    def resolve_statement(root, info):
        if not _money_guard(root):
            return None
        from .resolvers import statement_view

        partner = network_loaders.PartnerByIdLoader(info.context).load_for(root, lambda row: row.partner_id)
        period = loaders.PeriodByIdLoader(info.context).load(root.run.period_id)
        return statement_view(info, partner, period, root.access, run=root.run)



class PartnerVolumes(graphene.ObjectType):
    period = graphene.String(required=True, description="The month (YYYY-MM).")
    period_status = graphene.Field(PeriodStatusEnum, description="Null while the month has no period yet (no entries so far).")
    live = graphene.Boolean(required=True, description="Live figures of an open period (true), or a settled period's close run (false).")
    pv = graphene.Decimal(required=True)
    gv = graphene.Decimal(required=True)
    ov = graphene.Decimal(required=True, description="Open volume; GV for a plan without breakaways or while no plan is in force.")
    pbv = graphene.Decimal(required=True)
    gbv = graphene.Decimal(required=True)
    obv = graphene.Decimal(required=True)
    qualified = graphene.Boolean(description="Null while no plan is in force.")
    paid_as_rank = graphene.Field(Rank)
    as_of = graphene.DateTime(description="Live figures: everything committed before this moment is in them.")

    class Meta:
        description = "A partner's volumes of a period. Downline access."



class PartnerPeriodResultCountableConnection(CountableConnection):
    class Meta:
        node = PartnerPeriodResult
