"""Demo data (`saleor_mlm.demo`) on a small size: a consistent network, three months of
credited orders with refunds, deterministic, loaded once."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.db.models import Count, Sum
from django.utils import timezone

from saleor_mlm.calendar.models import Period
from saleor_mlm.demo import demo_months, load_demo_data
from saleor_mlm.engine import Network, simulate
from saleor_mlm.ledger import EntryKind
from saleor_mlm.ledger.crediting import volume_rules, volume_settings_for
from saleor_mlm.ledger.models import LedgerEntry, OrderAttribution, ParkedOrderEvent
from saleor_mlm.ledger.volume import order_volumes, parse_lines
from saleor_mlm.live import state as live_state
from saleor_mlm.live import volumes as live
from saleor_mlm.network import PartnerStatus
from saleor_mlm.network.fetch import load_network_arrays, network_partner_rows
from saleor_mlm.network.models import CareAssignment, Customer, NetworkChange, Partner, SplitAgreement
from saleor_mlm.orders import OrderEventKind
from saleor_mlm.orders.models import OrderEvent, OrderRecord
from tests.fixtures.periods import period_volume_rows

# The demo data (150 partners, three months of orders) takes a while: slow.
pytestmark = [pytest.mark.slow, pytest.mark.django_db]

SIZE = {"partners": 150, "customers": 300}
PLAN = {"name": "plain", "currency": "EUR", "bonuses": {}, "ranks": [{"code": "partner"}]}


@pytest.fixture
def demo_shop(installation_factory):
    return installation_factory(is_demo=True)


@pytest.fixture
def loaded(demo_shop):
    return load_demo_data(demo_shop, None, periods=False, **SIZE)


def depth_of(partner_id: int, sponsors: dict[int, int | None]) -> int:
    depth = 0
    while sponsors[partner_id] is not None:
        partner_id = sponsors[partner_id]
        depth += 1
    return depth


def test_network_shape(demo_shop, loaded):
    partners = Partner.objects.filter(installation=demo_shop)
    assert (loaded.partners, partners.count()) == (150, 150)
    assert Customer.objects.filter(installation=demo_shop).count() >= 300  # plus new customers from codes
    sponsors = dict(partners.values_list("id", "sponsor_id"))
    assert sum(1 for sponsor in sponsors.values() if sponsor is None) == 3  # the founders
    depths = [depth_of(pk, sponsors) for pk in sponsors]
    assert 5 <= max(depths) <= 12
    frontlines = Counter(sponsor for sponsor in sponsors.values() if sponsor)
    assert frontlines.most_common(1)[0][1] >= 10  # a top recruiter with a big frontline
    statuses = Counter(partners.values_list("status", flat=True))
    assert statuses[PartnerStatus.ACTIVE] > 0.75 * 150
    assert statuses[PartnerStatus.INACTIVE] > 0 and statuses[PartnerStatus.TERMINATED] > 0
    assert set(partners.values_list("country", flat=True)) == {"DE", "AT", "CH"}
    assert all(p.referral_code == p.voucher_code and p.referral_code.isupper() for p in partners)
    assert Customer.objects.filter(installation=demo_shop, sponsor__isnull=True).exists()  # house customers
    assert Customer.objects.filter(installation=demo_shop, saleor_user_id="").exists()  # guests


def test_care_and_split_agreements(demo_shop, loaded):
    care = CareAssignment.objects.filter(installation=demo_shop)
    nodes = Partner.objects.filter(installation=demo_shop).count() + loaded.customers
    assert 0.08 * nodes <= care.count() <= 0.22 * nodes
    agreements = SplitAgreement.objects.filter(installation=demo_shop)
    assert agreements.count() >= 5
    for assignment in care.select_related("partner__sponsor", "customer__sponsor"):
        node = assignment.partner or assignment.customer
        assert assignment.care_partner_id != node.sponsor_id and assignment.care_partner.status != PartnerStatus.TERMINATED
        if assignment.share is None:
            assert agreements.filter(partner_id=node.sponsor_id).exists()
        else:
            assert Decimal("0.3") <= assignment.share <= Decimal("0.7")
    # Both kinds of share occur, and every change is in the audit trail.
    assert care.filter(share__isnull=True).exists() and care.filter(share__isnull=False).exists()
    changes = Counter(NetworkChange.objects.filter(installation=demo_shop).values_list("kind", flat=True))
    assert changes["created"] == 150 and changes["care"] == care.count() and changes["split_agreement"] == agreements.count()


def test_the_engine_accepts_the_network_no_cycles(demo_shop, loaded):
    arrays = load_network_arrays(demo_shop)
    Network.from_arrays(arrays.ids, [kind == "partner" for kind in arrays.kinds], arrays.sponsor, arrays.care)
    period = Period.objects.filter(installation=demo_shop).order_by("-starts_on").first()
    result = simulate(PLAN, network_partner_rows(demo_shop), period_volume_rows(demo_shop.pk, period.pk))
    assert Decimal(result["totals"]["pv"]) > 0


def test_three_months_of_orders_credited_with_refunds(demo_shop, loaded):
    months = demo_months(timezone.now())
    periods = list(Period.objects.filter(installation=demo_shop).order_by("starts_on").values_list("starts_on", flat=True))
    assert periods[:3] == months
    by_month = Counter(
        f"{row['period__starts_on']:%Y-%m}"
        for row in OrderAttribution.objects.filter(installation=demo_shop).values("period__starts_on")
    )
    assert all(by_month[f"{month:%Y-%m}"] > 50 for month in months[:2])
    assert loaded.orders == OrderRecord.objects.filter(installation=demo_shop).count()
    assert loaded.through_pipeline > 0 and loaded.refunds > 0 and loaded.cancellations > 0
    kinds = Counter(LedgerEntry.objects.filter(installation=demo_shop).values_list("kind", flat=True))
    assert kinds[EntryKind.ORDER] > 0 and kinds[EntryKind.REFUND] > 0 and kinds[EntryKind.CANCELLATION] > 0
    # Everything recorded was credited; nothing waits.
    assert not OrderEvent.objects.filter(installation=demo_shop, credited_at__isnull=True).exists()
    assert not ParkedOrderEvent.objects.filter(installation=demo_shop).exists()
    assert OrderAttribution.objects.filter(installation=demo_shop).count() == loaded.orders


def test_bulk_orders_are_what_the_ledger_rules_make_of_them(demo_shop, loaded):
    rules = volume_rules(volume_settings_for(demo_shop.pk))
    attributions = OrderAttribution.objects.filter(installation=demo_shop).select_related("order", "period")
    for attribution in attributions:
        order = attribution.order
        volumes = order_volumes(parse_lines(order.lines), rules, None)
        assert attribution.lines == [volume.as_json() for volume in volumes]
        entries = LedgerEntry.objects.filter(order=order)
        credited = entries.filter(kind=EntryKind.ORDER).aggregate(pv=Sum("pv"), bv=Sum("bv"))
        assert (credited["pv"], credited["bv"]) == (attribution.pv, attribution.bv)
        assert attribution.period.starts_on == attribution.source_event.issued_at.date().replace(day=1)
        taken = entries.exclude(kind=EntryKind.ORDER).aggregate(pv=Sum("pv"))["pv"] or Decimal(0)
        assert -attribution.pv <= taken <= 0
        events = set(order.events.values_list("kind", flat=True))
        if OrderEventKind.FULLY_REFUNDED in events or OrderEventKind.CANCELLED in events:
            assert taken == -attribution.pv
        # Each buyer is the node the rules pick: a partner by Saleor user, else its customer.
        if attribution.partner_id:
            assert attribution.partner.saleor_user_id == order.user_id
        else:
            assert attribution.customer.email == order.user_email


def test_same_seed_same_data_and_loaded_once(demo_shop, loaded, installation_factory):
    other = installation_factory(is_demo=True)
    again = load_demo_data(other, None, periods=False, **SIZE)
    codes = lambda shop: list(Partner.objects.filter(installation=shop).order_by("id").values_list("referral_code", flat=True))  # noqa: E731
    assert codes(demo_shop) == codes(other)
    totals = lambda shop: LedgerEntry.objects.filter(installation=shop).aggregate(pv=Sum("pv"), n=Count("id"))  # noqa: E731
    assert totals(demo_shop) == totals(other)
    assert (again.orders, again.refunds) == (loaded.orders, loaded.refunds)

    before = OrderRecord.objects.filter(installation=demo_shop).count()
    assert load_demo_data(demo_shop, None, **SIZE) is None
    assert OrderRecord.objects.filter(installation=demo_shop).count() == before


def test_live_volumes_on_the_demo_data_equal_the_engine(demo_shop, loaded, monkeypatch):
    monkeypatch.setattr(live_state, "_plan_in_force", lambda installation_id, starts_on: (None, None))
    period_id, _ = live.current_period_start(demo_shop.pk)
    expected = simulate(PLAN, network_partner_rows(demo_shop), period_volume_rows(demo_shop.pk, period_id))["partners"]
    partners = list(Partner.objects.filter(installation=demo_shop).values_list("pk", flat=True))
    figures = live.live_volumes_bulk(demo_shop, partners)
    assert {pk: str(figures[pk].gv) for pk in partners} == {pk: expected[f"p{pk}"]["gv"] for pk in partners}
    assert max(figures[pk].gv for pk in partners) > 0


def test_demo_months():
    now = datetime.datetime(2027, 1, 15, 9, 0, tzinfo=datetime.UTC)
    assert demo_months(now) == [datetime.date(2026, 11, 1), datetime.date(2026, 12, 1), datetime.date(2027, 1, 1)]
