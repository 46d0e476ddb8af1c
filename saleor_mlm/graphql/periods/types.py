"""Types of the periods part.

Periods, runs, plan versions, overrides, adjustments, holds and statistics are the
merchant's (MANAGE_ORDERS, checked on the root fields). Per-partner figures are also
reached from `Partner` (`partner_fields.py`); they come wrapped in `Visible` with the
access the requestor has to the partner: volumes and ranks at downline access, money
(bonuses, totals, balances, statements) only for the partner itself and the merchant.

Money is a decimal string quantized to the currency's minor unit, volumes to hundredths.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import graphene

from saleor_mlm.engine import BONUS_KINDS
from saleor_mlm.periods import BalanceReason, PeriodStatus, PlanStatus, RunKind, RunPhase, RunStatus
from saleor_mlm.periods.models import Adjustment as AdjustmentModel
from saleor_mlm.periods.models import RankOverride as RankOverrideModel
from saleor_mlm.periods.next_rank import RequirementKind

from ..core.connection import CountableConnection, connection_args, paginate
from ..core.i18n import TranslatedString, register_names, resolve_language, translate_name
from ..core.permissions import MlmPermission
from ..core.types import JSON
from ..core.validation import register_field_cost
from ..network import dataloaders as network_loaders
from ..network.types import Partner
from ..network.visibility import Access, Visible
from . import dataloaders as loaders
from .sorters import StatementSortingInput
from .statement_lines import (
    StatementLine,
    StatementLineCountableConnection,
    StatementLineGroup,
    group_values,
    line_value,
    resolve_statement_lines,
    statement_lines_args,
)
from .enums import (
    BalanceReasonEnum,
    BonusKindEnum,
    PeriodStatusEnum,
    PlanStatusEnum,
    RequirementKindEnum,
    RunKindEnum,
    RunPhaseEnum,
    RunStatusEnum,
)

register_names(
    "period_status",
    {
        PeriodStatus.OPEN: {"en": "Open", "de": "Offen"},
        PeriodStatus.CLOSED: {"en": "Closed", "de": "Abgeschlossen"},
        PeriodStatus.APPROVED: {"en": "Approved", "de": "Freigegeben"},
        PeriodStatus.COMMITTED: {"en": "Committed", "de": "Festgeschrieben"},
    },
)
register_names(
    "run_phase",
    {
        RunPhase.QUEUED: {"en": "Queued", "de": "Wartet"},
        RunPhase.FETCH: {"en": "Reading network and volumes", "de": "Netzwerk und Umsätze lesen"},
        RunPhase.SNAPSHOT: {"en": "Storing the inputs", "de": "Eingaben sichern"},
        RunPhase.COMPUTE: {"en": "Computing", "de": "Berechnen"},
        RunPhase.PERSIST: {"en": "Saving the figures", "de": "Ergebnisse speichern"},
        RunPhase.DONE: {"en": "Done", "de": "Fertig"},
    },
)
register_names(
    "plan_status",
    {
        PlanStatus.DRAFT: {"en": "Draft", "de": "Entwurf"},
        PlanStatus.ACTIVE: {"en": "Active", "de": "Aktiv"},
        PlanStatus.RETIRED: {"en": "Retired", "de": "Zurückgezogen"},
    },
)
register_names(
    "bonus",
    {
        "customer": {"en": "Customer bonus", "de": "Kundenbonus"},
        "level": {"en": "Level bonus", "de": "Ebenenbonus"},
        "difference": {"en": "Difference bonus", "de": "Differenzbonus"},
        "generation": {"en": "Generation bonus", "de": "Generationsbonus"},
        "advancement": {"en": "Rank advancement bonus", "de": "Rangaufstiegsbonus"},
    },
)
register_names(
    "balance_reason",
    {
        BalanceReason.PAID: {"en": "Paid", "de": "Ausgezahlt"},
        BalanceReason.BELOW_MINIMUM: {"en": "Below the minimum payout", "de": "Unter der Mindestauszahlung"},
        BalanceReason.NEGATIVE: {"en": "Negative (carried forward)", "de": "Negativ (vorgetragen)"},
        BalanceReason.HELD: {"en": "Payout hold", "de": "Auszahlungssperre"},
        BalanceReason.NOTHING: {"en": "Nothing to pay", "de": "Nichts auszuzahlen"},
    },
)
register_names(
    "requirement",
    {
        RequirementKind.QUALIFYING_PV: {"en": "Qualifying personal volume", "de": "Qualifikationsumsatz (PV)"},
        RequirementKind.MIN_PV: {"en": "Personal volume (PV)", "de": "Eigenumsatz (PV)"},
        RequirementKind.MIN_GV: {"en": "Group volume (GV)", "de": "Gruppenumsatz (GV)"},
        RequirementKind.MIN_OV: {"en": "Open volume (OV)", "de": "Offenes Volumen (OV)"},
        RequirementKind.MIN_LEGS: {"en": "Qualified legs", "de": "Qualifizierte Linien"},
    },
)
# Plans are named by the merchant; names of the example plans shipped with the docs.
register_names(
    "plan",
    {
        "Example career plan": {"en": "Example career plan", "de": "Beispiel-Karriereplan"},
        "Career plan": {"en": "Career plan", "de": "Karriereplan"},
    },
)

HUNDREDTH = Decimal("0.01")

# A statement is recomputed from the run's snapshot over the partner's downline; a period's
# CSV covers every partner. At most 24 statements, or 5 CSV texts, fit in one operation.
STATEMENT_COST = 2_000
CSV_COST = 10_000
for _type, _field, _cost in (
    ("Partner", "statement", STATEMENT_COST),
    ("PartnerPeriodResult", "statement", STATEMENT_COST),
    ("Query", "statement", STATEMENT_COST),
    ("Period", "statementsCsv", CSV_COST),
):
    register_field_cost(_type, _field, _cost)


def money(value, places: int) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal(1).scaleb(-places))


def volume(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(HUNDREDTH)


def _value(item) -> str:
    return getattr(item, "value", item)


# ---------------------------------------------------------------------------- ranks


@dataclass(frozen=True)
class RankValue:
    code: str
    names: dict  # {language: name} the plan document gives


def rank_names(document: dict | None) -> dict[str, dict[str, str]]:
    """{code: {language: name}} from the plan document's ranks (`name`: text, or a
    mapping such as `{de: Berater, en: Consultant}`)."""
    names = {}
    for rank in (document or {}).get("ranks") or []:
        if not isinstance(rank, dict) or not isinstance(rank.get("code"), str):
            continue
        name = rank.get("name")
        if isinstance(name, str) and name.strip():
            names[rank["code"]] = {"en": name, "de": name}
        elif isinstance(name, dict):
            names[rank["code"]] = {str(key).lower(): str(value) for key, value in name.items() if value}
    return names


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
        return translate_name("bonus", _value(root.kind), resolve_language(info, language_code))


def bonus_amounts(amounts: dict, places: int) -> list[BonusAmount]:
    return [BonusAmount(kind=kind, amount=money(amounts.get(kind) or 0, places)) for kind in BONUS_KINDS]


# ---------------------------------------------------------------------------- plans


class PlanValidationMessage(graphene.ObjectType):
    key = graphene.String(required=True, description="Where in the document, e.g. `ranks[1].difference_rate`.")
    message = graphene.String(required=True)


class PlanVersion(graphene.ObjectType):
    name = graphene.String(required=True, description="The merchant's name of the version.")
    display_name = TranslatedString("The name in the requested language (known plan names are translated).", required=True)
    document = JSON(required=True, description="The plan document (docs/compensation.md, section 5).")
    currency = graphene.String()
    status = graphene.Field(PlanStatusEnum, required=True)
    status_name = TranslatedString("The status in the requested language.", required=True)
    in_force_from = graphene.Date(description="First day of the first month it is in force (active versions).")
    is_valid = graphene.Boolean(required=True, description="The engine's plan loader accepts the document.")
    validation_errors = graphene.List(graphene.NonNull(PlanValidationMessage), required=True)
    validated_at = graphene.DateTime()
    ranks = graphene.List(graphene.NonNull(Rank), required=True, description="The ranks, lowest first.")
    created_by = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    activated_by = graphene.String()
    activated_at = graphene.DateTime()
    retired_by = graphene.String()
    retired_at = graphene.DateTime()

    class Meta:
        interfaces = (graphene.relay.Node,)
        description = "A version of the compensation plan: a draft, active from a month, or retired."

    @staticmethod
    def resolve_display_name(root, info, language_code=None):
        return translate_name("plan", root.name, resolve_language(info, language_code), default=root.name)

    @staticmethod
    def resolve_currency(root, info):
        return (root.document or {}).get("currency")

    @staticmethod
    def resolve_status_name(root, info, language_code=None):
        return translate_name("plan_status", root.status, resolve_language(info, language_code))

    @staticmethod
    def resolve_is_valid(root, info):
        return not root.errors

    @staticmethod
    def resolve_validation_errors(root, info):
        return [PlanValidationMessage(key=error.get("key", ""), message=error.get("message", "")) for error in root.errors or []]

    @staticmethod
    def resolve_ranks(root, info):
        document = root.document or {}
        return [rank_value(rank["code"], document) for rank in document.get("ranks") or [] if isinstance(rank, dict) and rank.get("code")]

    @staticmethod
    def resolve_activated_by(root, info):
        return root.activated_by or None

    @staticmethod
    def resolve_retired_by(root, info):
        return root.retired_by or None


# ---------------------------------------------------------------------------- statistics


class RankCount(graphene.ObjectType):
    rank = graphene.Field(Rank, required=True)
    count = graphene.Int(required=True)


class ReasonCount(graphene.ObjectType):
    reason = graphene.Field(BalanceReasonEnum, required=True)
    count = graphene.Int(required=True)


class BalanceStatistics(graphene.ObjectType):
    partners = graphene.Int(required=True, description="Partners with something to settle.")
    payable = graphene.Decimal(required=True)
    paid = graphene.Decimal(required=True)
    carried_forward = graphene.Decimal(required=True)
    reasons = graphene.List(graphene.NonNull(ReasonCount), required=True)


class Statistics(graphene.ObjectType):
    period = graphene.Field(lambda: Period, required=True)
    run = graphene.Field(lambda: PeriodRun, required=True, description="The run the figures come from (close, else the latest preview).")
    currency = graphene.String(required=True)
    partners = graphene.Int(required=True, description="Partners enrolled by the end of the period.")
    active = graphene.Int(required=True, description="Status active (as set by the company).")
    inactive = graphene.Int(required=True)
    terminated = graphene.Int(required=True)
    qualified = graphene.Int(required=True, description="Active and with the plan's minimum PV.")
    not_qualified = graphene.Int(required=True)
    enrollments = graphene.Int(required=True, description="Partners enrolled in the period.")
    new_customers = graphene.Int(required=True)
    paid_as_ranks = graphene.List(graphene.NonNull(RankCount), required=True, description="Partners per paid-as rank, lowest first.")
    career_ranks = graphene.List(graphene.NonNull(RankCount), required=True)
    rank_overrides = graphene.Int(required=True)
    earning_partners = graphene.Int(required=True)
    pv = graphene.Decimal(required=True, description="Own PV of everybody, refunds included.")
    bv = graphene.Decimal(required=True)
    bonuses = graphene.List(graphene.NonNull(BonusAmount), required=True)
    total = graphene.Decimal(required=True, description="All bonuses.")
    payout_ratio = graphene.Decimal(description="Bonuses as a percentage of BV (2 decimals); null without BV.")
    balances = graphene.Field(BalanceStatistics, description="Close runs: what was paid and carried forward.")

    class Meta:
        description = "Figures of a period: partners per status and rank, enrollments, volume, payout and payout ratio."


def statistics_of(period, run) -> Statistics | None:
    """The statistics a run stored in its summary."""
    summary = run.summary or {}
    stats = summary.get("statistics")
    if not stats:
        return None
    totals = summary.get("totals", {})
    document = run.plan_document
    places = run.minor_digits
    statuses = stats.get("statuses", {})
    balances = summary.get("balances")
    return Statistics(
        period=period,
        run=run,
        currency=summary.get("currency") or run.currency,
        partners=stats.get("partners", 0),
        active=statuses.get("active", 0),
        inactive=statuses.get("inactive", 0),
        terminated=statuses.get("terminated", 0),
        qualified=stats.get("qualified", 0),
        not_qualified=stats.get("not_qualified", 0),
        enrollments=stats.get("enrollments", 0),
        new_customers=stats.get("new_customers", 0),
        paid_as_ranks=[RankCount(rank=rank_value(code, document), count=n) for code, n in stats.get("paid_as_ranks", {}).items()],
        career_ranks=[RankCount(rank=rank_value(code, document), count=n) for code, n in stats.get("career_ranks", {}).items()],
        rank_overrides=stats.get("rank_overrides", 0),
        earning_partners=stats.get("earning_partners", 0),
        pv=volume(totals.get("pv", 0)),
        bv=volume(totals.get("bv", 0)),
        bonuses=bonus_amounts(totals, places),
        total=money(totals.get("total", 0), places),
        payout_ratio=Decimal(stats["payout_ratio"]) if stats.get("payout_ratio") is not None else None,
        balances=BalanceStatistics(
            partners=balances.get("partners", 0),
            payable=money(balances.get("payable", 0), places),
            paid=money(balances.get("paid", 0), places),
            carried_forward=money(balances.get("carried_forward", 0), places),
            reasons=[ReasonCount(reason=reason, count=n) for reason, n in balances.get("reasons", {}).items()],
        )
        if balances
        else None,
    )


# ---------------------------------------------------------------------------- what-if


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


# ---------------------------------------------------------------------------- runs


class PeriodRun(graphene.ObjectType):
    kind = graphene.Field(RunKindEnum, required=True)
    status = graphene.Field(RunStatusEnum, required=True)
    phase = graphene.Field(RunPhaseEnum, required=True, description="The step it is in; poll `percent` for a progress bar.")
    phase_name = TranslatedString("The phase in the requested language.", required=True)
    percent = graphene.Int(required=True, description="0 to 100.")
    error = graphene.String(description="Why it failed (the end of the traceback); running it again resumes.")
    warnings = graphene.List(graphene.NonNull(graphene.String), required=True)
    period = graphene.Field(lambda: Period, required=True)
    plan_version = graphene.Field(PlanVersion, description="The plan it ran with (what-if: the plan it is compared with).")
    compared_plan_version = graphene.Field(PlanVersion, description="What-if: the plan compared.")
    source_run = graphene.Field(lambda: PeriodRun, description="What-if: the run whose inputs it used.")
    currency = graphene.String()
    network_at = graphene.DateTime(description="Betreuer and split agreements in force at this moment were used.")
    requested_by = graphene.String(required=True)
    attempts = graphene.Int(required=True)
    created_at = graphene.DateTime(required=True)
    started_at = graphene.DateTime()
    finished_at = graphene.DateTime()
    summary = JSON(description="Totals and statistics as stored (see `statistics` for the typed form).")
    statistics = graphene.Field(Statistics, description="Close and preview runs that succeeded.")
    what_if = graphene.Field(WhatIfComparison, description="What-if runs that succeeded.")

    class Meta:
        interfaces = (graphene.relay.Node,)
        description = "One computation of a period: a close, a preview or a what-if comparison. Poll it for progress."

    @staticmethod
    def resolve_phase_name(root, info, language_code=None):
        return translate_name("run_phase", root.phase, resolve_language(info, language_code))

    @staticmethod
    def resolve_error(root, info):
        return root.error or None

    @staticmethod
    def resolve_warnings(root, info):
        return [str(warning) for warning in root.warnings or []]

    @staticmethod
    def resolve_period(root, info):
        return loaders.PeriodByIdLoader(info.context).load(root.period_id)

    @staticmethod
    def resolve_plan_version(root, info):
        return loaders.PlanVersionByIdLoader(info.context).load(root.plan_version_id)

    @staticmethod
    def resolve_compared_plan_version(root, info):
        return loaders.PlanVersionByIdLoader(info.context).load(root.compared_plan_version_id)

    @staticmethod
    def resolve_source_run(root, info):
        return loaders.PeriodRunByIdLoader(info.context).load(root.source_run_id)

    @staticmethod
    def resolve_currency(root, info):
        return root.currency or None

    @staticmethod
    def resolve_statistics(root, info):
        if root.kind == RunKind.WHAT_IF or root.status != RunStatus.SUCCEEDED:
            return None
        return statistics_of(loaders.PeriodByIdLoader(info.context).load(root.period_id), root)

    @staticmethod
    def resolve_what_if(root, info):
        return what_if_of(root) if root.status == RunStatus.SUCCEEDED else None


# ---------------------------------------------------------------------------- per partner


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
    period = graphene.Field(lambda: Period, required=True)
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
    statement = graphene.Field(lambda: Statement, description="The lines that explain the bonuses (computed on demand). The partner itself and the merchant.")

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


class _Lines:
    """`StatementBonus.lines`, computed only when the field is asked for."""

    def __init__(self, group):
        self.group = group

    def __iter__(self):
        return iter([line_value(line) for line in self.group.lines])


class StatementBonus(graphene.ObjectType):
    kind = graphene.Field(BonusKindEnum, required=True)
    kind_name = TranslatedString("The bonus in the requested language.", required=True)
    amount = graphene.Decimal(required=True, description="As paid: the lines' sum rounded once, half up.")
    line_total = graphene.Decimal(required=True, description="The sum of the lines, to 6 decimal places (half up); rounded to the currency it is `amount`.")
    line_count = graphene.Int(required=True, description="How many lines the bonus has.")
    groups = graphene.List(graphene.NonNull(StatementLineGroup), required=True, description="The lines by level (level bonus), generation (generation bonus) or rate (difference bonus): count, volume, amount.")
    lines = graphene.List(
        graphene.NonNull(StatementLine),
        required=True,
        description="Every line of the bonus, exact. A leader's statement has a line per partner below it: page with `Statement.lines` instead.",
    )

    @staticmethod
    def resolve_kind_name(root, info, language_code=None):
        return translate_name("bonus", root.kind, resolve_language(info, language_code))


class StatementAdjustment(graphene.ObjectType):
    amount = graphene.Decimal(required=True)
    reason = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)


class Statement(graphene.ObjectType):
    period = graphene.Field(lambda: Period, required=True)
    partner = graphene.Field(Partner, required=True)
    run_kind = graphene.Field(RunKindEnum, required=True, description="CLOSE once settled; PREVIEW while the period is open.")
    currency = graphene.String(required=True)
    pv = graphene.Decimal(required=True)
    gv = graphene.Decimal(required=True)
    ov = graphene.Decimal(required=True)
    pbv = graphene.Decimal(required=True)
    qualified = graphene.Boolean(required=True)
    calculated_rank = graphene.Field(Rank)
    paid_as_rank = graphene.Field(Rank)
    career_rank = graphene.Field(Rank)
    previous_career_rank = graphene.Field(Rank)
    rank_overridden = graphene.Boolean(required=True)
    override_reason = graphene.String(description="Merchant only.")
    bonuses = graphene.List(graphene.NonNull(StatementBonus), required=True, description="Each bonus with its groups and the lines that explain it.")
    lines = graphene.Field(
        StatementLineCountableConnection,
        required=True,
        description="The lines of every bonus (or of `kind`) in pages, by amount, largest first; only the page is computed.",
        **statement_lines_args(),
    )
    total = graphene.Decimal(required=True)
    adjustments = graphene.List(graphene.NonNull(StatementAdjustment), required=True)
    carried_in = graphene.Decimal()
    payable = graphene.Decimal()
    paid = graphene.Decimal()
    carried_forward = graphene.Decimal()
    balance_reason = graphene.Field(BalanceReasonEnum)
    lines_csv = graphene.String(required=True, description="The lines as CSV (bonus, source, level, volume, rate, amount).")

    class Meta:
        description = "What a partner earned in a period, line by line and why. The partner itself and the merchant."

    @staticmethod
    def resolve_period(root, info):
        return loaders.PeriodByIdLoader(info.context).load(root.period_id)

    @staticmethod
    def resolve_partner(root, info):
        partner = network_loaders.PartnerByIdLoader(info.context).load(root.statement.partner_id)
        return Visible(partner, root.access) if partner else None

    resolve_run_kind = staticmethod(lambda root, info: root.statement.run_kind)
    resolve_currency = staticmethod(lambda root, info: root.statement.currency)
    resolve_pv = staticmethod(lambda root, info: volume(root.statement.pv))
    resolve_gv = staticmethod(lambda root, info: volume(root.statement.gv))
    resolve_ov = staticmethod(lambda root, info: volume(root.statement.ov))
    resolve_pbv = staticmethod(lambda root, info: volume(root.statement.pbv))
    resolve_qualified = staticmethod(lambda root, info: root.statement.qualified)
    resolve_calculated_rank = staticmethod(lambda root, info: rank_value(root.statement.calculated_rank, root.plan_document))
    resolve_paid_as_rank = staticmethod(lambda root, info: rank_value(root.statement.paid_as_rank, root.plan_document))
    resolve_career_rank = staticmethod(lambda root, info: rank_value(root.statement.career_rank, root.plan_document))
    resolve_previous_career_rank = staticmethod(lambda root, info: rank_value(root.statement.previous_career_rank, root.plan_document))
    resolve_rank_overridden = staticmethod(lambda root, info: root.statement.rank_overridden)
    resolve_total = staticmethod(lambda root, info: root.statement.total)
    resolve_carried_in = staticmethod(lambda root, info: root.statement.carried_in)
    resolve_payable = staticmethod(lambda root, info: root.statement.payable)
    resolve_paid = staticmethod(lambda root, info: root.statement.paid)
    resolve_carried_forward = staticmethod(lambda root, info: root.statement.carried_forward)
    resolve_balance_reason = staticmethod(lambda root, info: root.statement.balance_reason or None)

    @staticmethod
    def resolve_override_reason(root, info):
        return (root.statement.override_reason or None) if root.access >= Access.MERCHANT else None

    @staticmethod
    def resolve_bonuses(root, info):
        return [
            StatementBonus(kind=group.kind, amount=group.amount, line_total=group.line_total, line_count=group.line_count, groups=group_values(group), lines=_Lines(group))
            for group in root.statement.groups
        ]

    @staticmethod
    def resolve_lines(root, info, **page):
        return resolve_statement_lines(root.statement, **page)

    @staticmethod
    def resolve_adjustments(root, info):
        return [StatementAdjustment(amount=a.amount, reason=a.reason, created_at=a.created_at) for a in root.statement.adjustments]

    @staticmethod
    def resolve_lines_csv(root, info):
        import io

        from saleor_mlm.periods.statements import write_statement_lines_csv

        handle = io.StringIO()
        write_statement_lines_csv(root.statement, handle)
        return handle.getvalue()


@dataclass(frozen=True)
class StatementView:
    """A domain `Statement` with what the API needs around it."""

    statement: object
    period_id: int
    plan_document: dict | None
    access: Access


class RankRequirement(graphene.ObjectType):
    kind = graphene.Field(RequirementKindEnum, required=True)
    kind_name = TranslatedString("The requirement in the requested language.", required=True)
    needed = graphene.Decimal(required=True, description="The plan's threshold (a volume, or a number of legs).")
    actual = graphene.Decimal(required=True, description="The partner's value now.")
    missing = graphene.Decimal(required=True, description="needed - actual, at least 0.")
    met = graphene.Boolean(required=True)
    leg_rank = graphene.Field(Rank, description="MIN_LEGS: the rank a leg needs somewhere in it.")
    leg_cap = graphene.Decimal(description="MIN_GV with a cap: the most one line counts.")

    @staticmethod
    def resolve_kind_name(root, info, language_code=None):
        return translate_name("requirement", _value(root.kind), resolve_language(info, language_code))


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
    """Volumes in hundredths, numbers of legs whole."""
    if value is None:
        return None
    return Decimal(value).quantize(Decimal(1) if item.kind == RequirementKind.MIN_LEGS else HUNDREDTH)


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
                needed=_shown(item, item.needed),
                actual=_shown(item, item.actual),
                missing=_shown(item, max(item.needed - item.actual, Decimal(0))),
                met=item.met,
                leg_rank=rank_value(item.leg_rank, document),
                leg_cap=_shown(item, item.leg_cap),
            )
            for item in report.requirements
        ],
        as_of=report.as_of,
    )


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


# ---------------------------------------------------------------------------- overrides, adjustments, holds


class RankOverride(graphene.ObjectType):
    partner = graphene.Field(Partner, required=True)
    period = graphene.Field(lambda: Period, required=True)
    rank = graphene.Field(Rank, required=True)
    reason = graphene.String(required=True)
    approved_by = graphene.String(required=True)
    created_by = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)

    class Meta:
        interfaces = (graphene.relay.Node,)
        description = "A rank set by the company for a partner and a period; it beats the calculation when the partner qualifies."

    @staticmethod
    def resolve_partner(root, info):
        return _merchant_partner(info, root)

    @staticmethod
    def resolve_period(root, info):
        return loaders.PeriodByIdLoader(info.context).load(root.period_id)

    @staticmethod
    def resolve_rank(root, info):
        version = loaders.PlanInForceByMonthLoader(info.context, root.installation_id).load(
            loaders.PeriodByIdLoader(info.context).load(root.period_id).starts_on
        )
        return rank_value(root.rank, version.document if version else None)


def currency_places(info, period_id: int) -> int:
    """Minor digits of a period's currency: of its close run, else of the plan in force."""
    from saleor_mlm.engine.money import minor_digits

    period = loaders.PeriodByIdLoader(info.context).load(period_id)
    if period.close_run_id:
        return loaders.PeriodRunByIdLoader(info.context).load(period.close_run_id).minor_digits
    version = loaders.PlanInForceByMonthLoader(info.context, period.installation_id).load(period.starts_on)
    currency = (version.document or {}).get("currency") if version else None
    return minor_digits(currency) if currency else 2


class Adjustment(graphene.ObjectType):
    partner = graphene.Field(Partner, required=True)
    period = graphene.Field(lambda: Period, required=True)
    amount = graphene.Decimal(required=True, description="In the plan currency; negative takes money away.")
    reason = graphene.String(required=True)
    approved_by = graphene.String(required=True)
    created_by = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)

    class Meta:
        interfaces = (graphene.relay.Node,)
        description = "Money added to (or taken from) a partner's balance of a period, approved by a second person."

    @staticmethod
    def resolve_partner(root, info):
        return _merchant_partner(info, root)

    @staticmethod
    def resolve_amount(root, info):
        return money(root.amount, currency_places(info, root.period_id))

    @staticmethod
    def resolve_period(root, info):
        return loaders.PeriodByIdLoader(info.context).load(root.period_id)


class PayoutHold(graphene.ObjectType):
    partner = graphene.Field(Partner, required=True)
    reason = graphene.String(required=True)
    starts_on = graphene.Date(required=True, description="First day of the first month held.")
    ends_on = graphene.Date(description="Last day of the last month held; null until released.")
    active = graphene.Boolean(required=True, description="Not released yet.")
    created_by = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    released_by = graphene.String()
    released_at = graphene.DateTime()
    release_reason = graphene.String()

    class Meta:
        interfaces = (graphene.relay.Node,)
        description = "No payout to a partner for a range of months: the balance is carried forward, not lost."

    @staticmethod
    def resolve_partner(root, info):
        return _merchant_partner(info, root)

    @staticmethod
    def resolve_active(root, info):
        return root.released_at is None

    @staticmethod
    def resolve_released_by(root, info):
        return root.released_by or None

    @staticmethod
    def resolve_release_reason(root, info):
        return root.release_reason or None


def _merchant_partner(info, root):
    partner = network_loaders.PartnerByIdLoader(info.context).load_for(root, lambda row: row.partner_id)
    return Visible(partner, Access.MERCHANT) if partner else None


# ---------------------------------------------------------------------------- periods


def merchant_only(resolver):
    """A Period field only the merchant (MANAGE_ORDERS) reads: a partner reaches a Period
    from its own figures (`statements { edges { node { period } } }`) and sees its month
    and status, never the period's runs, statistics or anybody else's figures."""

    def resolve(root, info, **kwargs):
        if not info.context.requestor.has_permissions([MlmPermission.MANAGE_ORDERS]):
            return None
        return resolver(root, info, **kwargs)

    return resolve


def _attribute(name):
    return lambda root, info: getattr(root, name) or None


class Period(graphene.ObjectType):
    label = graphene.String(required=True, description="The month, YYYY-MM.")
    starts_on = graphene.Date(required=True)
    ends_on = graphene.Date(required=True)
    status = graphene.Field(PeriodStatusEnum, required=True)
    status_name = TranslatedString("The status in the requested language.", required=True)
    closed_at = graphene.DateTime(description="Merchant only (as every field below).", resolver=merchant_only(_attribute("closed_at")))
    closed_by = graphene.String(resolver=merchant_only(_attribute("closed_by")))
    approved_at = graphene.DateTime(resolver=merchant_only(_attribute("approved_at")))
    approved_by = graphene.String(resolver=merchant_only(_attribute("approved_by")))
    committed_at = graphene.DateTime(resolver=merchant_only(_attribute("committed_at")))
    committed_by = graphene.String(resolver=merchant_only(_attribute("committed_by")))
    plan_version = graphene.Field(PlanVersion, description="The plan version in force for the month.")
    close_run = graphene.Field(PeriodRun, description="The close run whose figures stand (settled periods).")
    run = graphene.Field(PeriodRun, description="The latest run of the period (close or preview): poll it for progress.")
    standing_run = graphene.Field(PeriodRun, description="The run whose figures are shown: the close run once settled, else the latest successful preview.")
    runs = graphene.Field(lambda: PeriodRunCountableConnection, kind=graphene.Argument(RunKindEnum), **connection_args())
    summary = JSON(description="The standing run's summary as stored (totals, statistics, balances).")
    statistics = graphene.Field(Statistics, description="Of the standing run.")
    statements = graphene.Field(
        lambda: PartnerPeriodResultCountableConnection,
        description="Every partner's figures of the standing run (the statements' summary).",
        **connection_args(
            search=graphene.String(description="Words in names or e-mail, or the exact referral code."),
            qualified=graphene.Boolean(),
            sort_by=StatementSortingInput(description="Default: by partner."),
        ),
    )
    statements_csv = graphene.String(description="The statements' summary as CSV text (one row per partner). For large periods use `statementsCsvUrl`.")
    statements_csv_url = graphene.String(description="A link to download the statements' summary as CSV, valid for 15 minutes; no credentials needed.")
    adjustments = graphene.Field(lambda: AdjustmentCountableConnection, **connection_args())
    rank_overrides = graphene.Field(lambda: RankOverrideCountableConnection, **connection_args())

    class Meta:
        interfaces = (graphene.relay.Node,)
        description = (
            "A settlement period (one calendar month): open, closed, approved, committed. Its month and status are "
            "public to whoever reaches it; everything else needs MANAGE_ORDERS."
        )

    @staticmethod
    def resolve_status_name(root, info, language_code=None):
        return translate_name("period_status", root.status, resolve_language(info, language_code))

    @staticmethod
    @merchant_only
    def resolve_plan_version(root, info):
        return loaders.PlanInForceByMonthLoader(info.context, root.installation_id).load_for(root, lambda period: period.starts_on)

    @staticmethod
    @merchant_only
    def resolve_close_run(root, info):
        return loaders.PeriodRunByIdLoader(info.context).load_for(root, lambda period: period.close_run_id)

    @staticmethod
    @merchant_only
    def resolve_run(root, info):
        return loaders.LatestRunByPeriodIdLoader(info.context).load_for(root, lambda period: period.pk)

    @staticmethod
    @merchant_only
    def resolve_standing_run(root, info):
        return loaders.StandingRunByPeriodIdLoader(info.context).load_for(root, lambda period: period.pk)

    @staticmethod
    @merchant_only
    def resolve_runs(root, info, kind=None, **page):
        from saleor_mlm.periods.models import PeriodRun as PeriodRunModel

        runs = PeriodRunModel.objects.filter(period_id=root.pk)
        if kind is not None:
            runs = runs.filter(kind=_value(kind))
        return paginate(runs, PeriodRunCountableConnection, sort_by=["-id"], **page)

    @staticmethod
    @merchant_only
    def resolve_summary(root, info):
        run = loaders.StandingRunByPeriodIdLoader(info.context).load_for(root, lambda period: period.pk)
        return run.summary if run else None

    @staticmethod
    @merchant_only
    def resolve_statistics(root, info):
        run = loaders.StandingRunByPeriodIdLoader(info.context).load_for(root, lambda period: period.pk)
        return statistics_of(root, run) if run else None

    @staticmethod
    @merchant_only
    def resolve_statements(root, info, **kwargs):
        from .resolvers import resolve_period_statements

        return resolve_period_statements(info, root, **kwargs)

    @staticmethod
    @merchant_only
    def resolve_statements_csv(root, info):
        from .exports import statements_csv_text

        return statements_csv_text(root)

    @staticmethod
    @merchant_only
    def resolve_statements_csv_url(root, info):
        from .exports import statements_csv_url

        return statements_csv_url(info, root)

    @staticmethod
    @merchant_only
    def resolve_adjustments(root, info, **page):
        return paginate(AdjustmentModel.objects.filter(period_id=root.pk), AdjustmentCountableConnection, sort_by=["-created_at", "-id"], **page)

    @staticmethod
    @merchant_only
    def resolve_rank_overrides(root, info, **page):
        return paginate(RankOverrideModel.objects.filter(period_id=root.pk), RankOverrideCountableConnection, sort_by=["partner_id", "id"], **page)


# ---------------------------------------------------------------------------- connections


class PeriodCountableConnection(CountableConnection):
    class Meta:
        node = Period


class PeriodRunCountableConnection(CountableConnection):
    class Meta:
        node = PeriodRun


class PlanVersionCountableConnection(CountableConnection):
    class Meta:
        node = PlanVersion


class PartnerPeriodResultCountableConnection(CountableConnection):
    class Meta:
        node = PartnerPeriodResult


class AdjustmentCountableConnection(CountableConnection):
    class Meta:
        node = Adjustment


class RankOverrideCountableConnection(CountableConnection):
    class Meta:
        node = RankOverride


class PayoutHoldCountableConnection(CountableConnection):
    class Meta:
        node = PayoutHold
