"""Names shown to people, in the request's language (one of settings.LANGUAGES, the catalogs present).

The language is `Accept-Language` (first supported entry), or the `languageCode`
argument of a translated field, which wins. Names of things that are identified by a
code (statuses, rank codes, plan names) are looked up in tables that domain packages of
the API register here, each name a lazy translation from the gettext catalogs
(`pgettext_lazy` with the kind as its context):

    register_names("rank", {"consultant": pgettext_lazy("rank", "Consultant")})
    translate_name("rank", "consultant", "de")                      -> "Berater"
    translate_name("rank", "gold", "de", own_names={"de": "Gold"})  -> "Gold"

`own_names` are names the data carries itself (a plan document may name its ranks per
language); they win over the table. Unknown codes fall back to the code, readable.
"""

from __future__ import annotations

from collections.abc import Mapping

import graphene
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation.trans_real import parse_accept_lang_header

from saleor_mlm.plans.rank_names import DEFAULT_LANGUAGE, RANK_NAMES, readable_name

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)

_NAMES: dict[str, dict[str, Promise]] = {}


# Languages names are translated into: one member per catalog (EN, DE, FR, ...).
LanguageCodeEnum = graphene.Enum(
    "LanguageCodeEnum", [(code.upper().replace("-", "_"), code) for code in LANGUAGES], description="Languages names are translated into."
)


def language_from_request(request) -> str:
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        primary = code.split("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE


def register_names(kind: str, table: Mapping[str, Promise]) -> None:
    """`table`: {code: its name as a lazy translation (`pgettext_lazy(kind, "Name")`)}."""
    _NAMES.setdefault(kind, {}).update(table)


def translate_name(kind: str, code: str, language: str, own_names: Mapping[str, str] | None = None, default: str | None = None) -> str:
    """The name of `code` in `language`: from `own_names`, else the table, else `default`
    (for names that are text already, such as a plan's), else the code made readable."""
    return readable_name(code, language, own_names, _NAMES.get(kind, {}).get(code), default)


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


# Rank codes as the example plans and common German career plans use them (plans.rank_names).
register_names("rank", RANK_NAMES)
