"""Who an order's volume belongs to. Reads only; `crediting` writes what is decided.

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

The rules are written once, in `BuyerLookups.decide`, over lookups that read the partners,
customers and code partners of many buyers at once: a batch of payments is decided with
the queries of one payment (`crediting`), and a Saleor account as one buyer with no order
(`customer_events`, through `find_partner_buyer`, `find_customer`, `find_code_partner`).
Case-insensitive matches compare upper-case forms computed as the database computes them
(`core.upper`), so that a batch matches exactly what `__iexact` would.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q
from django.db.models.functions import Upper

from saleor_mlm.core.upper import database_upper
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
    # Rule 4 only: the referral code the order (or its Saleor user) carried that no
    # partner has, kept so the merchant can see and fix a storefront's typo.
    unknown_code: str = ""

    @property
    def writes_customer(self) -> bool:
        """Whether crediting writes the buyer's customer record: it creates a new customer
        (rules 3 and 4), or attaches a house customer to the partner of a code (rule 3).
        A partner, a known customer and a house customer without a code write nothing."""
        if self.partner is not None or self.rule == AttributionRule.KNOWN_CUSTOMER:
            return False
        return self.customer is None or self.sponsor is not None


# The columns the rules, crediting and customer events read of the partners and customers
# they find (the network's actions reload the rows they write): a batch reads one row per
# buyer, and the timestamps left out were a good part of the cost of reading them.
PARTNER_FIELDS = ("id", "installation_id", "saleor_user_id", "email", "first_name", "last_name", "referral_code", "voucher_code", "status")
CUSTOMER_FIELDS = ("id", "installation_id", "saleor_user_id", "email", "first_name", "last_name", "attribution_source", "sponsor")


class BuyerLookups:
    """The partners, customers and code partners behind the buyers of one installation.

    Each part is read the first time it is asked for, for all buyers at once: partners by
    Saleor user id and by e-mail (two queries), customers likewise (two), partners by code
    (one). By e-mail only where the user id found nothing, and customers only of buyers who
    are no partners, as the rules ask. Only the buyers given are answered for.
    """

    def __init__(self, installation_id: int, buyers: list[Buyer], referral_key: str = ""):
        self.installation_id = installation_id
        self.buyers = buyers
        self.referral_key = referral_key

    # ------------------------------------------------------------------ the rules

    def decide(self, buyer: Buyer) -> Decision:
        """Rules 1 to 4 (module docstring), first match wins."""
        partner, rule = self.partner(buyer)
        if partner is not None:
            return Decision(rule=rule, partner=partner)
        customer = self.customer(buyer)
        if customer is not None and customer.sponsor_id is not None:
            return Decision(rule=AttributionRule.KNOWN_CUSTOMER, customer=customer, sponsor=customer.sponsor)
        sponsor, rule = self.code_partner(buyer)
        unknown_code = self.unknown_referral_code(buyer) if rule == AttributionRule.HOUSE else ""
        return Decision(rule=rule, customer=customer, sponsor=sponsor, unknown_code=unknown_code)

    def partner(self, buyer: Buyer) -> tuple[Partner | None, str]:
        """Rules 1 and 2: the buyer's partner record, by Saleor user id, then by e-mail
        (not unique among partners: the earliest enrolled one is the person)."""
        by_user, by_email = self._partners
        if buyer.user_id and buyer.user_id in by_user:
            return by_user[buyer.user_id], AttributionRule.PARTNER_USER
        partner = by_email.get(self._email_upper.get(buyer.email)) if buyer.email else None
        if partner is not None:
            return partner, AttributionRule.PARTNER_EMAIL
        return None, ""

    def customer(self, buyer: Buyer) -> Customer | None:
        """The buyer's customer record (with its sponsor): by Saleor user id, else by
        e-mail. By e-mail, a guest checkout's customer (no user id) or the same user's; a
        customer holding another Saleor user id is another person with the same address."""
        by_user, by_email = self._customers
        if buyer.user_id and buyer.user_id in by_user:
            return by_user[buyer.user_id]
        if not buyer.email:
            return None
        for customer in by_email.get(self._email_upper.get(buyer.email), ()):  # in id order
            if not buyer.user_id or customer.saleor_user_id in ("", buyer.user_id):
                return customer
        return None

    def code_partner(self, buyer: Buyer) -> tuple[Partner | None, str]:
        """Rule 3: the partner a new (or house) customer is attached to, and the rule that
        found it; (None, HOUSE) for rule 4."""
        by_voucher, by_referral, upper = self._code_partners
        voucher, order_code, user_code = (upper.get(code, "") for code in self._codes(buyer))
        if voucher and (partner := by_voucher.get(voucher) or by_referral.get(voucher)):
            return partner, AttributionRule.VOUCHER
        if order_code and (partner := by_referral.get(order_code)):
            return partner, AttributionRule.REFERRAL_METADATA
        if user_code and (partner := by_referral.get(user_code)):
            return partner, AttributionRule.CUSTOMER_METADATA
        return None, AttributionRule.HOUSE

    def unknown_referral_code(self, buyer: Buyer) -> str:
        """The referral code of the order's metadata, else of the user's, as carried (for
        rule 4, where no partner has it). A voucher code that is nobody's is an ordinary
        discount of the shop, no referral: it is not reported."""
        _voucher, order_code, user_code = self._codes(buyer)
        return (order_code or user_code)[:255]

    # ------------------------------------------------------------------ the reads

    @cached_property
    def _email_upper(self) -> dict[str, str]:
        return database_upper(buyer.email for buyer in self.buyers if buyer.email)

    def _emails(self, buyers: list[Buyer], found_by_user: dict) -> list[str]:
        """The upper-case e-mails of the buyers whose Saleor user id found nothing."""
        return sorted(
            {self._email_upper[buyer.email] for buyer in buyers if buyer.email and not (buyer.user_id and buyer.user_id in found_by_user)}
        )

    @cached_property
    def _partners(self) -> tuple[dict[str, Partner], dict[str, Partner]]:
        partners = Partner.objects.filter(installation_id=self.installation_id).only(*PARTNER_FIELDS)
        user_ids = sorted({buyer.user_id for buyer in self.buyers if buyer.user_id})
        by_user: dict[str, Partner] = {}
        if user_ids:
            by_user = {partner.saleor_user_id: partner for partner in partners.filter(saleor_user_id__in=user_ids)}
        by_email: dict[str, Partner] = {}
        if emails := self._emails(self.buyers, by_user):
            rows = (
                partners.annotate(email_ci=Upper("email"))
                .filter(email_ci__in=emails)
                .order_by("-enrolled_at", "-id")  # the earliest enrolled comes last and wins
            )
            for partner in rows:
                by_email[partner.email_ci] = partner
        return by_user, by_email

    @cached_property
    def _customers(self) -> tuple[dict[str, Customer], dict[str, list[Customer]]]:
        buyers = self.buyers
        if "_partners" in self.__dict__:
            # Read already: the rules look for the customer of a buyer who is no partner only.
            buyers = [buyer for buyer in buyers if self.partner(buyer)[0] is None]
        customers = (
            Customer.objects.filter(installation_id=self.installation_id)
            .select_related("sponsor")
            .only(*CUSTOMER_FIELDS, *(f"sponsor__{name}" for name in PARTNER_FIELDS))
        )
        user_ids = sorted({buyer.user_id for buyer in buyers if buyer.user_id})
        by_user: dict[str, Customer] = {}
        if user_ids:
            by_user = {customer.saleor_user_id: customer for customer in customers.filter(saleor_user_id__in=user_ids)}
        by_email: dict[str, list[Customer]] = {}
        if emails := self._emails(buyers, by_user):
            for customer in customers.annotate(email_ci=Upper("email")).filter(email_ci__in=emails).order_by("id"):
                by_email.setdefault(customer.email_ci, []).append(customer)
        return by_user, by_email

    def _codes(self, buyer: Buyer) -> tuple[str, str, str]:
        """The voucher code, and the referral codes of the order's and the user's metadata."""
        return (
            (buyer.voucher_code or "").strip(),
            str(buyer.order_metadata.get(self.referral_key) or "").strip(),
            str(buyer.user_metadata.get(self.referral_key) or "").strip(),
        )

    @cached_property
    def _code_partners(self) -> tuple[dict[str, Partner], dict[str, Partner], dict[str, str]]:
        """Partners by voucher code and by referral code, upper-cased (the lowest id wins
        a code two partners share), and the buyers' codes upper-cased."""
        upper = database_upper(code for buyer in self.buyers for code in self._codes(buyer) if code)
        by_voucher: dict[str, Partner] = {}
        by_referral: dict[str, Partner] = {}
        codes = set(upper.values())
        if codes:
            # A terminated partner's code no longer recruits (the network refuses it as sponsor).
            rows = (
                Partner.objects.filter(installation_id=self.installation_id)
                .only(*PARTNER_FIELDS)
                .exclude(status=PartnerStatus.TERMINATED)
                .annotate(voucher_ci=Upper("voucher_code"), referral_ci=Upper("referral_code"))
                .filter(Q(voucher_ci__in=sorted(codes)) | Q(referral_ci__in=sorted(codes)))
                .order_by("-id")  # the lowest id comes last and wins
            )
            for partner in rows:
                if partner.voucher_ci in codes:
                    by_voucher[partner.voucher_ci] = partner
                if partner.referral_ci in codes:
                    by_referral[partner.referral_ci] = partner
        return by_voucher, by_referral, upper


# ------------------------------------------------------------------ one buyer


def find_partner_buyer(buyer: Buyer) -> tuple[Partner | None, str]:
    return BuyerLookups(buyer.installation_id, [buyer]).partner(buyer)


def find_customer(buyer: Buyer) -> Customer | None:
    return BuyerLookups(buyer.installation_id, [buyer]).customer(buyer)


def find_code_partner(buyer: Buyer, referral_key: str) -> tuple[Partner | None, str]:
    return BuyerLookups(buyer.installation_id, [buyer], referral_key).code_partner(buyer)
