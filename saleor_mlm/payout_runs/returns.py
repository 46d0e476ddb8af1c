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
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saleor_mlm.core.errors import DomainError, required
from saleor_mlm.credit_notes.fetch import in_force
from saleor_mlm.credit_notes.issue import cancel_credit_note
from saleor_mlm.credit_notes.models import CreditNote
from saleor_mlm.credit_notes.tasks import enqueue_rendering
from saleor_mlm.payouts.actions import credit_returned_payout
from saleor_mlm.payouts.error_codes import PayoutErrorCode

from . import ItemStatus
from .models import PayoutItem

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
        if status == ItemStatus.FAILED:
            item.failed_at = now
        else:
            item.returned_at = now
        item.save(update_fields=["status", "return_reason", "balance_adjustment", "failed_at", "returned_at", "updated_at"])
    return item
