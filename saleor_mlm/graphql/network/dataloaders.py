"""Loaders of the network part (see core/dataloaders.py for how they batch)."""

from __future__ import annotations

from django.utils import timezone

from saleor_mlm.network.models import CareAssignment, Customer, Partner, SplitAgreement
from saleor_mlm.network.shares import in_force_at

from ..core.connection import CountByParentLoader, FirstPageByParentLoader
from ..core.dataloaders import DataLoader

PARTNER_PAGE_ORDER = ["last_name", "first_name", "id"]
CUSTOMER_PAGE_ORDER = ["last_name", "first_name", "id"]


class PartnerByIdLoader(DataLoader):
    def batch_load(self, keys):
        return Partner.objects.in_bulk(keys)


class CustomerByIdLoader(DataLoader):
    def batch_load(self, keys):
        return Customer.objects.in_bulk(keys)


class _InForceByNodeLoader(DataLoader):
    """The row in force now per node; the latest start wins, as in `network.shares`."""

    model = None
    node_field: str

    def batch_load(self, keys):
        rows = self.model.objects.filter(in_force_at(timezone.now()), **{f"{self.node_field}__in": keys}).order_by(
            self.node_field, "-valid_from", "-id"
        )
        result = {}
        for row in rows:
            result.setdefault(getattr(row, self.node_field), row)
        return result


class CareAssignmentInForceByPartnerIdLoader(_InForceByNodeLoader):
    model = CareAssignment
    node_field = "partner_id"


class CareAssignmentInForceByCustomerIdLoader(_InForceByNodeLoader):
    model = CareAssignment
    node_field = "customer_id"


class SplitAgreementInForceByPartnerIdLoader(_InForceByNodeLoader):
    model = SplitAgreement
    node_field = "partner_id"


class FrontlineFirstPageBySponsorIdLoader(FirstPageByParentLoader):
    parent_field = "sponsor_id"
    sort_by = PARTNER_PAGE_ORDER

    def queryset(self):
        return Partner.objects.all()


class FrontlineCountBySponsorIdLoader(CountByParentLoader):
    parent_field = "sponsor_id"

    def queryset(self):
        return Partner.objects.all()


def sponsored_customers():
    """Customers as lists show them: those who became partners are listed as partners."""
    return Customer.objects.filter(converted_to__isnull=True)


class CustomersFirstPageBySponsorIdLoader(FirstPageByParentLoader):
    parent_field = "sponsor_id"
    sort_by = CUSTOMER_PAGE_ORDER

    def queryset(self):
        return sponsored_customers()


class CustomerCountBySponsorIdLoader(CountByParentLoader):
    parent_field = "sponsor_id"

    def queryset(self):
        return sponsored_customers()
