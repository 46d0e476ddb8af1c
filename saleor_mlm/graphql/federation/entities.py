"""The entities of the subgraph and who may see them.

Saleor's entities, extended (Saleor resolves them; the gateway hands us their key `id`):

- `User.mlmPartner`: the partner behind the Saleor user, seen as `me { partner }` shows
  it: by the user itself (SELF), by a partner whose downline the user's partner is in
  (DOWNLINE), by the merchant (MANAGE_USERS). `User.mlmCustomer`: the user's customer
  record (its sponsor and Betreuer), by the user itself and the merchant.
- `Order.mlmAttribution`: who the order was credited to, with what; by the buyer (its own
  order) and the merchant (MANAGE_ORDERS).

The app's own entities, keyed by their global id: `Partner` (itself, its upline, the
merchant) and `Customer` (itself, its sponsor and the sponsor's upline, the merchant).

Anyone else gets null and a PERMISSION_DENIED error, never data, whether the object
exists or not: visibility is decided by facts of the network, as everywhere in the API
(network/visibility.py). Null without an error is kept for "there is none" answered to
someone who may know it (the user itself, the merchant).
"""

from __future__ import annotations

from dataclasses import dataclass

import graphene
from django.utils.translation import gettext as _

from saleor_mlm.network.models import Customer as CustomerModel
from saleor_mlm.network.models import Partner as PartnerModel

from ..core.dataloaders import DataLoader, peers_of
from ..core.permissions import InstallationRequired, MlmPermission, PermissionDenied
from ..core.types import decode_global_id
from ..ledger.resolvers import orders_with_attribution
from ..ledger.types import OrderAttribution
from ..network.dataloaders import sponsored_customers
from ..network.types import Customer, Partner
from ..network.visibility import Access, InDownlineByPartnerIdLoader, Visible, viewer_customer, viewer_partner
from .spec import Entity


@dataclass
class SaleorUser:
    """A reference to Saleor's User: its id is all the app gets."""

    id: str


@dataclass
class SaleorOrder:
    """A reference to Saleor's Order."""

    id: str


def _installation(context):
    if context.installation is None:
        raise InstallationRequired()
    return context.installation


def _denied():
    return PermissionDenied(_("You may not see this: it is neither yours, nor in your downline, nor are you the merchant."))


def _is_merchant(context, permission: str) -> bool:
    return context.requestor.has_permissions([permission])


def _is_viewer(context, saleor_user_id: str) -> bool:
    requestor = context.requestor
    return requestor.is_user and requestor.user_id == saleor_user_id


def _below_viewer(context, partner_id: int, peer_ids=()) -> Access:
    """SELF or DOWNLINE when the partner is the viewer or below it, else NONE."""
    viewer = viewer_partner(context)
    if viewer is None:
        return Access.NONE
    if partner_id == viewer.pk:
        return Access.SELF
    return Access.DOWNLINE if InDownlineByPartnerIdLoader(context, viewer.pk).load(partner_id, peer_ids) else Access.NONE


class PartnerBySaleorUserIdLoader(DataLoader):
    def batch_load(self, keys):
        partners = PartnerModel.objects.filter(installation=self.context.installation, saleor_user_id__in=keys)
        return {partner.saleor_user_id: partner for partner in partners}


class CustomerBySaleorUserIdLoader(DataLoader):
    def batch_load(self, keys):
        customers = sponsored_customers().filter(installation=self.context.installation, saleor_user_id__in=keys)
        return {customer.saleor_user_id: customer for customer in customers}


class OrderWithAttributionByOrderIdLoader(DataLoader):
    def batch_load(self, keys):
        return orders_with_attribution(self.context.installation, keys)


def _user_id(user: SaleorUser) -> str:
    return user.id


class User(graphene.ObjectType):
    id = graphene.ID(required=True, description="Saleor's id of the user.")
    mlm_partner = graphene.Field(
        Partner,
        description="The partner behind this Saleor user, as `me { partner }` shows it. Seen by the user itself, by "
        "partners whose downline it is in, and by the merchant (MANAGE_USERS); null when the user is no partner. "
        "Anyone else gets null and a PERMISSION_DENIED error.",
    )
    mlm_customer = graphene.Field(
        Customer,
        description="The user as a customer of the network (its `sponsor` and `care`, the Betreuer). Seen by the user "
        "itself and by the merchant (MANAGE_USERS); null when the user is no customer. Anyone else gets null and a "
        "PERMISSION_DENIED error.",
    )

    class Meta:
        description = "Saleor's user (an entity of Saleor's API, key `id`) with the app's fields, through a federation gateway."

    @staticmethod
    def resolve_mlm_partner(root: SaleorUser, info):
        context = info.context
        _installation(context)
        if _is_viewer(context, root.id):
            partner = viewer_partner(context)
            return Visible(partner, Access.SELF) if partner else None
        partner = PartnerBySaleorUserIdLoader(context).load_for(root, _user_id)
        if _is_merchant(context, MlmPermission.MANAGE_USERS):
            return Visible(partner, Access.MERCHANT) if partner else None
        if partner is not None:
            loader = PartnerBySaleorUserIdLoader(context)
            peer_ids = [getattr(loader.load(peer.id), "pk", None) for peer in peers_of(root)]
            access = _below_viewer(context, partner.pk, peer_ids)
            if access:
                return Visible(partner, access)
        raise _denied()

    @staticmethod
    def resolve_mlm_customer(root: SaleorUser, info):
        context = info.context
        _installation(context)
        if _is_viewer(context, root.id):
            customer = viewer_customer(context)
            return Visible(customer, Access.SELF) if customer else None
        if _is_merchant(context, MlmPermission.MANAGE_USERS):
            customer = CustomerBySaleorUserIdLoader(context).load_for(root, _user_id)
            return Visible(customer, Access.MERCHANT) if customer else None
        raise _denied()


class Order(graphene.ObjectType):
    id = graphene.ID(required=True, description="Saleor's id of the order.")
    mlm_attribution = graphene.Field(
        OrderAttribution,
        description="Who the order was credited to, by which rule, with what PV/BV (as `orderAttribution`). Seen by the "
        "merchant (MANAGE_ORDERS; null for an order the app never received) and by the buyer, who sees itself and "
        "the public profile of the partner whose code or sponsorship decided, and no parked events. Anyone else, and "
        "the buyer of an order the app has not received yet, gets null and a PERMISSION_DENIED error.",
    )

    class Meta:
        description = "Saleor's order (an entity of Saleor's API, key `id`) with the app's fields, through a federation gateway."

    @staticmethod
    def resolve_mlm_attribution(root: SaleorOrder, info):
        context = info.context
        _installation(context)
        order = OrderWithAttributionByOrderIdLoader(context).load_for(root, lambda reference: reference.id)
        if _is_merchant(context, MlmPermission.MANAGE_ORDERS):
            return Visible(order, Access.MERCHANT) if order else None
        if order is not None and order.user_id and _is_viewer(context, order.user_id):
            return Visible(order, Access.SELF)
        raise _denied()


def _references(reference_type):
    def resolve(info, representations):
        references = [reference_type(id=representation["id"]) for representation in representations]
        for reference in references:
            reference._mlm_peers = references
        return references

    return resolve


def _ids(representations, type_name: str) -> list[int | None]:
    return [decode_global_id(representation["id"], type_name) for representation in representations]


def resolve_partners(info, representations) -> list:
    context = info.context
    installation = _installation(context)
    ids = _ids(representations, "Partner")
    found = PartnerModel.objects.in_bulk([pk for pk in ids if pk is not None])
    found = {pk: partner for pk, partner in found.items() if partner.installation_id == installation.pk}
    merchant = _is_merchant(context, MlmPermission.MANAGE_USERS)
    results = []
    for pk in ids:
        partner = found.get(pk)
        if merchant:
            results.append(Visible(partner, Access.MERCHANT) if partner else None)
            continue
        access = _below_viewer(context, partner.pk, list(found)) if partner else Access.NONE
        results.append(Visible(partner, access) if access else _denied())
    return results


def resolve_customers(info, representations) -> list:
    context = info.context
    installation = _installation(context)
    ids = _ids(representations, "Customer")
    found = CustomerModel.objects.in_bulk([pk for pk in ids if pk is not None])
    found = {pk: customer for pk, customer in found.items() if customer.installation_id == installation.pk}
    merchant = _is_merchant(context, MlmPermission.MANAGE_USERS)
    sponsor_ids = [customer.sponsor_id for customer in found.values()]
    results = []
    for pk in ids:
        customer = found.get(pk)
        if merchant:
            results.append(Visible(customer, Access.MERCHANT) if customer else None)
            continue
        access = Access.NONE
        if customer is not None:
            if customer.saleor_user_id and _is_viewer(context, customer.saleor_user_id):
                access = Access.SELF
            elif customer.sponsor_id is not None:
                # Its sponsor sees it as its own customer; the sponsor's upline as downline.
                access = _below_viewer(context, customer.sponsor_id, sponsor_ids)
        results.append(Visible(customer, access) if access else _denied())
    return results


ENTITIES = (
    Entity(User, (SaleorUser,), _references(SaleorUser)),
    Entity(Order, (SaleorOrder,), _references(SaleorOrder)),
    Entity(Partner, (PartnerModel,), resolve_partners),
    Entity(Customer, (CustomerModel,), resolve_customers),
)
