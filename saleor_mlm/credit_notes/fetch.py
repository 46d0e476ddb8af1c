"""Reading issued documents."""

from __future__ import annotations

from .document import DocumentKind
from .models import CreditNote


def in_force(queryset):
    """The documents that stand: neither a cancellation nor cancelled."""
    return queryset.exclude(kind=DocumentKind.CANCELLATION).filter(cancellations__isnull=True)


def in_force_credit_note(period_id: int, partner_id: int) -> CreditNote | None:
    """The document in force that pays a partner's period (the newest, after corrections)."""
    return in_force(CreditNote.objects.filter(period_id=period_id, partner_id=partner_id)).order_by("-year", "-sequence").first()
