"""What the packages above the payout runs learn of an item's change.

The payout runs do not import them (docs/architecture.md, "Layers"): settings name their
steps (`core.steps`). `items_changed` runs those of `settings.PAYOUT_ITEM_STEPS`,
`step(items)` with a queryset of the items, inside the change's transaction, when items are
paid (a Stripe Transfer created, a SEPA file executed), fail or come back, or a part of a
Transfer is reversed (the e-mails to partners). A queryset, not ids: a SEPA file may pay a
hundred thousand items, more than a statement's bind parameters allow.
"""

from __future__ import annotations

from django.db.models import QuerySet

from saleor_mlm.core.steps import run_steps

from .models import PayoutItem


def items_changed(items: QuerySet[PayoutItem]) -> None:
    run_steps("PAYOUT_ITEM_STEPS", items)
