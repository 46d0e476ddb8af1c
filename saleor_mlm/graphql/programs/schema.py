import graphene

from ..core.connection import connection_args
from ..core.permissions import MlmPermission, permission_required, permissions_description
from . import resolvers
from .mutations.program_create import ProgramCreate
from .mutations.program_enrollment_create import ProgramEnrollmentCreate
from .mutations.program_enrollment_move import ProgramEnrollmentMove
from .mutations.program_enrollment_remove import ProgramEnrollmentRemove
from .mutations.program_enrollment_set_care import ProgramEnrollmentSetCare
from .mutations.program_update import ProgramUpdate
from .types import MyProgram, Program, ProgramCountableConnection, ProgramEnrollmentCountableConnection

MANAGE_ORDERS = MlmPermission.MANAGE_ORDERS
MANAGE_USERS = MlmPermission.MANAGE_USERS
_MERCHANT = permissions_description([MANAGE_ORDERS])


class ProgramQueries(graphene.ObjectType):
    programs = graphene.Field(
        ProgramCountableConnection, description="The shop's partner programs, the default program first." + _MERCHANT, **connection_args()
    )
    program = graphene.Field(
        Program,
        id=graphene.ID(),
        code=graphene.String(description="The program's code."),
        description="A program by id or code." + _MERCHANT,
    )
    program_members = graphene.Field(
        ProgramEnrollmentCountableConnection,
        program_id=graphene.ID(required=True, description="A program other than the default (its members are the partners: `partners`, `genealogy`)."),
        sponsor_id=graphene.ID(description="Only the members this partner sponsors in the program (its frontline there)."),
        is_root=graphene.Boolean(description="True: only the members without a sponsor in the program."),
        search=graphene.String(description="Name, e-mail or referral code."),
        description="The members of a program, each with its sponsor there, by name; null for the default program or an unknown id."
        + permissions_description([MANAGE_USERS]),
        **connection_args(),
    )
    my_programs = graphene.List(
        graphene.NonNull(MyProgram),
        required=True,
        description="The programs the logged-in partner is a member of (the default first) with its rank and volumes in each; empty for everyone else.",
    )

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_programs(root, info, **kwargs):
        return resolvers.resolve_programs(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_program(root, info, **kwargs):
        return resolvers.resolve_program(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_program_members(root, info, **kwargs):
        return resolvers.resolve_program_members(info, **kwargs)

    @staticmethod
    def resolve_my_programs(root, info):
        return resolvers.resolve_my_programs(info)


class ProgramMutations(graphene.ObjectType):
    program_create = ProgramCreate.Field()
    program_update = ProgramUpdate.Field()
    program_enrollment_create = ProgramEnrollmentCreate.Field()
    program_enrollment_move = ProgramEnrollmentMove.Field()
    program_enrollment_remove = ProgramEnrollmentRemove.Field()
    program_enrollment_set_care = ProgramEnrollmentSetCare.Field()
