import graphene

from saleor_mlm.credit_notes.settings_actions import set_vat_rate

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import CreditNoteError
from ..types import VatRate


class VatRateSet(BaseMutation):
    vat_rate = graphene.Field(VatRate, description="Null when removed.")

    class Arguments:
        country = graphene.String(required=True, description="ISO 3166 code.")
        rate = graphene.Decimal(description="Percent, e.g. 19; null removes the country's rate.")

    class Meta:
        error_type_class = CreditNoteError
        description = "The VAT rate for REGULAR partners of a country (without one: Germany's, 19 % unless set)."
        permissions = (MlmPermission.MANAGE_ORDERS,)

    @classmethod
    def perform_mutation(cls, root, info, country, rate=None):
        return cls.success(vat_rate=set_vat_rate(info.context.installation.pk, country, rate))
