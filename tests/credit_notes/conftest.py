"""A month of earnings for partners of every tax status, closed, approved and committed."""

from decimal import Decimal

import pytest

from saleor_mlm.credit_notes.settings_actions import update_settings
from saleor_mlm.network import TaxStatus
from saleor_mlm.network.actions.tax_profiles import ProfileInput, set_tax_profile
from saleor_mlm.periods.actions import approve_period, commit_period
from tests.fixtures.periods import APPROVER

FINANCE = "finance@example.com"
ADDRESSES = {
    "DE": dict(street="Hauptstr. 1", postal_code="10115", city="Berlin", country="DE"),
    "AT": dict(street="Ring 2", postal_code="1010", city="Wien", country="AT"),
    "CH": dict(street="Bahnhofstrasse 3", postal_code="8001", city="Zürich", country="CH"),
}
# The merchant as the recipient every document names (docs/credit-notes.md, "Settings").
ISSUER = {
    "issuer_name": "Vitalwerk GmbH",
    "issuer_street": "Hafenstraße 12",
    "issuer_postal_code": "20457",
    "issuer_city": "Hamburg",
    "issuer_country": "DE",
    "issuer_tax_number": "21/815/08150",
    "issuer_vat_id": "DE136695976",
    "issuer_email": "buchhaltung@vitalwerk.example",
}
# tax status, country, tax number, VAT id
PROFILES = {
    TaxStatus.REGULAR: ("DE", "21/815/08150", "DE136695976"),
    TaxStatus.SMALL_BUSINESS: ("DE", "2181508150", ""),
    TaxStatus.REVERSE_CHARGE: ("AT", "", "ATU13585627"),
    TaxStatus.NON_EU: ("CH", "", "CHE-116.281.710 MWST"),
    TaxStatus.PRIVATE: ("DE", "", ""),
}


@pytest.fixture
def issuer(installation):
    """The shop's credit note settings with its name, address and ids."""
    return update_settings(installation.pk, **ISSUER)


@pytest.fixture
def earner(active_plan, partner_factory, customer_factory, volume, issuer):
    """`earner(name, {period: amount}, tax_status=None, language="de")`: a partner whose
    customer's orders give it that customer bonus (5 % of BV) in each period; with a tax
    profile of `tax_status` (none when None). The shop's issuer details are set."""

    def create(name, amounts, tax_status=None, language="de"):
        partner = partner_factory(first_name=name, last_name="Muster", email=f"{name.lower()}@example.com", language=language)
        customer = customer_factory(partner)
        for period, amount in amounts.items():
            volume(partner, period, 60, 0)  # qualifies, earns nothing on it
            volume(customer, period, Decimal(amount) * 20)
        if tax_status is not None:
            country, tax_number, vat_id = PROFILES[tax_status]
            set_tax_profile(
                partner,
                ProfileInput(legal_name=f"{name} Muster", tax_status=tax_status, tax_number=tax_number, vat_id=vat_id, **ADDRESSES[country]),
                changed_by=FINANCE,
                by_partner=False,
                valid_from=period.starts_on,
            )
        return partner

    return create


@pytest.fixture
def settle(installation, close_and_run):
    """`settle(period)`: close, run, approve and commit it (which issues its credit notes)."""

    def run(period):
        close_and_run(period)
        approve_period(installation, period, APPROVER)
        return commit_period(installation, period, FINANCE)

    return run


@pytest.fixture(autouse=True)
def _credit_note_storage(settings, tmp_path):
    """Each test stores its PDFs in a directory of its own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "credit_notes": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "credit-notes")}},
    }
