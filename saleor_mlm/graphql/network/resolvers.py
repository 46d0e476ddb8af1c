"""Resolvers of the network's root fields. Everything is scoped to the requestor's
installation; permission checks are declared on the fields in schema.py."""

from __future__ import annotations

from django.utils import timezone

from saleor_mlm.network.codes import partner_by_referral_code
from saleor_mlm.network.models import CareAssignment, Customer, NetworkChange, Partner, SplitAgreement

from ..core.connection import PaginationError, decode_cursor, page_size, paginate, slice_from_rows
from ..core.dataloaders import set_peers
from ..core.types import InvalidArgument, decode_id_argument
from . import downline, filters, tree
from .dataloaders import sponsored_customers
from .sorters import sort_fields
from .types import (
    CareAssignmentCountableConnection,
    CustomerCountableConnection,
    DownlineConnection,
    Me,
    NetworkChangeCountableConnection,
    PartnerCountableConnection,
    SplitAgreementCountableConnection,
)
from .visibility import Access, InDownlineByPartnerIdLoader, Visible, viewer_partner, wrap

DOWNLINE_ORDER = ["level", "id"]


def _merchant(rows):
    return wrap(rows, Access.MERCHANT)


def resolve_me(info):
    if not info.context.requestor.is_user or info.context.installation is None:
        return None
    return Me()


def resolve_partners(info, filter=None, search=None, sort_by=None, **page):

    partners = Partner.objects.filter(installation=info.context.installation)
    partners = filters.search_partners(filters.filter_partners(partners, filter), search)
    return paginate(partners, PartnerCountableConnection, sort_by=sort_fields(sort_by), wrap=_merchant, **page)


def resolve_partner(info, id=None, referral_code=None, saleor_user_id=None):
    if sum(value is not None for value in (id, referral_code, saleor_user_id)) != 1:
        raise InvalidArgument("Give exactly one of `id`, `referralCode` and `saleorUserId`.", "id")
    installation = info.context.installation
    if id is not None:
        partner = Partner.objects.filter(installation=installation, pk=decode_id_argument(id, "Partner", "id")).first()
    elif saleor_user_id is not None:
        partner = Partner.objects.filter(installation=installation, saleor_user_id=saleor_user_id.strip()).exclude(saleor_user_id="").first()
    else:
        partner = partner_by_referral_code(installation.pk, referral_code)
    return Visible(partner, Access.MERCHANT) if partner else None


def resolve_genealogy(info, partner_id, depth=None, status=None, search=None, **page):
    partner = Partner.objects.filter(
        installation=info.context.installation, pk=decode_id_argument(partner_id, "Partner", "partnerId")
    ).first()
    if partner is None:
        return None
    return resolve_partners_below(
        info, partner, include_care=False, depth=depth, status=status, search=search, page=page, access=Access.MERCHANT
    )


def resolve_partners_below(info, partner, *, include_care, depth, status, search, page, access):
    """The genealogy (sponsor edges) or the downline (both kinds) of `partner`, a page
    ordered by level, each node seen with `access`."""

    if depth is not None and depth < 1:
        raise InvalidArgument("`depth` counts levels from 1 (the frontline).", "depth")
    statuses = [getattr(item, "value", item) for item in status] if status else None
    try:
        rows, count = tree.partners_below(partner, context=info.context, include_care=include_care, max_depth=depth, statuses=statuses, search=search)
    except tree.TreeUnavailable:
        partners = Partner.objects.filter(installation_id=partner.installation_id)
        if statuses:
            partners = partners.filter(status__in=statuses)
        partners = filters.search_partners(partners, search)
        rows, count = downline.partners_below(partners, partner.pk, include_care=include_care, max_depth=depth, at=timezone.now())
    size, backwards = page_size(page.get("first"), page.get("last"))
    cursor = page.get("before") if backwards else page.get("after")
    after = tuple(decode_cursor(cursor, len(DOWNLINE_ORDER))) if cursor else None
    if after is not None and not all(isinstance(value, int) for value in after):
        raise PaginationError("The cursor is not valid for this connection and sort order.")
    viewer = viewer_partner(info.context) if access == Access.DOWNLINE else None

    def fetch_rows():
        found = set_peers(rows(descending=backwards, after=after, limit=size + 1))
        if viewer is not None:
            # Below a node of the viewer's downline is the viewer's downline, too.
            for row in found:
                InDownlineByPartnerIdLoader(info.context, viewer.pk).prime(row.pk, True)
        return found

    return slice_from_rows(
        DownlineConnection,
        fetch_rows,
        size=size,
        sort_by=DOWNLINE_ORDER,
        count=count,
        backwards=backwards,
        continues_from_cursor=bool(cursor),
        wrap=lambda nodes: wrap(nodes, access),
    )


def _customers(info):
    return sponsored_customers().filter(installation=info.context.installation)


def resolve_customers(info, filter=None, search=None, sort_by=None, **page):

    customers = filters.search_customers(filters.filter_customers(_customers(info), filter), search)
    return paginate(customers, CustomerCountableConnection, sort_by=sort_fields(sort_by), wrap=_merchant, **page)


def resolve_house_customers(info, search=None, sort_by=None, **page):

    customers = filters.search_customers(_customers(info).filter(sponsor__isnull=True), search)
    return paginate(customers, CustomerCountableConnection, sort_by=sort_fields(sort_by), wrap=_merchant, **page)


def resolve_customer(info, id=None, saleor_user_id=None):
    if (id is None) == (saleor_user_id is None):
        raise InvalidArgument("Give either `id` or `saleorUserId`.", "id")
    customers = Customer.objects.filter(installation=info.context.installation)
    if id is not None:
        customer = customers.filter(pk=decode_id_argument(id, "Customer", "id")).first()
    else:
        customer = sponsored_customers().filter(installation=info.context.installation, saleor_user_id=saleor_user_id.strip()).exclude(saleor_user_id="").first()
    return Visible(customer, Access.MERCHANT) if customer else None


def resolve_care_assignments(info, filter=None, **page):

    assignments = filters.filter_care_assignments(CareAssignment.objects.filter(installation=info.context.installation), filter)
    return paginate(assignments, CareAssignmentCountableConnection, sort_by=["-valid_from", "-id"], wrap=_merchant, **page)


def resolve_split_agreements(info, filter=None, **page):

    agreements = filters.filter_split_agreements(SplitAgreement.objects.filter(installation=info.context.installation), filter)
    return paginate(agreements, SplitAgreementCountableConnection, sort_by=["-valid_from", "-id"], wrap=_merchant, **page)


def resolve_network_changes(info, filter=None, **page):

    changes = filters.filter_network_changes(NetworkChange.objects.filter(installation=info.context.installation), filter)
    return paginate(changes, NetworkChangeCountableConnection, sort_by=["-created_at", "-id"], **page)
