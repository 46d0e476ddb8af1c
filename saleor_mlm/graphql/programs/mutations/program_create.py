import graphene

from saleor_mlm.programs.actions import VolumeSource, create_program

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import ProgramError
from ..inputs import ProgramInput
from ..types import Program
from .utils import FIELD_MAP, clean_volume_source


class ProgramCreate(BaseMutation):
    program = graphene.Field(Program)

    class Arguments:
        input = ProgramInput(required=True, description="`code` and `name` are required; the volume source defaults to all products.")

    class Meta:
        error_type_class = ProgramError
        description = "Add a partner program: its plan versions and members come next."
        permissions = (MlmPermission.MANAGE_ORDERS,)
        error_field_map = FIELD_MAP

    @classmethod
    def perform_mutation(cls, root, info, input):
        program = create_program(
            info.context.installation.pk,
            code=input.get("code") or "",
            name=input.get("name") or "",
            source=clean_volume_source(input.get("volume_source")) or VolumeSource(),
            pv_metadata_key=input.get("pv_metadata_key") or "",
            bv_metadata_key=input.get("bv_metadata_key") or "",
            created_by=info.context.requestor.label,
        )
        return cls.success(program=program)
