"""Payout runs paid by SEPA: created for a committed period, approved by a second person,
executed into one pain.001.001.09 file that validates against the EPC's XSD, whose group
header adds up to its items; skipped partners stay payable; a rejected transfer goes back
onto the balance; every item is in exactly one file."""

from decimal import Decimal

import pytest
from django.db.models import Count

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.calendar.models import Period
from saleor_mlm.core.errors import DomainError
from saleor_mlm.credit_notes import LineKind
from saleor_mlm.credit_notes.fetch import in_force
from saleor_mlm.credit_notes.models import CreditNote
from saleor_mlm.network import TaxStatus
from saleor_mlm.payout_runs import ItemStatus, RunStatus, SkipReason
from saleor_mlm.payout_runs.models import PayoutItem
from saleor_mlm.payout_runs.runs import approve_run, create_run, execute_run
from saleor_mlm.payout_runs.sepa_files import mark_file_executed, reject_items
from saleor_mlm.payouts.actions import place_payout_hold
from saleor_mlm.payouts.error_codes import PayoutErrorCode
from saleor_mlm.payouts.models import BalanceAdjustment
from saleor_mlm.payouts.profiles import ProfileInput, confirm_bank_change, set_debtor_account, set_payout_profile

from . import sepa_xsd

pytestmark = pytest.mark.django_db

CREATOR, APPROVER, FINANCE = "creator@example.com", "approver@example.com", "finance@example.com"
IBANS = {
    "Anna": "DE89370400440532013000",
    "Ben": "AT611904300234573201",
    "Dora": "DE02120300000000202051",
    "Emil": "FR1420041010050500013M02606",
}


def sepa(name, iban=None):
    return ProfileInput(method="SEPA", account_holder=f"{name} Muster", iban=iban or IBANS[name])


@pytest.fixture
def may(month, earner, installation, settle):
    """May 2026 committed: Anna (REGULAR, 45.50 + 19 % VAT), Ben (small business, 30),
    Carl (no method), Dora (changed IBAN, unconfirmed), Emil (held after the commit),
    Fritz (private, 26: SEPA)."""
    period = month("2026-05")
    p = {
        "Anna": earner("Anna", {period: "45.50"}, TaxStatus.REGULAR),
        "Ben": earner("Ben", {period: "30.00"}, TaxStatus.SMALL_BUSINESS, language="en"),
        "Carl": earner("Carl", {period: "40.00"}, TaxStatus.REGULAR),
        "Dora": earner("Dora", {period: "35.00"}, TaxStatus.PRIVATE),
        "Emil": earner("Emil", {period: "50.00"}, TaxStatus.PRIVATE),
    }
    settle(period)
    for name in ("Anna", "Ben", "Emil"):
        set_payout_profile(p[name], sepa(name), changed_by=f"{name.lower()}@example.com", by_partner=True)
    set_payout_profile(p["Dora"], sepa("Dora", IBANS["Anna"]), changed_by="dora@example.com", by_partner=True)
    set_payout_profile(p["Dora"], sepa("Dora"), changed_by="dora@example.com", by_partner=True)  # changed: waits
    place_payout_hold(installation, p["Emil"], "address unknown", FINANCE)
    set_debtor_account(installation.pk, name="Shop GmbH", iban="DE75512108001245126199")
    return period, p


def item_of(run, partner) -> PayoutItem:
    return PayoutItem.objects.get(run=run, partner=partner)


def approved_run(installation, period):
    run = create_run(installation, period, CREATOR)
    return approve_run(installation, run, APPROVER)


def test_a_run_lists_the_credit_notes_in_force_with_their_gross_amounts(may, installation):
    period, p = may

    run = create_run(installation, period, CREATOR)

    rows = {
        item.partner.first_name: (item.amount, item.currency, item.method, item.status, item.skip_reason, item.end_to_end_id == item.credit_note.number)
        for item in PayoutItem.objects.filter(run=run).select_related("partner", "credit_note")
    }
    assert rows == {
        "Anna": (Decimal("54.15"), "EUR", "sepa", "pending", "", True),  # 45.50 + 8.65 VAT
        "Ben": (Decimal("30"), "EUR", "sepa", "pending", "", True),
        "Carl": (Decimal("47.60"), "EUR", "none", "pending", SkipReason.NO_METHOD, True),
        "Dora": (Decimal("35"), "EUR", "sepa", "pending", SkipReason.BANK_CHANGE_UNCONFIRMED, True),
        "Emil": (Decimal("150"), "EUR", "sepa", "pending", SkipReason.HELD, True),  # 50 and a rank bonus
    }
    assert (run.status, run.currency, run.created_by) == (RunStatus.CREATED, "EUR", CREATOR)


def test_four_eyes_and_order_of_steps(may, installation, month):
    period, _ = may
    with pytest.raises(DomainError) as open_period:
        create_run(installation, month("2026-06"), CREATOR)
    run = create_run(installation, period, CREATOR)
    with pytest.raises(DomainError) as second:
        create_run(installation, period, CREATOR)
    with pytest.raises(DomainError) as unapproved:
        execute_run(installation, run, APPROVER)
    with pytest.raises(DomainError) as same:
        approve_run(installation, run, CREATOR.upper())

    assert open_period.value.code == PayoutErrorCode.PERIOD_NOT_COMMITTED
    assert second.value.code == PayoutErrorCode.RUN_EXISTS
    assert unapproved.value.code == PayoutErrorCode.INVALID_STATUS
    assert (same.value.code, same.value.field) == (PayoutErrorCode.SAME_USER, "approved_by")
    run.refresh_from_db()
    assert (run.status, run.approved_by) == (RunStatus.CREATED, "")
    assert not run.sepa_files.exists()


def test_executing_writes_one_valid_file_whose_header_adds_up(may, installation):
    period, p = may
    run = approved_run(installation, period)

    run = execute_run(installation, run, FINANCE)

    (sepa_file,) = run.sepa_files.all()
    document = sepa_xsd.validated(sepa_file.content)
    transactions = sepa_xsd.transactions(document)
    notes = {n.partner_id: n for n in CreditNote.objects.filter(period=period)}
    assert sorted((t["end_to_end_id"], t["amount"], t["currency"], t["iban"], t["name"]) for t in transactions) == sorted(
        [
            (notes[p["Anna"].pk].number, Decimal("54.15"), "EUR", IBANS["Anna"], "Anna Muster"),
            (notes[p["Ben"].pk].number, Decimal("30.00"), "EUR", IBANS["Ben"], "Ben Muster"),
        ]
    )
    assert sepa_xsd.text(document, "p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs") == "2"
    assert Decimal(sepa_xsd.text(document, "p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum")) == Decimal("84.15")
    assert sepa_xsd.text(document, "p:CstmrCdtTrfInitn/p:GrpHdr/p:MsgId") == sepa_file.message_id
    assert sepa_xsd.text(document, "p:CstmrCdtTrfInitn/p:PmtInf/p:BtchBookg") == "true"
    assert sepa_xsd.text(document, "p:CstmrCdtTrfInitn/p:PmtInf/p:DbtrAcct/p:Id/p:IBAN") == "DE75512108001245126199"
    assert sepa_xsd.text(document, "p:CstmrCdtTrfInitn/p:PmtInf/p:Dbtr/p:Nm") == "Shop GmbH"
    # The remittance text in the partner's language
    remittance = {t["end_to_end_id"]: t["remittance"] for t in transactions}
    assert remittance[notes[p["Ben"].pk].number] == f"Credit note {notes[p['Ben'].pk].number}, commissions 2026-05"
    assert remittance[notes[p["Anna"].pk].number] == f"Gutschrift {notes[p['Anna'].pk].number}, Provisionen 2026-05"
    assert (sepa_file.transaction_count, sepa_file.control_sum) == (2, Decimal("84.15"))
    assert run.status == RunStatus.EXECUTED
    states = {item.partner.first_name: (item.status, item.sepa_file_id) for item in run.items.select_related("partner")}
    assert states == {
        "Anna": (ItemStatus.SENT, sepa_file.pk),
        "Ben": (ItemStatus.SENT, sepa_file.pk),
        "Carl": (ItemStatus.PENDING, None),
        "Dora": (ItemStatus.PENDING, None),
        "Emil": (ItemStatus.PENDING, None),
    }


def test_skipped_partners_are_paid_by_a_later_execution_in_a_file_of_their_own(may, installation):
    period, p = may
    run = execute_run(installation, approved_run(installation, period), FINANCE)
    confirm_bank_change(p["Dora"], confirmed_by=FINANCE)
    set_payout_profile(p["Carl"], sepa("Carl", "DE44500105175407324931"), changed_by="carl@example.com", by_partner=True)

    execute_run(installation, run, FINANCE)
    execute_run(installation, run, FINANCE)  # nothing new: no third file

    first, second = run.sepa_files.order_by("id")
    assert sorted(t["name"] for t in sepa_xsd.transactions(sepa_xsd.validated(second.content))) == ["Carl Muster", "Dora Muster"]
    per_item = PayoutItem.objects.filter(run=run).exclude(sepa_file=None).values("pk").annotate(files=Count("sepa_file"))
    assert {row["files"] for row in per_item} == {1}
    assert item_of(run, p["Emil"]).skip_reason == SkipReason.HELD


def test_the_bank_executes_the_file_and_a_rejected_transfer_goes_back_on_the_balance(may, installation, month):
    period, p = may
    run = execute_run(installation, approved_run(installation, period), FINANCE)
    sepa_file = run.sepa_files.get()
    anna_note = CreditNote.objects.get(period=period, partner=p["Anna"])

    reject_items(sepa_file, [anna_note.number], reason="account closed (AC04)", rejected_by=FINANCE)
    mark_file_executed(sepa_file, FINANCE)

    anna, ben = item_of(run, p["Anna"]), item_of(run, p["Ben"])
    assert (anna.status, anna.return_reason, ben.status) == (ItemStatus.RETURNED, "account closed (AC04)", ItemStatus.PAID)
    # The credit note no longer stands; its net is an adjustment of the open period.
    assert not in_force(CreditNote.objects.filter(pk=anna_note.pk)).exists()
    cancellation = CreditNote.objects.get(cancels=anna_note)
    assert (cancellation.gross, cancellation.issued_by) == (Decimal("-54.15"), FINANCE)
    adjustment = BalanceAdjustment.objects.get(partner=p["Anna"])
    assert anna.balance_adjustment_id == adjustment.pk
    assert (adjustment.amount, adjustment.approved_by, adjustment.period.status) == (Decimal("45.50"), FINANCE, PeriodStatus.OPEN)
    assert adjustment.reason == f"Payout of {anna_note.number} returned: account closed (AC04)"
    assert adjustment.period.starts_on > period.starts_on
    # Recording it again changes nothing; Ben's paid transfer can still come back later.
    reject_items(sepa_file, [anna_note.number], reason="again", rejected_by=FINANCE)
    assert BalanceAdjustment.objects.filter(partner=p["Anna"]).count() == 1
    with pytest.raises(DomainError) as twice:
        mark_file_executed(sepa_file, FINANCE)
    assert twice.value.code == PayoutErrorCode.INVALID_STATUS


def test_a_returned_payout_is_on_the_next_statement_and_paid_with_the_next_period(may, installation, earner, settle, month):
    period, p = may
    run = execute_run(installation, approved_run(installation, period), FINANCE)
    anna_note = CreditNote.objects.get(period=period, partner=p["Anna"])
    reject_items(run.sepa_files.get(), [anna_note.number], reason="wrong account", rejected_by=FINANCE)
    june = Period.objects.get(installation=installation, status=PeriodStatus.OPEN)

    settle(june)

    june_note = CreditNote.objects.get(period=june, partner=p["Anna"])
    assert june_note.net == Decimal("45.50")
    assert [(line["net"], line["description"]) for line in june_note.lines if line["kind"] == LineKind.ADJUSTMENT] == [
        ("45.50", f"Korrektur: Payout of {anna_note.number} returned: wrong account")
    ]


def test_unknown_end_to_end_ids_are_refused(may, installation):
    period, _ = may
    run = execute_run(installation, approved_run(installation, period), FINANCE)

    with pytest.raises(DomainError) as unknown:
        reject_items(run.sepa_files.get(), ["GS-1999-99999"], reason="?", rejected_by=FINANCE)

    assert (unknown.value.code, unknown.value.field) == (PayoutErrorCode.NOT_FOUND, "end_to_end_ids")
    assert not PayoutItem.objects.filter(status=ItemStatus.RETURNED).exists()


def test_no_file_without_the_shop_s_bank_account(may, installation):
    period, _ = may
    from saleor_mlm.payouts.balances import payout_settings

    settings = payout_settings(installation.pk)
    settings.debtor_iban = ""
    settings.save()
    run = approved_run(installation, period)

    with pytest.raises(DomainError) as refused:
        execute_run(installation, run, FINANCE)

    assert refused.value.code == PayoutErrorCode.DEBTOR_NOT_CONFIGURED
    assert not run.sepa_files.exists()
    assert not PayoutItem.objects.filter(run=run, status=ItemStatus.SENT).exists()
