"""Ranks and bonus kinds as the API shows them, and how far a partner is from its next rank.

A rank is named as the plan document names it, else from the app's table, else by its code
(`plans.rank_names`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import graphene
from django.utils.translation import pgettext_lazy

from saleor_mlm.engine import BONUS_KINDS
from saleor_mlm.periods.next_rank import RequirementKind
from saleor_mlm.periods.texts import bonus_name
from saleor_mlm.plans.rank_names import rank_names

from ..core.i18n import TranslatedString, register_names, resolve_language, translate_name
from .enums import BonusKindEnum, RequirementKindEnum
from .formats import HUNDREDTH, enum_value, money, volume

register_names(
    "requirement",
    {
        RequirementKind.QUALIFYING_PV: pgettext_lazy("requirement", "Qualifying personal volume"),
        RequirementKind.MIN_PV: pgettext_lazy("requirement", "Personal volume (PV)"),
        RequirementKind.MIN_GV: pgettext_lazy("requirement", "Group volume (GV)"),
        RequirementKind.MIN_OV: pgettext_lazy("requirement", "Open volume (OV)"),
        RequirementKind.MIN_LEGS: pgettext_lazy("requirement", "Qualified legs"),
    },
)


@dataclass(frozen=True)
class RankValue:
    code: str
    names: dict  # {language: name} the plan document gives


def rank_value(code: str | None, document: dict | None) -> RankValue | None:
    if not code:
        return None
    return RankValue(code, rank_names(document).get(code, {}))


class Rank(graphene.ObjectType):
    code = graphene.String(required=True, description="The rank's code in the plan.")
    name = TranslatedString("The rank's name: as the plan document names it, else from the app's table, else the code.", required=True)

    class Meta:
        description = "A rank of the career plan."

    @staticmethod
    def resolve_name(root: RankValue, info, language_code=None):
        return translate_name("rank", root.code, resolve_language(info, language_code), own_names=root.names)


class BonusAmount(graphene.ObjectType):
    kind = graphene.Field(BonusKindEnum, required=True)
    kind_name = TranslatedString("The bonus in the requested language.", required=True)
    amount = graphene.Decimal(required=True)

    @staticmethod
    def resolve_kind_name(root, info, language_code=None):
        return bonus_name(enum_value(root.kind), resolve_language(info, language_code))


def bonus_amounts(amounts: dict, places: int) -> list[BonusAmount]:
    return [BonusAmount(kind=kind, amount=money(amounts.get(kind) or 0, places)) for kind in BONUS_KINDS]



# ---------------------------------------------------------------------------- next rank


class RankRequirement(graphene.ObjectType):
    kind = graphene.Field(RequirementKindEnum, required=True)
    kind_name = TranslatedString("The requirement in the requested language.", required=True)
    needed = graphene.Decimal(required=True, description="The plan's threshold (a volume, or a number of legs), as the plan states it.")
    actual = graphene.Decimal(
        required=True,
        description="The partner's value now; a volume in hundredths rounded toward minus infinity, so `met` holds exactly when it reaches a 2-decimal `needed`.",
    )
    missing = graphene.Decimal(required=True, description="needed - actual (as shown), at least 0.")
    met = graphene.Boolean(required=True)
    leg_rank = graphene.Field(Rank, description="MIN_LEGS: the rank a leg needs somewhere in it.")
    leg_cap = graphene.Decimal(description="MIN_GV with a cap: the most one line counts.")

    @staticmethod
    def resolve_kind_name(root, info, language_code=None):
        return translate_name("requirement", enum_value(root.kind), resolve_language(info, language_code))


class NextRankReport(graphene.ObjectType):
    period = graphene.String(required=True, description="The month (YYYY-MM): the open period the figures are of.")
    active = graphene.Boolean(required=True, description="Status active: only active partners qualify.")
    qualified = graphene.Boolean(required=True)
    current_rank = graphene.Field(Rank, description="The paid-as rank now; null when none holds.")
    next_rank = graphene.Field(Rank, description="The rank above it; null at the highest rank.")
    requirements = graphene.List(graphene.NonNull(RankRequirement), required=True, description="Of the next rank, each with needed and actual value.")
    as_of = graphene.DateTime(required=True, description="Everything committed before this moment is in the figures.")

    class Meta:
        description = "How far a partner is from its next rank in the open period, from the engine's ranks over the live volumes."


def _shown(item, value):
    """Volumes as shown volumes (hundredths rounded toward minus infinity), numbers of legs
    whole."""
    if value is None:
        return None
    return Decimal(value).quantize(Decimal(1)) if item.kind == RequirementKind.MIN_LEGS else volume(value)


def _threshold(item, value):
    """The plan's threshold as the plan states it (at least hundredths): never rounded, so
    a finer one (50.005) is not shown as a figure it is not."""
    if item.kind == RequirementKind.MIN_LEGS:
        return Decimal(value).quantize(Decimal(1))
    exact = Decimal(value).normalize()
    return exact if exact.as_tuple().exponent < -2 else exact.quantize(HUNDREDTH)


def next_rank_of(report, document) -> NextRankReport:
    return NextRankReport(
        period=f"{report.period_starts_on:%Y-%m}",
        active=report.active,
        qualified=report.qualified,
        current_rank=rank_value(report.paid_as_rank, document),
        next_rank=rank_value(report.next_rank, document),
        requirements=[
            RankRequirement(
                kind=item.kind,
                needed=_threshold(item, item.needed),
                actual=_shown(item, item.actual),
                # what the shown figure lacks: a hundredth for 49.99 of 50
                missing=_threshold(item, max(item.needed - _shown(item, item.actual), Decimal(0))),
                met=item.met,
                leg_rank=rank_value(item.leg_rank, document),
                leg_cap=_shown(item, item.leg_cap),
            )
            for item in report.requirements
        ],
        as_of=report.as_of,
    )
