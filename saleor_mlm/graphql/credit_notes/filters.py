"""The merchant's filter of credit notes."""

from __future__ import annotations

import graphene
from django.db.models import Q, QuerySet, Subquery

from saleor_mlm.credit_notes import CreditNoteStatus
from saleor_mlm.network.models import Partner

from ..core.types import decode_id_argument
from ..network.enums import TaxStatusEnum
from ..network.filters import search_partners
from ..periods.filters import month_argument
from .enums import CreditNoteKindEnum, CreditNoteStatusEnum


class CreditNoteFilterInput(graphene.InputObjectType):
    period = graphene.String(description="The month of the period of supply, YYYY-MM.")
    status = graphene.Field(CreditNoteStatusEnum)
    tax_status = graphene.List(graphene.NonNull(TaxStatusEnum), description="Any of these tax statuses.")
    kind = graphene.List(graphene.NonNull(CreditNoteKindEnum))
    partner_id = graphene.ID()


def _values(enums) -> list[str]:
    return [getattr(item, "value", item) for item in enums]


def search_credit_notes(queryset: QuerySet, installation_id: int, search: str | None) -> QuerySet:
    """A document's number (or a part of it), or its partner as the partners' search finds them."""
    search = (search or "").strip()
    if not search:
        return queryset
    partners = search_partners(Partner.objects.filter(installation_id=installation_id), search)
    return queryset.filter(Q(number__icontains=search) | Q(partner_id__in=Subquery(partners.values("pk"))))


def filter_credit_notes(queryset: QuerySet, filter_input) -> QuerySet:
    if not filter_input:
        return queryset
    if filter_input.period:
        queryset = queryset.filter(period__starts_on=month_argument(filter_input.period, "filter.period"))
    if filter_input.status:
        cancelled = getattr(filter_input.status, "value", filter_input.status) == CreditNoteStatus.CANCELLED
        queryset = queryset.filter(cancellations__isnull=not cancelled)
    if filter_input.tax_status:
        queryset = queryset.filter(tax_status__in=_values(filter_input.tax_status))
    if filter_input.kind:
        queryset = queryset.filter(kind__in=_values(filter_input.kind))
    if filter_input.partner_id:
        queryset = queryset.filter(partner_id=decode_id_argument(filter_input.partner_id, "Partner", "filter.partnerId"))
    return queryset
