"""A partner who should have a voucher code and has none is visible to the merchant: the
field on the partner, and a filter whose `totalCount` counts them (issue 12)."""

from graphql_relay import to_global_id

MISSING = """
query Missing($id: ID!) {
  partner(id: $id) { referralCode voucherCodeMissing }
  missing: partners(filter: {voucherCodeMissing: true}, first: 20) { totalCount edges { node { referralCode } } }
  issued: partners(filter: {voucherCodeMissing: false}) { totalCount edges { node { referralCode } } }
}
"""

ME = "{ me { partner { referralCode voucherCode voucherCodeMissing } } }"


def test_the_merchant_sees_who_misses_a_voucher_code(gql, dashboard, sample_network):
    anna, ben = sample_network["anna"], sample_network["ben"]  # anna has her code, the others not

    with_code = gql(MISSING, {"id": to_global_id("Partner", anna.pk)}, as_=dashboard("MANAGE_USERS"))
    without = gql(MISSING, {"id": to_global_id("Partner", ben.pk)}, as_=dashboard("MANAGE_USERS"))

    assert with_code.errors == [] and without.errors == []
    assert with_code.data["partner"] == {"referralCode": "ANNA1", "voucherCodeMissing": False}
    assert without.data["partner"] == {"referralCode": "BEN1", "voucherCodeMissing": True}
    assert with_code.data["missing"]["totalCount"] == 7
    assert "ANNA1" not in [edge["node"]["referralCode"] for edge in with_code.data["missing"]["edges"]]
    assert with_code.data["issued"] == {"totalCount": 1, "edges": [{"node": {"referralCode": "ANNA1"}}]}


def test_a_partner_does_not_see_it(gql, storefront, sample_network):
    from tests.fixtures.graphql import ANNA_USER

    result = gql(ME, as_=storefront(user_id=ANNA_USER, email="anna@example.com"))

    assert result.errors == []
    assert result.data["me"]["partner"] == {"referralCode": "ANNA1", "voucherCode": "ANNA1", "voucherCodeMissing": None}
