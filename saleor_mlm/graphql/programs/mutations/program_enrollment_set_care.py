import graphene

from saleor_mlm.network.actions.enrollments import set_program_care

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ...network.mutations.utils import clean_partner_id
from ..errors import ProgramError
from ..types import ProgramEnrollment
from .utils import FIELD_MAP, clean_program_id


class ProgramEnrollmentSetCare(BaseMutation):
    enrollment = graphene.Field(ProgramEnrollment)

    class Arguments:
        program_id = graphene.ID(required=True)
        partner_id = graphene.ID(required=True)
        care_partner_id = graphene.ID(description="The Betreuer in the program, a member there; null: no Betreuer.")
        share = graphene.Decimal(description="The Betreuer's share of the volume, 0 to 1; null: the split agreement in force of the sponsor there.")
        reason = graphene.String(description="Kept in the history.")

    class Meta:
        error_type_class = ProgramError
        description = (
            "Set a member's Betreuer and share in a program other than the default, under the default network's rules "
            "(not itself, not its sponsor there, no cycle in the program's network)."
        )
        permissions = (MlmPermission.MANAGE_USERS,)
        error_field_map = FIELD_MAP

    @classmethod
    def perform_mutation(cls, root, info, program_id, partner_id, care_partner_id=None, share=None, reason=""):
        program = clean_program_id(info, program_id, "programId")
        partner = clean_partner_id(info, partner_id, "partnerId")
        care_partner = clean_partner_id(info, care_partner_id, "carePartnerId") if care_partner_id else None
        enrollment = set_program_care(program, partner, care_partner, share, set_by=info.context.requestor.label, reason=reason or "")
        return cls.success(enrollment=enrollment)
