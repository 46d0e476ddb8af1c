import graphene

from ..core.connection import connection_args
from ..core.permissions import MlmPermission, permission_required, permissions_description
from . import resolvers
from .filters import PayoutItemFilterInput
from .mutations.my_payout_profile_update import MyPayoutProfileUpdate
from .mutations.payout_account_link import PayoutAccountLink
from .mutations.payout_bank_change_confirm import PayoutBankChangeConfirm
from .mutations.payout_profile_update import PayoutProfileUpdate
from .mutations.payout_run_approve import PayoutRunApprove
from .mutations.payout_run_create import PayoutRunCreate
from .mutations.payout_run_execute import PayoutRunExecute
from .mutations.payout_settings_update import PayoutSettingsUpdate
from .mutations.sepa_file_mark_executed import SepaFileMarkExecuted
from .mutations.sepa_file_reject_items import SepaFileRejectItems
from .types import PayoutItemCountableConnection, PayoutProfile, PayoutRun, PayoutRunCountableConnection, PayoutSettings

MANAGE_ORDERS = MlmPermission.MANAGE_ORDERS
_MERCHANT = permissions_description([MANAGE_ORDERS])


class PayoutQueries(graphene.ObjectType):
    payout_runs = graphene.Field(PayoutRunCountableConnection, description="The shop's payout runs, newest first." + _MERCHANT, **connection_args())
    payout_run = graphene.Field(
        PayoutRun,
        id=graphene.ID(),
        period=graphene.String(description="YYYY-MM: the run of that period."),
        description="A payout run by id or by its period." + _MERCHANT,
    )
    payout_items = graphene.Field(
        PayoutItemCountableConnection,
        description="Payouts to partners, newest first, filtered." + _MERCHANT,
        **connection_args(filter=PayoutItemFilterInput()),
    )
    payout_profile = graphene.Field(
        PayoutProfile, partner_id=graphene.ID(required=True), description="How a partner is paid, with its history." + _MERCHANT
    )
    payout_settings = graphene.Field(PayoutSettings, description="Minimum payout, the shop's bank account, whether Stripe is set up." + _MERCHANT)
    my_payout_profile = graphene.Field(PayoutProfile, description="The logged-in partner's payout profile; null for everyone else.")
    my_payouts = graphene.Field(
        PayoutItemCountableConnection, description="The logged-in partner's payouts and their status, newest first.", **connection_args()
    )

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_payout_runs(root, info, **kwargs):
        return resolvers.resolve_payout_runs(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_payout_run(root, info, **kwargs):
        return resolvers.resolve_payout_run(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_payout_items(root, info, **kwargs):
        return resolvers.resolve_payout_items(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_payout_profile(root, info, **kwargs):
        return resolvers.resolve_payout_profile(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_payout_settings(root, info):
        return resolvers.resolve_payout_settings(info)

    @staticmethod
    def resolve_my_payout_profile(root, info):
        return resolvers.resolve_my_payout_profile(info)

    @staticmethod
    def resolve_my_payouts(root, info, **kwargs):
        return resolvers.resolve_my_payouts(info, **kwargs)


class PayoutMutations(graphene.ObjectType):
    my_payout_profile_update = MyPayoutProfileUpdate.Field()
    payout_account_link = PayoutAccountLink.Field()
    payout_profile_update = PayoutProfileUpdate.Field()
    payout_bank_change_confirm = PayoutBankChangeConfirm.Field()
    payout_settings_update = PayoutSettingsUpdate.Field()
    payout_run_create = PayoutRunCreate.Field()
    payout_run_approve = PayoutRunApprove.Field()
    payout_run_execute = PayoutRunExecute.Field()
    sepa_file_mark_executed = SepaFileMarkExecuted.Field()
    sepa_file_reject_items = SepaFileRejectItems.Field()
