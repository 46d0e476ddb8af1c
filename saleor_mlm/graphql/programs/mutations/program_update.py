import graphene

from saleor_mlm.programs.actions import update_program

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import ProgramError
from ..inputs import ProgramInput
from ..types import Program
from .utils import FIELD_MAP, clean_program_id, clean_volume_source


class ProgramUpdate(BaseMutation):
    program = graphene.Field(Program)

    class Arguments:
        id = graphene.ID(required=True)
        input = ProgramInput(required=True, description="Fields left out stay as they are.")

    class Meta:
        error_type_class = ProgramError
        description = "Rename a program, change its code, volume source or metadata keys (for orders credited from now on)."
        permissions = (MlmPermission.MANAGE_ORDERS,)
        error_field_map = FIELD_MAP

    @classmethod
    def perform_mutation(cls, root, info, id, input):
        program = update_program(
            clean_program_id(info, id, "id"),
            code=input.get("code"),
            name=input.get("name"),
            source=clean_volume_source(input.get("volume_source")),
            pv_metadata_key=input.get("pv_metadata_key"),
            bv_metadata_key=input.get("bv_metadata_key"),
        )
        return cls.success(program=program)
