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

from django.db.models import Q

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


# ------------------------------------------------------------------ many orders at once


class KnownBuyers:
    """The partners and customers behind many orders' buyers, read in four queries, for
    crediting a batch of payments (`ledger.batch`).

    `decide(buyer)` gives what `decide` above gives when the rules end at rule 1 or 2 (the
    buyer is a partner, or a customer with a sponsor): those need no write. For a new or
    house customer it gives None: creating or attaching the customer is left to the
    per-order path, which also sees customers created by earlier orders of the batch.
    Addresses with other than ASCII letters also get None: PostgreSQL's UPPER and
    Python's `str.upper` differ on some of them (ß), and the per-order path asks the
    database itself.
    """

    def __init__(self, installation_id: int, buyers: list[Buyer]):
        from django.db.models.functions import Upper

        user_ids = sorted({buyer.user_id for buyer in buyers if buyer.user_id})
        emails = sorted({buyer.email.upper() for buyer in buyers if buyer.email and buyer.email.isascii()})
        partners = Partner.objects.filter(installation_id=installation_id)
        customers = Customer.objects.filter(installation_id=installation_id)
        self.partner_by_user = dict(partners.filter(saleor_user_id__in=user_ids).values_list("saleor_user_id", "id"))
        self.partner_by_email: dict[str, int] = {}
        rows = (
            partners.annotate(email_ci=Upper("email"))
            .filter(email_ci__in=emails)
            .order_by("-enrolled_at", "-id")  # the earliest enrolled comes last and wins
            .values_list("email_ci", "id")
        )
        for email, partner_id in rows:
            self.partner_by_email[email] = partner_id
        self.customer_by_user = {
            user_id: (customer_id, sponsor_id)
            for user_id, customer_id, sponsor_id in customers.filter(saleor_user_id__in=user_ids).values_list(
                "saleor_user_id", "id", "sponsor_id"
            )
        }
        # Per address: the customers in id order, with their Saleor user id.
        self.customers_by_email: dict[str, list[tuple[int, str, int | None]]] = {}
        rows = (
            customers.annotate(email_ci=Upper("email"))
            .filter(email_ci__in=emails)
            .order_by("id")
            .values_list("email_ci", "id", "saleor_user_id", "sponsor_id")
        )
        for email, customer_id, user_id, sponsor_id in rows:
            self.customers_by_email.setdefault(email, []).append((customer_id, user_id, sponsor_id))

    def decide(self, buyer: Buyer) -> Decision | None:
        if not _readable(buyer):
            return None
        partner = self._partner(buyer)
        if partner is not None:
            return partner
        customer = self._customer(buyer)
        if customer is None or customer[1] is None:
            return None  # a new or a house customer: see house_customer and unknown
        customer_id, sponsor_id = customer
        return Decision(
            rule=AttributionRule.KNOWN_CUSTOMER,
            customer=Customer(pk=customer_id, sponsor_id=sponsor_id),
            sponsor=Partner(pk=sponsor_id),
        )

    def house_customer(self, buyer: Buyer) -> Customer | None:
        """The buyer's customer when it is a house customer (no sponsor) and the buyer is
        no partner; None otherwise."""
        if not _readable(buyer) or self._partner(buyer) is not None:
            return None
        customer = self._customer(buyer)
        return Customer(pk=customer[0]) if customer is not None and customer[1] is None else None

    def unknown(self, buyer: Buyer) -> bool:
        """Neither a partner nor any customer that the rules would take for the buyer: a
        customer to create (rule 3 or 4)."""
        return _readable(buyer) and self._partner(buyer) is None and self._customer(buyer) is None

    def _partner(self, buyer: Buyer) -> Decision | None:
        """`find_partner_buyer`: by Saleor user id, then by e-mail."""
        if buyer.user_id and buyer.user_id in self.partner_by_user:
            return Decision(rule=AttributionRule.PARTNER_USER, partner=Partner(pk=self.partner_by_user[buyer.user_id]))
        email = buyer.email.upper()
        if email and email in self.partner_by_email:
            return Decision(rule=AttributionRule.PARTNER_EMAIL, partner=Partner(pk=self.partner_by_email[email]))
        return None

    def _customer(self, buyer: Buyer) -> tuple[int, int | None] | None:
        """`find_customer`: (customer id, sponsor id) or None."""
        if buyer.user_id and buyer.user_id in self.customer_by_user:
            return self.customer_by_user[buyer.user_id]
        email = buyer.email.upper()
        if not email:
            return None
        return next(
            (
                (customer_id, sponsor_id)
                for customer_id, user_id, sponsor_id in self.customers_by_email.get(email, ())
                if not buyer.user_id or user_id in ("", buyer.user_id)
            ),
            None,
        )


def _readable(buyer: Buyer) -> bool:
    """An address Python upper-cases as PostgreSQL does (see KnownBuyers)."""
    return not buyer.email or buyer.email.isascii()


class CodePartners:
    """`find_code_partner` for many buyers: the partners of all their codes in two queries.
    `find(buyer)` is None when a code is not plain ASCII (the one-by-one path asks the
    database, whose UPPER may differ from Python's)."""

    def __init__(self, installation_id: int, buyers: list[Buyer], referral_key: str):
        from django.db.models.functions import Upper

        self.referral_key = referral_key
        codes = set()
        for buyer in buyers:
            codes.update(code.upper() for code in self._codes(buyer) if code and code.isascii())
        partners = Partner.objects.filter(installation_id=installation_id).exclude(status=PartnerStatus.TERMINATED)
        self.by_voucher: dict[str, Partner] = {}
        self.by_referral: dict[str, Partner] = {}
        rows = (
            partners.annotate(voucher_ci=Upper("voucher_code"), referral_ci=Upper("referral_code"))
            .filter(Q(voucher_ci__in=codes) | Q(referral_ci__in=codes))
            .order_by("-id")  # the lowest id comes last and wins, as `.order_by("id").first()`
        )
        for partner in rows:
            if partner.voucher_ci in codes:
                self.by_voucher[partner.voucher_ci] = partner
            if partner.referral_ci in codes:
                self.by_referral[partner.referral_ci] = partner

    def _codes(self, buyer: Buyer) -> tuple[str, str, str]:
        return (
            (buyer.voucher_code or "").strip(),
            str(buyer.order_metadata.get(self.referral_key) or "").strip(),
            str(buyer.user_metadata.get(self.referral_key) or "").strip(),
        )

    def find(self, buyer: Buyer) -> tuple[Partner | None, str] | None:
        voucher, order_code, user_code = self._codes(buyer)
        if not all(code.isascii() for code in (voucher, order_code, user_code)):
            return None
        voucher, order_code, user_code = voucher.upper(), order_code.upper(), user_code.upper()
        if voucher and (partner := self.by_voucher.get(voucher) or self.by_referral.get(voucher)):
            return partner, AttributionRule.VOUCHER
        if order_code and (partner := self.by_referral.get(order_code)):
            return partner, AttributionRule.REFERRAL_METADATA
        if user_code and (partner := self.by_referral.get(user_code)):
            return partner, AttributionRule.CUSTOMER_METADATA
        return None, AttributionRule.HOUSE
