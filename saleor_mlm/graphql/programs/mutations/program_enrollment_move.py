import graphene

from saleor_mlm.network.actions.enrollments import move_in_program

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ...network.mutations.utils import clean_partner_id
from ..errors import ProgramError
from ..types import ProgramEnrollment
from .utils import FIELD_MAP, clean_program_id


class ProgramEnrollmentMove(BaseMutation):
    enrollment = graphene.Field(ProgramEnrollment)

    class Arguments:
        program_id = graphene.ID(required=True)
        partner_id = graphene.ID(required=True)
        sponsor_id = graphene.ID(description="The new sponsor in the program, a member there; null: to the top.")
        reason = graphene.String(required=True, description="Kept in the history.")

    class Meta:
        error_type_class = ProgramError
        description = "Move a member of a program, with its downline there, under another member. Refused when it would close a cycle."
        permissions = (MlmPermission.MANAGE_USERS,)
        error_field_map = FIELD_MAP

    @classmethod
    def perform_mutation(cls, root, info, program_id, partner_id, reason, sponsor_id=None):
        program = clean_program_id(info, program_id, "programId")
        partner = clean_partner_id(info, partner_id, "partnerId")
        sponsor = clean_partner_id(info, sponsor_id, "sponsorId") if sponsor_id else None
        enrollment = move_in_program(program, partner, sponsor, changed_by=info.context.requestor.label, reason=reason)
        return cls.success(enrollment=enrollment)
