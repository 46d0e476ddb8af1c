"""The documents the office's checkouts send Saleor are valid in Saleor 3.20 (the oldest
supported) and 3.24 (the newest captured), so that a real Saleor answers them as the stand-in does."""

import pytest
from graphql import parse, validate

from saleor_mlm.checkouts import shop
from tests.fixtures.saleor import load_saleor_schema

DOCUMENTS = {name: getattr(shop, name) for name in ("PRODUCTS", "COUNTRIES", "CHECKOUT_CREATE", "CHECKOUT_METADATA", "CHECKOUT_PROMO_CODE")}


@pytest.mark.parametrize("version", ["3.20", "3.24"])
@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_the_document_is_valid_in_saleors_schema(version, name):
    assert validate(load_saleor_schema(version), parse(DOCUMENTS[name])) == []
