import graphene

from ..core.connection import connection_args
from ..core.permissions import MlmPermission, permission_required, permissions_description
from . import resolvers
from .types import Program, ProgramCountableConnection

MANAGE_ORDERS = MlmPermission.MANAGE_ORDERS
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

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_programs(root, info, **kwargs):
        return resolvers.resolve_programs(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_program(root, info, **kwargs):
        return resolvers.resolve_program(info, **kwargs)
