"""Stripe Connect against the local Stripe (tests/payouts/stripe_server.py), which the real
`stripe` library talks to: Express accounts and onboarding links, `account.updated` events
verified with the library's signature check, stored first and processed once, Transfers with
the idempotency key payout-<run>-<partner>, refusals and reversals back on the balance. Every
request and answer is checked against Stripe's OpenAPI specification (`violations`)."""

import json
from decimal import Decimal

import pytest

from saleor_mlm.credit_notes.fetch import in_force
from saleor_mlm.credit_notes.models import CreditNote
from saleor_mlm.network import TaxStatus
from saleor_mlm.payout_runs import ItemStatus, RunStatus, SkipReason, StripeEventStatus
from saleor_mlm.payout_runs.models import PayoutItem, StripeEvent
from saleor_mlm.payout_runs.runs import approve_run, create_run, execute_run
from saleor_mlm.payouts import PayoutMethod, ProfileChangeKind
from saleor_mlm.payouts.models import BalanceAdjustment, PayoutProfile, PayoutProfileChange, StripeAccount
from saleor_mlm.payouts.profiles import ProfileInput, set_debtor_account, set_payout_profile, set_stripe_keys
from saleor_mlm.payouts.stripe_connect import onboarding_link

from . import sepa_xsd
from .stripe_server import LocalStripe, signed

pytestmark = pytest.mark.django_db

SECRET_KEY, WEBHOOK_SECRET = "sk_test_local", "whsec_local"
CREATOR, APPROVER, FINANCE = "creator@example.com", "approver@example.com", "finance@example.com"
LINK = {"refresh_url": "https://shop.example.com/payouts/refresh", "return_url": "https://shop.example.com/payouts/done"}


@pytest.fixture
def local_stripe(settings, installation):
    server = LocalStripe(SECRET_KEY).start()
    settings.STRIPE_API_BASE = server.url
    set_stripe_keys(installation.pk, secret_key=SECRET_KEY, webhook_secret=WEBHOOK_SECRET)
    yield server
    server.stop()
    assert server.violations == []


def post_event(client, installation, event, *, secret=WEBHOOK_SECRET, timestamp=None):
    body, signature = signed(event, secret, timestamp=timestamp)
    return client.post(f"/api/stripe/webhooks/{installation.pk}", data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)


def onboard(partner, local_stripe, client, installation, *, enabled=True) -> StripeAccount:
    account, _url = onboarding_link(partner, changed_by=partner.email, **LINK)
    if enabled:
        assert post_event(client, installation, local_stripe.enable_payouts(account.account_id)).status_code == 200
    account.refresh_from_db()
    return account


@pytest.fixture
def june(month, earner, installation, settle, local_stripe, client):
    """June 2026 committed: Anna and Ben paid by Stripe (Ben's account not ready), Carl by SEPA."""
    period = month("2026-06")
    p = {
        "Anna": earner("Anna", {period: "45.50"}, TaxStatus.REGULAR),
        "Ben": earner("Ben", {period: "30.00"}, TaxStatus.SMALL_BUSINESS),
        "Carl": earner("Carl", {period: "40.00"}, TaxStatus.PRIVATE),
    }
    settle(period)
    onboard(p["Anna"], local_stripe, client, installation)
    onboard(p["Ben"], local_stripe, client, installation, enabled=False)
    set_payout_profile(p["Carl"], ProfileInput(method="SEPA", account_holder="Carl Muster", iban="DE89370400440532013000"), changed_by="carl", by_partner=True)
    set_debtor_account(installation.pk, name="Shop GmbH", iban="DE75512108001245126199")
    return period, p


def approved_run(installation, period):
    return approve_run(installation, create_run(installation, period, CREATOR), APPROVER)


def test_the_first_link_creates_the_express_account_and_each_link_is_fresh(partner_factory, local_stripe):
    partner = partner_factory(email="anna@example.com", country="AT")

    account, first = onboarding_link(partner, changed_by="anna@example.com", **LINK)
    again, second = onboarding_link(partner, changed_by="anna@example.com", **LINK)

    assert again.pk == account.pk and first != second
    assert list(local_stripe.accounts) == [account.account_id]
    created = local_stripe.accounts[account.account_id]
    assert (created["type"], created["country"], created["email"], created["capabilities"]) == ("express", "AT", "anna@example.com", {"transfers": "inactive"})
    (create_request,) = [r for r in local_stripe.requests if r[:2] == ("POST", "/v1/accounts")]
    assert create_request[3] == f"account-{partner.installation_id}-{partner.pk}"
    links = [r[2] for r in local_stripe.requests if r[:2] == ("POST", "/v1/account_links")]
    assert links == [{"account": account.account_id, "type": "account_onboarding", **LINK}] * 2
    assert (account.payouts_enabled, PayoutProfile.objects.get(partner=partner).method) == (False, PayoutMethod.STRIPE)
    assert [(c.kind, c.method, c.note) for c in PayoutProfileChange.objects.filter(partner=partner)] == [
        (ProfileChangeKind.STRIPE_ACCOUNT, PayoutMethod.STRIPE, account.account_id)
    ]


def test_account_updated_is_verified_stored_first_and_processed_once(partner_factory, local_stripe, client, installation):
    partner = partner_factory()
    account, _ = onboarding_link(partner, changed_by="p", **LINK)
    enabled = local_stripe.enable_payouts(account.account_id)

    forged = post_event(client, installation, enabled, secret="whsec_other")
    stale = post_event(client, installation, enabled, timestamp=1_000_000)
    first = post_event(client, installation, enabled)
    again = post_event(client, installation, enabled)

    assert (forged.status_code, stale.status_code, first.status_code, again.status_code) == (400, 400, 200, 200)
    assert (first.json(), again.json()) == ({"message": "processed", "status": "processed"}, {"message": "Already processed.", "status": "processed"})
    account.refresh_from_db()
    assert (account.payouts_enabled, account.details_submitted, account.default_currency) == (True, True, "EUR")
    rows = [(e.status, e.event_id, bool(e.error)) for e in StripeEvent.objects.order_by("id")]
    assert rows == [
        (StripeEventStatus.UNVERIFIED, "", True),  # a forged signature: kept with the reason, never trusted
        (StripeEventStatus.UNVERIFIED, "", True),  # outside Stripe's five minutes of tolerance
        (StripeEventStatus.PROCESSED, enabled["id"], False),
    ]
    assert json.loads(StripeEvent.objects.order_by("id").first().body)["id"] == enabled["id"]


def test_an_older_event_arriving_late_changes_nothing(partner_factory, local_stripe, client, installation):
    partner = partner_factory()
    account, _ = onboarding_link(partner, changed_by="p", **LINK)
    newer = local_stripe.enable_payouts(account.account_id)
    older = local_stripe.enable_payouts(account.account_id, enabled=False)
    older["created"] = newer["created"] - 60

    post_event(client, installation, newer)
    post_event(client, installation, older)

    account.refresh_from_db()
    assert account.payouts_enabled is True


def test_events_of_other_accounts_and_types_are_ignored(local_stripe, client, installation):
    stranger = local_stripe.event("account.updated", {"id": "acct_someone_else", "object": "account", "payouts_enabled": True})
    charge = local_stripe.event("charge.succeeded", {"id": "ch_1", "object": "charge"})

    answers = [post_event(client, installation, event).json()["status"] for event in (stranger, charge)]

    assert answers == [StripeEventStatus.IGNORED, StripeEventStatus.IGNORED]


def test_a_run_pays_stripe_partners_once_and_skips_who_cannot_receive(june, installation, local_stripe, client):
    period, p = june
    anna_account, ben_account = StripeAccount.objects.get(partner=p["Anna"]), StripeAccount.objects.get(partner=p["Ben"])
    run = execute_run(installation, approved_run(installation, period), FINANCE)

    anna, ben, carl = (PayoutItem.objects.get(run=run, partner=p[name]) for name in ("Anna", "Ben", "Carl"))
    (transfer,) = local_stripe.transfers_to(anna_account.account_id)
    note = CreditNote.objects.get(period=period, partner=p["Anna"])
    assert (transfer["amount"], transfer["currency"], transfer["transfer_group"]) == (5415, "eur", f"payout-run-{run.pk}")
    assert transfer["metadata"] == {"credit_note": note.number, "period": "2026-06", "payout_run": str(run.pk), "partner_id": str(p["Anna"].pk)}
    keys = [r[3] for r in local_stripe.requests if r[:2] == ("POST", "/v1/transfers")]
    assert keys == [f"payout-{run.pk}-{p['Anna'].pk}"]
    assert (anna.status, anna.stripe_transfer_id, anna.attempts) == (ItemStatus.PAID, transfer["id"], 1)
    assert (ben.status, ben.skip_reason) == (ItemStatus.PENDING, SkipReason.STRIPE_NOT_READY)
    assert carl.status == ItemStatus.SENT
    assert [t["name"] for t in sepa_xsd.transactions(sepa_xsd.validated(run.sepa_files.get().content))] == ["Carl Muster"]
    assert run.status == RunStatus.EXECUTED

    post_event(client, installation, local_stripe.enable_payouts(ben_account.account_id))
    execute_run(installation, run, FINANCE)

    ben.refresh_from_db()
    assert ben.status == ItemStatus.PAID
    assert len(local_stripe.transfers_to(anna_account.account_id)) == 1  # Anna is not paid twice
    assert [t["amount"] for t in local_stripe.transfers_to(ben_account.account_id)] == [3000]
    assert run.sepa_files.count() == 1  # Carl is in one file


def test_a_refused_transfer_fails_and_goes_back_on_the_balance(june, installation, local_stripe):
    period, p = june
    local_stripe.fail_destinations.add(StripeAccount.objects.get(partner=p["Anna"]).account_id)

    run = execute_run(installation, approved_run(installation, period), FINANCE)

    anna = PayoutItem.objects.get(run=run, partner=p["Anna"])
    note = CreditNote.objects.get(period=period, partner=p["Anna"], cancels=None)
    assert anna.status == ItemStatus.FAILED and "capabilities" in anna.last_error
    assert not in_force(CreditNote.objects.filter(pk=note.pk)).exists()
    adjustment = BalanceAdjustment.objects.get(partner=p["Anna"])
    assert (adjustment.amount, adjustment.approved_by, anna.balance_adjustment_id) == (Decimal("45.50"), "stripe", adjustment.pk)
    assert run.status == RunStatus.EXECUTED


def test_stripe_s_server_errors_leave_the_item_sent_and_the_next_execution_pays_it_once(june, installation, local_stripe):
    period, p = june
    local_stripe.server_errors = 3  # the library's two retries with the same key fail too

    run = execute_run(installation, approved_run(installation, period), FINANCE)
    anna = PayoutItem.objects.get(run=run, partner=p["Anna"])
    assert (run.status, anna.status, anna.attempts, anna.last_error.startswith("APIError")) == (RunStatus.EXECUTING, ItemStatus.SENT, 1, True)

    run = execute_run(installation, run, FINANCE)

    anna.refresh_from_db()
    account_id = StripeAccount.objects.get(partner=p["Anna"]).account_id
    assert (run.status, anna.status, anna.attempts) == (RunStatus.EXECUTED, ItemStatus.PAID, 2)
    assert len(local_stripe.transfers_to(account_id)) == 1
    keys = {r[3] for r in local_stripe.requests if r[:2] == ("POST", "/v1/transfers")}
    assert keys == {f"payout-{run.pk}-{p['Anna'].pk}"}


def test_a_reversed_transfer_comes_back_on_the_balance(june, installation, local_stripe, client):
    period, p = june
    run = execute_run(installation, approved_run(installation, period), FINANCE)
    anna = PayoutItem.objects.get(run=run, partner=p["Anna"])

    answer = post_event(client, installation, local_stripe.reverse(anna.stripe_transfer_id))

    anna.refresh_from_db()
    assert answer.json()["status"] == StripeEventStatus.PROCESSED
    assert (anna.status, anna.return_reason) == (ItemStatus.RETURNED, f"Stripe reversed transfer {anna.stripe_transfer_id}")
    assert BalanceAdjustment.objects.get(partner=p["Anna"]).amount == Decimal("45.50")


def test_the_local_stripe_serves_the_operations_of_the_kept_specification():
    from saleor_mlm.payout_runs.local_stripe import OPERATIONS

    from .stripe_server import SPEC

    assert {name: (op["operationId"], op["response"]) for name, op in SPEC["operations"].items()} == OPERATIONS


def test_partial_reversals_return_their_part_and_the_credit_note_is_reissued_for_what_stays_paid(june, installation, local_stripe, client):
    period, p = june
    run = execute_run(installation, approved_run(installation, period), FINANCE)
    anna = PayoutItem.objects.get(run=run, partner=p["Anna"])
    original = anna.credit_note
    assert (original.net, original.vat, original.gross, anna.amount) == (
        Decimal("45.50"),
        Decimal("8.65"),
        Decimal("54.15"),
        Decimal("54.15"),
    )

    def adjustments():
        return [a.amount for a in BalanceAdjustment.objects.filter(partner=p["Anna"]).order_by("id")]

    first = local_stripe.reverse(anna.stripe_transfer_id, 1000)  # 10.00 of the 54.15 EUR back
    assert [post_event(client, installation, first).json()["status"] for _ in range(2)] == [StripeEventStatus.PROCESSED] * 2

    anna.refresh_from_db()
    first_note = anna.credit_note
    assert (anna.status, anna.amount_reversed) == (ItemStatus.PAID, Decimal("10.00"))
    # The original is cancelled and reissued for the 44.15 EUR that stay paid (VAT included).
    assert not in_force(CreditNote.objects.filter(pk=original.pk)).exists()
    assert (first_note.net, first_note.vat, first_note.gross, first_note.period_id) == (
        Decimal("37.10"),
        Decimal("7.05"),
        Decimal("44.15"),
        period.pk,
    )
    assert first_note.lines[:-1] == original.lines
    assert (first_note.lines[-1]["kind"], first_note.lines[-1]["net"]) == ("ADJUSTMENT", "-8.40")
    assert first_note.lines[-1]["description"] == f"Korrektur: Auszahlung zu {original.number} teilweise zurückgebucht (10.00 EUR)"
    assert adjustments() == [Decimal("8.40")]  # the net of the part, back on the balance

    second = local_stripe.reverse(anna.stripe_transfer_id, 1000)  # 20.00 reversed in all
    late_copy_of_first = local_stripe.event("transfer.reversed", first["data"]["object"])  # another id, an older total
    assert post_event(client, installation, second).json()["status"] == StripeEventStatus.PROCESSED
    assert post_event(client, installation, late_copy_of_first).json()["status"] == StripeEventStatus.PROCESSED

    anna.refresh_from_db()
    assert anna.amount_reversed == Decimal("20.00")
    assert (anna.credit_note.net, anna.credit_note.gross) == (Decimal("28.70"), Decimal("34.15"))
    assert not in_force(CreditNote.objects.filter(pk=first_note.pk)).exists()
    assert adjustments() == [Decimal("8.40"), Decimal("8.40")]
    assert [(r.amount, r.total_reversed) for r in anna.reversals.all()] == [
        (Decimal("10.00"), Decimal("10.00")),
        (Decimal("10.00"), Decimal("20.00")),
    ]

    rest = local_stripe.reverse(anna.stripe_transfer_id)  # the remaining 34.15: fully reversed now
    assert post_event(client, installation, rest).json()["status"] == StripeEventStatus.PROCESSED

    anna.refresh_from_db()
    assert (anna.status, anna.amount_reversed) == (ItemStatus.RETURNED, Decimal("54.15"))
    assert not in_force(CreditNote.objects.filter(period=period, partner=p["Anna"])).exists()
    assert adjustments() == [Decimal("8.40"), Decimal("8.40"), Decimal("28.70")]
    assert sum(adjustments()) == original.net  # all of it back on the balance, once
