"""The bonus kinds' names: one table in the catalogs, used by the API and the credit notes."""

import pytest

from saleor_mlm.credit_notes.texts import line_description
from saleor_mlm.engine import BONUS_KINDS
from saleor_mlm.periods.texts import BONUS_NAMES, bonus_name

NAMES = {
    "customer": ("Kundenbonus", "Customer bonus"),
    "level": ("Ebenenbonus", "Level bonus"),
    "difference": ("Differenzbonus", "Difference bonus"),
    "generation": ("Generationsbonus", "Generation bonus"),
    "advancement": ("Rangaufstiegsbonus", "Rank advancement bonus"),
}


def test_every_bonus_kind_has_a_name_in_german_and_english():
    assert sorted(BONUS_NAMES) == sorted(BONUS_KINDS)
    assert {kind: (bonus_name(kind, "de"), bonus_name(kind, "en")) for kind in BONUS_KINDS} == NAMES


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_credit_note_line_names_the_bonus_as_the_api_does(language):
    assert [line_description(kind, language) for kind in BONUS_KINDS] == [bonus_name(kind, language) for kind in BONUS_KINDS]
