from __future__ import annotations

from saleor_mlm.payout_runs.models import PayoutItem, PayoutRun
from saleor_mlm.payouts.balances import payout_settings
from saleor_mlm.payouts.models import PayoutProfile

from ..core.connection import paginate
from ..core.types import decode_id_argument
from ..network.visibility import viewer_partner
from ..periods.filters import month_argument
from .filters import filter_payout_items
from .types import PayoutItemCountableConnection, PayoutRunCountableConnection

ITEM_SORT = ["-id"]
RUN_SORT = ["-id"]


def _items(info):
    return PayoutItem.objects.filter(installation=info.context.installation).select_related("run", "credit_note", "sepa_file")


def resolve_payout_runs(info, **page):
    runs = PayoutRun.objects.filter(installation=info.context.installation)
    return paginate(runs, PayoutRunCountableConnection, sort_by=RUN_SORT, **page)


def resolve_payout_run(info, id=None, period=None):
    runs = PayoutRun.objects.filter(installation=info.context.installation)
    if id:
        return runs.filter(pk=decode_id_argument(id, "PayoutRun", "id")).first()
    if period:
        return runs.filter(period__starts_on=month_argument(period, "period")).first()
    return None


def resolve_payout_items(info, filter=None, **page):
    return paginate(filter_payout_items(_items(info), filter), PayoutItemCountableConnection, sort_by=ITEM_SORT, **page)


def resolve_payout_profile(info, partner_id):
    pk = decode_id_argument(partner_id, "Partner", "partnerId")
    return PayoutProfile.objects.filter(installation=info.context.installation, partner_id=pk).first()


def resolve_payout_settings(info):
    return payout_settings(info.context.installation.pk)


def resolve_my_payout_profile(info):
    partner = viewer_partner(info.context)
    return PayoutProfile.objects.filter(partner=partner).first() if partner is not None else None


def resolve_my_payouts(info, **page):
    partner = viewer_partner(info.context)
    items = _items(info).filter(partner=partner) if partner is not None else PayoutItem.objects.none()
    return paginate(items, PayoutItemCountableConnection, sort_by=ITEM_SORT, **page)
