"""The settlement period: one calendar month, open, closed, approved or committed.

Its month and status are public to whoever reaches it; everything else is the merchant's.
"""

from __future__ import annotations

import graphene
from django.utils.translation import pgettext_lazy

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.payouts.models import BalanceAdjustment
from saleor_mlm.periods.models import PeriodRun as PeriodRunModel
from saleor_mlm.periods.models import RankOverride as RankOverrideModel

from ..core.connection import CountableConnection, connection_args, paginate
from ..core.i18n import TranslatedString, register_names, resolve_language, translate_name
from ..core.permissions import MlmPermission
from ..core.types import JSON
from . import dataloaders as loaders
from .enums import PeriodStatusEnum, RunKindEnum
from .formats import enum_value
from .overrides import AdjustmentCountableConnection, RankOverrideCountableConnection
from .partner_results import PartnerPeriodResultCountableConnection
from .plans import PlanVersion
from .runs import PeriodRun, PeriodRunCountableConnection
from .sorters import StatementSortingInput
from .statistics import Statistics, statistics_of

register_names(
    "period_status",
    {
        PeriodStatus.OPEN: pgettext_lazy("period status", "Open"),
        PeriodStatus.CLOSED: pgettext_lazy("period status", "Closed"),
        PeriodStatus.APPROVED: pgettext_lazy("period status", "Approved"),
        PeriodStatus.COMMITTED: pgettext_lazy("period status", "Committed"),
    },
)


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
    runs = graphene.Field(PeriodRunCountableConnection, kind=graphene.Argument(RunKindEnum), **connection_args())
    summary = JSON(description="The standing run's summary as stored (totals, statistics, balances).")
    statistics = graphene.Field(Statistics, description="Of the standing run.")
    statements = graphene.Field(
        PartnerPeriodResultCountableConnection,
        description="Every partner's figures of the standing run (the statements' summary).",
        **connection_args(
            search=graphene.String(description="Words in names or e-mail, or the exact referral code."),
            qualified=graphene.Boolean(),
            sort_by=StatementSortingInput(description="Default: by partner."),
        ),
    )
    statements_csv = graphene.String(description="The statements' summary as CSV text (one row per partner). For large periods use `statementsCsvUrl`.")
    statements_csv_url = graphene.String(description="A link to download the statements' summary as CSV, valid for 15 minutes; no credentials needed.")
    adjustments = graphene.Field(AdjustmentCountableConnection, **connection_args())
    rank_overrides = graphene.Field(RankOverrideCountableConnection, **connection_args())

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
        runs = PeriodRunModel.objects.filter(period_id=root.pk)
        if kind is not None:
            runs = runs.filter(kind=enum_value(kind))
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
        return paginate(BalanceAdjustment.objects.filter(period_id=root.pk), AdjustmentCountableConnection, sort_by=["-created_at", "-id"], **page)

    @staticmethod
    @merchant_only
    def resolve_rank_overrides(root, info, **page):
        return paginate(RankOverrideModel.objects.filter(period_id=root.pk), RankOverrideCountableConnection, sort_by=["partner_id", "id"], **page)



class PeriodCountableConnection(CountableConnection):
    class Meta:
        node = Period
