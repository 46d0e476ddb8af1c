"""Writing what attribution decided about a customer, through the network domain.

The network owns customers and their sponsors (`network.actions`); the ledger asks it to
find or create the buyer's customer and to attach it to the partner whose code the order
carries. Both run under the network's locks, and the first attribution sticks: if another
order of the same person attached the customer meanwhile, that sponsor is kept and the
rule becomes "known customer".
"""

from __future__ import annotations

from saleor_mlm.core.errors import DomainError
from saleor_mlm.installations.models import Installation
from saleor_mlm.network import AttributionSource, ChangedBy
from saleor_mlm.network import actions as network_actions
from saleor_mlm.network.error_codes import NetworkErrorCode
from saleor_mlm.network.models import Customer, Partner

from . import AttributionRule
from .attribution import Buyer

SOURCE_BY_RULE = {
    AttributionRule.VOUCHER: AttributionSource.VOUCHER,
    AttributionRule.REFERRAL_METADATA: AttributionSource.REFERRAL_METADATA,
    AttributionRule.CUSTOMER_METADATA: AttributionSource.CUSTOMER_METADATA,
}


def attach_customer(
    installation: Installation, buyer: Buyer, *, customer: Customer | None, sponsor: Partner | None, rule: str, reason: str
) -> tuple[Customer, str]:
    """The customer node of the order and the rule that in the end applied.

    `customer` is the buyer's customer if one exists (then it has no sponsor: a house
    customer), `sponsor` the partner found by a code (None: house customer)."""
    if customer is None:
        customer, _ = network_actions.get_or_create_customer(installation, saleor_user_id=buyer.user_id, email=buyer.email)
    if sponsor is None:
        return customer, (AttributionRule.KNOWN_CUSTOMER if customer.sponsor_id else AttributionRule.HOUSE)
    try:
        change = network_actions.assign_house_customer(
            customer, sponsor, changed_by=ChangedBy.SYSTEM, reason=reason, source=SOURCE_BY_RULE[rule]
        )
    except DomainError as exc:
        if exc.error_code != NetworkErrorCode.CUSTOMER_PROTECTED:
            raise
        # Another order of the same person attached it first: that attribution sticks.
        return Customer.objects.select_related("sponsor").get(pk=customer.pk), AttributionRule.KNOWN_CUSTOMER
    node = change.node
    if change.changed:
        return node, rule
    # Nothing changed: the customer had this very sponsor already.
    return node, AttributionRule.KNOWN_CUSTOMER


def assign_house_customer(customer: Customer, partner: Partner, *, changed_by: str, reason: str) -> Customer:
    change = network_actions.assign_house_customer(customer, partner, changed_by=changed_by, reason=reason)
    return change.node
