"""A what-if run: a plan version compared with the plan a period ran with, on the same
network and volumes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import graphene

from saleor_mlm.periods import RunKind

from ..network import dataloaders as network_loaders
from ..network.types import Partner
from ..network.visibility import Access, Visible
from . import dataloaders as loaders
from .formats import money, volume
from .plans import PlanVersion
from .ranks import BonusAmount, Rank, RankValue, bonus_amounts, rank_value
from .statistics import RankCount


class WhatIfSide(graphene.ObjectType):
    plan_version = graphene.Field(PlanVersion)
    plan_name = graphene.String(required=True)
    bonuses = graphene.List(graphene.NonNull(BonusAmount), required=True)
    total = graphene.Decimal(required=True)
    payout_ratio = graphene.Decimal()
    paid_as_ranks = graphene.List(graphene.NonNull(RankCount), required=True)

    @staticmethod
    def resolve_plan_version(root, info):
        return loaders.PlanVersionByIdLoader(info.context).load(root.plan_version_id) if root.plan_version_id else None


class WhatIfChange(graphene.ObjectType):
    partner = graphene.Field(Partner)
    referral_code = graphene.String(required=True)
    name = graphene.String(required=True)
    base_total = graphene.Decimal(required=True)
    draft_total = graphene.Decimal(required=True)
    difference = graphene.Decimal(required=True)
    base_rank = graphene.Field(Rank)
    draft_rank = graphene.Field(Rank)

    @staticmethod
    def resolve_partner(root, info):
        partner = network_loaders.PartnerByIdLoader(info.context).load(root.partner_id)
        return Visible(partner, Access.MERCHANT) if partner else None


class WhatIfComparison(graphene.ObjectType):
    base = graphene.Field(WhatIfSide, required=True, description="The plan the period ran with (its standing run's figures).")
    draft = graphene.Field(WhatIfSide, required=True, description="The compared plan on the same inputs.")
    bv = graphene.Decimal()
    difference = graphene.Decimal(required=True, description="Draft total minus base total.")
    partners_changed = graphene.Int(required=True)
    changes = graphene.List(graphene.NonNull(WhatIfChange), required=True, description="The partners whose total changes most, largest first.")

    class Meta:
        description = "A plan version compared with the plan a period ran with, on the same network and volumes."


@dataclass(frozen=True)
class WhatIfSideValue:
    plan_version_id: int | None
    plan_name: str
    bonuses: list
    total: Decimal
    payout_ratio: Decimal | None
    paid_as_ranks: list


@dataclass(frozen=True)
class WhatIfChangeValue:
    partner_id: int
    referral_code: str
    name: str
    base_total: Decimal
    draft_total: Decimal
    difference: Decimal
    base_rank: RankValue | None
    draft_rank: RankValue | None


def what_if_of(run) -> WhatIfComparison | None:
    summary = run.summary or {}
    if run.kind != RunKind.WHAT_IF or "draft" not in summary:
        return None
    places = run.minor_digits
    base_document = run.source_run.plan_document if run.source_run_id and run.source_run else None

    def side(data, document):
        return WhatIfSideValue(
            plan_version_id=data.get("plan_version"),
            plan_name=data.get("plan") or "",
            bonuses=bonus_amounts(data.get("totals", {}), places),
            total=money(data.get("totals", {}).get("total") or 0, places),
            payout_ratio=Decimal(data["payout_ratio"]) if data.get("payout_ratio") is not None else None,
            paid_as_ranks=[RankCount(rank=rank_value(code, document), count=n) for code, n in (data.get("paid_as_ranks") or {}).items()],
        )

    return WhatIfComparison(
        base=side(summary["base"], base_document),
        draft=side(summary["draft"], run.plan_document),
        bv=volume(summary["bv"]) if summary.get("bv") is not None else None,
        difference=money(summary.get("difference") or 0, places),
        partners_changed=summary.get("partners_changed", 0),
        changes=[
            WhatIfChangeValue(
                partner_id=change["partner_id"],
                referral_code=change.get("referral_code", ""),
                name=change.get("name", ""),
                base_total=money(change["base_total"], places),
                draft_total=money(change["draft_total"], places),
                difference=money(change["difference"], places),
                base_rank=rank_value(change.get("base_rank"), base_document),
                draft_rank=rank_value(change.get("draft_rank"), run.plan_document),
            )
            for change in summary.get("changes", [])
        ],
    )
