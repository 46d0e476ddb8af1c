"""Resolvers of the periods' root fields (merchant, MANAGE_ORDERS: checked in schema.py)
and of `Period.statements`. Everything is scoped to the requestor's installation."""

from __future__ import annotations

from django.db.models import Subquery

from saleor_mlm.calendar.models import Period
from saleor_mlm.core.errors import DomainError
from saleor_mlm.network.models import Partner
from saleor_mlm.payouts.models import BalanceAdjustment, PayoutHold
from saleor_mlm.periods import RunStatus
from saleor_mlm.periods.models import PartnerPeriodResult, PeriodRun, RankOverride
from saleor_mlm.plans.models import PlanVersion
from saleor_mlm.statements.partner import partner_statement

from ..core.connection import paginate
from ..core.types import InvalidArgument, decode_id_argument
from ..network.filters import search_partners
from ..network.visibility import Access, wrap
from . import dataloaders as loaders
from . import filters
from .sorters import statement_sort_fields
from .statements import program_of
from .types import (
    AdjustmentCountableConnection,
    PartnerPeriodResultCountableConnection,
    PayoutHoldCountableConnection,
    PeriodCountableConnection,
    PeriodRunCountableConnection,
    PlanVersionCountableConnection,
    RankOverrideCountableConnection,
    StatementView,
    statistics_of,
)


def _installation(info):
    return info.context.installation


def resolve_periods(info, filter=None, **page):
    periods = filters.filter_periods(Period.objects.filter(installation=_installation(info)), filter)
    return paginate(periods, PeriodCountableConnection, sort_by=["-starts_on", "-id"], **page)


def resolve_period(info, id=None, month=None):
    if (id is None) == (month is None):
        raise InvalidArgument("Give either `id` or `month`.", "id")
    periods = Period.objects.filter(installation=_installation(info))
    if id is not None:
        return periods.filter(pk=decode_id_argument(id, "Period", "id")).first()
    return periods.filter(starts_on=filters.month_argument(month, "month")).first()


def resolve_period_run(info, id):
    return PeriodRun.objects.filter(installation=_installation(info), pk=decode_id_argument(id, "PeriodRun", "id")).first()


def resolve_period_runs(info, filter=None, **page):
    runs = filters.filter_runs(PeriodRun.objects.filter(installation=_installation(info)), filter)
    return paginate(runs, PeriodRunCountableConnection, sort_by=["-id"], **page)


def resolve_plan_versions(info, filter=None, **page):
    versions = filters.filter_plan_versions(PlanVersion.objects.filter(installation=_installation(info)), filter)
    return paginate(versions, PlanVersionCountableConnection, sort_by=["-id"], **page)


def resolve_plan_version(info, id):
    return PlanVersion.objects.filter(installation=_installation(info), pk=decode_id_argument(id, "PlanVersion", "id")).first()


def resolve_statistics(info, from_month=None, to_month=None):
    """Statistics of every period with figures in the range, oldest first."""
    periods = Period.objects.filter(installation=_installation(info)).order_by("starts_on")
    if from_month:
        periods = periods.filter(starts_on__gte=filters.month_argument(from_month, "fromMonth"))
    if to_month:
        periods = periods.filter(starts_on__lte=filters.month_argument(to_month, "toMonth"))
    periods = list(periods)
    runs = loaders.StandingRunByPeriodIdLoader(info.context)
    found = []
    for period in periods:
        run = runs.load(period.pk, [other.pk for other in periods])
        stats = statistics_of(period, run) if run else None
        if stats is not None:
            found.append(stats)
    return found


def resolve_period_statements(info, period, search=None, qualified=None, sort_by=None, **page):
    """Every partner's row of the period's standing run."""
    run = loaders.StandingRunByPeriodIdLoader(info.context).load(period.pk)
    if run is None or run.status != RunStatus.SUCCEEDED:
        return None
    rows = PartnerPeriodResult.objects.filter(run=run)
    if qualified is not None:
        rows = rows.filter(qualified=qualified)
    if search and search.strip():
        partners = search_partners(Partner.objects.filter(installation_id=period.installation_id), search)
        rows = rows.filter(partner_id__in=Subquery(partners.values("pk")))

    def attach(found):
        for row in found:
            row.run = run
        return wrap(found, Access.MERCHANT)

    return paginate(rows, PartnerPeriodResultCountableConnection, sort_by=statement_sort_fields(sort_by), wrap=attach, **page)


def resolve_statements(info, period, **kwargs):
    found, _ = loaders.parse_period_argument(info, period)
    if found is None:
        return None
    return resolve_period_statements(info, found, **kwargs)


def resolve_statement(info, period, partner_id):
    """One partner's statement (lines). Unknown period or partner, or no figures: null."""
    found, _ = loaders.parse_period_argument(info, period)
    partner = Partner.objects.filter(installation=_installation(info), pk=decode_id_argument(partner_id, "Partner", "partnerId")).first()
    if found is None or partner is None:
        return None
    return statement_view(info, partner, found, Access.MERCHANT)


def statement_view(info, partner, period, access, run=None) -> StatementView | None:
    """The statement of the period's standing run (or of `run`); None without figures."""
    try:
        statement = partner_statement(period.installation, partner, period, run)
    except DomainError:
        return None
    run = loaders.PeriodRunByIdLoader(info.context).load(statement.run_id)
    return StatementView(
        statement=statement,
        period_id=period.pk,
        plan_document=run.plan_document if run else None,
        access=access,
        program=program_of(period.installation_id, run.program_id if run else None),
    )


def resolve_adjustments(info, filter=None, **page):
    adjustments = filters.filter_by_period_and_partner(BalanceAdjustment.objects.filter(installation=_installation(info)), filter)
    return paginate(adjustments, AdjustmentCountableConnection, sort_by=["-created_at", "-id"], **page)


def resolve_rank_overrides(info, filter=None, **page):
    overrides = filters.filter_by_period_and_partner(RankOverride.objects.filter(installation=_installation(info)), filter)
    return paginate(overrides, RankOverrideCountableConnection, sort_by=["-created_at", "-id"], **page)


def resolve_payout_holds(info, filter=None, **page):
    holds = filters.filter_payout_holds(PayoutHold.objects.filter(installation=_installation(info)), filter)
    return paginate(holds, PayoutHoldCountableConnection, sort_by=["-created_at", "-id"], **page)
