"""Sending a run's STRIPE items: one Transfer each, exactly once.

Items go through two steps under their row locks:

1. claim: a batch of `pending` (and payable) items -> `sent`, committed before Stripe is
   called for any of them;
2. send, one item per transaction: the Transfer is requested with the item's idempotency key
   (`payout-<run>-<partner>`), holding the item's row lock, and the answer is stored: `paid`
   with the Transfer's id, or `failed` (Stripe refused it: the amount goes back on the balance).

A crash between the two, or during the request, leaves the item `sent`; the next execution
sends it again with the same key and Stripe answers with the Transfer it already made, so
nothing is paid twice and nothing is lost. Network errors, rate limits and Stripe's own 5xx
leave it `sent` for the next execution too. Locks are taken with SKIP LOCKED: two executions
running at once never work on the same item.

Several items are in flight at once (`STRIPE_TRANSFERS_IN_FLIGHT`, 8: a Transfer takes
Stripe a few hundred milliseconds, and Stripe allows far more requests per second): threads,
each with its own database connection, each item still sent in its own transaction under
its row lock with its key. A batch is claimed before any of its items is sent, and the next
batch only when the last one is done.

Amounts go in the plan currency's minor unit; an account that settles in another currency
is paid in the plan currency and Stripe converts.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import stripe
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from stripe.params import TransferCreateParams

from saleor_mlm.core.currency import currency_digits
from saleor_mlm.payouts import PayoutMethod
from saleor_mlm.payouts.balances import to_units
from saleor_mlm.payouts.models import StripeAccount
from saleor_mlm.payouts.stripe_connect import stripe_client

from . import ItemStatus
from .events import items_changed
from .models import PayoutItem, PayoutRun
from .returns import back_to_balance

# Errors after which the same request may succeed later: the item stays `sent`.
RETRYABLE = (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError, stripe.IdempotencyError, stripe.AuthenticationError)
STRIPE_ACTOR = "stripe"


def send_stripe_items(run: PayoutRun, *, limit: int | None = None) -> int:
    """Send the run's payable and interrupted STRIPE items; returns how many were paid."""
    ids = list(
        PayoutItem.objects.filter(run=run, method=PayoutMethod.STRIPE)
        .filter(Q(status=ItemStatus.SENT) | Q(status=ItemStatus.PENDING, skip_reason=""))
        .order_by("id")
        .values_list("pk", flat=True)
    )
    if not ids:
        return 0
    if limit is not None:
        ids = ids[:limit]
    client = stripe_client(run.installation_id)
    label = f"{run.period.starts_on:%Y-%m}"
    workers = in_flight()
    paid = 0
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="stripe-transfer") as pool:
        for start in range(0, len(ids), CLAIM_BATCH):
            batch = ids[start : start + CLAIM_BATCH]
            _claim(batch)
            accounts = dict(StripeAccount.objects.filter(partner__payout_items__pk__in=batch).values_list("partner_id", "account_id"))
            if workers == 1:
                paid += sum(_send(client, pk, run, label, accounts) for pk in batch)
                continue
            # Each thread sends every n-th item of the batch over its own database connection
            # and keep-alive connection to Stripe; the next batch is claimed when all are done.
            slices = [pool.submit(_send_slice, client, batch[offset::workers], run, label, accounts) for offset in range(workers)]
            paid += sum(future.result() for future in slices)
    return paid


# Items claimed per transaction: a crash leaves at most this many `sent` before their
# Transfers; the next execution sends them with their keys (Stripe answers made ones again).
CLAIM_BATCH = 200


def in_flight() -> int:
    """How many Transfers are requested at once (`STRIPE_TRANSFERS_IN_FLIGHT`). Inside a
    transaction (the tests' own) the items' rows are not visible to other database
    connections: then one at a time, in this thread."""
    if connection.in_atomic_block:
        return 1
    return max(1, int(settings.STRIPE_TRANSFERS_IN_FLIGHT))


def _send_slice(client: stripe.StripeClient, pks: list[int], run: PayoutRun, label: str, accounts: dict[int, str]) -> int:
    try:
        return sum(_send(client, pk, run, label, accounts) for pk in pks)
    finally:
        connection.close()  # this thread's own connection


def _claim(pks: list[int]) -> None:
    with transaction.atomic():
        claimable = PayoutItem.objects.select_for_update(skip_locked=True).filter(pk__in=pks, status=ItemStatus.PENDING, skip_reason="")
        PayoutItem.objects.filter(pk__in=list(claimable.values_list("pk", flat=True))).update(
            status=ItemStatus.SENT, sent_at=timezone.now(), updated_at=timezone.now()
        )


def transfer_params(item: PayoutItem, account_id: str, run: PayoutRun, period_label: str, credit_note_number: str) -> TransferCreateParams:
    """The Transfer of an item; the same for every attempt (Stripe compares them per key)."""
    return {
        "amount": to_units(item.amount, currency_digits(item.currency)),
        "currency": item.currency.lower(),
        "destination": account_id,
        "transfer_group": f"payout-run-{run.pk}",
        "description": f"{credit_note_number} {period_label}",
        "metadata": {"credit_note": credit_note_number, "period": period_label, "payout_run": str(run.pk), "partner_id": str(item.partner_id)},
    }


def _send(client: stripe.StripeClient, pk: int, run: PayoutRun, label: str, accounts: dict[int, str]) -> int:
    with transaction.atomic():
        item = PayoutItem.objects.select_for_update(skip_locked=True).filter(pk=pk, status=ItemStatus.SENT).first()
        if item is None:
            return 0
        item.attempts += 1
        params = transfer_params(item, accounts[item.partner_id], run, label, item.end_to_end_id)
        try:
            transfer = client.v1.transfers.create(params, options={"idempotency_key": item.idempotency_key})
        except RETRYABLE as error:
            item.last_error = f"{error.__class__.__name__}: {error}"[:2000]
            item.save(update_fields=["attempts", "last_error", "updated_at"])
            return 0
        except stripe.StripeError as error:
            item.last_error = f"{error.__class__.__name__}: {error}"[:2000]
            item.save(update_fields=["attempts", "last_error", "updated_at"])
            back_to_balance(item.pk, status=ItemStatus.FAILED, reason=str(getattr(error, "user_message", None) or error), actor=STRIPE_ACTOR)
            return 0
        item.status, item.stripe_transfer_id, item.paid_at, item.last_error = ItemStatus.PAID, transfer.id, timezone.now(), ""
        item.save(update_fields=["status", "stripe_transfer_id", "paid_at", "attempts", "last_error", "updated_at"])
        items_changed(PayoutItem.objects.filter(pk=item.pk))
    return 1
