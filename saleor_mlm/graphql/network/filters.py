"""Filter inputs of the merchant's lists and the querysets they select."""

from __future__ import annotations

import graphene
from django.db.models import Q, QuerySet
from django.utils import timezone

from saleor_mlm.network.shares import in_force_at
from saleor_mlm.network.vouchers import voucher_code_missing

from ..core.types import decode_id_argument
from .enums import NetworkChangeKindEnum, PartnerStatusEnum


def _values(enums) -> list[str]:
    return [getattr(item, "value", item) for item in enums]


def search_partners(queryset: QuerySet, search: str | None) -> QuerySet:
    search = (search or "").strip()
    if not search:
        return queryset
    condition = Q()
    for word in search.split():
        condition &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(referral_code__iexact=word)
        )
    return queryset.filter(condition)


def search_customers(queryset: QuerySet, search: str | None) -> QuerySet:
    search = (search or "").strip()
    if not search:
        return queryset
    condition = Q()
    for word in search.split():
        condition &= Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
    return queryset.filter(condition)


class PartnerFilterInput(graphene.InputObjectType):
    status = graphene.List(graphene.NonNull(PartnerStatusEnum), description="Any of these statuses.")
    sponsor_id = graphene.ID(description="Partners sponsored directly by this partner.")
    is_root = graphene.Boolean(description="Partners without a sponsor (true) or with one (false).")
    country = graphene.String(description="ISO 3166 country code.")
    enrolled_after = graphene.DateTime()
    enrolled_before = graphene.DateTime()
    voucher_code_missing = graphene.Boolean(
        description="Partners without their voucher code yet (true) or with it (false); `totalCount` counts them."
    )


def filter_partners(queryset: QuerySet, filter_input) -> QuerySet:
    if not filter_input:
        return queryset
    if filter_input.status:
        queryset = queryset.filter(status__in=_values(filter_input.status))
    if filter_input.sponsor_id:
        queryset = queryset.filter(sponsor_id=decode_id_argument(filter_input.sponsor_id, "Partner", "filter.sponsorId"))
    if filter_input.is_root is not None:
        queryset = queryset.filter(sponsor__isnull=filter_input.is_root)
    if filter_input.country:
        queryset = queryset.filter(country=filter_input.country.strip().upper())
    if filter_input.enrolled_after:
        queryset = queryset.filter(enrolled_at__gte=filter_input.enrolled_after)
    if filter_input.enrolled_before:
        queryset = queryset.filter(enrolled_at__lt=filter_input.enrolled_before)
    if filter_input.voucher_code_missing is not None:
        missing = voucher_code_missing()
        queryset = queryset.filter(missing) if filter_input.voucher_code_missing else queryset.exclude(missing)
    return queryset


class CustomerFilterInput(graphene.InputObjectType):
    sponsor_id = graphene.ID(description="Customers of this partner.")
    is_house_customer = graphene.Boolean(description="Customers without a sponsor (true) or with one (false).")


def filter_customers(queryset: QuerySet, filter_input) -> QuerySet:
    if not filter_input:
        return queryset
    if filter_input.sponsor_id:
        queryset = queryset.filter(sponsor_id=decode_id_argument(filter_input.sponsor_id, "Partner", "filter.sponsorId"))
    if filter_input.is_house_customer is not None:
        queryset = queryset.filter(sponsor__isnull=filter_input.is_house_customer)
    return queryset


class CareAssignmentFilterInput(graphene.InputObjectType):
    care_partner_id = graphene.ID(description="Assignments of this Betreuer.")
    partner_id = graphene.ID(description="Assignments looking after this partner.")
    customer_id = graphene.ID(description="Assignments looking after this customer.")
    in_force = graphene.Boolean(description="Only assignments in force now (true), or only the others (false).")


def filter_care_assignments(queryset: QuerySet, filter_input) -> QuerySet:
    if not filter_input:
        return queryset
    if filter_input.care_partner_id:
        queryset = queryset.filter(care_partner_id=decode_id_argument(filter_input.care_partner_id, "Partner", "filter.carePartnerId"))
    if filter_input.partner_id:
        queryset = queryset.filter(partner_id=decode_id_argument(filter_input.partner_id, "Partner", "filter.partnerId"))
    if filter_input.customer_id:
        queryset = queryset.filter(customer_id=decode_id_argument(filter_input.customer_id, "Customer", "filter.customerId"))
    if filter_input.in_force is not None:
        in_force = in_force_at(timezone.now())
        queryset = queryset.filter(in_force) if filter_input.in_force else queryset.exclude(in_force)
    return queryset


class SplitAgreementFilterInput(graphene.InputObjectType):
    partner_id = graphene.ID(description="Agreements of this recruiting partner.")
    in_force = graphene.Boolean(description="Only agreements in force now (true), or only the others (false).")


def filter_split_agreements(queryset: QuerySet, filter_input) -> QuerySet:
    if not filter_input:
        return queryset
    if filter_input.partner_id:
        queryset = queryset.filter(partner_id=decode_id_argument(filter_input.partner_id, "Partner", "filter.partnerId"))
    if filter_input.in_force is not None:
        in_force = in_force_at(timezone.now())
        queryset = queryset.filter(in_force) if filter_input.in_force else queryset.exclude(in_force)
    return queryset


class NetworkChangeFilterInput(graphene.InputObjectType):
    partner_id = graphene.ID()
    customer_id = graphene.ID()
    kinds = graphene.List(graphene.NonNull(NetworkChangeKindEnum))
    created_after = graphene.DateTime()
    created_before = graphene.DateTime()


def filter_network_changes(queryset: QuerySet, filter_input) -> QuerySet:
    if not filter_input:
        return queryset
    if filter_input.partner_id:
        queryset = queryset.filter(partner_id=decode_id_argument(filter_input.partner_id, "Partner", "filter.partnerId"))
    if filter_input.customer_id:
        queryset = queryset.filter(customer_id=decode_id_argument(filter_input.customer_id, "Customer", "filter.customerId"))
    if filter_input.kinds:
        queryset = queryset.filter(kind__in=_values(filter_input.kinds))
    if filter_input.created_after:
        queryset = queryset.filter(created_at__gte=filter_input.created_after)
    if filter_input.created_before:
        queryset = queryset.filter(created_at__lt=filter_input.created_before)
    return queryset
