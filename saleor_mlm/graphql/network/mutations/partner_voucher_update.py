import graphene
from django.db import transaction

from saleor_mlm.network.tasks import sync_partner_voucher_task
from saleor_mlm.network.vouchers import configure_partner_voucher

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import NetworkError
from ..voucher import PartnerVoucherSettings


class PartnerVoucherInput(graphene.InputObjectType):
    discount_percent = graphene.Decimal(description="0 to 100, at most 3 decimals.")
    channel_slugs = graphene.List(graphene.NonNull(graphene.String), description="Saleor channel slugs; empty: every channel.")


class PartnerVoucherUpdate(BaseMutation):
    partner_voucher = graphene.Field(PartnerVoucherSettings)

    class Arguments:
        input = PartnerVoucherInput(required=True)

    class Meta:
        error_type_class = NetworkError
        description = "Change the discount of partner codes and the channels they work in; written to Saleor's voucher in the background."
        permissions = (MlmPermission.MANAGE_USERS,)

    @classmethod
    def perform_mutation(cls, root, info, input):
        installation = info.context.installation
        voucher = configure_partner_voucher(installation, discount_percent=input.get("discount_percent"), channel_slugs=input.get("channel_slugs"))
        transaction.on_commit(lambda: sync_partner_voucher_task.delay(installation.pk))
        return cls.success(partner_voucher=voucher)
