import graphene

from saleor_mlm.network.actions.enrollments import remove_from_program

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ...network.mutations.utils import clean_partner_id
from ..errors import ProgramError
from ..types import Program
from .utils import FIELD_MAP, clean_program_id


class ProgramEnrollmentRemove(BaseMutation):
    program = graphene.Field(Program, description="The program the partner left.")

    class Arguments:
        program_id = graphene.ID(required=True)
        partner_id = graphene.ID(required=True)
        reason = graphene.String(required=True, description="Kept in the history.")

    class Meta:
        error_type_class = ProgramError
        description = "End a partner's membership of a program: refused while members there are below it."
        permissions = (MlmPermission.MANAGE_USERS,)
        error_field_map = FIELD_MAP

    @classmethod
    def perform_mutation(cls, root, info, program_id, partner_id, reason):
        program = clean_program_id(info, program_id, "programId")
        partner = clean_partner_id(info, partner_id, "partnerId")
        remove_from_program(program, partner, changed_by=info.context.requestor.label, reason=reason)
        return cls.success(program=program)
