"""The demo has a committed month with a credit note for every paid partner, a mix of
every tax status, one correction (a cancellation and its new credit note) and one payout the
bank returned (its credit note cancelled without a new one, payout_runs.demo)."""

import pytest
from django.db.models import Sum

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.calendar.models import Period
from saleor_mlm.credit_notes.documents import document_of
from saleor_mlm.credit_notes.facturx import build_xml
from saleor_mlm.credit_notes.models import CreditNote, CreditNoteSettings
from saleor_mlm.demo import load_demo_data
from saleor_mlm.network import TaxStatus
from saleor_mlm.network.models import TaxProfile
from saleor_mlm.payout_runs import ItemStatus
from saleor_mlm.payout_runs.models import PayoutItem
from saleor_mlm.payouts.models import PartnerBalance
from tests.credit_notes.validation import schematron_errors

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_the_demo_commits_a_month_with_credit_notes(installation_factory):
    shop = installation_factory(is_demo=True)

    load_demo_data(shop, None, partners=300, customers=600)

    committed = Period.objects.get(installation=shop, status=PeriodStatus.COMMITTED)
    paid = set(PartnerBalance.objects.filter(period=committed, paid__gt=0).values_list("partner_id", flat=True))
    notes = CreditNote.objects.filter(period=committed)
    cancellations = notes.filter(kind="CANCELLATION")
    returned = PayoutItem.objects.filter(credit_note__period=committed, status__in=ItemStatus.BACK_ON_BALANCE)
    assert returned.count() == 1 and cancellations.count() == 2
    # The correction is the cancellation that is not the returned payout's.
    cancellation = cancellations.exclude(cancels_id=returned.get().credit_note_id).get()
    assert paid and set(notes.values_list("partner_id", flat=True)) == paid
    assert set(notes.values_list("tax_status", flat=True)) == {value for value, _ in TaxStatus.CHOICES}
    assert {"CREDIT_NOTE", "STATEMENT", "CANCELLATION"} <= set(notes.values_list("kind", flat=True))
    assert notes.filter(partner=cancellation.partner, kind="CREDIT_NOTE").count() == 2  # the cancelled one and the new one
    in_force = notes.exclude(kind="CANCELLATION").exclude(pk__in=cancellations.values("cancels_id"))
    paid_total = PartnerBalance.objects.filter(period=committed).aggregate(paid=Sum("paid"))["paid"]
    # The returned payout's net is back on the partner's balance in the open month, so its
    # document no longer stands for money paid in this one.
    assert in_force.aggregate(net=Sum("net"))["net"] == paid_total - returned.get().credit_note.net
    assert CreditNoteSettings.objects.get(installation=shop).issuer_name == "Vitalia Naturkosmetik GmbH"
    assert TaxProfile.objects.filter(installation=shop).count() == 300
    assert all(note.supplier["address"]["street"] for note in notes)
    # One document of each status with VAT rules passes the EN 16931 schematron, supplier's
    # ids included (BR-S-02, BR-E-02, BR-AE-02).
    for tax_status in (TaxStatus.REGULAR, TaxStatus.SMALL_BUSINESS, TaxStatus.REVERSE_CHARGE, TaxStatus.NON_EU):
        note = notes.filter(tax_status=tax_status, kind="CREDIT_NOTE").first()
        assert schematron_errors(build_xml(document_of(note))) == [], tax_status
