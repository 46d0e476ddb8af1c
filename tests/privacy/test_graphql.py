"""Mutation.personErase and Mutation.personExport: merchant only (MANAGE_USERS), the four
permission cases, nothing erased when access is denied."""

import json

import pytest
from graphql_relay import to_global_id

from saleor_mlm.network.models import Customer, Partner
from saleor_mlm.privacy.models import Erasure

pytestmark = pytest.mark.django_db

ERASE = """
mutation Erase($partnerId: ID, $customerId: ID, $reason: String) {
  personErase(partnerId: $partnerId, customerId: $customerId, reason: $reason) { errors { field code } erasedAt changed }
}
"""
EXPORT = """
mutation Export($partnerId: ID, $customerId: ID) {
  personExport(partnerId: $partnerId, customerId: $customerId) { errors { field code } document }
}
"""


@pytest.fixture
def people(gql_installation, partner_factory, customer_factory):
    anna = partner_factory(installation=gql_installation, email="anna@example.com", first_name="Anna", last_name="Berg")
    gone = partner_factory(anna, email="gone@example.com", first_name="Gerda", last_name="Gone", status="terminated")
    kunde = customer_factory(anna, email="kunde@example.com", first_name="Kai", last_name="Kunde")
    return {"anna": anna, "gone": gone, "kunde": kunde}


def test_person_erase_four_cases(gql, four_requestors, people):
    variables = {"customerId": to_global_id("Customer", people["kunde"].pk), "reason": "ticket 42"}
    results = {name: gql(ERASE, variables, as_=as_) for name, as_ in four_requestors("MANAGE_USERS").items()}

    for name in ("anonymous", "storefront", "dashboard_without"):
        assert results[name].error_codes == ["PERMISSION_DENIED"], name
    result = results["dashboard_with"].data["personErase"]
    assert result["errors"] == [] and result["erasedAt"]
    assert json.loads(result["changed"])["network.Customer"] == 1
    kunde = Customer.objects.get(pk=people["kunde"].pk)
    assert (kunde.email, kunde.first_name) == (f"erased-customer-{kunde.pk}@erased.invalid", "")
    assert Erasure.objects.count() == 1


def test_person_erase_refusals(gql, dashboard, people):
    as_ = dashboard("MANAGE_USERS")

    active = gql(ERASE, {"partnerId": to_global_id("Partner", people["anna"].pk)}, as_=as_).data["personErase"]
    both = gql(ERASE, {"partnerId": to_global_id("Partner", people["anna"].pk), "customerId": to_global_id("Customer", 1)}, as_=as_)
    unknown = gql(ERASE, {"partnerId": to_global_id("Partner", 999999)}, as_=as_).data["personErase"]

    assert active["errors"] == [{"field": "partnerId", "code": "PARTNER_NOT_TERMINATED"}]
    assert both.data["personErase"]["errors"] == [{"field": "partnerId", "code": "INVALID"}]
    assert unknown["errors"] == [{"field": "partnerId", "code": "NOT_FOUND"}]
    assert Partner.objects.get(pk=people["anna"].pk).email == "anna@example.com" and not Erasure.objects.exists()

    gone = {"partnerId": to_global_id("Partner", people["gone"].pk)}
    assert gql(ERASE, gone, as_=as_).data["personErase"]["errors"] == []
    assert gql(ERASE, gone, as_=as_).data["personErase"]["errors"] == [{"field": "partnerId", "code": "ALREADY_ERASED"}]


def test_person_export_four_cases(gql, four_requestors, people):
    variables = {"partnerId": to_global_id("Partner", people["anna"].pk)}
    results = {name: gql(EXPORT, variables, as_=as_) for name, as_ in four_requestors("MANAGE_USERS").items()}

    for name in ("anonymous", "storefront", "dashboard_without"):
        assert results[name].error_codes == ["PERMISSION_DENIED"], name
    document = json.loads(results["dashboard_with"].data["personExport"]["document"])
    assert (document["kind"], document["record"]["email"], document["record"]["first_name"]) == ("partner", "anna@example.com", "Anna")
    assert "kunde@example.com" not in results["dashboard_with"].data["personExport"]["document"]
