"""A shop that issued credit notes is not deleted by the app (privacy.installation_delete):
the notes are kept for their legal retention; and a partner's erasure leaves them as issued."""

import pytest

from saleor_mlm.core.errors import DomainError
from saleor_mlm.credit_notes.models import CreditNote
from saleor_mlm.network import PartnerStatus, TaxStatus
from saleor_mlm.network.models import Partner
from saleor_mlm.privacy.erasure import erase_partner
from saleor_mlm.privacy.installation_delete import delete_installation

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(month, earner, settle):
    period = month("2026-10")
    rita = earner("Rita", {period: "45.50"}, TaxStatus.REGULAR)
    settle(period)
    return rita


def test_a_shop_with_credit_notes_is_not_deleted(installation, issued):
    with pytest.raises(DomainError) as refused:
        delete_installation(installation, confirmation=installation.saleor_api_url)

    assert refused.value.code == "CREDIT_NOTES_KEPT"
    assert CreditNote.objects.filter(installation=installation).count() == 1


def test_erasure_keeps_the_issued_credit_note(issued):
    note = CreditNote.objects.get(partner=issued)
    before = {field.attname: getattr(note, field.attname) for field in CreditNote._meta.concrete_fields}
    Partner.objects.filter(pk=issued.pk).update(status=PartnerStatus.TERMINATED)

    erase_partner(Partner.objects.get(pk=issued.pk), erased_by="dpo@example.com")

    note.refresh_from_db()
    assert {field.attname: getattr(note, field.attname) for field in CreditNote._meta.concrete_fields} == before
    assert Partner.objects.get(pk=issued.pk).email.startswith("erased-partner-")
