"""Rank names as people read them, in German or English.

A rank is named as its plan document names it (`name`: a text, or a mapping per language
such as `{de: Berater, en: Consultant}`), else from the app's table of the codes common
plans use (`RANK_NAMES`, from the gettext catalogs), else by its code made readable. The
API (`graphql.periods.ranks`) and the e-mails to partners (`notifications`) name ranks so.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

DEFAULT_LANGUAGE = "en"

# Rank codes as the example plans and common German career plans use them. Plans with
# other codes name their ranks in the plan document or show the code.
RANK_NAMES = {
    "partner": pgettext_lazy("rank", "Partner"),
    "junior_consultant": pgettext_lazy("rank", "Junior consultant"),
    "consultant": pgettext_lazy("rank", "Consultant"),
    "senior_consultant": pgettext_lazy("rank", "Senior consultant"),
    "team_leader": pgettext_lazy("rank", "Team leader"),
    "manager": pgettext_lazy("rank", "Manager"),
    "senior_manager": pgettext_lazy("rank", "Senior manager"),
    "director": pgettext_lazy("rank", "Director"),
    "executive_director": pgettext_lazy("rank", "Executive director"),
    "president": pgettext_lazy("rank", "President"),
}


def rank_names(document: dict | None) -> dict[str, dict[str, str]]:
    """{code: {language: name}} from the plan document's ranks."""
    names = {}
    for rank in (document or {}).get("ranks") or []:
        if not isinstance(rank, dict) or not isinstance(rank.get("code"), str):
            continue
        name = rank.get("name")
        if isinstance(name, str) and name.strip():
            names[rank["code"]] = {"en": name, "de": name}
        elif isinstance(name, dict):
            names[rank["code"]] = {str(key).lower(): str(value) for key, value in name.items() if value}
    return names


def readable_name(code: str, language: str, own_names: Mapping[str, str] | None = None, known: Promise | None = None, default: str | None = None) -> str:
    """The name of `code` in `language`: from `own_names` (the data's own, per language), else
    `known` (a lazy translation from a table), else `default` (for names that are text
    already, such as a plan's), else the code made readable."""
    own = own_names or {}
    name = own.get(language) or own.get(DEFAULT_LANGUAGE)
    if name:
        return name
    if known is not None:
        with translation.override(language):
            return str(known)
    return default if default is not None else code.replace("_", " ").capitalize()


def rank_name(code: str, document: dict | None, language: str) -> str:
    return readable_name(code, language, rank_names(document).get(code), RANK_NAMES.get(code))
