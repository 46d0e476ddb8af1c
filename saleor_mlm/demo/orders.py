"""Three months of demo orders: partners' own orders, customers' orders, refunds and
cancellations, credited into the ledger.

Every order is a Saleor webhook payload (`order { ... }` as the subscription sends it),
parsed at the real boundary (`saleor.payloads.parse_order_event`). Most of them are
then written in bulk with the domain's own pieces: the order record's fields
(`orders.actions.order_record_fields`), the PV/BV rules (`ledger.volume`), an
`OrderAttribution` and ledger entries shaped as `ledger.crediting` writes them, refunds
taken back in proportion like `ledger.crediting._take_back`. The most recent ones (the
last days of the current month, new customers with partner codes among them, and a few
refunds) go through the paid-order path instead: `orders.actions.record_order_event`
with the ledger's step of `webhooks.use_cases`, which attributes and credits them.
"""

from __future__ import annotations

import base64
import datetime
import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from saleor_mlm.calendar.actions import month_bounds, open_period_for
from saleor_mlm.installations.demo_catalog import PRODUCTS, STARTER, Product
from saleor_mlm.ledger import AttributionRule, EntryKind
from saleor_mlm.ledger.crediting import credit_new_order_events, volume_rules, volume_settings_for
from saleor_mlm.ledger.models import LedgerEntry, OrderAttribution
from saleor_mlm.ledger.volume import order_volumes, parse_lines, quantize
from saleor_mlm.network import PartnerStatus
from saleor_mlm.orders import OrderEventKind
from saleor_mlm.orders.actions import order_event_dedupe_key, order_record_fields, record_order_event
from saleor_mlm.orders.models import OrderEvent, OrderRecord
from saleor_mlm.saleor.events import EVENT_SPECS
from saleor_mlm.saleor.payloads import parse_order_event

from .names import COUNTRIES, FIRST_NAMES, LAST_NAMES, ascii_name
from .network import BATCH, DemoNetwork, user_id

CENT = Decimal("0.01")
VAT = Decimal("0.19")
SHIPPING = Decimal("4.90")
FREE_SHIPPING_FROM = Decimal("60")
WEBHOOK_EVENT = {
    OrderEventKind.PAID: "order_fully_paid",
    OrderEventKind.REFUNDED: "order_refunded",
    OrderEventKind.FULLY_REFUNDED: "order_fully_refunded",
    OrderEventKind.CANCELLED: "order_cancelled",
}
# Orders of the last days of the current month go through the webhook pipeline.
LIVE_DAYS = 3
LIVE_MAX = 60


@dataclass
class Buyer:
    email: str
    user_id: str  # "" for a guest checkout
    country: str
    voucher_code: str = ""
    referral_code: str = ""  # order metadata mlm_referral_code (a referral link)
    partner: object = None  # the buyer is this partner (own order)
    customer: object = None  # the buyer is this known customer
    new_sponsor: object = None  # a new customer: attributed by the code in the order


@dataclass
class PlannedOrder:
    buyer: Buyer
    created: datetime.datetime
    payload: dict
    take_back: tuple[str, datetime.datetime, Decimal] | None = None  # (kind, when, refunded gross)


@dataclass
class OrderStats:
    orders: int = 0
    through_pipeline: int = 0
    take_backs: Counter = field(default_factory=Counter)
    by_month: Counter = field(default_factory=Counter)


def _money(amount: Decimal, currency: str) -> dict:
    return {"amount": float(amount), "currency": currency}


def _taxed(net: Decimal, currency: str) -> dict:
    return {"net": _money(net, currency), "gross": _money((net * (1 + VAT)).quantize(CENT, ROUND_HALF_UP), currency)}


def _line(number: str, product: Product, quantity: int, currency: str) -> dict:
    unit = product.net(currency)
    return {
        "id": f"T3JkZXJMaW5lOi{number}",
        "productSku": product.sku,
        "quantity": quantity,
        "unitPrice": _taxed(unit, currency),
        "totalPrice": _taxed(unit * quantity, currency),
        "variant": {
            "id": product.variant_id,
            "metadata": [],
            "product": {
                "id": product.product_id,
                "metadata": [{"key": "mlm.pv", "value": str(product.pv)}, {"key": "mlm.bv", "value": str(product.bv)}],
            },
        },
    }


def _order_payload(rng: random.Random, number: int, buyer: Buyer, created: datetime.datetime, lines: list[tuple[Product, int]]) -> dict:
    currency = "CHF" if buyer.country == "CH" else "EUR"
    order_lines = [_line(f"{number}-{i}", product, quantity, currency) for i, (product, quantity) in enumerate(lines)]
    net = sum((Decimal(str(line["totalPrice"]["net"]["amount"])) for line in order_lines), Decimal(0))
    gross = sum((Decimal(str(line["totalPrice"]["gross"]["amount"])) for line in order_lines), Decimal(0))
    if gross < FREE_SHIPPING_FROM:
        net, gross = net + SHIPPING, gross + SHIPPING
    order_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    metadata = [{"key": "mlm_referral_code", "value": buyer.referral_code}] if buyer.referral_code else []
    return {
        "id": base64.b64encode(f"Order:{order_id}".encode()).decode(),
        "number": str(number),
        "created": created.isoformat(),
        "status": "UNFULFILLED",
        "chargeStatus": "FULL",
        "userEmail": buyer.email,
        "voucherCode": buyer.voucher_code or None,
        "languageCodeEnum": "DE",
        "user": {"id": buyer.user_id, "email": buyer.email, "metadata": []} if buyer.user_id else None,
        "channel": {"slug": f"shop-{currency.lower()}", "currencyCode": currency},
        "billingAddress": {"country": {"code": buyer.country}},
        "total": {"net": _money(net, currency), "gross": _money(gross, currency)},
        "totalCharged": _money(gross, currency),
        "totalRefunded": _money(Decimal(0), currency),
        "metadata": metadata,
        "privateMetadata": [],
        "lines": order_lines,
    }


def _event_payload(kind: str, order: dict, issued_at: datetime.datetime, refunded: Decimal = Decimal(0)) -> dict:
    event = WEBHOOK_EVENT[kind]
    order = dict(order)
    if refunded:
        gross = Decimal(str(order["total"]["gross"]["amount"]))
        currency = order["total"]["gross"]["currency"]
        order["totalRefunded"] = _money(refunded, currency)
        order["totalCharged"] = _money(gross - refunded, currency)
        order["chargeStatus"] = "NONE" if refunded >= gross else "PARTIAL"
    if kind == OrderEventKind.CANCELLED:
        order["status"] = "CANCELED"
    return {
        "__typename": EVENT_SPECS[event].graphql_type,
        "issuedAt": issued_at.isoformat(),
        "version": "3.23.0",
        "issuingPrincipal": {"__typename": "User", "id": "VXNlcjox"},
        "recipient": {"id": "demo"},
        "order": order,
    }


def _basket(rng: random.Random) -> list[tuple[Product, int]]:
    products = rng.sample(PRODUCTS[:-1], k=rng.choices((1, 2, 3, 4), weights=(35, 35, 20, 10))[0])
    return [(product, rng.choices((1, 2, 3), weights=(70, 22, 8))[0]) for product in products]


def _moment(rng: random.Random, starts: datetime.datetime, ends: datetime.datetime) -> datetime.datetime:
    """A shop-hours moment between the two (more in the evening)."""
    day = starts + (ends - starts) * rng.random()
    hour = rng.choices(range(24), weights=[1, 1, 1, 1, 1, 1, 2, 4, 5, 6, 6, 6, 7, 7, 6, 6, 6, 7, 9, 11, 12, 10, 6, 3])[0]
    moment = day.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60), microsecond=0)
    return min(max(moment, starts), ends)


def plan_orders(rng: random.Random, network: DemoNetwork, months: list[datetime.date], now: datetime.datetime) -> list[PlannedOrder]:
    """Who buys what when: about two thirds of the active partners and a third of the
    customers order in a month; new partners start with a starter set; some orders are
    refunded (in full or in part) or cancelled a few days later."""
    planned: list[PlannedOrder] = []
    number = 10_000
    end_of_data = now - datetime.timedelta(minutes=30)
    for first_day in months:
        _, last_day = month_bounds(first_day)
        starts = datetime.datetime.combine(first_day, datetime.time(), tzinfo=datetime.UTC)
        ends = min(datetime.datetime.combine(last_day, datetime.time(23, 59), tzinfo=datetime.UTC), end_of_data)
        if ends <= starts:
            continue
        elapsed = (ends - starts) / (datetime.timedelta(days=last_day.day))  # < 1 in the current month

        def buyers(starts=starts, ends=ends, elapsed=elapsed):
            for partner in network.partners:
                if starts <= partner.enrolled_at <= ends:
                    yield "starter", partner
                chance = {PartnerStatus.ACTIVE: 0.6, PartnerStatus.INACTIVE: 0.08}.get(partner.status, 0.0)
                if partner.enrolled_at < ends and rng.random() < chance * elapsed:
                    yield "partner", partner
            for customer in network.customers:
                chance = 0.2 if customer.sponsor_id is None else 0.3
                if rng.random() < chance * elapsed:
                    yield "customer", customer

        for what, node in buyers():
            number += 1
            if what == "customer":
                country = "CH" if node.email.endswith(".ch") else ("AT" if node.email.endswith(".at") else "DE")
                buyer = Buyer(email=node.email, user_id=node.saleor_user_id, country=country, customer=node)
                if node.sponsor_id and rng.random() < 0.4:
                    buyer.voucher_code = node.sponsor.referral_code  # customers keep using the code
            else:
                buyer = Buyer(email=node.email, user_id=node.saleor_user_id, country=str(node.country or "DE"), partner=node)
            if what == "starter":
                created = min(max(node.enrolled_at + datetime.timedelta(minutes=20), starts), ends)
                lines = [(STARTER, 1)]
            else:
                created = _moment(rng, max(starts, node.enrolled_at) if what == "partner" else starts, ends)
                lines = _basket(rng)
            planned.append(PlannedOrder(buyer, created, _order_payload(rng, number, buyer, created, lines)))

    # New customers arriving in the last days, with a partner's code or referral link.
    active = [p for p in network.partners if p.status == PartnerStatus.ACTIVE]
    month_start = datetime.datetime.combine(months[-1], datetime.time(), tzinfo=datetime.UTC)
    recent = max(now - datetime.timedelta(days=LIVE_DAYS), month_start)
    for index in range(max(5, len(network.customers) // 200)):
        number += 1
        partner = rng.choice(active)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        country, _, _, domains = rng.choice(COUNTRIES)
        buyer = Buyer(
            email=f"{ascii_name(first)}.{ascii_name(last)}.neu{index + 1}@{rng.choice(domains)}",
            user_id=user_id(900_000 + index) if rng.random() < 0.6 else "",
            country=country,
            new_sponsor=partner,
        )
        if rng.random() < 0.7:
            buyer.voucher_code = partner.referral_code
        else:
            buyer.referral_code = partner.referral_code
        created = _moment(rng, recent, end_of_data) if end_of_data > recent else end_of_data
        planned.append(PlannedOrder(buyer, created, _order_payload(rng, number, buyer, created, _basket(rng))))

    for order in planned:
        roll = rng.random()
        if roll > 0.06:
            continue
        when = order.created + datetime.timedelta(days=rng.randint(1, 12), hours=rng.randint(0, 20))
        if when > end_of_data:
            continue
        gross = Decimal(str(order.payload["total"]["gross"]["amount"]))
        if roll < 0.03:
            order.take_back = (OrderEventKind.FULLY_REFUNDED, when, gross)
        elif roll < 0.05:
            order.take_back = (OrderEventKind.REFUNDED, when, (gross * Decimal("0.3")).quantize(CENT, ROUND_HALF_UP))
        else:
            order.take_back = (OrderEventKind.CANCELLED, when, Decimal(0))
    planned.sort(key=lambda order: order.created)
    return planned


def credit_orders(installation, network: DemoNetwork, planned: list[PlannedOrder], now: datetime.datetime, stdout) -> OrderStats:
    """Write the planned orders: in bulk up to the last days, then through the pipeline."""
    stats = OrderStats()
    live_from = now - datetime.timedelta(days=LIVE_DAYS)
    new_customers = [order for order in planned if order.buyer.new_sponsor is not None]
    recent = [order for order in planned if order.created >= live_from and order.buyer.new_sponsor is None]
    live = sorted(new_customers + recent[max(0, len(recent) - LIVE_MAX + len(new_customers)) :], key=lambda order: order.created)
    live_ids = {id(order) for order in live}
    bulk = [order for order in planned if id(order) not in live_ids]
    _write_bulk(installation, bulk, stats)
    for order in live:
        _through_pipeline(installation, order, stats)
    return stats


def _periods(installation):
    cache = {}

    def period_for(moment: datetime.datetime):
        key = (moment.year, moment.month)
        if key not in cache:
            cache[key] = open_period_for(installation, moment)
        return cache[key]

    return period_for


def _write_bulk(installation, orders: list[PlannedOrder], stats: OrderStats) -> None:
    rules = volume_rules(volume_settings_for(installation.pk))
    period_for = _periods(installation)
    for start in range(0, len(orders), BATCH):
        chunk = orders[start : start + BATCH]
        parsed = []
        for order in chunk:
            issued = order.created + datetime.timedelta(minutes=3)
            payload = parse_order_event("order_fully_paid", _event_payload(OrderEventKind.PAID, order.payload, issued))
            parsed.append((order, payload, issued))
        records = OrderRecord.objects.bulk_create([_record(installation, order, payload) for order, payload, _ in parsed])
        events, take_backs = [], []
        for (order, payload, issued), record in zip(parsed, records, strict=True):
            events.append(
                OrderEvent(
                    installation=installation,
                    order=record,
                    kind=OrderEventKind.PAID,
                    dedupe_key=order_event_dedupe_key(OrderEventKind.PAID, payload.order),
                    total_refunded=0,
                    issued_at=issued,
                    credited_at=issued + datetime.timedelta(seconds=2),
                )
            )
            if order.take_back:
                kind, when, refunded = order.take_back
                later = parse_order_event(WEBHOOK_EVENT[kind], _event_payload(kind, order.payload, when, refunded))
                take_backs.append(
                    OrderEvent(
                        installation=installation,
                        order=record,
                        kind=kind,
                        dedupe_key=order_event_dedupe_key(kind, later.order),
                        total_refunded=refunded,
                        issued_at=when,
                        credited_at=when + datetime.timedelta(seconds=2),
                    )
                )
        OrderEvent.objects.bulk_create(events + take_backs)
        paid_event = {event.order_id: event for event in events}
        later_event = {event.order_id: event for event in take_backs}

        attributions, entries = [], []
        for (order, _payload, issued), record in zip(parsed, records, strict=True):
            buyer = order.buyer
            volumes = order_volumes(parse_lines(record.lines), rules, None)
            period = period_for(issued)
            partner, customer = buyer.partner, buyer.customer
            if partner is not None:
                rule, via = AttributionRule.PARTNER_USER, None
            elif customer.sponsor_id is not None:
                rule, via = AttributionRule.KNOWN_CUSTOMER, customer.sponsor
            else:
                rule, via = AttributionRule.HOUSE, None
            attributions.append(
                OrderAttribution(
                    installation=installation,
                    order=record,
                    partner=partner,
                    customer=customer,
                    rule=rule,
                    via_partner=via,
                    source_event=paid_event[record.pk],
                    period=period,
                    order_currency=record.currency,
                    plan_currency=rules.plan_currency,
                    lines=[volume.as_json() for volume in volumes],
                    pv=sum((volume.pv for volume in volumes), Decimal(0)),
                    bv=sum((volume.bv for volume in volumes), Decimal(0)),
                )
            )
            for volume in volumes:
                entries.append(_entry(installation, record, paid_event[record.pk], period, partner, customer, EntryKind.ORDER, volume.line_id, volume.pv, volume.bv))
            if order.take_back:
                kind, when, refunded = order.take_back
                event = later_event[record.pk]
                share = Decimal(1) if kind != OrderEventKind.REFUNDED else min(refunded / record.total_gross, Decimal(1))
                entry_kind = EntryKind.CANCELLATION if kind == OrderEventKind.CANCELLED else EntryKind.REFUND
                for volume in volumes:
                    pv = volume.pv if share >= 1 else quantize(volume.pv * share)
                    bv = volume.bv if share >= 1 else quantize(volume.bv * share)
                    if pv or bv:
                        entries.append(_entry(installation, record, event, period_for(when), partner, customer, entry_kind, volume.line_id, -pv, -bv))
                stats.take_backs[kind] += 1
            stats.orders += 1
            stats.by_month[f"{issued:%Y-%m}"] += 1
        OrderAttribution.objects.bulk_create(attributions)
        LedgerEntry.objects.bulk_create(entries)


def _record(installation, order: PlannedOrder, payload) -> OrderRecord:
    """The order's record in its latest state (as a take-back's delivery leaves it)."""
    fields = order_record_fields(payload.order)
    if order.take_back:
        kind, _when, refunded = order.take_back
        fields["total_refunded"] = refunded
        fields["total_charged"] = fields["total_gross"] - refunded
        if kind == OrderEventKind.CANCELLED:
            fields["status"] = "CANCELED"
    return OrderRecord(installation=installation, saleor_order_id=payload.order.id, **fields)


def _entry(installation, record, event, period, partner, customer, kind, line_id, pv, bv) -> LedgerEntry:
    return LedgerEntry(
        installation=installation,
        period=period,
        partner=partner,
        customer=customer,
        kind=kind,
        order=record,
        order_line_id=line_id,
        pv=pv,
        bv=bv,
        source_event=event,
    )


def _through_pipeline(installation, order: PlannedOrder, stats: OrderStats) -> None:
    """As a webhook would: record the order event and credit it (webhooks.use_cases)."""
    issued = order.created + datetime.timedelta(minutes=3)
    paid = parse_order_event("order_fully_paid", _event_payload(OrderEventKind.PAID, order.payload, issued))
    record_order_event(installation, paid, OrderEventKind.PAID, on_new=credit_new_order_events)
    stats.orders += 1
    stats.through_pipeline += 1
    stats.by_month[f"{issued:%Y-%m}"] += 1
    if order.take_back:
        kind, when, refunded = order.take_back
        later = parse_order_event(WEBHOOK_EVENT[kind], _event_payload(kind, order.payload, when, refunded))
        record_order_event(installation, later, kind, on_new=credit_new_order_events)
        stats.take_backs[kind] += 1
