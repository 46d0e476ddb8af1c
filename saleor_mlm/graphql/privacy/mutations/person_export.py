import graphene

from saleor_mlm.privacy.person_export import export_person
from saleor_mlm.privacy.serialize import dumps

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ...network.mutations.utils import clean_node
from ..errors import PrivacyError


class PersonExport(BaseMutation):
    document = graphene.String(description="The person's data as one JSON document (format 'saleor-mlm person export 1').")

    class Arguments:
        partner_id = graphene.ID()
        customer_id = graphene.ID()

    class Meta:
        error_type_class = PrivacyError
        description = (
            "Everything the app keeps about a partner or a customer, as JSON (GDPR Art. 15 access, Art. 20 portability): "
            "their record, orders and every row whose subject they are; other people's data left out. A mutation because "
            "an export is an act to be logged, not a read to be cached."
        )
        permissions = (MlmPermission.MANAGE_USERS,)
        error_field_map = {"partner": "partnerId", "customer": "customerId"}

    @classmethod
    def perform_mutation(cls, root, info, partner_id=None, customer_id=None):
        person = clean_node(info, partner_id, customer_id)
        return cls.success(document=dumps(export_person(person)))
