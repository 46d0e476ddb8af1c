import graphene

from saleor_mlm.network.actions.enrollments import enroll_in_program

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ...network.mutations.utils import clean_partner_id
from ..errors import ProgramError
from ..types import ProgramEnrollment
from .utils import FIELD_MAP, clean_program_id


class ProgramEnrollmentCreate(BaseMutation):
    enrollment = graphene.Field(ProgramEnrollment)

    class Arguments:
        program_id = graphene.ID(required=True, description="A program other than the default (every partner is in that one).")
        partner_id = graphene.ID(required=True)
        sponsor_id = graphene.ID(description="Its sponsor in the program, a member there; null: at the top.")

    class Meta:
        error_type_class = ProgramError
        description = "Make a partner a member of a program, under a sponsor there."
        permissions = (MlmPermission.MANAGE_USERS,)
        error_field_map = FIELD_MAP

    @classmethod
    def perform_mutation(cls, root, info, program_id, partner_id, sponsor_id=None):
        program = clean_program_id(info, program_id, "programId")
        partner = clean_partner_id(info, partner_id, "partnerId")
        sponsor = clean_partner_id(info, sponsor_id, "sponsorId") if sponsor_id else None
        return cls.success(enrollment=enroll_in_program(program, partner, sponsor, changed_by=info.context.requestor.label))
