"""The storefront's view: `me`, the downline, customers, care relations; and what a
partner must never see (another line, its upline's private data)."""

from graphql_relay import to_global_id

from saleor_mlm.network import TaxStatus
from tests.fixtures.graphql import ANNA_USER, BERT_USER, FRANK_USER, KUNDE_USER

ME_PROFILE = """
query {
  me {
    partner {
      id referralCode displayName email status statusName taxStatus vatId payoutCurrency
      voucherCode referralLink saleorUserId
      sponsor { displayName referralCode email status sponsor { displayName } frontline { totalCount } }
      care { carePartner { displayName } }
    }
    customer { email }
  }
}
"""

ME_DOWNLINE = """
query Downline($depth: Int, $first: Int, $after: String, $search: String, $status: [PartnerStatusEnum!]) {
  me {
    partner {
      downline(depth: $depth, first: $first, after: $after, search: $search, status: $status) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { level node { displayName email taxStatus sponsor { displayName email } } }
      }
    }
  }
}
"""

ME_CUSTOMERS = """
query {
  me {
    partner {
      customers { totalCount edges { node { displayName email attributionSource } } }
      frontline { totalCount edges { node { displayName customers { totalCount edges { node { displayName email } } } } } }
    }
  }
}
"""

ME_CARE = """
query Care($role: CareRelationRole!) {
  me {
    partner {
      careRelations(role: $role) {
        totalCount
        edges {
          node {
            share effectiveShare shareSource inForce setBy reason
            partner { displayName email sponsor { displayName email } }
            customer { displayName email }
            carePartner { displayName email }
          }
        }
      }
      splitAgreement { share }
    }
  }
}
"""


def test_me_shows_own_private_data_and_only_the_public_profile_of_the_upline(gql, storefront, sample_network, settings):
    settings.STOREFRONT_URL = "https://shop.example.com/?utm_source=mlm"

    result = gql(ME_PROFILE, as_=storefront(ANNA_USER, "anna@example.com"), headers={"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9"})

    assert result.body == {
        "data": {
            "me": {
                "partner": {
                    "id": to_global_id("Partner", sample_network["anna"].pk),
                    "referralCode": "ANNA1",
                    "displayName": "Anna Muster",
                    "email": "anna@example.com",
                    "status": "ACTIVE",
                    "statusName": "Aktiv",
                    "taxStatus": "REGULAR",
                    "vatId": "DE136695976",
                    "payoutCurrency": "EUR",
                    "voucherCode": "ANNA1",
                    "referralLink": "https://shop.example.com/?utm_source=mlm&ref=ANNA1",
                    "saleorUserId": None,
                    "sponsor": {
                        "displayName": "Root Muster",
                        "referralCode": "ROOT1",
                        "email": None,
                        "status": None,
                        "sponsor": None,
                        "frontline": None,
                    },
                    "care": None,
                },
                "customer": None,
            }
        }
    }


def test_referral_link_is_null_without_a_storefront_url(gql, storefront, sample_network, settings):
    settings.STOREFRONT_URL = ""

    result = gql("{ me { partner { referralLink } } }", as_=storefront(ANNA_USER))

    assert result.data == {"me": {"partner": {"referralLink": None}}}


def test_downline_covers_sponsor_and_care_lines_by_level(gql, storefront, sample_network):
    result = gql(ME_DOWNLINE, as_=storefront(ANNA_USER))

    downline = result.data["me"]["partner"]["downline"]
    assert downline["totalCount"] == 4
    assert downline["pageInfo"]["hasNextPage"] is False
    assert [(edge["level"], edge["node"]["displayName"]) for edge in downline["edges"]] == [
        (1, "Ben Muster"),
        (1, "Dora Muster"),
        (2, "Carl Muster"),
        (2, "Emil Muster"),
    ]
    ben, dora, carl, emil = (edge["node"] for edge in downline["edges"])
    # Downline access: contact data yes, tax data no.
    assert ben == {"displayName": "Ben Muster", "email": "ben@example.com", "taxStatus": None, "sponsor": {"displayName": "Anna Muster", "email": "anna@example.com"}}
    # Dora is looked after by Anna; her sponsor Bert is in another line: public profile only.
    assert dora["sponsor"] == {"displayName": "Bert Muster", "email": None}
    assert emil["sponsor"] == {"displayName": "Dora Muster", "email": "dora@example.com"}
    assert carl["sponsor"] == {"displayName": "Ben Muster", "email": "ben@example.com"}


def test_downline_depth_search_status_and_paging(gql, storefront, sample_network):
    anna = storefront(ANNA_USER)

    level_one = gql(ME_DOWNLINE, {"depth": 1}, as_=anna).data["me"]["partner"]["downline"]
    searched = gql(ME_DOWNLINE, {"search": "emil"}, as_=anna).data["me"]["partner"]["downline"]
    first_page = gql(ME_DOWNLINE, {"first": 3}, as_=anna).data["me"]["partner"]["downline"]
    second_page = gql(ME_DOWNLINE, {"first": 3, "after": first_page["pageInfo"]["endCursor"]}, as_=anna).data["me"]["partner"]["downline"]
    none_inactive = gql(ME_DOWNLINE, {"status": ["INACTIVE"]}, as_=anna).data["me"]["partner"]["downline"]

    assert [e["node"]["displayName"] for e in level_one["edges"]] == ["Ben Muster", "Dora Muster"]
    assert level_one["totalCount"] == 2
    assert [e["node"]["displayName"] for e in searched["edges"]] == ["Emil Muster"]
    assert [e["node"]["displayName"] for e in first_page["edges"]] == ["Ben Muster", "Dora Muster", "Carl Muster"]
    assert first_page["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["displayName"] for e in second_page["edges"]] == ["Emil Muster"]
    assert second_page["pageInfo"] == {"hasNextPage": False, "endCursor": second_page["pageInfo"]["endCursor"]}
    assert none_inactive == {"totalCount": 0, "pageInfo": {"hasNextPage": False, "endCursor": None}, "edges": []}


def test_own_customers_show_contact_data_downline_customers_names_only(gql, storefront, sample_network, customer_factory):
    customer_factory(sample_network["ben"], first_name="Bens", last_name="Kundin", email="bens-kundin@example.com")

    result = gql(ME_CUSTOMERS, as_=storefront(ANNA_USER))

    assert result.data == {
        "me": {
            "partner": {
                "customers": {
                    "totalCount": 1,
                    "edges": [{"node": {"displayName": "Kunde Eins", "email": "kunde@example.com", "attributionSource": "NONE"}}],
                },
                "frontline": {
                    "totalCount": 1,
                    "edges": [
                        {
                            "node": {
                                "displayName": "Ben Muster",
                                "customers": {"totalCount": 1, "edges": [{"node": {"displayName": "Bens Kundin", "email": None}}]},
                            }
                        }
                    ],
                },
            }
        }
    }


def test_care_relations_as_betreuer(gql, storefront, sample_network):
    result = gql(ME_CARE, {"role": "AS_BETREUER"}, as_=storefront(ANNA_USER))

    relations = result.data["me"]["partner"]["careRelations"]
    assert relations["totalCount"] == 2
    by_node = {(edge["node"]["partner"] or edge["node"]["customer"])["displayName"]: edge["node"] for edge in relations["edges"]}
    assert by_node["Dora Muster"] == {
        "share": "0.3000",
        "effectiveShare": "0.3000",
        "shareSource": "ASSIGNMENT",
        "inForce": True,
        "setBy": None,
        "reason": None,
        "partner": {"displayName": "Dora Muster", "email": "dora@example.com", "sponsor": {"displayName": "Bert Muster", "email": None}},
        "customer": None,
        "carePartner": {"displayName": "Anna Muster", "email": "anna@example.com"},
    }
    # Gast is Bert's customer; Anna looks after her: the share comes from Bert's split agreement.
    assert by_node["Gast Zwei"] == {
        "share": None,
        "effectiveShare": "0.2500",
        "shareSource": "SPLIT_AGREEMENT",
        "inForce": True,
        "setBy": None,
        "reason": None,
        "partner": None,
        "customer": {"displayName": "Gast Zwei", "email": "gast@example.com"},
        "carePartner": {"displayName": "Anna Muster", "email": "anna@example.com"},
    }
    assert result.data["me"]["partner"]["splitAgreement"] is None


def test_care_relations_as_recruiter(gql, storefront, sample_network):
    """Bert recruited Dora and Gast; Anna (another line) looks after them: Bert sees
    Anna's public profile only, and his own split agreement."""
    result = gql(ME_CARE, {"role": "AS_RECRUITER"}, as_=storefront(BERT_USER))

    relations = result.data["me"]["partner"]["careRelations"]
    assert relations["totalCount"] == 2
    assert {edge["node"]["carePartner"]["displayName"] for edge in relations["edges"]} == {"Anna Muster"}
    assert {edge["node"]["carePartner"]["email"] for edge in relations["edges"]} == {None}
    assert result.data["me"]["partner"]["splitAgreement"] == {"share": "0.2500"}


def test_a_partner_never_sees_another_line(gql, storefront, sample_network):
    """Frank (under Bert) sees nothing of Anna's line, and cannot walk up and across."""
    frank = storefront(FRANK_USER)
    query = """
    query {
      me { partner {
        downline { totalCount }
        sponsor { displayName frontline { totalCount } downline { totalCount } customers { totalCount } sponsor { displayName } care { inForce } }
      } }
    }
    """

    result = gql(query, as_=frank)

    assert result.data == {
        "me": {
            "partner": {
                "downline": {"totalCount": 0},
                "sponsor": {"displayName": "Bert Muster", "frontline": None, "downline": None, "customers": None, "sponsor": None, "care": None},
            }
        }
    }


def test_merchant_root_fields_are_closed_to_partners(gql, storefront, sample_network):
    anna_id = to_global_id("Partner", sample_network["anna"].pk)
    query = "query($id: ID!) { partner(id: $id) { email } partners { totalCount } genealogy(partnerId: $id) { totalCount } }"

    result = gql(query, {"id": anna_id}, as_=storefront(FRANK_USER))

    assert result.data == {"partner": None, "partners": None, "genealogy": None}
    assert result.error_codes == ["PERMISSION_DENIED"] * 3


def test_me_as_a_customer(gql, storefront, sample_network):
    query = "{ me { partner { id } customer { displayName email sponsor { displayName email frontline { totalCount } } } } }"

    result = gql(query, as_=storefront(KUNDE_USER, "kunde@example.com"))

    assert result.data == {
        "me": {
            "partner": None,
            "customer": {
                "displayName": "Kunde Eins",
                "email": "kunde@example.com",
                "sponsor": {"displayName": "Anna Muster", "email": None, "frontline": None},
            },
        }
    }


def test_me_for_a_user_who_is_not_in_the_network(gql, storefront, sample_network):
    result = gql("{ me { partner { id } customer { id } } }", as_=storefront("VXNlcjo5OTk="))

    assert result.data == {"me": {"partner": None, "customer": None}}


def test_status_names_follow_the_language(gql, storefront, sample_network):
    query = '{ me { partner { statusName en: statusName(languageCode: EN) de: statusName(languageCode: DE) fr: statusName(languageCode: FR) } } }'
    names = {"en": "Active", "de": "Aktiv", "fr": "Actif"}

    english = gql(query, as_=storefront(ANNA_USER), headers={"HTTP_ACCEPT_LANGUAGE": "it-IT, en;q=0.8"})
    german = gql(query, as_=storefront(ANNA_USER), headers={"HTTP_ACCEPT_LANGUAGE": "de"})
    french = gql(query, as_=storefront(ANNA_USER), headers={"HTTP_ACCEPT_LANGUAGE": "fr-FR, en;q=0.8"})

    assert english.data == {"me": {"partner": {"statusName": "Active", **names}}}
    assert german.data == {"me": {"partner": {"statusName": "Aktiv", **names}}}
    assert french.data == {"me": {"partner": {"statusName": "Actif", **names}}}


def test_tax_status_values(gql, storefront, sample_network):
    sample_network["anna"].tax_status = TaxStatus.SMALL_BUSINESS
    sample_network["anna"].save()

    result = gql("{ me { partner { taxStatus } } }", as_=storefront(ANNA_USER))

    assert result.data == {"me": {"partner": {"taxStatus": "SMALL_BUSINESS"}}}
