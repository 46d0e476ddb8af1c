"""Resolvers of the programs' root fields (merchant, MANAGE_ORDERS: checked in schema.py),
scoped to the requestor's installation."""

from __future__ import annotations

from saleor_mlm.programs.fetch import default_program
from saleor_mlm.programs.models import Program

from ..core.connection import paginate
from ..core.types import decode_id_argument
from .types import ProgramCountableConnection


def resolve_programs(info, **page):
    """The default program first, then the others by code."""
    installation = info.context.installation
    default_program(installation.pk)  # an installation registered after the migration
    programs = Program.objects.filter(installation=installation)
    return paginate(programs, ProgramCountableConnection, sort_by=["-is_default", "code"], **page)


def resolve_program(info, id=None, code=None):
    installation = info.context.installation
    default_program(installation.pk)
    programs = Program.objects.filter(installation=installation)
    if id is not None:
        programs = programs.filter(pk=decode_id_argument(id, "Program", "id"))
    if code is not None:
        programs = programs.filter(code=code)
    return programs.first() if (id is not None or code is not None) else None
