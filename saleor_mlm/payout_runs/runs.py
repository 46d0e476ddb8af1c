"""A payout run's life: create, approve (four eyes), execute, resume.

Rules:

- A run pays a committed period. It lists one item per partner whose credit note of the
  period stands (not cancelled, not a cancellation) for its gross amount (the net where
  there is no VAT: the same). An item's method follows the partner's payout profile until
  it is sent. A period has one run.
- Created by one merchant user, approved by another (`core.four_eyes`, as for periods).
- Executing an approved run (or executing again, which resumes) first decides for every
  pending item whether it may be paid now (`skip_reason`): a payout hold in force, a changed
  IBAN the merchant has not confirmed, no method, no bank account, a Stripe account that
  cannot receive payouts, an amount below the minimum payout. A skipped item stays pending
  with its reason and is paid by a later execution once the reason is gone.
- STRIPE items are sent one by one (`stripe_transfers`); all payable SEPA items go into one
  new file (`sepa_files`). A SEPA run refuses a currency other than euro before anything
  is sent.
- The run is EXECUTED when no Stripe item is left in `sent` (an interrupted execution leaves
  it EXECUTING; executing again finishes it with the same idempotency keys).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.calendar.models import Period
from saleor_mlm.core.errors import DomainError, required
from saleor_mlm.core.four_eyes import require_second_person
from saleor_mlm.credit_notes.fetch import in_force
from saleor_mlm.credit_notes.models import CreditNote
from saleor_mlm.installations.models import Installation
from saleor_mlm.payouts import PayoutMethod
from saleor_mlm.payouts.balances import held_at_payout, payout_settings
from saleor_mlm.payouts.error_codes import PayoutErrorCode
from saleor_mlm.payouts.models import PayoutProfile, StripeAccount

from . import ItemStatus, RunStatus, SkipReason
from .models import PayoutItem, PayoutRun
from .sepa_files import require_debtor, write_sepa_file
from .stripe_transfers import send_stripe_items

SEPA_CURRENCY = "EUR"


def _actor(value: str, name: str) -> str:
    return required(value, name, code=PayoutErrorCode.REQUIRED)


def idempotency_key(run_id: int, partner_id: int) -> str:
    """The one key every attempt of a partner's Stripe Transfer in a run is sent with."""
    return f"payout-{run_id}-{partner_id}"


def _same_installation(installation: Installation, obj) -> None:
    if obj.installation_id != installation.pk:
        raise DomainError(PayoutErrorCode.WRONG_INSTALLATION, _("This belongs to another shop."))


def _locked_run(installation: Installation, run: PayoutRun) -> PayoutRun:
    _same_installation(installation, run)
    return PayoutRun.objects.select_for_update().get(pk=run.pk)


def create_run(installation: Installation, period: Period, created_by: str) -> PayoutRun:
    """List the payouts of a committed period; nothing is paid before a second person approves."""
    created_by = _actor(created_by, "created_by")
    _same_installation(installation, period)
    with transaction.atomic():
        period = Period.objects.select_for_update().get(pk=period.pk)
        if period.status != PeriodStatus.COMMITTED:
            raise DomainError(
                PayoutErrorCode.PERIOD_NOT_COMMITTED, _("%(period)s is not committed: payouts are made for committed periods.") % {"period": period.label}, field="period"
            )
        if PayoutRun.objects.filter(period=period).exists():
            raise DomainError(PayoutErrorCode.RUN_EXISTS, _("%(period)s has a payout run already.") % {"period": period.label}, field="period")
        close_run = period.close_run
        assert close_run is not None, "a committed period has its close run"
        run = PayoutRun.objects.create(installation=installation, period=period, currency=close_run.currency, created_by=created_by)
        notes = in_force(CreditNote.objects.filter(period=period, gross__gt=0)).order_by("partner_id", "-year", "-sequence")
        items, seen = [], set()
        for note in notes.only("id", "partner_id", "gross", "currency", "number"):
            if note.partner_id in seen:
                continue  # the newest document in force of a partner (after corrections)
            seen.add(note.partner_id)
            items.append(
                PayoutItem(
                    run=run,
                    installation=installation,
                    partner_id=note.partner_id,
                    credit_note_id=note.pk,
                    amount=note.gross,
                    currency=note.currency,
                    idempotency_key=idempotency_key(run.pk, note.partner_id),
                    end_to_end_id=note.number[:35],
                )
            )
        state = PayoutState(installation.pk, CreditNote.objects.filter(period=period).values("partner_id"), timezone.localdate())
        for item in items:
            item.method = state.method(item)
            item.skip_reason = state.skip_reason(item)
        PayoutItem.objects.bulk_create(items, batch_size=5000)
    return run


def approve_run(installation: Installation, run: PayoutRun, approved_by: str) -> PayoutRun:
    approved_by = _actor(approved_by, "approved_by")
    with transaction.atomic():
        locked = _locked_run(installation, run)
        if locked.status != RunStatus.CREATED:
            raise DomainError(PayoutErrorCode.INVALID_STATUS, _("The payout run is %(status)s: only a created run is approved.") % {"status": locked.status})
        require_second_person(
            approved_by,
            locked.created_by,
            code=PayoutErrorCode.SAME_USER,
            message=_("%(user)s created this payout run: another person approves it.") % {"user": approved_by},
        )
        locked.status, locked.approved_by, locked.approved_at = RunStatus.APPROVED, approved_by, timezone.now()
        locked.save(update_fields=["status", "approved_by", "approved_at"])
    return locked


class PayoutState:
    """What decides whether an item may be paid now, read once per execution.

    `partner_ids` is a subquery (`.values("partner_id")`), not a list: a run of 100,000
    partners would need more bind parameters than PostgreSQL takes (65,535)."""

    def __init__(self, installation_id: int, partner_ids: QuerySet, today: datetime.date):
        self.held = held_at_payout(installation_id, today)
        self.profiles = {p.partner_id: p for p in PayoutProfile.objects.filter(installation_id=installation_id, partner_id__in=partner_ids)}
        self.stripe = {a.partner_id: a for a in StripeAccount.objects.filter(installation_id=installation_id, partner_id__in=partner_ids)}
        self.minimum = payout_settings(installation_id).minimum_payout

    def method(self, item: PayoutItem) -> str:
        profile = self.profiles.get(item.partner_id)
        return profile.method if profile else PayoutMethod.NONE

    def skip_reason(self, item: PayoutItem) -> str:
        profile = self.profiles.get(item.partner_id)
        if item.partner_id in self.held:
            return SkipReason.HELD
        if profile is not None and profile.bank_change_pending:
            return SkipReason.BANK_CHANGE_UNCONFIRMED
        if item.amount < self.minimum:
            return SkipReason.BELOW_MINIMUM
        if item.method == PayoutMethod.SEPA:
            return "" if profile is not None and profile.encrypted_iban else SkipReason.NO_BANK_ACCOUNT
        if item.method == PayoutMethod.STRIPE:
            account = self.stripe.get(item.partner_id)
            return "" if account is not None and account.payouts_enabled else SkipReason.STRIPE_NOT_READY
        return SkipReason.NO_METHOD


def refresh_skip_reasons(run: PayoutRun) -> None:
    """Give every pending item the partner's method now and the reason it would wait
    (only the items whose method or reason changed are written)."""
    pending = list(
        PayoutItem.objects.select_for_update().filter(run=run, status=ItemStatus.PENDING).only("id", "partner_id", "amount", "method", "skip_reason")
    )
    state = PayoutState(run.installation_id, PayoutItem.objects.filter(run=run, status=ItemStatus.PENDING).values("partner_id"), timezone.localdate())
    changed = []
    for item in pending:
        before = (item.method, item.skip_reason)
        item.method = state.method(item)
        item.skip_reason = state.skip_reason(item)
        if (item.method, item.skip_reason) != before:
            changed.append(item)
    PayoutItem.objects.bulk_update(changed, ["method", "skip_reason"], batch_size=1000)


def start_execution(installation: Installation, run: PayoutRun, executed_by: str) -> PayoutRun:
    """Check that an approved run can be paid now and mark it EXECUTING; refusals (not
    approved, SEPA in another currency than euro, no bank account for the file) come here,
    before anything is sent."""
    executed_by = _actor(executed_by, "executed_by")
    with transaction.atomic():
        locked = _locked_run(installation, run)
        if locked.status == RunStatus.CREATED:
            raise DomainError(PayoutErrorCode.INVALID_STATUS, _("The payout run waits for approval by a second person."))
        refresh_skip_reasons(locked)
        if PayoutItem.objects.filter(run=locked, status=ItemStatus.PENDING, method=PayoutMethod.SEPA, skip_reason="").exists():
            if locked.currency != SEPA_CURRENCY:
                raise DomainError(
                    PayoutErrorCode.CURRENCY_NOT_EUR,
                    _("SEPA credit transfers are made in euro; this period was settled in %(currency)s. Pay these partners by Stripe.")
                    % {"currency": locked.currency},
                )
            require_debtor(installation.pk)
        locked.status, locked.executed_by = RunStatus.EXECUTING, executed_by
        locked.started_at = locked.started_at or timezone.now()
        locked.save(update_fields=["status", "executed_by", "started_at"])
    return locked


def continue_execution(run_id: int, executed_by: str, *, limit: int | None = None) -> PayoutRun:
    """Send what a started run has to send: Stripe Transfers (resuming interrupted ones),
    then one SEPA file; EXECUTED when no Stripe item is left in `sent`. Safe to run again."""
    run = PayoutRun.objects.select_related("period").get(pk=run_id)
    send_stripe_items(run, limit=limit)
    write_sepa_file(run, executed_by)
    with transaction.atomic():
        locked = PayoutRun.objects.select_for_update().get(pk=run_id)
        if not PayoutItem.objects.filter(run=locked, method=PayoutMethod.STRIPE, status=ItemStatus.SENT).exists():
            locked.status, locked.executed_at = RunStatus.EXECUTED, timezone.now()
            locked.save(update_fields=["status", "executed_at"])
    return locked


def execute_run(installation: Installation, run: PayoutRun, executed_by: str, *, limit: int | None = None) -> PayoutRun:
    """Pay the payable items now, in this process (the command line; the API queues it).
    Safe to call again after a crash, or when skipped items became payable; `limit` stops
    after that many Stripe Transfers (for operators who pay in slices)."""
    started = start_execution(installation, run, executed_by)
    return continue_execution(started.pk, started.executed_by, limit=limit)


def run_totals(run: PayoutRun) -> dict:
    """Items and amounts per status (for pages, the CLI and the API)."""
    rows = PayoutItem.objects.filter(run=run).values("status").annotate(count=Count("id"), amount=Sum("amount")).order_by("status")
    skipped = PayoutItem.objects.filter(run=run, status=ItemStatus.PENDING).exclude(skip_reason="").aggregate(count=Count("id"))
    return {"by_status": {row["status"]: (row["count"], row["amount"]) for row in rows}, "skipped": skipped["count"]}
