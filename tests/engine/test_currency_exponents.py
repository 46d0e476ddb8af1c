"""Currency minor units from one maintained source (docs/engine.md "Currency minor units").

Babel's currency precision is what Saleor quantizes its prices with
(`saleor/core/prices.py::quantize_price`); the engine and the app's webhook amounts must use
the same unit for every code.
"""

from decimal import Decimal

import pytest
from babel.numbers import get_currency_precision, list_currencies

from saleor_mlm.core.currency import currency_digits, quantum, to_decimal
from saleor_mlm.engine import simulate
from saleor_mlm.engine.money import minor_digits

# Codes whose minor unit the hand-kept table had wrong (2 or 3 places where Babel has 0).
DIFFERED = ["ADP", "AFN", "ALL", "BYR", "COP", "ESP", "HUF", "IDR", "IQD", "IRR", "ITL", "KPW", "LAK", "LBP",
            "LUF", "MGA", "MGF", "MMK", "MRO", "SLL", "SOS", "STD", "SYP", "TMM", "TRL", "YER", "ZMK", "ZWD"]  # fmt: skip


def test_every_code_babel_knows_has_babels_minor_unit_in_engine_and_app():
    codes = sorted(list_currencies())
    assert len(codes) > 250
    babel = {code: get_currency_precision(code) for code in codes}
    assert {code: minor_digits(code) for code in codes} == babel
    assert {code: currency_digits(code) for code in codes} == babel
    assert {code: -quantum(code).as_tuple().exponent for code in codes} == babel


def test_the_codes_that_differed_from_the_old_table_now_have_no_minor_unit():
    assert {code: minor_digits(code) for code in DIFFERED} == dict.fromkeys(DIFFERED, 0)
    assert (minor_digits("EUR"), minor_digits("JPY"), minor_digits("KWD"), minor_digits("CLF")) == (2, 0, 3, 4)


@pytest.mark.parametrize("code", ["", "eur", "EURO", "E1R"])
def test_a_malformed_code_is_refused_by_the_engine_and_counts_two_places_in_the_app(code):
    with pytest.raises(ValueError):
        minor_digits(code)
    assert currency_digits(code) == 2  # "eur" is upper-cased: EUR


def test_amounts_saleor_sends_in_forints_keep_saleors_unit():
    # Saleor quantizes HUF to whole forints (Babel: 0 places): 12345.0 arrives, 12345 it is.
    assert to_decimal(12345.0, "HUF") == Decimal("12345")
    assert str(to_decimal(12345.0, "HUF")) == "12345"
    assert str(to_decimal(1.5, "IQD")) == "2"


def test_a_plan_in_forints_pays_whole_forints():
    plan = {"currency": "HUF", "bonuses": {"customer_rate": "0.05"}, "ranks": [{"code": "r"}]}
    partners = [
        {"id": "A", "kind": "partner", "sponsor_id": "", "care_id": "", "care_share": "", "status": "active", "career_rank": ""},
        {"id": "c", "kind": "customer", "sponsor_id": "A", "care_id": "", "care_share": "", "status": "", "career_rank": ""},
    ]  # fmt: skip
    result = simulate(plan, partners, [{"node_id": "c", "pv": "0", "bv": "1250"}])
    assert result["currency"] == "HUF"
    assert result["partners"]["A"]["bonuses"]["customer"] == "63"  # 62.5 half up, no fillér
    assert result["totals"]["total"] == "63"
