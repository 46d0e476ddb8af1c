import graphene

from saleor_mlm.ledger.models import VolumeSettings as VolumeSettingsModel
from saleor_mlm.ledger.settings_actions import update_volume_settings

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import LedgerError
from ..settings import VolumeSettings


class VolumeSettingsInput(graphene.InputObjectType):
    pv_per_bv = graphene.Decimal(description="Greater than 0, at most 6 decimal places.")
    pv_metadata_key = graphene.String()
    bv_metadata_key = graphene.String()
    referral_metadata_key = graphene.String()


class VolumeSettingsUpdate(BaseMutation):
    settings = graphene.Field(VolumeSettings)

    class Arguments:
        input = VolumeSettingsInput(required=True)

    class Meta:
        error_type_class = LedgerError
        description = "Change how order lines turn into PV and BV: for order events credited afterwards; the ledger keeps what it credited."
        permissions = (MlmPermission.MANAGE_ORDERS,)
        input_model = VolumeSettingsModel

    @classmethod
    def perform_mutation(cls, root, info, input):
        changes = {name: value for name, value in input.items() if value is not None}
        return cls.success(settings=update_volume_settings(info.context.installation.pk, **changes))
