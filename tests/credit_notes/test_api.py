"""Credit notes in the API: the merchant lists, filters, cancels, sets the series and VAT
rates and downloads one PDF or a period's ZIP through signed links; a partner lists and
downloads its own; a statement shows its credit note; the four permission cases of a
cancellation write nothing when denied."""

import io
import zipfile
from decimal import Decimal

import pytest
from graphql_relay import to_global_id

from saleor_mlm.credit_notes.models import CreditNote, CreditNoteSettings, VatRate
from saleor_mlm.graphql.core.permissions import MlmPermission
from saleor_mlm.network import TaxStatus
from saleor_mlm.network.models import Partner, TaxProfile
from tests.graphql.test_query_counts import count_queries

pytestmark = pytest.mark.django_db
OWNER = "VXNlcjo3Nw=="  # the storefront user of partner Rita


@pytest.fixture
def installation(gql_installation):
    """The periods' and network's fixtures work on the API's installation."""
    return gql_installation


@pytest.fixture
def committed(month, earner, settle, partner_factory, django_capture_on_commit_callbacks):
    october = month("2026-10")
    rita = earner("Rita", {october: "45.50"}, TaxStatus.REGULAR)
    Partner.objects.filter(pk=rita.pk).update(saleor_user_id=OWNER)
    partner_factory(rita, first_name="Rudi")  # a recruit without volume: earns nothing
    sam = earner("Sam", {october: "40.00"}, TaxStatus.SMALL_BUSINESS, language="en")
    paul = earner("Paul", {october: "26.00"}, TaxStatus.PRIVATE)
    with django_capture_on_commit_callbacks(execute=True):  # the rendering tasks (eager)
        settle(october)
    return {"period": october, "rita": rita, "sam": sam, "paul": paul}


@pytest.fixture
def merchant(dashboard):
    return dashboard(MlmPermission.MANAGE_ORDERS)


LIST = """
query List($filter: CreditNoteFilterInput) {
  creditNotes(first: 10, filter: $filter) {
    totalCount
    edges { node { number kind status taxStatus net vat gross currency supplierName partnerCode period { label } rendered
                   lines { kind description net } } }
  }
}
"""
CANCEL = """
mutation Cancel($id: ID!, $reason: String!) {
  creditNoteCancel(id: $id, reason: $reason) {
    errors { field code }
    cancellation { number kind net cancels { number status } }
    replacement { number kind net }
  }
}
"""
MINE = "{ myCreditNotes(first: 5) { edges { node { number kind downloadUrl partner { displayName } } } } }"
PERIOD = 'query { periodCreditNotes(period: "2026-10") { issued rendered zipUrl } }'


def numbers(result) -> list[str]:
    return [edge["node"]["number"] for edge in result.data["creditNotes"]["edges"]]


def test_the_merchant_lists_and_filters(gql, merchant, committed):
    everything = gql(LIST, as_=merchant).data["creditNotes"]
    small = gql(LIST, {"filter": {"taxStatus": ["SMALL_BUSINESS"]}}, as_=merchant)
    other_month = gql(LIST, {"filter": {"period": "2026-09"}}, as_=merchant)

    assert everything["totalCount"] == 3
    rita = next(edge["node"] for edge in everything["edges"] if edge["node"]["supplierName"] == "Rita Muster")
    assert rita == {
        "number": rita["number"],
        "kind": "CREDIT_NOTE",
        "status": "ISSUED",
        "taxStatus": "REGULAR",
        "net": "45.50",
        "vat": "8.65",
        "gross": "54.15",
        "currency": "EUR",
        "supplierName": "Rita Muster",
        "partnerCode": committed["rita"].referral_code,
        "period": {"label": "2026-10"},
        "rendered": True,
        "lines": [{"kind": "customer", "description": "Kundenbonus", "net": "45.50"}],
    }
    assert [edge["node"]["supplierName"] for edge in small.data["creditNotes"]["edges"]] == ["Sam Muster"]
    assert other_month.data["creditNotes"]["totalCount"] == 0


SEARCH = "query Search($search: String) { creditNotes(first: 10, search: $search) { totalCount edges { node { number supplierName } } } }"


def test_the_merchant_searches_by_number_or_partner(gql, merchant, committed):
    sams = CreditNote.objects.get(partner=committed["sam"])

    by_name = gql(SEARCH, {"search": "sam"}, as_=merchant).data["creditNotes"]
    by_code = gql(SEARCH, {"search": committed["paul"].referral_code.lower()}, as_=merchant).data["creditNotes"]
    by_number = gql(SEARCH, {"search": sams.number[-5:]}, as_=merchant).data["creditNotes"]
    nobody = gql(SEARCH, {"search": "Zacharias"}, as_=merchant).data["creditNotes"]

    assert [edge["node"]["supplierName"] for edge in by_name["edges"]] == ["Sam Muster"]
    assert [edge["node"]["supplierName"] for edge in by_code["edges"]] == ["Paul Muster"]
    assert [edge["node"]["number"] for edge in by_number["edges"]] == [sams.number]
    assert nobody["totalCount"] == 0


def test_cancel_with_a_reason_then_filter_by_status(gql, merchant, committed):
    note = CreditNote.objects.get(partner=committed["sam"])

    result = gql(CANCEL, {"id": to_global_id("CreditNote", note.pk), "reason": "Regelbesteuerung"}, as_=merchant).data["creditNoteCancel"]
    cancelled = gql(LIST, {"filter": {"status": "CANCELLED"}}, as_=merchant)

    assert result["errors"] == []
    assert result["cancellation"] == {"number": result["cancellation"]["number"], "kind": "CANCELLATION", "net": "-40.00", "cancels": {"number": note.number, "status": "CANCELLED"}}
    assert result["replacement"]["kind"] == "CREDIT_NOTE" and result["replacement"]["net"] == "40.00"
    assert numbers(cancelled) == [note.number]


@pytest.mark.parametrize("who, allowed", [("anonymous", False), ("storefront", False), ("dashboard_without", False), ("dashboard_with", True)])
def test_cancel_permissions(gql, four_requestors, committed, who, allowed):
    note = CreditNote.objects.get(partner=committed["paul"])

    result = gql(CANCEL, {"id": to_global_id("CreditNote", note.pk), "reason": "falsch"}, as_=four_requestors(MlmPermission.MANAGE_ORDERS)[who])

    assert CreditNote.objects.count() == (5 if allowed else 3)
    assert allowed or result.error_codes in (["PERMISSION_DENIED"], ["UNKNOWN_INSTALLATION"])


WIDE = """
query Wide($first: Int!) {
  creditNotes(first: $first) {
    edges { node { number status rendered downloadUrl period { label } partner { displayName } cancels { number } cancelledBy { number } } }
  }
}
"""


def test_the_queries_of_a_list_do_not_grow_with_the_page(gql, merchant, committed):
    sam = CreditNote.objects.get(partner=committed["sam"])
    gql(CANCEL, {"id": to_global_id("CreditNote", sam.pk), "reason": "Regelbesteuerung"}, as_=merchant)

    small = count_queries(gql, WIDE, {"first": 2}, merchant)  # the replacement and the cancellation
    large = count_queries(gql, WIDE, {"first": 5}, merchant)  # and the three first documents

    # installation; the page; cancellations (status, cancelledBy); stored files (rendered,
    # downloadUrl); periods; partners; the cancelled documents (cancels).
    assert small == large == 7


def test_a_partner_lists_and_downloads_its_own(gql, storefront, client, committed):
    rita = storefront(user_id=OWNER, email="rita@example.com")

    mine = gql(MINE, as_=rita).data["myCreditNotes"]["edges"]
    nobody = gql(MINE, as_=storefront()).data["myCreditNotes"]["edges"]
    response = client.get(mine[0]["node"]["downloadUrl"])
    forged = client.get(mine[0]["node"]["downloadUrl"][:-3] + "abc")

    assert [edge["node"]["number"] for edge in mine] == [CreditNote.objects.get(partner=committed["rita"]).number]
    assert mine[0]["node"]["partner"]["displayName"] == "Rita Muster"
    assert nobody == []
    assert (response.status_code, response["Content-Type"], response.content[:5]) == (200, "application/pdf", b"%PDF-")
    assert forged.status_code == 410


def test_the_merchant_downloads_a_zip_of_the_period(gql, merchant, client, committed):
    progress = gql(PERIOD, as_=merchant).data["periodCreditNotes"]

    archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get(progress["zipUrl"]).streaming_content)))

    assert (progress["issued"], progress["rendered"]) == (3, 3)
    assert sorted(archive.namelist()) == sorted(f"{n}.pdf" for n in CreditNote.objects.values_list("number", flat=True))
    assert all(archive.read(name).startswith(b"%PDF-") for name in archive.namelist())


def test_a_statement_shows_its_credit_note(gql, storefront, committed):
    query = '{ me { partner { statement(period: "2026-10") { paid creditNote { number gross } } } } }'

    statement = gql(query, as_=storefront(user_id=OWNER, email="rita@example.com")).data["me"]["partner"]["statement"]

    note = CreditNote.objects.get(partner=committed["rita"])
    assert statement["creditNote"] == {"number": note.number, "gross": "54.15"}


def test_settings_and_vat_rates(gql, merchant, gql_installation):
    update = gql(
        """mutation { creditNoteSettingsUpdate(input: {numberPrefix: "PV-", numberStart: 100, retentionYears: 10,
             issuerName: "Vita GmbH", issuerCountry: "DE", issuerVatId: "DE136695976"}) {
             errors { field code } settings { numberPrefix numberStart retentionYears issuerName issuerVatId } } }""",
        as_=merchant,
    ).data["creditNoteSettingsUpdate"]
    rate = gql('mutation { vatRateSet(country: "AT", rate: "20") { errors { field code } vatRate { country rate } } }', as_=merchant).data["vatRateSet"]
    bad = gql('mutation { vatRateSet(country: "AT", rate: "120") { errors { field code } } }', as_=merchant).data["vatRateSet"]
    short = gql('mutation { creditNoteSettingsUpdate(input: {retentionYears: 5}) { errors { field code } } }', as_=merchant).data["creditNoteSettingsUpdate"]

    assert update == {
        "errors": [],
        "settings": {"numberPrefix": "PV-", "numberStart": 100, "retentionYears": 10, "issuerName": "Vita GmbH", "issuerVatId": "DE136695976"},
    }
    assert rate == {"errors": [], "vatRate": {"country": "AT", "rate": "20.00"}}
    assert bad == {"errors": [{"field": "rate", "code": "INVALID"}]}
    assert short == {"errors": [{"field": "retentionYears", "code": "INVALID"}]}
    assert CreditNoteSettings.objects.get(installation=gql_installation).retention_years == 10
    assert list(VatRate.objects.values_list("country", "rate")) == [("AT", Decimal("20.00"))]


def test_a_link_to_a_document_not_rendered_yet_renders_it(month, earner, settle, client):
    from saleor_mlm.credit_notes.links import note_link
    from saleor_mlm.credit_notes.models import CreditNoteFile

    october = month("2026-10")
    earner("Rita", {october: "45.50"}, TaxStatus.REGULAR)
    settle(october)  # in the test's transaction the rendering tasks never run
    note = CreditNote.objects.get()

    response = client.get(note_link(note.pk))

    assert (response.status_code, response.content[:5]) == (200, b"%PDF-")
    assert CreditNoteFile.objects.get().credit_note_id == note.pk


def test_the_merchant_sees_why_a_partner_without_a_tax_profile_was_not_paid(gql, merchant, month, earner, settle):
    october = month("2026-10")
    otto = earner("Otto", {october: "27.00"})  # no tax profile
    settle(october)
    query = """query { statements(period: "2026-10", first: 5) { edges { node {
        partner { referralCode } paid carriedForward
        balance { reason reasonName de: reasonName(languageCode: DE) } } } } }"""

    rows = gql(query, as_=merchant).data["statements"]["edges"]

    assert [row["node"] for row in rows] == [
        {
            "partner": {"referralCode": otto.referral_code},
            "paid": "0.00",
            "carriedForward": "27.00",
            "balance": {"reason": "TAX_PROFILE", "reasonName": "Tax profile incomplete", "de": "Steuerprofil unvollständig"},
        }
    ]
    assert not CreditNote.objects.filter(partner=otto).exists()


def test_the_merchant_lists_whom_the_period_issued_no_document_for_and_what_they_lack(gql, merchant, month, earner, settle):
    october = month("2026-10")
    otto = earner("Otto", {october: "27.00"})  # no tax profile
    anna = earner("Anna", {october: "31.00"})
    TaxProfile.objects.create(  # an imported row, incomplete (the app's own form refuses it)
        installation_id=anna.installation_id, partner=anna, legal_name="Anna Muster", street="", postal_code="10115", city="Berlin",
        country="DE", tax_status=TaxStatus.REGULAR, valid_from=october.starts_on, changed_by="import",
    )
    paid = earner("Paula", {october: "40.00"}, TaxStatus.SMALL_BUSINESS)
    settle(october)
    query = """query { periodCreditNotes(period: "2026-10") { issued withheld {
        partner { referralCode displayName } carriedForward missingFields } } }"""

    answer = gql(query, as_=merchant).data["periodCreditNotes"]

    assert answer["issued"] == 1 and CreditNote.objects.get().partner_id == paid.pk
    assert answer["withheld"] == [
        {"partner": {"referralCode": anna.referral_code, "displayName": "Anna Muster"}, "carriedForward": "31.00", "missingFields": ["street", "tax_number"]},
        {"partner": {"referralCode": otto.referral_code, "displayName": "Otto Muster"}, "carriedForward": "27.00", "missingFields": ["tax_profile"]},
    ]


def test_the_list_of_withheld_partners_is_the_merchants(gql, storefront, month, earner, settle):
    october = month("2026-10")
    earner("Otto", {october: "27.00"})
    settle(october)

    result = gql('query { periodCreditNotes(period: "2026-10") { withheld { carriedForward } } }', as_=storefront(user_id=OWNER, email="rita@example.com"))

    assert result.data["periodCreditNotes"] is None
    assert result.errors
