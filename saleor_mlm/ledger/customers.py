"""Writing what attribution decided about a customer, through the network domain.

The network owns customers and their sponsors; the ledger only asks it to create a
customer with a sponsor, or to give a house customer one. Both run under the network's
locks, and the first attribution sticks: if another order of the same person attached it
meanwhile, that sponsor is kept and the rule becomes "known customer".
"""

from __future__ import annotations

from saleor_mlm.network import AttributionSource, ChangedBy
from saleor_mlm.network.models import Customer, Partner
from saleor_mlm.orders.models import OrderRecord

from . import AttributionRule
from .attribution import Buyer

SOURCE_BY_RULE = {
    AttributionRule.VOUCHER: AttributionSource.VOUCHER,
    AttributionRule.REFERRAL_METADATA: AttributionSource.REFERRAL_METADATA,
    AttributionRule.CUSTOMER_METADATA: AttributionSource.CUSTOMER_METADATA,
    AttributionRule.HOUSE: AttributionSource.NONE,
}


def attach_customer(
    order: OrderRecord, buyer: Buyer, *, customer: Customer | None, sponsor: Partner | None, rule: str, reason: str
) -> tuple[Customer, str]:
    """The customer node of the order and the rule that in the end applied."""
    from saleor_mlm.network.actions import customers as network_customers

    source = SOURCE_BY_RULE[rule]
    if customer is None:
        customer, created = network_customers.get_or_create_customer(
            installation_id=order.installation_id,
            saleor_user_id=buyer.user_id,
            email=buyer.email,
            sponsor=sponsor,
            source=source,
            changed_by=ChangedBy.SYSTEM,
            reason=reason,
        )
        if not created and customer.sponsor_id is not None and customer.sponsor_id != getattr(sponsor, "pk", None):
            return customer, AttributionRule.KNOWN_CUSTOMER
        if not created and customer.sponsor_id is None and sponsor is not None:
            customer = _attach_house_customer(customer, sponsor, source, reason)
    elif sponsor is not None:
        customer = _attach_house_customer(customer, sponsor, source, reason)
    if customer.sponsor_id is None:
        return customer, AttributionRule.HOUSE
    if sponsor is not None and customer.sponsor_id == sponsor.pk:
        return customer, rule
    return customer, AttributionRule.KNOWN_CUSTOMER


def _attach_house_customer(customer: Customer, sponsor: Partner, source: str, reason: str) -> Customer:
    """A house customer who now comes with a partner's code is attached to that partner
    (a house customer has no sponsor to protect). If someone attached it meanwhile, that
    sponsor stays."""
    from saleor_mlm.network.actions import customers as network_customers

    return network_customers.attribute_customer(
        customer, sponsor, source=source, changed_by=ChangedBy.SYSTEM, reason=reason, only_if_house=True
    )


def assign_house_customer(customer: Customer, partner: Partner, *, changed_by: str, reason: str) -> Customer:
    from saleor_mlm.network.actions import customers as network_customers

    return network_customers.assign_house_customer(customer, partner, changed_by=changed_by, reason=reason)
