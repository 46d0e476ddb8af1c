"""Stripe's webhook events: stored first, verified with the `stripe` library, processed once.

`POST /api/stripe/webhooks/<installation id>` (the endpoint the merchant registers in Stripe's
dashboard, for the events `account.updated` and `transfer.reversed`):

1. The request is stored as it came (body and `Stripe-Signature`), before anything is
   trusted: `StripeEvent` with status UNVERIFIED.
2. The signature is checked with the installation's webhook signing secret by the `stripe`
   library's own check (`stripe.Webhook.construct_event`: HMAC-SHA256, five minutes of
   tolerance). A request that fails stays UNVERIFIED with the reason and is answered 400.
3. A verified event takes its Stripe id; Stripe delivers an event at least once, so a second
   delivery of an id already processed is answered 200 and its row removed (the first stays).
4. Processing runs in a transaction under the event's row lock: `account.updated` updates the
   partner's Stripe account (`payouts.stripe_connect.apply_account_update`, older events
   change nothing); `transfer.reversed` returns what Stripe reversed of the payout so far
   (its `amount_reversed`, all of it or a part) to the partner's balance
   (`returns.record_stripe_reversal`). Other events are IGNORED. A failure is stored with
   its traceback and answered 500, so that Stripe delivers the event again.
"""

from __future__ import annotations

import json
import traceback
from dataclasses import dataclass

import stripe
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saleor_mlm.core.currency import currency_digits
from saleor_mlm.payouts.balances import from_units, payout_settings
from saleor_mlm.payouts.stripe_connect import apply_account_update

from . import StripeEventStatus
from .models import PayoutItem, StripeEvent
from .returns import record_stripe_reversal

STRIPE_ACTOR = "stripe"


@dataclass(frozen=True)
class Outcome:
    http_status: int
    message: str
    event: StripeEvent | None = None

    def as_json(self) -> dict:
        return {"message": self.message, "status": self.event.status if self.event else None}


def receive_stripe_event(installation_id: int, body: bytes, signature: str) -> Outcome:
    text = body.decode("utf-8", errors="replace")
    stored = StripeEvent.objects.create(installation_id=installation_id, body=text, signature=signature[:500])
    secret = payout_settings(installation_id).stripe_webhook_secret
    if not secret:
        return _refused(stored, _("The shop has not set the Stripe webhook signing secret."))
    try:
        event = stripe.Webhook.construct_event(body, signature, secret)
    except (ValueError, stripe.SignatureVerificationError) as error:
        return _refused(stored, str(error) or error.__class__.__name__)
    try:
        with transaction.atomic():
            StripeEvent.objects.filter(pk=stored.pk).update(
                event_id=event.id, type=event.type, created=event.created, status=StripeEventStatus.RECEIVED
            )
    except IntegrityError:
        stored.delete()  # a second delivery of an event already stored
        original = StripeEvent.objects.get(installation_id=installation_id, event_id=event.id)
        if original.status in StripeEventStatus.DONE:
            return Outcome(200, _("Already processed."), original)
        stored = original
    return process_stripe_event(stored.pk)


def _refused(stored: StripeEvent, reason: str) -> Outcome:
    stored.error = reason[:2000]
    stored.save(update_fields=["error"])
    return Outcome(400, reason, stored)


def process_stripe_event(pk: int) -> Outcome:
    try:
        with transaction.atomic():
            event = StripeEvent.objects.select_for_update().get(pk=pk)
            if event.status in StripeEventStatus.DONE:
                return Outcome(200, _("Already processed."), event)
            event.status = _dispatch(event)
            event.processed_at, event.error = timezone.now(), ""
            event.attempts += 1
            event.save(update_fields=["status", "processed_at", "error", "attempts"])
            return Outcome(200, event.status, event)
    except Exception:
        StripeEvent.objects.filter(pk=pk).update(status=StripeEventStatus.FAILED, error=traceback.format_exc()[-4000:])
        return Outcome(500, _("Processing failed; Stripe will deliver the event again."), StripeEvent.objects.get(pk=pk))


def _dispatch(event: StripeEvent) -> str:
    obj = json.loads(event.body)["data"]["object"]
    if event.type == "account.updated":
        account = apply_account_update(event.installation_id, obj, event.created)
        return StripeEventStatus.PROCESSED if account is not None else StripeEventStatus.IGNORED
    if event.type == "transfer.reversed":
        item = PayoutItem.objects.filter(installation_id=event.installation_id, stripe_transfer_id=obj.get("id", "")).first()
        if item is None:
            return StripeEventStatus.IGNORED  # not a transfer of the app's payouts
        # Stripe's total reversed so far (minor units); a full reversal says `reversed` too.
        total = item.amount if obj.get("reversed") else from_units(int(obj.get("amount_reversed") or 0), currency_digits(item.currency))
        reason = _("Stripe reversed transfer %(transfer)s") % {"transfer": obj["id"]}
        record_stripe_reversal(item.pk, total_reversed=total, reason=reason, actor=STRIPE_ACTOR)
        return StripeEventStatus.PROCESSED
    return StripeEventStatus.IGNORED
