"""The example operations in graphql/examples/ run against a seeded database."""

import json
import re
from pathlib import Path

import pytest

from tests.fixtures.graphql import ANNA_USER, STOREFRONT_USER_ID

EXAMPLES = Path(__file__).resolve().parents[2] / "graphql" / "examples"


def header(text: str, name: str) -> str:
    match = re.search(rf"^# {name}: (.*)$", text, re.MULTILINE)
    assert match, f"the example has no '# {name}:' line"
    return match.group(1).strip()


def checks(data: dict) -> dict:
    """What each example must answer on `sample_network` (besides having no errors)."""
    return {
        "me_downline.graphql": lambda: (
            data["me"]["partner"]["referralCode"] == "ANNA1"
            and data["me"]["partner"]["downline"]["totalCount"] == 4
            and [e["level"] for e in data["me"]["partner"]["downline"]["edges"]] == [1, 1, 2, 2]
        ),
        "me_customers_and_care.graphql": lambda: (
            data["me"]["partner"]["customers"]["totalCount"] == 1
            and len(data["me"]["partner"]["careRelations"]["edges"]) == 2
        ),
        "referral_code_validate.graphql": lambda: data["referralCodeValidate"] == {"valid": True, "sponsorName": "Anna Muster", "errors": []},
        "me_next_rank_and_volumes.graphql": lambda: (
            data["me"]["partner"]["paidAsRank"] == {"code": "consultant", "name": "Consultant"}
            and data["me"]["partner"]["volumes"]["live"] is True
            and data["me"]["partner"]["volumes"]["gv"] == "2780.00"
            and data["me"]["partner"]["nextRank"]["nextRank"]["code"] == "manager"
            and [r["met"] for r in data["me"]["partner"]["nextRank"]["requirements"]] == [True, True, False, True, False]
            and len(data["me"]["partner"]["frontline"]["edges"]) == 1
        ),
        "me_statements.graphql": lambda: (
            data["me"]["partner"]["statements"]["totalCount"] == 1
            and data["me"]["partner"]["statements"]["edges"][0]["node"]["runKind"] == "CLOSE"
            and len(data["me"]["partner"]["statements"]["edges"][0]["node"]["statement"]["bonuses"]) > 0
            and data["me"]["partner"]["statements"]["edges"][0]["node"]["statement"]["lines"]["totalCount"]
            == sum(b["lineCount"] for b in data["me"]["partner"]["statements"]["edges"][0]["node"]["statement"]["bonuses"])
        ),
        "my_payout_profile_update.graphql": lambda: data["myPayoutProfileUpdate"]
        == {
            "payoutProfile": {
                "method": "SEPA",
                "accountHolder": "Anna Muster",
                "ibanMasked": "DE89 **** **** **** **30 00",
                "bic": "COBADEFFXXX",
                "bankChangePending": False,
            },
            "errors": [],
        },
        "me_orders_and_customer_volumes.graphql": lambda: (
            data["myCreditedOrders"] == {"totalCount": 0, "edges": []}
            and data["me"]["partner"]["newPartners"] == 0
            and [e["node"]["displayName"] for e in data["me"]["partner"]["customers"]["edges"]] == ["Kunde Eins"]
            and data["me"]["partner"]["customers"]["edges"][0]["node"]["volume"]["pv"] == "100.0000"
        ),
        "my_payouts.graphql": lambda: data == {"myPayoutProfile": None, "myPayouts": {"edges": []}},
        "partner_enroll.graphql": lambda: (
            data["partnerEnroll"]["errors"] == [] and data["partnerEnroll"]["partner"]["sponsor"] == {"displayName": "Anna Muster"}
        ),
    }


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.graphql")), ids=lambda path: path.name)
def test_example_runs(path, gql, storefront, anonymous, period_network, settings):
    settings.STOREFRONT_URL = "https://shop.example.com/"
    text = path.read_text()
    requestors = {
        "partner": lambda: storefront(ANNA_USER, "anna@example.com"),
        "customer": lambda: storefront(STOREFRONT_USER_ID, "kim@example.com"),
        "anonymous": anonymous,
    }

    result = gql(text, json.loads(header(text, "variables")), as_=requestors[header(text, "as")]())

    assert result.status == 200 and result.errors == [], result.errors
    assert checks(result.data)[path.name](), result.data


def test_every_example_has_a_check():
    assert {path.name for path in EXAMPLES.glob("*.graphql")} == set(checks({}))
