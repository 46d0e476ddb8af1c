"""Programs' names as people read them."""

from __future__ import annotations

from django.utils.translation import pgettext

from . import DEFAULT_NAME


def program_name(program) -> str:
    """The program's name in the active language: the name the default program was given
    (`DEFAULT_NAME`) is translated, a merchant's name stays as written."""
    if program.name == DEFAULT_NAME:
        return pgettext("program", "Partner program")
    return program.name
