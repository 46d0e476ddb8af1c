"""Who an order's volume belongs to. Reads only; `actions` writes what is decided.

Rules, first match wins (docs/ledger.md):

1. The buyer is a partner, found by the order's Saleor user id, then by the order's
   e-mail: the order is the partner's own volume.
2. The buyer is a known customer (by Saleor user id, then e-mail) with a sponsor: the
   customer stays with that sponsor, whatever code the order carries (customer
   protection, Kundenschutz: the first attribution sticks).
3. A new customer (or a known house customer, who has no sponsor to protect) is taken
   by the partner of the order's voucher code, else of the order metadata
   `mlm_referral_code` (storefronts set it from a referral link), else of the Saleor
   customer's metadata under the same key.
4. Nobody: a house customer. Its volume is recorded on the customer and credited to
   nobody until the merchant assigns a sponsor.

Codes match case-insensitively. A voucher code matches a partner's voucher code, else
its referral code (some shops use the referral code as the voucher code). Codes of
terminated partners are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

from saleor_mlm.network import PartnerStatus
from saleor_mlm.network.models import Customer, Partner
from saleor_mlm.orders.models import OrderRecord

from . import AttributionRule
from .volume import metadata_dict


@dataclass(frozen=True)
class Buyer:
    """Who placed the order, as the order tells it."""

    installation_id: int
    user_id: str
    email: str
    voucher_code: str
    order_metadata: dict
    user_metadata: dict

    @classmethod
    def of(cls, order: OrderRecord) -> Buyer:
        return cls(
            installation_id=order.installation_id,
            user_id=(order.user_id or "").strip(),
            email=(order.user_email or "").strip(),
            voucher_code=(order.voucher_code or "").strip(),
            order_metadata=metadata_dict(order.metadata),
            user_metadata=metadata_dict(order.user_metadata),
        )


@dataclass(frozen=True)
class Decision:
    """The outcome of the rules. Exactly one of `partner` (the buyer is that partner),
    `customer` (an existing customer) or neither (a customer to create) is the node;
    `sponsor` is the partner a new or house customer is to be attached to."""

    rule: str
    partner: Partner | None = None
    customer: Customer | None = None
    sponsor: Partner | None = None


def find_partner_buyer(buyer: Buyer) -> tuple[Partner | None, str]:
    partners = Partner.objects.filter(installation_id=buyer.installation_id)
    if buyer.user_id:
        partner = partners.filter(saleor_user_id=buyer.user_id).first()
        if partner:
            return partner, AttributionRule.PARTNER_USER
    if buyer.email:
        # E-mail is not unique among partners; the earliest enrolled one is the person.
        partner = partners.filter(email__iexact=buyer.email).order_by("enrolled_at", "id").first()
        if partner:
            return partner, AttributionRule.PARTNER_EMAIL
    return None, ""


def find_customer(buyer: Buyer) -> Customer | None:
    customers = Customer.objects.filter(installation_id=buyer.installation_id).select_related("sponsor")
    if buyer.user_id:
        customer = customers.filter(saleor_user_id=buyer.user_id).first()
        if customer:
            return customer
    if buyer.email:
        # A guest checkout's customer (no user id) or the same user under its e-mail.
        # A customer holding another Saleor user id is another person with the same
        # address; it is not taken.
        matches = customers.filter(email__iexact=buyer.email)
        if buyer.user_id:
            matches = matches.filter(saleor_user_id__in=["", buyer.user_id])
        return matches.order_by("id").first()
    return None


def partner_by_code(installation_id: int, code: str, *, voucher: bool) -> Partner | None:
    code = (code or "").strip()
    if not code:
        return None
    # A terminated partner's code no longer recruits (the network refuses it as sponsor).
    partners = Partner.objects.filter(installation_id=installation_id).exclude(status=PartnerStatus.TERMINATED)
    if voucher:
        partner = partners.filter(voucher_code__iexact=code).order_by("id").first()
        if partner:
            return partner
    return partners.filter(referral_code__iexact=code).order_by("id").first()


def find_code_partner(buyer: Buyer, referral_key: str) -> tuple[Partner | None, str]:
    """Rule 3: the partner a new customer is attached to, and the rule that found it."""
    partner = partner_by_code(buyer.installation_id, buyer.voucher_code, voucher=True)
    if partner:
        return partner, AttributionRule.VOUCHER
    partner = partner_by_code(buyer.installation_id, str(buyer.order_metadata.get(referral_key) or ""), voucher=False)
    if partner:
        return partner, AttributionRule.REFERRAL_METADATA
    partner = partner_by_code(buyer.installation_id, str(buyer.user_metadata.get(referral_key) or ""), voucher=False)
    if partner:
        return partner, AttributionRule.CUSTOMER_METADATA
    return None, AttributionRule.HOUSE


def decide(buyer: Buyer, referral_key: str) -> Decision:
    partner, rule = find_partner_buyer(buyer)
    if partner:
        return Decision(rule=rule, partner=partner)
    customer = find_customer(buyer)
    if customer is not None and customer.sponsor_id is not None:
        return Decision(rule=AttributionRule.KNOWN_CUSTOMER, customer=customer, sponsor=customer.sponsor)
    sponsor, rule = find_code_partner(buyer, referral_key)
    return Decision(rule=rule, customer=customer, sponsor=sponsor)
