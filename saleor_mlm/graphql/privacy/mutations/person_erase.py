import graphene

from saleor_mlm.network.models import Partner
from saleor_mlm.privacy.erasure import erase_customer, erase_partner

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ...network.mutations.utils import clean_node
from ..errors import PrivacyError


class PersonErase(BaseMutation):
    erased_at = graphene.DateTime(description="When the person was erased.")
    changed = graphene.JSONString(description='What was rewritten: {"model.column": rows}.')

    class Arguments:
        partner_id = graphene.ID(description="A terminated partner (with the customer record it came from).")
        customer_id = graphene.ID(description="A customer (not one who became a partner: erase the partner).")
        reason = graphene.String(description="Why, e.g. the request's reference (the person's name is taken out).")

    class Meta:
        error_type_class = PrivacyError
        description = (
            "Erase a partner's or a customer's personal data (GDPR Art. 17): the record, their orders, stored webhook "
            "bodies and every mention of their e-mail or name are pseudonymised; ledger entries and credit notes are kept "
            "for the legal retention, and every volume and total stays as it was. Cannot be undone."
        )
        permissions = (MlmPermission.MANAGE_USERS,)
        error_field_map = {"partner": "partnerId", "customer": "customerId"}

    @classmethod
    def perform_mutation(cls, root, info, partner_id=None, customer_id=None, reason=None):
        person = clean_node(info, partner_id, customer_id)
        erase = erase_partner if isinstance(person, Partner) else erase_customer
        result = erase(person, erased_by=info.context.requestor.label, reason=reason or "")
        return cls.success(erased_at=result.erasure.erased_at, changed=result.changed)
