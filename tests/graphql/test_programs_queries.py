"""The merchant's programs: the `programs` connection and `program`, in the four cases;
a plan version names its program."""

import pytest
from graphql_relay import to_global_id

from saleor_mlm.ledger.models import VolumeSettings
from saleor_mlm.programs import ProductScope
from saleor_mlm.programs.fetch import default_program
from saleor_mlm.programs.models import Program

pytestmark = pytest.mark.django_db

PROGRAMS = """
{
  programs(first: 10) {
    totalCount
    edges {
      node {
        code name displayName de: displayName(languageCode: DE) isDefault
        volumeSource { products productTypeIds categoryIds collectionIds pvMetadataKey bvMetadataKey }
      }
    }
  }
}
"""


@pytest.fixture
def accountant(dashboard):
    return dashboard("MANAGE_ORDERS")


@pytest.fixture
def wellness(gql_installation):
    return Program.objects.create(
        installation=gql_installation,
        code="wellness",
        name="Wellness",
        products=ProductScope.LISTED,
        product_type_ids=["UHJvZHVjdFR5cGU6Nw=="],
        category_ids=["Q2F0ZWdvcnk6Mw=="],
        collection_ids=[],
    )


def test_programs_default_first(gql, accountant, gql_installation, wellness, installation_factory):
    VolumeSettings.objects.create(installation=gql_installation, pv_metadata_key="shop.pv")
    Program.objects.create(installation=installation_factory(), code="fremd", name="Fremd")

    result = gql(PROGRAMS, as_=accountant)

    assert result.errors == []
    assert result.data["programs"]["totalCount"] == 2
    assert [edge["node"] for edge in result.data["programs"]["edges"]] == [
        {
            "code": "main",
            "name": "Partner program",
            "displayName": "Partner program",
            "de": "Partnerprogramm",
            "isDefault": True,
            "volumeSource": {
                "products": "ALL",
                "productTypeIds": [],
                "categoryIds": [],
                "collectionIds": [],
                "pvMetadataKey": "shop.main.pv",
                "bvMetadataKey": "mlm.main.bv",
            },
        },
        {
            "code": "wellness",
            "name": "Wellness",
            "displayName": "Wellness",
            "de": "Wellness",
            "isDefault": False,
            "volumeSource": {
                "products": "LISTED",
                "productTypeIds": ["UHJvZHVjdFR5cGU6Nw=="],
                "categoryIds": ["Q2F0ZWdvcnk6Mw=="],
                "collectionIds": [],
                "pvMetadataKey": "shop.wellness.pv",
                "bvMetadataKey": "mlm.wellness.bv",
            },
        },
    ]


def test_a_program_by_id_or_code_of_this_shop_only(gql, accountant, gql_installation, wellness, installation_factory):
    foreign = Program.objects.create(installation=installation_factory(), code="fremd", name="Fremd")
    query = """
    query($id: ID!, $foreign: ID!) {
      byId: program(id: $id) { code }
      byCode: program(code: "main") { code isDefault }
      foreign: program(id: $foreign) { code }
      foreignCode: program(code: "fremd") { code }
      none: program { code }
    }
    """

    result = gql(query, {"id": to_global_id("Program", wellness.pk), "foreign": to_global_id("Program", foreign.pk)}, as_=accountant)

    assert result.errors == []
    assert result.data == {
        "byId": {"code": "wellness"},
        "byCode": {"code": "main", "isDefault": True},
        "foreign": None,
        "foreignCode": None,
        "none": None,
    }


def test_a_plan_version_names_its_program(gql, accountant, gql_installation, plan_version_factory):
    plan_version_factory(installation=gql_installation)

    result = gql("{ planVersions(first: 1) { edges { node { program { code isDefault } } } } }", as_=accountant)

    assert result.errors == []
    assert result.data["planVersions"]["edges"] == [{"node": {"program": {"code": "main", "isDefault": True}}}]
    assert default_program(gql_installation.pk).plan_versions.count() == 1


ROOT_QUERIES = {
    "programs": ("{ programs { totalCount } }", {}),
    "program": ('{ program(code: "main") { code } }', {}),
}


@pytest.mark.parametrize("query", ROOT_QUERIES)
@pytest.mark.parametrize("who", ["anonymous", "storefront", "dashboard_without", "dashboard_with"])
def test_program_queries_in_four_cases(gql, four_requestors, gql_installation, query, who):
    document, variables = ROOT_QUERIES[query]

    result = gql(document, variables, as_=four_requestors("MANAGE_ORDERS")[who])

    if who == "dashboard_with":
        assert result.errors == []
        assert result.data[query] is not None
    else:
        assert result.data == {query: None} or result.data is None
        assert result.error_codes == ["PERMISSION_DENIED"]
        # Nothing was written for a denied request: not even the default program.
        assert not Program.objects.filter(installation=gql_installation).exists()
