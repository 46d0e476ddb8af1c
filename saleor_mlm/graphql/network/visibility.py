"""What a requestor may see of the network.

The merchant (MANAGE_USERS, or an API key) sees everything of its installation. A
partner logged in to the storefront sees itself and its downline: everyone below it by
sponsor and care edges in force (see `downline.py`). Of the people one step outside —
its own sponsor and Betreuer, the sponsor or Betreuer of someone it looks after — it
sees only the public profile (name and referral code), and it cannot walk on from
them: no other line, no private data of its upline.

Every Partner, Customer and CareAssignment the API returns is wrapped in `Visible` with
the access the requestor has to it; field resolvers check it (`requires`). Access is
decided by facts (is this node below the viewer?), never by the path of the query
alone, and relations are only followed from nodes seen with at least DOWNLINE access.
"""

from __future__ import annotations

from enum import IntEnum

from django.utils import timezone

from saleor_mlm.core.rows import instances
from saleor_mlm.network.models import Customer, Partner

from ..core.dataloaders import DataLoader
from . import downline, tree


class Access(IntEnum):
    NONE = 0
    PUBLIC = 1  # one step outside the viewer's lines (its sponsor, Betreuer): name and referral code
    DOWNLINE = 2  # in the viewer's lines: contact data, status, relations
    SELF = 3  # the viewer itself; for customers: the viewer's own customer (sponsored or looked after)
    MERCHANT = 4  # the merchant: everything


class Visible:
    """A model instance with the access the requestor has to it. Attribute reads go to
    the instance; resolvers of guarded fields read `access`."""

    __slots__ = ("node", "access")

    def __init__(self, node, access: Access):
        self.node = node
        self.access = access

    def __getattr__(self, name):
        return getattr(self.node, name)

    def __repr__(self) -> str:
        return f"Visible({self.node!r}, {self.access.name})"


class ViewerByUserLoader(DataLoader):
    """The partner or the customer record of the logged-in Saleor user (keys: "partner",
    "customer"; each read when first asked for)."""

    def batch_load(self, keys):
        requestor = self.context.requestor
        if not requestor.is_user or self.context.installation is None:
            return {}
        found = {}
        if "partner" in keys:
            # On every storefront request: a plain cursor (core.rows).
            viewer = instances(
                Partner, "installation_id = %s AND saleor_user_id = %s", [requestor.installation.pk, requestor.user_id], suffix=" ORDER BY id LIMIT 1"
            )
            found["partner"] = viewer[0] if viewer else None
        if "customer" in keys:
            found["customer"] = Customer.objects.filter(
                installation=requestor.installation, saleor_user_id=requestor.user_id, converted_to__isnull=True
            ).first()
        return found


def viewer_partner(context) -> Partner | None:
    return ViewerByUserLoader(context).load("partner")


def viewer_customer(context) -> Customer | None:
    return ViewerByUserLoader(context).load("customer")


def partners_below_among(context, root_id: int, candidate_ids) -> set[int]:
    """The candidates below `root_id` by sponsor and care edges in force: from the live
    tree when it has them, else by a recursive query."""
    candidate_ids = list(candidate_ids)
    try:
        return tree.which_are_below(context.installation.pk, root_id, candidate_ids, context)
    except tree.TreeUnavailable:
        return downline.which_are_below(root_id, candidate_ids, at=timezone.now())


class InDownlineByPartnerIdLoader(DataLoader):
    """Whether a partner is below the viewer (args: the viewer's partner id)."""

    def batch_load(self, keys):
        (viewer_id,) = self.args
        below = partners_below_among(self.context, viewer_id, keys)
        return {key: key in below for key in keys}

    def missing(self, key):
        return False


def partner_access(info, root_access: Access, partner: Partner, peer_ids=()) -> Access:
    """Access to `partner`, reached by one relation (sponsor, Betreuer, cared-for node)
    from a node the requestor sees with `root_access`. `peer_ids`: other partners about
    to be checked, to be answered in the same query."""
    if root_access == Access.MERCHANT:
        return Access.MERCHANT
    if root_access < Access.DOWNLINE or partner is None:
        return Access.NONE
    viewer = viewer_partner(info.context)
    if viewer is None:
        return Access.PUBLIC  # a customer's own sponsor or Betreuer
    if partner.pk == viewer.pk:
        return Access.SELF
    if InDownlineByPartnerIdLoader(info.context, viewer.pk).load(partner.pk, peer_ids):
        return Access.DOWNLINE
    return Access.PUBLIC


def below_access(root_access: Access) -> Access:
    """Access to partners found below a node (frontline, downline, genealogy)."""
    if root_access == Access.MERCHANT:
        return Access.MERCHANT
    return Access.DOWNLINE if root_access >= Access.DOWNLINE else Access.NONE


def customer_access(root_access: Access) -> Access:
    """Access to customers of a node seen with `root_access`: the viewer's own customers
    (root SELF) show contact data; those of its downline show names only."""
    if root_access in (Access.MERCHANT, Access.SELF):
        return root_access
    return Access.DOWNLINE if root_access >= Access.DOWNLINE else Access.NONE


def wrap(nodes, access: Access):
    return [Visible(node, access) for node in nodes]
