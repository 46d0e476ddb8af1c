"""A committed month mails each partner with a balance its statement (with the credit note
issued for it) and each partner whose career rank rose the rank; a payout paid or returned
(by the bank, or a part of a Stripe Transfer reversed) is mailed too. Through a real SMTP
server, in the partner's language; the Stripe payouts against the local Stripe."""

from __future__ import annotations

import pytest

from saleor_mlm.credit_notes.models import CreditNote
from saleor_mlm.network import TaxStatus
from saleor_mlm.notifications import NotificationKind, NotificationStatus
from saleor_mlm.notifications.models import Notification
from saleor_mlm.payout_runs.models import PayoutItem
from saleor_mlm.payout_runs.runs import approve_run, create_run, execute_run
from saleor_mlm.payout_runs.sepa_files import mark_file_executed, reject_items
from saleor_mlm.payouts.profiles import ProfileInput, set_debtor_account, set_payout_profile
from tests.payouts.test_stripe import post_event

pytestmark = pytest.mark.django_db
FINANCE, APPROVER = "finance@example.com", "approver@example.com"


@pytest.fixture
def may(month, earner, settle, smtp, django_capture_on_commit_callbacks):
    """May 2026 committed: Anna (German, credit note), Ben (English, small business) and Carl
    (no tax profile: carried forward)."""
    period = month("2026-05")
    anna = earner("Anna", {period: "45.50"}, TaxStatus.REGULAR)
    ben = earner("Ben", {period: "30.00"}, TaxStatus.SMALL_BUSINESS, language="en")
    earner("Carl", {period: "40.00"}, None, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        settle(period)
    return period, anna, ben


def subjects(smtp, address):
    return sorted(mail.subject for mail in smtp.to(address))


def test_a_committed_month_mails_statements_and_ranks(may, smtp):
    period, anna, ben = may
    note = CreditNote.objects.get(period=period, partner=anna)

    assert subjects(smtp, "anna@example.com") == ["Herzlichen Glückwunsch: Sie haben den Rang Member erreicht", "Ihre Abrechnung für Mai 2026 ist fertig"]
    assert subjects(smtp, "ben@example.com") == ["Congratulations: you reached the rank Member", "Your statement for May 2026 is ready"]
    [statement] = [mail for mail in smtp.to("anna@example.com") if "Abrechnung" in mail.subject]
    assert f"Ihre Gutschrift {note.number} über 54,15" in statement.text
    assert "Zur Auszahlung: 54,15\xa0€" in statement.text
    assert "45,50\xa0€" in statement.text and "45,50\xa0€" in statement.html
    assert "https://mlm.vitalwerk.example/office/earnings/2026-05" in statement.text
    [english] = [mail for mail in smtp.to("ben@example.com") if "statement" in mail.subject]
    assert "€30.00" in english.text
    [carl] = [mail for mail in smtp.to("carl@example.com") if "statement" in mail.subject]
    assert "Carried forward: €40.00" in carl.text and "Your tax profile is incomplete" in carl.text
    assert Notification.objects.filter(kind=NotificationKind.STATEMENT_READY, status=NotificationStatus.SENT).count() == 3


def test_payouts_paid_and_returned_are_mailed(may, installation, smtp, django_capture_on_commit_callbacks):
    period, anna, ben = may
    set_payout_profile(anna, ProfileInput(method="SEPA", account_holder="Anna Muster", iban="DE89370400440532013000"), changed_by="anna", by_partner=True)
    set_payout_profile(ben, ProfileInput(method="SEPA", account_holder="Ben Muster", iban="AT611904300234573201"), changed_by="ben", by_partner=True)
    set_debtor_account(installation.pk, name="Shop GmbH", iban="DE75512108001245126199")
    run = approve_run(installation, create_run(installation, period, FINANCE), APPROVER)
    run = execute_run(installation, run, FINANCE)
    sepa_file = run.sepa_files.get()
    anna_note = CreditNote.objects.get(period=period, partner=anna)
    before = len(smtp.delivered)

    with django_capture_on_commit_callbacks(execute=True):
        reject_items(sepa_file, [anna_note.number], reason="account closed (AC04)", rejected_by=FINANCE)
    with django_capture_on_commit_callbacks(execute=True):
        mark_file_executed(sepa_file, FINANCE)

    new = smtp.delivered[before:]
    assert sorted(mail.subject for mail in new) == [
        "Ihre Auszahlung von 54,15\xa0€ ist zurückgekommen",
        "Your payout of €30.00 is on its way",
    ]
    returned = next(mail for mail in new if "anna@example.com" in mail.rcpt_tos)
    assert "account closed (AC04)" in returned.text and "https://mlm.vitalwerk.example/office/profile" in returned.text
    paid = next(mail for mail in new if "ben@example.com" in mail.rcpt_tos)
    assert "by bank transfer" in paid.text


def test_a_stripe_payout_and_a_part_reversed_are_mailed(june, installation, local_stripe, client, smtp, django_capture_on_commit_callbacks):
    period, p = june
    with django_capture_on_commit_callbacks(execute=True):
        run = execute_run(installation, approve_run(installation, create_run(installation, period, FINANCE), APPROVER), FINANCE)
    anna = PayoutItem.objects.get(run=run, partner=p["Anna"])
    [paid] = smtp.to("anna@example.com")
    assert paid.subject == "Ihre Auszahlung von 54,15\xa0€ ist unterwegs"
    assert "wurden auf Ihr Stripe-Konto ausgezahlt" in paid.text

    reversal = local_stripe.reverse(anna.stripe_transfer_id, 1000)  # 10.00 EUR back
    for _delivery in range(2):  # Stripe delivers an event again: mailed once
        with django_capture_on_commit_callbacks(execute=True):
            post_event(client, installation, reversal)

    [_paid, returned] = smtp.to("anna@example.com")
    assert returned.subject == "Ihre Auszahlung von 10,00\xa0€ ist zurückgekommen"
    assert f"Grund: Stripe reversed transfer {anna.stripe_transfer_id}" in returned.text
