"""Names shown to people, in German or English by the request's language.

The language is `Accept-Language` (first supported entry), or the `languageCode`
argument of a translated field, which wins. Names of things that are identified by a
code (partner statuses now; rank codes and plan names once periods and plans exist)
are looked up in tables that domain packages of the API register here:

    register_names("rank", {"consultant": {"en": "Consultant", "de": "Berater"}})
    translate_name("rank", "consultant", "de")                      -> "Berater"
    translate_name("rank", "gold", "de", own_names={"de": "Gold"})  -> "Gold"

`own_names` are names the data carries itself (a plan document may name its ranks per
language); they win over the table. Unknown codes fall back to the code, readable.
"""

from __future__ import annotations

from collections.abc import Mapping

import graphene
from django.utils.translation.trans_real import parse_accept_lang_header

LANGUAGES = ("en", "de")
DEFAULT_LANGUAGE = "en"

_NAMES: dict[str, dict[str, Mapping[str, str]]] = {}


class LanguageCodeEnum(graphene.Enum):
    """Languages names are translated into."""

    EN = "en"
    DE = "de"


def language_from_request(request) -> str:
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        primary = code.split("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE


def register_names(kind: str, table: Mapping[str, Mapping[str, str]]) -> None:
    _NAMES.setdefault(kind, {}).update(table)


def translate_name(kind: str, code: str, language: str, own_names: Mapping[str, str] | None = None, default: str | None = None) -> str:
    """The name of `code` in `language`: from `own_names`, else the table, else `default`
    (for names that are text already, such as a plan's), else the code made readable."""
    for names in (own_names or {}, _NAMES.get(kind, {}).get(code, {})):
        name = names.get(language) or names.get(DEFAULT_LANGUAGE)
        if name:
            return name
    return default if default is not None else code.replace("_", " ").capitalize()


def resolve_language(info, language_code=None) -> str:
    """The `languageCode` argument (graphene passes the enum member) or the request's."""
    return getattr(language_code, "value", language_code) or info.context.language


def TranslatedString(description: str, **kwargs) -> graphene.String:
    """A name field with a `languageCode` argument (default: the request's language)."""
    return graphene.String(
        description=description,
        language_code=graphene.Argument(LanguageCodeEnum, description="Language of the name; default: the request's Accept-Language."),
        **kwargs,
    )


# Rank codes as the example plans and common German career plans use them. Plans with
# other codes name their ranks in the plan document (own_names) or show the code.
register_names(
    "rank",
    {
        "partner": {"en": "Partner", "de": "Partner"},
        "junior_consultant": {"en": "Junior consultant", "de": "Juniorberater"},
        "consultant": {"en": "Consultant", "de": "Berater"},
        "senior_consultant": {"en": "Senior consultant", "de": "Seniorberater"},
        "team_leader": {"en": "Team leader", "de": "Teamleiter"},
        "manager": {"en": "Manager", "de": "Manager"},
        "senior_manager": {"en": "Senior manager", "de": "Senior-Manager"},
        "director": {"en": "Director", "de": "Direktor"},
        "executive_director": {"en": "Executive director", "de": "Executive Direktor"},
        "president": {"en": "President", "de": "Präsident"},
    },
)
