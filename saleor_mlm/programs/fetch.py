"""The programs of an installation, and its default program."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from . import DEFAULT_CODE, DEFAULT_NAME
from .models import Program


def default_program(installation_id: int) -> Program:
    """The installation's default program, created on first need (an installation
    registered after migration 0002)."""
    program = Program.objects.filter(installation_id=installation_id, is_default=True).first()
    if program is not None:
        return program
    try:
        with transaction.atomic():
            return Program.objects.create(installation_id=installation_id, is_default=True, code=DEFAULT_CODE, name=DEFAULT_NAME)
    except IntegrityError:  # created meanwhile by another transaction
        return Program.objects.get(installation_id=installation_id, is_default=True)


def programs_of(installation_id: int) -> list[Program]:
    """Every program of the installation, the default first (it exists afterwards)."""
    default_program(installation_id)
    return list(Program.objects.filter(installation_id=installation_id))
