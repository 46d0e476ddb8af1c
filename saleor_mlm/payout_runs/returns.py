"""Payouts that did not arrive go back onto the partner's balance.

A Stripe Transfer refused (`failed`), a Transfer reversed (`transfer.reversed`) or a SEPA
transfer the bank rejected or returned (`returned`): in one transaction, under the item's
row lock,

1. the item's credit note is cancelled (a cancellation document, no replacement): the money
   it documents was not paid, so it does not stand;
2. its net becomes an adjustment of the open period (`payouts.actions.credit_returned_payout`),
   approved by whoever recorded the return: the partner's next statement shows it and the
   next credit note documents it again, with the VAT of that day;
3. the item records the state, when, why and the adjustment.

Recording the same return twice changes nothing (the item is already returned).

A Stripe Transfer reversed in part (`reversed_in_part`; Stripe's `transfer.reversed` with
`amount_reversed` below the amount) leaves the rest paid. The credit note in force must
document what the partner received, no more: it is cancelled and reissued for the part that
stays paid (`credit_notes.issue.cancel_credit_note` with a correction line "Adjustment:
payout returned in part"), and the difference of the two documents' nets goes back on the
balance of the open period, as a full return does. The item then pays the reissued document.
Stripe's `amount_reversed` is the total reversed so far: each event records the part beyond
the total already recorded (`PayoutReversal`), a redelivery or an older event records nothing,
and a total that reaches the amount is the full return above (of the document in force).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from saleor_mlm.core.currency import currency_digits, to_decimal
from saleor_mlm.core.errors import DomainError, required
from saleor_mlm.credit_notes import LineKind
from saleor_mlm.credit_notes.fetch import in_force
from saleor_mlm.credit_notes.issue import cancel_credit_note, vat_amount
from saleor_mlm.credit_notes.models import CreditNote
from saleor_mlm.credit_notes.tasks import enqueue_rendering
from saleor_mlm.credit_notes.texts import line_description
from saleor_mlm.payouts.actions import credit_returned_payout
from saleor_mlm.payouts.error_codes import PayoutErrorCode

from . import ItemStatus
from .events import items_changed
from .models import PayoutItem, PayoutReversal

# The states an item may come back from.
RETURNABLE = {ItemStatus.FAILED: (ItemStatus.SENT,), ItemStatus.RETURNED: (ItemStatus.SENT, ItemStatus.PAID)}


def back_to_balance(item_id: int, *, status: str, reason: str, actor: str) -> PayoutItem:
    """Mark the item failed or returned and put its amount back on the balance (see above)."""
    reason = required(reason, "reason", code=PayoutErrorCode.REQUIRED)
    actor = required(actor, "actor", code=PayoutErrorCode.REQUIRED)
    with transaction.atomic():
        item = PayoutItem.objects.select_for_update().select_related("installation", "partner").get(pk=item_id)
        if item.status == status:
            return item
        if item.status not in RETURNABLE[status]:
            raise DomainError(
                PayoutErrorCode.INVALID_STATUS,
                _("The payout of %(number)s is %(status)s: it cannot be marked %(new)s.") % {"number": item.end_to_end_id, "status": item.status, "new": status},
            )
        note = CreditNote.objects.get(pk=item.credit_note_id)
        text = _("Payout of %(number)s returned: %(reason)s") % {"number": note.number, "reason": reason}
        if in_force(CreditNote.objects.filter(pk=note.pk)).exists():
            cancellation, _replacement = cancel_credit_note(item.installation, note, reason=text, cancelled_by=actor, reissue=False)
            enqueue_rendering([cancellation.pk])
        adjustment = credit_returned_payout(item.installation, item.partner, note.net, text, actor)
        now = timezone.now()
        item.status, item.return_reason, item.balance_adjustment = status, reason, adjustment
        if status == ItemStatus.RETURNED and item.stripe_transfer_id:
            item.amount_reversed = item.amount
        if status == ItemStatus.FAILED:
            item.failed_at = now
        else:
            item.returned_at = now
        item.save(
            update_fields=["status", "return_reason", "balance_adjustment", "amount_reversed", "failed_at", "returned_at", "updated_at"]
        )
        items_changed(PayoutItem.objects.filter(pk=item.pk))
    return item


def net_of_gross(gross: Decimal, vat_rate: Decimal, currency: str) -> Decimal:
    """The net whose document has exactly this gross (net + VAT rounded half up), when one
    has; else the nearest (VAT rounding skips some grosses: a cent apart at most)."""
    estimate = to_decimal(gross * 100 / (100 + vat_rate), currency)
    cent = Decimal(1).scaleb(-currency_digits(currency))
    candidates = (estimate, estimate - cent, estimate + cent)
    return min(candidates, key=lambda net: (abs(net + vat_amount(net, vat_rate, currency) - gross), net != estimate))


def record_stripe_reversal(item_id: int, *, total_reversed: Decimal, reason: str, actor: str) -> PayoutItem:
    """Stripe says `total_reversed` of the item's Transfer is reversed by now: the whole
    (`back_to_balance`) or a part (`reversed_in_part`); nothing when already recorded."""
    with transaction.atomic():
        item = PayoutItem.objects.select_for_update().get(pk=item_id)
        if item.status == ItemStatus.RETURNED or total_reversed <= item.amount_reversed:
            return item  # recorded already (a redelivery, or an older event arriving late)
        if total_reversed >= item.amount:
            return back_to_balance(item.pk, status=ItemStatus.RETURNED, reason=reason, actor=actor)
        return reversed_in_part(item, total_reversed=total_reversed, reason=reason, actor=actor)


def reversed_in_part(item: PayoutItem, *, total_reversed: Decimal, reason: str, actor: str) -> PayoutItem:
    """Record a part of a paid Transfer reversed (see above); `item` is locked by the caller."""
    if item.status != ItemStatus.PAID:
        raise DomainError(
            PayoutErrorCode.INVALID_STATUS,
            _("The payout of %(number)s is %(status)s: only a paid transfer is reversed in part.")
            % {"number": item.end_to_end_id, "status": item.status},
        )
    part = total_reversed - item.amount_reversed
    note = CreditNote.objects.get(pk=item.credit_note_id)
    amount = to_decimal(part, item.currency)
    text = _("Payout of %(number)s returned in part (%(amount)s %(currency)s): %(reason)s") % {
        "number": note.number,
        "amount": amount,
        "currency": item.currency,
        "reason": reason,
    }
    with override(note.language):  # the document's line in the document's language
        line_text = _("Payout of %(number)s returned in part (%(amount)s %(currency)s)") % {
            "number": note.number,
            "amount": amount,
            "currency": item.currency,
        }
    stays_paid = net_of_gross(item.amount - total_reversed, note.vat_rate, note.currency)
    correction = [
        {
            "kind": LineKind.ADJUSTMENT,
            "description": line_description(LineKind.ADJUSTMENT, note.language, line_text),
            "net": stays_paid - note.net,
        }
    ]
    cancellation, replacement = cancel_credit_note(item.installation, note, reason=text, cancelled_by=actor, correction=correction)
    assert replacement is not None  # reissued
    enqueue_rendering([cancellation.pk, replacement.pk])
    adjustment = credit_returned_payout(item.installation, item.partner, note.net - replacement.net, text, actor)
    PayoutReversal.objects.create(
        item=item,
        installation_id=item.installation_id,
        amount=part,
        total_reversed=total_reversed,
        cancellation=cancellation,
        replacement=replacement,
        balance_adjustment=adjustment,
        reason=reason,
        recorded_by=actor,
    )
    item.credit_note, item.amount_reversed = replacement, total_reversed
    item.save(update_fields=["credit_note", "amount_reversed", "updated_at"])
    items_changed(PayoutItem.objects.filter(pk=item.pk))
    return item
