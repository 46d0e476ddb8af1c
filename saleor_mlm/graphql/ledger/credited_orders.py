"""`myCreditedOrders`: the orders whose volume reaches the logged-in partner first-hand.

Three kinds (`role`): the partner's own purchases, the orders of its customers, and the
orders of customers it looks after as Betreuer (care in force now). A customer's volume is
split between its sponsor and its Betreuer by the care share in force (docs/network.md,
"Effective share"), the same share the customers page shows; the order says both sides
and the viewer's. Refunds and cancellations are the ledger's entries of the order.

Only the partner itself asks this (there is no argument naming a partner): another line's
orders cannot be reached. The customer of an order is seen as the partner's own customer
(contact data); its Betreuer or sponsor with the access the partner has to them.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import graphene
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from saleor_mlm.ledger import EntryKind
from saleor_mlm.ledger.models import LedgerEntry, OrderAttribution
from saleor_mlm.network.models import CareAssignment
from saleor_mlm.network.shares import in_force_at

from ..core.connection import CountableConnection, paginate
from ..core.dataloaders import DataLoader
from ..network import dataloaders as network_loaders
from ..network.types import Customer, assignment_effective_share
from ..network.visibility import Access, Visible, viewer_partner
from ..periods.filters import month_argument
from .enums import AttributionRuleEnum, LedgerEntryKindEnum

ORDER_SORT = ["-ordered_at", "-id"]
TAKEN_BACK = (EntryKind.REFUND, EntryKind.CANCELLATION)


class Role:
    """How an order's volume reaches the partner."""

    OWN = "own"  # the partner bought
    SPONSOR = "sponsor"  # a customer of the partner bought (less the Betreuer's share)
    BETREUER = "betreuer"  # a customer the partner looks after bought (the care share)


CreditedOrderRole = graphene.Enum(
    "CreditedOrderRole",
    [("OWN", Role.OWN), ("SPONSOR", Role.SPONSOR), ("BETREUER", Role.BETREUER)],
    description="How an order's volume reaches the partner: its own order, its customer's, or of a customer it looks after.",
)


class EntriesByOrderIdLoader(DataLoader):
    """The default program's ledger entries per order (docs/programs.md), oldest first."""

    def batch_load(self, keys):
        found: dict[int, list] = defaultdict(list)
        entries = LedgerEntry.objects.filter(order_id__in=keys, program__isnull=True).select_related("source_event").order_by("pk")
        for entry in entries:
            found[entry.order_id].append(entry)
        return found

    def missing(self, key):
        return []


class CreditedOrderRefund(graphene.ObjectType):
    kind = graphene.Field(LedgerEntryKindEnum, required=True, description="REFUND (part of the order) or CANCELLATION (what remained).")
    at = graphene.DateTime(required=True, description="When Saleor issued it (else when the app recorded it).")
    pv = graphene.Decimal(required=True, description="PV taken back (negative).")
    bv = graphene.Decimal(required=True, description="BV taken back (negative).")

    class Meta:
        description = "A refund or cancellation of a credited order: the volume it took back."


class CreditedOrder(graphene.ObjectType):
    order_id = graphene.ID(required=True, description="Saleor's order id.")
    number = graphene.String(description="Saleor's order number.")
    ordered_at = graphene.DateTime(required=True, description="When the order was placed (else when it was credited).")
    period = graphene.String(required=True, description="The period (YYYY-MM) the order's volume went to.")
    rule = graphene.Field(AttributionRuleEnum, required=True, description="The rule that decided who the order was credited to.")
    role = graphene.Field(CreditedOrderRole, required=True, description="How the order's volume reaches the partner.")
    customer = graphene.Field(
        Customer, description="The customer who bought (null for the partner's own orders); its `sponsor` and `care` are the split's sides."
    )
    sponsor_share = graphene.Decimal(description="The customer's sponsor's share of the volume (1 without a Betreuer); null for own orders.")
    betreuer_share = graphene.Decimal(description="The Betreuer's share, as in force now; null without a Betreuer.")
    share = graphene.Decimal(required=True, description="The partner's share of the order's volume (1 for its own orders).")
    currency = graphene.String(required=True)
    total_gross = graphene.Decimal(required=True, description="The order's gross total (order currency).")
    total_refunded = graphene.Decimal(required=True, description="Refunded so far (order currency).")
    pv = graphene.Decimal(required=True, description="PV credited by the paid order.")
    bv = graphene.Decimal(required=True, description="BV credited by the paid order (plan currency).")
    refunds = graphene.List(graphene.NonNull(CreditedOrderRefund), required=True, description="Refunds and cancellations, oldest first.")
    net_pv = graphene.Decimal(required=True, description="PV remaining after refunds, cancellations and corrections.")
    net_bv = graphene.Decimal(required=True, description="BV remaining.")

    class Meta:
        description = "An order whose volume reaches the logged-in partner, by which rule, split how, with its refunds."

    @staticmethod
    def resolve_order_id(root, info):
        return root.order.saleor_order_id

    @staticmethod
    def resolve_number(root, info):
        return root.order.number or None

    @staticmethod
    def resolve_period(root, info):
        return root.period.label

    @staticmethod
    def resolve_role(root, info):
        return _role(info, root)

    @staticmethod
    def resolve_customer(root, info):
        customer = _customer(info, root)
        return Visible(customer, Access.SELF) if customer else None

    @staticmethod
    def resolve_sponsor_share(root, info):
        if root.customer_id is None:
            return None
        care = _care_share(info, root)
        return Decimal(1) - care if care is not None else Decimal(1)

    @staticmethod
    def resolve_betreuer_share(root, info):
        return _care_share(info, root) if root.customer_id is not None else None

    @staticmethod
    def resolve_share(root, info):
        role = _role(info, root)
        if role == Role.OWN:
            return Decimal(1)
        care = _care_share(info, root)
        if role == Role.BETREUER:
            return care if care is not None else Decimal(0)
        return Decimal(1) - care if care is not None else Decimal(1)

    @staticmethod
    def resolve_currency(root, info):
        return root.order.currency

    @staticmethod
    def resolve_total_gross(root, info):
        return root.order.total_gross

    @staticmethod
    def resolve_total_refunded(root, info):
        return root.order.total_refunded

    @staticmethod
    def resolve_pv(root, info):
        return root.pv

    @staticmethod
    def resolve_bv(root, info):
        return root.bv

    @staticmethod
    def resolve_refunds(root, info):
        taken: dict[int, list] = {}
        for entry in _entries(info, root):
            if entry.kind not in TAKEN_BACK:
                continue
            event = entry.source_event
            key = entry.source_event_id or -entry.pk
            if key not in taken:
                at = (event.issued_at if event else None) or entry.created_at
                taken[key] = [entry.kind, at, Decimal(0), Decimal(0)]
            taken[key][2] += entry.pv
            taken[key][3] += entry.bv
        return [CreditedOrderRefund(kind=kind, at=at, pv=pv, bv=bv) for kind, at, pv, bv in taken.values()]

    @staticmethod
    def resolve_net_pv(root, info):
        return sum((entry.pv for entry in _entries(info, root)), Decimal(0))

    @staticmethod
    def resolve_net_bv(root, info):
        return sum((entry.bv for entry in _entries(info, root)), Decimal(0))


class CreditedOrderCountableConnection(CountableConnection):
    class Meta:
        node = CreditedOrder


def _entries(info, root) -> list:
    return EntriesByOrderIdLoader(info.context).load_for(root, lambda attribution: attribution.order_id)


def _customer(info, root):
    return network_loaders.CustomerByIdLoader(info.context).load_for(root, lambda attribution: attribution.customer_id)


def _role(info, root) -> str:
    if root.partner_id is not None:
        return Role.OWN
    viewer = viewer_partner(info.context)
    customer = _customer(info, root)
    if viewer is not None and customer is not None and customer.sponsor_id == viewer.pk:
        return Role.SPONSOR
    return Role.BETREUER


def _care_share(info, root) -> Decimal | None:
    """The effective share of the customer's care assignment in force now (the network
    API's rule), None without one."""
    loader = network_loaders.CareAssignmentInForceByCustomerIdLoader(info.context)
    assignment = loader.load_for(root, lambda attribution: attribution.customer_id)
    if assignment is None:
        return None
    return assignment_effective_share(info, Visible(assignment, Access.SELF))[0]


def resolve_my_credited_orders(info, period=None, **page):
    """The logged-in partner's credited orders, newest first; empty for everyone else."""
    partner = viewer_partner(info.context)
    attributions = (
        OrderAttribution.objects.filter(installation=info.context.installation)
        .select_related("order", "period")
        .annotate(ordered_at=Coalesce("order__saleor_created_at", "created_at"))
    )
    if partner is None:
        attributions = attributions.none()
    else:
        cared_for = CareAssignment.objects.filter(in_force_at(timezone.now()), care_partner=partner, customer__isnull=False)
        attributions = attributions.filter(
            Q(partner=partner) | Q(customer__sponsor=partner) | Q(customer_id__in=cared_for.values("customer_id"))
        )
    if period:
        attributions = attributions.filter(period__starts_on=month_argument(period, "period"))
    return paginate(attributions, CreditedOrderCountableConnection, sort_by=ORDER_SORT, **page)
