"""Types of the network part.

Every object is a `Visible` (see visibility.py): fields below the access the requestor
has to the object resolve to null, relations are followed only from objects seen with
DOWNLINE access or more. The access each field needs is in its description.

Periods, ranks and commissions add their fields to `Partner` from their own packages
(`saleor_mlm/graphql/periods/...`), resolving through their own loaders; see
docs/graphql.md, "Extending the schema".
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import graphene
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from saleor_mlm.network import PartnerStatus
from saleor_mlm.network.fetch import tax_profiles_in_force
from saleor_mlm.network.models import CareAssignment as CareAssignmentModel
from saleor_mlm.network.models import NetworkChange as NetworkChangeModel
from saleor_mlm.network.models import Partner as PartnerModel
from saleor_mlm.network.shares import in_force_at, resolve_share, split_agreement_at
from saleor_mlm.network.vouchers import is_voucher_code_missing

from ..core.connection import CountableConnection, connection_args, nested_page, paginate
from ..core.dataloaders import peers_of
from ..core.i18n import TranslatedString, register_names, resolve_language, translate_name
from ..core.types import JSON
from ..periods.customer_fields import CustomerPeriodFields
from ..periods.partner_fields import PartnerPeriodFields
from ..registration.partner_fields import PartnerRegistrationFields
from . import dataloaders as loaders
from .enums import (
    AttributionSourceEnum,
    CareRelationRole,
    CareShareSourceEnum,
    NetworkChangeKindEnum,
    PartnerStatusEnum,
    TaxStatusEnum,
)
from .filters import search_customers
from .tax_profile import TaxProfile
from .visibility import Access, Visible, below_access, customer_access, partner_access, viewer_customer, viewer_partner, wrap

register_names(
    "partner_status",
    {
        PartnerStatus.ACTIVE: pgettext_lazy("partner status", "Active"),
        PartnerStatus.INACTIVE: pgettext_lazy("partner status", "Inactive"),
        PartnerStatus.TERMINATED: pgettext_lazy("partner status", "Terminated"),
    },
)


def guarded(attribute: str, minimum: Access):
    """A resolver returning `root.<attribute>` when the root is seen with `minimum` access."""

    def resolve(root, info):
        return getattr(root, attribute) if root.access >= minimum else None

    return resolve


def _visible_partner(info, root, partner_id_of) -> Visible | None:
    """The partner `partner_id_of(root)` (a sponsor, a Betreuer ...), with its access."""
    if root.access < Access.DOWNLINE:
        return None
    partner = loaders.PartnerByIdLoader(info.context).load_for(root, partner_id_of)
    if partner is None:
        return None
    access = partner_access(info, root.access, partner, peer_ids=[partner_id_of(peer) for peer in peers_of(root)])
    return Visible(partner, access) if access else None


def referral_link(code: str) -> str | None:
    """`STOREFRONT_URL` with `ref=<code>` added; None while the setting is empty."""
    base = getattr(settings, "STOREFRONT_URL", "") or ""
    if not base:
        return None
    parts = urlsplit(base)
    query = [(key, value) for key, value in parse_qsl(parts.query) if key != "ref"] + [("ref", code)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _in_force(root, info) -> bool:
    now = timezone.now()
    return root.valid_from <= now and (root.valid_to is None or root.valid_to > now)


class Partner(PartnerPeriodFields, PartnerRegistrationFields, graphene.ObjectType):
    referral_code = graphene.String(required=True, description="The partner's code for links and enrollment. Public.")
    display_name = graphene.String(
        required=True, description="Name; without one, the e-mail (downline access) or the referral code. Public."
    )
    first_name = graphene.String(required=True, description="Public.")
    last_name = graphene.String(required=True, description="Public.")
    email = graphene.String(description="Downline access.", resolver=guarded("email", Access.DOWNLINE))
    status = graphene.Field(PartnerStatusEnum, description="Downline access.", resolver=guarded("status", Access.DOWNLINE))
    status_name = TranslatedString("The status in the requested language. Downline access.")
    status_changed_at = graphene.DateTime(description="Downline access.", resolver=guarded("status_changed_at", Access.DOWNLINE))
    status_reason = graphene.String(description="Why the status was set. The partner itself.", resolver=guarded("status_reason", Access.SELF))
    country = graphene.String(description="ISO 3166 code. Downline access.")
    language = graphene.String(description="Downline access.", resolver=guarded("language", Access.DOWNLINE))
    enrolled_at = graphene.DateTime(description="Downline access.", resolver=guarded("enrolled_at", Access.DOWNLINE))
    payout_currency = graphene.String(description="The partner itself.", resolver=guarded("payout_currency", Access.SELF))
    tax_status = graphene.Field(TaxStatusEnum, description="The partner itself.", resolver=guarded("tax_status", Access.SELF))
    vat_id = graphene.String(description="The partner itself.", resolver=guarded("vat_id", Access.SELF))
    tax_profile = graphene.Field(
        TaxProfile,
        description="The version of the tax profile in force today (null before the first). The partner itself.",
    )
    tax_profile_history = graphene.List(
        graphene.NonNull(TaxProfile),
        description="Every version of the tax profile, oldest first. The partner itself.",
    )
    tax_profile_locked_at = graphene.DateTime(
        description="Set when the company checked and locked the tax profile. The partner itself.",
        resolver=guarded("tax_profile_locked_at", Access.SELF),
    )
    voucher_code = graphene.String(description="The partner's code on the shop's partner voucher. The partner itself.")
    voucher_code_missing = graphene.Boolean(
        description="True while the partner has no voucher code: the task its creation scheduled has not run yet or "
        "failed. The periodic sweep gives it (every 10 minutes by default, docs/network.md). Merchant only."
    )
    referral_link = graphene.String(description="The storefront URL with `ref=<referral code>`. The partner itself.")
    saleor_user_id = graphene.String(description="Merchant only.", resolver=guarded("saleor_user_id", Access.MERCHANT))
    created_at = graphene.DateTime(description="Merchant only.", resolver=guarded("created_at", Access.MERCHANT))
    updated_at = graphene.DateTime(description="Merchant only.", resolver=guarded("updated_at", Access.MERCHANT))
    sponsor = graphene.Field(lambda: Partner, description="Who recruited the partner. Followed from downline access.")
    care = graphene.Field(lambda: CareAssignment, description="The partner's Betreuer now, if any. Followed from downline access.")
    frontline = graphene.Field(
        lambda: PartnerCountableConnection,
        description="Partners sponsored directly (the legs). Followed from downline access.",
        **connection_args(),
    )
    customers = graphene.Field(
        lambda: CustomerCountableConnection,
        description="Customers sponsored by the partner (not those who became partners). Followed from downline access.",
        **connection_args(search=graphene.String(description="Words to find in names or e-mail.")),
    )
    downline = graphene.Field(
        lambda: DownlineConnection,
        description="Everyone below the partner by sponsor and care edges in force, by level. Followed from downline access.",
        **connection_args(
            depth=graphene.Int(description="Only levels 1 to `depth` (frontline is level 1)."),
            status=graphene.List(graphene.NonNull(PartnerStatusEnum), description="Any of these statuses."),
            search=graphene.String(description="Words to find in names, e-mail or the exact referral code."),
        ),
    )
    care_relations = graphene.Field(
        lambda: CareAssignmentCountableConnection,
        role=graphene.Argument(CareRelationRole, required=True),
        include_ended=graphene.Boolean(default_value=False, description="Also assignments no longer (or not yet) in force."),
        description="AS_BETREUER: the people the partner looks after. AS_RECRUITER: the partner's recruits and "
        "customers someone else looks after. The partner itself.",
        **connection_args(),
    )
    split_agreement = graphene.Field(
        lambda: SplitAgreement, description="The share the partner gives to Betreuer of its recruits, in force now. The partner itself."
    )
    changes = graphene.Field(
        lambda: NetworkChangeCountableConnection, description="History of the partner. Merchant only.", **connection_args()
    )

    class Meta:
        interfaces = (graphene.relay.Node,)
        description = "A partner (Vertriebspartner). Fields say which access they need: public, downline, the partner itself, merchant."

    @staticmethod
    def resolve_display_name(root, info):
        name = " ".join(part for part in (root.first_name, root.last_name) if part)
        return name or (root.email if root.access >= Access.DOWNLINE else root.referral_code)

    @staticmethod
    def resolve_status_name(root, info, language_code=None):
        if root.access < Access.DOWNLINE:
            return None
        return translate_name("partner_status", root.status, resolve_language(info, language_code))

    @staticmethod
    def resolve_country(root, info):
        return (root.country.code or None) if root.access >= Access.DOWNLINE else None

    @staticmethod
    def resolve_tax_profile(root, info):
        if root.access < Access.SELF:
            return None
        return tax_profiles_in_force([root.pk], timezone.localdate()).get(root.pk)

    @staticmethod
    def resolve_tax_profile_history(root, info):
        return list(root.node.tax_profiles.order_by("valid_from", "id")) if root.access >= Access.SELF else None

    @staticmethod
    def resolve_voucher_code(root, info):
        return (root.voucher_code or None) if root.access >= Access.SELF else None

    @staticmethod
    def resolve_voucher_code_missing(root, info):
        return is_voucher_code_missing(root) if root.access >= Access.MERCHANT else None

    @staticmethod
    def resolve_referral_link(root, info):
        return referral_link(root.referral_code) if root.access >= Access.SELF else None

    @staticmethod
    def resolve_sponsor(root, info):
        return _visible_partner(info, root, lambda partner: partner.sponsor_id)

    @staticmethod
    def resolve_care(root, info):
        if root.access < Access.DOWNLINE:
            return None
        assignment = loaders.CareAssignmentInForceByPartnerIdLoader(info.context).load_for(root, lambda partner: partner.pk)
        return Visible(assignment, root.access) if assignment else None

    @staticmethod
    def resolve_frontline(root, info, **page):
        access = below_access(root.access)
        if access == Access.NONE:
            return None
        return nested_page(
            info,
            root,
            PartnerModel.objects.filter(sponsor_id=root.pk),
            PartnerCountableConnection,
            sort_by=loaders.PARTNER_PAGE_ORDER,
            first_page_loader=loaders.FrontlineFirstPageBySponsorIdLoader,
            count_loader=loaders.FrontlineCountBySponsorIdLoader,
            page=page,
            wrap=lambda rows: wrap(rows, access),
        )

    @staticmethod
    def resolve_customers(root, info, search=None, **page):
        access = customer_access(root.access)
        if access == Access.NONE:
            return None
        return nested_page(
            info,
            root,
            search_customers(loaders.sponsored_customers().filter(sponsor_id=root.pk), search),
            CustomerCountableConnection,
            sort_by=loaders.CUSTOMER_PAGE_ORDER,
            first_page_loader=loaders.CustomersFirstPageBySponsorIdLoader,
            count_loader=loaders.CustomerCountBySponsorIdLoader,
            page=page,
            batched=not search,
            wrap=lambda rows: wrap(rows, access),
        )

    @staticmethod
    def resolve_downline(root, info, depth=None, status=None, search=None, **page):
        from .resolvers import resolve_partners_below

        access = below_access(root.access)
        if access == Access.NONE:
            return None
        return resolve_partners_below(
            info, root.node, include_care=True, depth=depth, status=status, search=search, page=page, access=access
        )

    @staticmethod
    def resolve_care_relations(root, info, role, include_ended=False, **page):
        if root.access < Access.SELF:
            return None
        assignments = CareAssignmentModel.objects.filter(installation_id=root.installation_id)
        if getattr(role, "value", role) == CareRelationRole.AS_BETREUER.value:
            assignments = assignments.filter(care_partner_id=root.pk)
        else:
            assignments = assignments.filter(Q(partner__sponsor_id=root.pk) | Q(customer__sponsor_id=root.pk))
        if not include_ended:
            assignments = assignments.filter(in_force_at(timezone.now()))
        return paginate(
            assignments,
            CareAssignmentCountableConnection,
            sort_by=["-valid_from", "-id"],
            wrap=lambda rows: wrap(rows, root.access),
            **page,
        )

    @staticmethod
    def resolve_split_agreement(root, info):
        if root.access < Access.SELF:
            return None
        agreement = loaders.SplitAgreementInForceByPartnerIdLoader(info.context).load_for(root, lambda partner: partner.pk)
        return Visible(agreement, root.access) if agreement else None

    @staticmethod
    def resolve_changes(root, info, **page):
        if root.access < Access.MERCHANT:
            return None
        changes = NetworkChangeModel.objects.filter(partner_id=root.pk)
        return paginate(changes, NetworkChangeCountableConnection, sort_by=["-created_at", "-id"], **page)


class Customer(CustomerPeriodFields, graphene.ObjectType):
    first_name = graphene.String(description="Downline access.", resolver=guarded("first_name", Access.DOWNLINE))
    last_name = graphene.String(description="Downline access.", resolver=guarded("last_name", Access.DOWNLINE))
    display_name = graphene.String(description="Name; the e-mail when there is none and the viewer may see it.")
    email = graphene.String(description="The customer's own partner (sponsor or Betreuer), the customer itself, the merchant.")
    attribution_source = graphene.Field(
        AttributionSourceEnum, description="The customer's own partner.", resolver=guarded("attribution_source", Access.SELF)
    )
    attributed_at = graphene.DateTime(description="The customer's own partner.", resolver=guarded("attributed_at", Access.SELF))
    is_house_customer = graphene.Boolean(description="No sponsor: a customer of the company. Merchant only.")
    created_at = graphene.DateTime(description="Downline access.", resolver=guarded("created_at", Access.DOWNLINE))
    saleor_user_id = graphene.String(description="Merchant only.", resolver=guarded("saleor_user_id", Access.MERCHANT))
    converted_to = graphene.Field(Partner, description="The partner the customer became. Merchant only.")
    sponsor = graphene.Field(Partner, description="The partner the customer belongs to (public profile for the customer itself).")
    care = graphene.Field(lambda: CareAssignment, description="The customer's Betreuer now, if any.")

    class Meta:
        interfaces = (graphene.relay.Node,)
        description = "A customer (Kunde): buys, has no downline."

    @staticmethod
    def resolve_display_name(root, info):
        if root.access < Access.DOWNLINE:
            return None
        name = " ".join(part for part in (root.first_name, root.last_name) if part)
        return name or (root.email if root.access >= Access.SELF else None)

    @staticmethod
    def resolve_email(root, info):
        return root.email if root.access >= Access.SELF else None

    @staticmethod
    def resolve_is_house_customer(root, info):
        return root.sponsor_id is None if root.access >= Access.MERCHANT else None

    @staticmethod
    def resolve_converted_to(root, info):
        if root.access < Access.MERCHANT or root.converted_to_id is None:
            return None
        partner = loaders.PartnerByIdLoader(info.context).load_for(root, lambda customer: customer.converted_to_id)
        return Visible(partner, Access.MERCHANT) if partner else None

    @staticmethod
    def resolve_sponsor(root, info):
        return _visible_partner(info, root, lambda customer: customer.sponsor_id)

    @staticmethod
    def resolve_care(root, info):
        if root.access < Access.DOWNLINE:
            return None
        assignment = loaders.CareAssignmentInForceByCustomerIdLoader(info.context).load_for(root, lambda customer: customer.pk)
        return Visible(assignment, root.access) if assignment else None


class CareAssignment(graphene.ObjectType):
    partner = graphene.Field(Partner, description="The partner looked after (null for a customer).")
    customer = graphene.Field(Customer, description="The customer looked after (null for a partner).")
    care_partner = graphene.Field(Partner, description="The Betreuer.")
    share = graphene.Decimal(description="The share the assignment names; null when the recruiting partner's split agreement decides.")
    effective_share = graphene.Decimal(
        required=True, description="The share the Betreuer receives: the assignment's, else the split agreement's, else 0."
    )
    share_source = graphene.Field(CareShareSourceEnum, required=True)
    valid_from = graphene.DateTime(required=True)
    valid_to = graphene.DateTime(description="Null while it lasts.")
    in_force = graphene.Boolean(required=True)
    set_by = graphene.String(description="Merchant only.", resolver=guarded("set_by", Access.MERCHANT))
    reason = graphene.String(description="Merchant only.", resolver=guarded("reason", Access.MERCHANT))
    created_at = graphene.DateTime(description="Merchant only.", resolver=guarded("created_at", Access.MERCHANT))

    class Meta:
        interfaces = (graphene.relay.Node,)
        description = "A Betreuer looks after a partner or a customer and receives a share of its volume."

    @staticmethod
    def resolve_partner(root, info):
        return _visible_partner(info, root, lambda assignment: assignment.partner_id)

    @staticmethod
    def resolve_care_partner(root, info):
        return _visible_partner(info, root, lambda assignment: assignment.care_partner_id)

    @staticmethod
    def resolve_customer(root, info):
        if root.customer_id is None or root.access < Access.DOWNLINE:
            return None
        customer = loaders.CustomerByIdLoader(info.context).load_for(root, lambda assignment: assignment.customer_id)
        if customer is None:
            return None
        access = root.access
        if access < Access.MERCHANT:
            # The Betreuer and the sponsor of a customer see its contact data (its own partners).
            viewer = viewer_partner(info.context)
            own = viewer is not None and viewer.pk in (root.care_partner_id, customer.sponsor_id)
            access = Access.SELF if own else Access.DOWNLINE
        return Visible(customer, access)

    @staticmethod
    def resolve_effective_share(root, info):
        return assignment_effective_share(info, root)[0]

    @staticmethod
    def resolve_share_source(root, info):
        return assignment_effective_share(info, root)[1]

    resolve_in_force = staticmethod(_in_force)


def assignment_effective_share(info, root):
    """(share, source) by the domain's rule (`network.shares.resolve_share`). The split
    agreement is the one of the node's sponsor: in force now for assignments in force,
    else at the assignment's start."""
    if root.share is not None:
        return resolve_share(root.share, None)
    if root.partner_id:
        node_loader, node_id_of = loaders.PartnerByIdLoader(info.context), (lambda a: a.partner_id)
    else:
        node_loader, node_id_of = loaders.CustomerByIdLoader(info.context), (lambda a: a.customer_id)
    node = node_loader.load_for(root, node_id_of)
    if node is None or node.sponsor_id is None:
        return resolve_share(None, None)
    if _in_force(root, info):
        # The peers' nodes are loaded already: their sponsors' agreements come in one query.
        peer_sponsor_ids = [getattr(node_loader.load(node_id_of(peer)), "sponsor_id", None) for peer in peers_of(root)]
        agreement = loaders.SplitAgreementInForceByPartnerIdLoader(info.context).load(node.sponsor_id, peer_sponsor_ids)
    else:
        agreement = split_agreement_at(loaders.PartnerByIdLoader(info.context).load(node.sponsor_id), root.valid_from)
    return resolve_share(None, agreement.share if agreement else None)


class SplitAgreement(graphene.ObjectType):
    partner = graphene.Field(Partner, description="The recruiting partner.")
    share = graphene.Decimal(required=True, description="The share its recruits' Betreuer receive (0.25 is 25 %).")
    valid_from = graphene.DateTime(required=True)
    valid_to = graphene.DateTime()
    in_force = graphene.Boolean(required=True)
    set_by = graphene.String(description="Merchant only.", resolver=guarded("set_by", Access.MERCHANT))
    note = graphene.String(description="Merchant only.", resolver=guarded("note", Access.MERCHANT))
    created_at = graphene.DateTime(description="Merchant only.", resolver=guarded("created_at", Access.MERCHANT))

    class Meta:
        interfaces = (graphene.relay.Node,)
        description = "The share a recruiting partner gives to the Betreuer of its recruits, for a time range."

    @staticmethod
    def resolve_partner(root, info):
        return _visible_partner(info, root, lambda agreement: agreement.partner_id)

    resolve_in_force = staticmethod(_in_force)


class NetworkChange(graphene.ObjectType):
    kind = graphene.Field(NetworkChangeKindEnum, required=True)
    partner = graphene.Field(Partner)
    customer = graphene.Field(Customer)
    old_value = JSON()
    new_value = JSON()
    changed_by = graphene.String(required=True)
    reason = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)

    class Meta:
        interfaces = (graphene.relay.Node,)
        description = "A recorded change of the network: who, when, why, before and after. Merchant only."

    @staticmethod
    def resolve_partner(root, info):
        if root.partner_id is None:
            return None
        partner = loaders.PartnerByIdLoader(info.context).load_for(root, lambda change: change.partner_id)
        return Visible(partner, Access.MERCHANT) if partner else None

    @staticmethod
    def resolve_customer(root, info):
        if root.customer_id is None:
            return None
        customer = loaders.CustomerByIdLoader(info.context).load_for(root, lambda change: change.customer_id)
        return Visible(customer, Access.MERCHANT) if customer else None


class Me(graphene.ObjectType):
    partner = graphene.Field(Partner, description="The logged-in user as a partner; null when not a partner.")
    customer = graphene.Field(Customer, description="The logged-in user as a customer; null when not a customer.")

    class Meta:
        description = "The logged-in Saleor user in the network."

    @staticmethod
    def resolve_partner(root, info):
        partner = viewer_partner(info.context)
        return Visible(partner, Access.SELF) if partner else None

    @staticmethod
    def resolve_customer(root, info):
        customer = viewer_customer(info.context)
        return Visible(customer, Access.SELF) if customer else None


class PartnerCountableConnection(CountableConnection):
    class Meta:
        node = Partner


class DownlineConnection(CountableConnection):
    class Meta:
        node = Partner
        description = "Partners below a partner, ordered by level, then by id."

    class Edge:
        level = graphene.Int(required=True, description="Edges from the partner the list is about (frontline: 1).")

        @staticmethod
        def resolve_level(root, info):
            return root.node.level


class CustomerCountableConnection(CountableConnection):
    class Meta:
        node = Customer


class CareAssignmentCountableConnection(CountableConnection):
    class Meta:
        node = CareAssignment


class SplitAgreementCountableConnection(CountableConnection):
    class Meta:
        node = SplitAgreement


class NetworkChangeCountableConnection(CountableConnection):
    class Meta:
        node = NetworkChange

