"""State changes of the ledger besides crediting (`crediting`): parked events tried again,
house customers given a sponsor. See docs/ledger.md for the rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from saleor_mlm.core.errors import DomainError
from saleor_mlm.installations.models import Installation
from saleor_mlm.network.models import Customer, Partner

from . import customers as ledger_customers
from .crediting import CreditOutcome, credit_order_event
from .error_codes import LedgerErrorCode
from .models import ParkedOrderEvent

# ------------------------------------------------------------------ parked events


@dataclass(frozen=True)
class RetryResult:
    credited: int
    still_parked: int


def retry_parked(installation: Installation) -> RetryResult:
    """Try every unresolved parked event of the installation again (after a rates
    import, or after metadata was fixed and the order re-delivered). Each event runs in
    its own transaction: one that still fails does not hold back the others."""
    event_ids = list(
        ParkedOrderEvent.objects.filter(installation=installation, resolved_at__isnull=True)
        .order_by("order_event__issued_at", "order_event_id")
        .values_list("order_event_id", flat=True)
    )
    credited = still_parked = 0
    for event_id in event_ids:
        result = credit_order_event(event_id)
        if result.outcome == CreditOutcome.PARKED:
            still_parked += 1
        else:
            credited += 1
    return RetryResult(credited, still_parked)


# ------------------------------------------------------------------ house customers


def assign_house_customer(customer: Customer, partner: Partner, changed_by: str, reason: str) -> Customer:
    """The merchant gives a house customer a sponsor.

    Nothing in the ledger moves: the customer's entries stay on the customer, and the
    engine attaches a customer's own volume to its sponsor (and Betreuer) in force when
    the period is rolled up. So the customer's volume of every open period counts for the
    new sponsor from now on; closed periods keep the figures they were closed with.
    """
    if customer.installation_id != partner.installation_id:
        raise DomainError(LedgerErrorCode.WRONG_INSTALLATION, _("The customer and the partner belong to different shops."))
    if customer.sponsor_id is not None:
        raise DomainError(
            LedgerErrorCode.NOT_HOUSE_CUSTOMER,
            _("%(customer)s is a customer of partner %(sponsor_id)s already; move it in the network instead.")
            % {"customer": customer, "sponsor_id": customer.sponsor_id},
            field="customer",
        )
    return ledger_customers.assign_house_customer(customer, partner, changed_by=changed_by, reason=reason)
