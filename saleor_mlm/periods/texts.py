"""Names of the bonus kinds (`engine.BONUS_KINDS`) as people read them, from the gettext
catalogs: the API's `kindName`, the credit notes' lines and anything else that names a bonus
take them from here."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

BONUS_NAMES = {
    "customer": _("Customer bonus"),
    "level": _("Level bonus"),
    "difference": _("Difference bonus"),
    "generation": _("Generation bonus"),
    "advancement": _("Rank advancement bonus"),
}


def bonus_name(kind: str, language: str | None = None) -> str:
    """The name of a bonus kind in `language` (default: the active one)."""
    if language is None:
        return str(BONUS_NAMES[kind])
    with translation.override(language):
        return str(BONUS_NAMES[kind])
