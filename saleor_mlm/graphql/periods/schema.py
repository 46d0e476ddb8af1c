import graphene

from ..core.connection import connection_args
from ..core.permissions import MlmPermission, permission_required, permissions_description
from . import resolvers
from .filters import PayoutHoldFilterInput, PeriodFilterInput, PeriodPartnerFilterInput, PeriodRunFilterInput, PlanVersionFilterInput
from .mutations.adjustment_create import AdjustmentCreate
from .mutations.minimum_payout_set import MinimumPayoutSet
from .mutations.payout_hold_release import PayoutHoldRelease
from .mutations.payout_hold_set import PayoutHoldSet
from .mutations.period_approve import PeriodApprove
from .mutations.period_close import PeriodClose
from .mutations.period_commit import PeriodCommit
from .mutations.period_preview import PeriodPreview
from .mutations.period_reopen import PeriodReopen
from .mutations.plan_version_activate import PlanVersionActivate
from .mutations.plan_version_create import PlanVersionCreate
from .mutations.plan_version_retire import PlanVersionRetire
from .mutations.plan_version_update import PlanVersionUpdate
from .mutations.plan_version_validate import PlanVersionValidate
from .mutations.rank_override_remove import RankOverrideRemove
from .mutations.rank_override_set import RankOverrideSet
from .mutations.what_if_run import WhatIfRun
from .sorters import StatementSortingInput
from .types import (
    AdjustmentCountableConnection,
    PartnerPeriodResultCountableConnection,
    PayoutHoldCountableConnection,
    Period,
    PeriodCountableConnection,
    PeriodRun,
    PeriodRunCountableConnection,
    PlanVersion,
    PlanVersionCountableConnection,
    RankOverrideCountableConnection,
    Statement,
    Statistics,
)

MANAGE_ORDERS = MlmPermission.MANAGE_ORDERS
_MERCHANT = permissions_description([MANAGE_ORDERS])
_PERIOD = "A month (YYYY-MM) or a Period id."


class PeriodQueries(graphene.ObjectType):
    periods = graphene.Field(
        PeriodCountableConnection, description="Settlement periods, newest first." + _MERCHANT, **connection_args(filter=PeriodFilterInput())
    )
    period = graphene.Field(
        Period, id=graphene.ID(), month=graphene.String(description="YYYY-MM."), description="A period by id or month." + _MERCHANT
    )
    period_run = graphene.Field(PeriodRun, id=graphene.ID(required=True), description="A run by id (poll it for progress)." + _MERCHANT)
    period_runs = graphene.Field(
        PeriodRunCountableConnection, description="Runs, newest first." + _MERCHANT, **connection_args(filter=PeriodRunFilterInput())
    )
    plan_versions = graphene.Field(
        PlanVersionCountableConnection, description="Plan versions, newest first." + _MERCHANT, **connection_args(filter=PlanVersionFilterInput())
    )
    plan_version = graphene.Field(PlanVersion, id=graphene.ID(required=True), description="A plan version by id." + _MERCHANT)
    statistics = graphene.List(
        graphene.NonNull(Statistics),
        required=True,
        from_month=graphene.String(description="YYYY-MM, inclusive."),
        to_month=graphene.String(description="YYYY-MM, inclusive."),
        description="Statistics of every period with figures in the range, oldest first: partners per rank and status, "
        "enrollments, volume, payout and payout ratio." + _MERCHANT,
    )
    statements = graphene.Field(
        PartnerPeriodResultCountableConnection,
        period=graphene.String(required=True, description=_PERIOD),
        description="Every partner's figures of a period (its close run once settled, else its latest preview)." + _MERCHANT,
        **connection_args(search=graphene.String(), qualified=graphene.Boolean(), sort_by=StatementSortingInput()),
    )
    statement = graphene.Field(
        Statement,
        period=graphene.String(required=True, description=_PERIOD),
        partner_id=graphene.ID(required=True),
        description="One partner's statement of a period, line by line; null while the period has no figures." + _MERCHANT,
    )
    adjustments = graphene.Field(
        AdjustmentCountableConnection, description="Money adjustments, newest first." + _MERCHANT, **connection_args(filter=PeriodPartnerFilterInput())
    )
    rank_overrides = graphene.Field(
        RankOverrideCountableConnection, description="Rank overrides, newest first." + _MERCHANT, **connection_args(filter=PeriodPartnerFilterInput())
    )
    payout_holds = graphene.Field(
        PayoutHoldCountableConnection, description="Payout holds, newest first." + _MERCHANT, **connection_args(filter=PayoutHoldFilterInput())
    )

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_periods(root, info, **kwargs):
        return resolvers.resolve_periods(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_period(root, info, **kwargs):
        return resolvers.resolve_period(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_period_run(root, info, **kwargs):
        return resolvers.resolve_period_run(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_period_runs(root, info, **kwargs):
        return resolvers.resolve_period_runs(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_plan_versions(root, info, **kwargs):
        return resolvers.resolve_plan_versions(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_plan_version(root, info, **kwargs):
        return resolvers.resolve_plan_version(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_statistics(root, info, **kwargs):
        return resolvers.resolve_statistics(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_statements(root, info, **kwargs):
        return resolvers.resolve_statements(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_statement(root, info, **kwargs):
        return resolvers.resolve_statement(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_adjustments(root, info, **kwargs):
        return resolvers.resolve_adjustments(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_rank_overrides(root, info, **kwargs):
        return resolvers.resolve_rank_overrides(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_payout_holds(root, info, **kwargs):
        return resolvers.resolve_payout_holds(info, **kwargs)


class PeriodMutations(graphene.ObjectType):
    period_preview = PeriodPreview.Field()
    period_close = PeriodClose.Field()
    period_approve = PeriodApprove.Field()
    period_reopen = PeriodReopen.Field()
    period_commit = PeriodCommit.Field()
    plan_version_create = PlanVersionCreate.Field()
    plan_version_update = PlanVersionUpdate.Field()
    plan_version_validate = PlanVersionValidate.Field()
    plan_version_activate = PlanVersionActivate.Field()
    plan_version_retire = PlanVersionRetire.Field()
    adjustment_create = AdjustmentCreate.Field()
    rank_override_set = RankOverrideSet.Field()
    rank_override_remove = RankOverrideRemove.Field()
    payout_hold_set = PayoutHoldSet.Field()
    payout_hold_release = PayoutHoldRelease.Field()
    what_if_run = WhatIfRun.Field()
    minimum_payout_set = MinimumPayoutSet.Field()
