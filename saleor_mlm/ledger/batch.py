"""Crediting many new payments at once: the ledger's side of batched webhook processing.

`webhooks.batch` records the paid orders of a batch of deliveries in one transaction and
hands the new PAID events here (an order event consumer's batch form, see
`orders.actions.ConsumerRegistry`). The rules are exactly those of
`actions.credit_order_event`; what changes is the number of queries: the buyers of all
orders are looked up together (`attribution.KnownBuyers`), the period of a month is
opened once, and attributions, entries and the credited marks are written in bulk.

Only what needs no write beyond the ledger takes this path: a buyer who is a partner or
a customer with a sponsor, an order in the plan currency or with a rate at hand. A new
or house customer (attached to a partner here), an order that has to be parked (no
exchange rate, bad metadata) go through `credit_order_event` one by one, in the same
transaction, after the bulk part. Preconditions, which `orders.batch` guarantees: every
event is a PAID event created in this transaction, its order's row is locked by it, and
the order has no other event.
"""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING

from django.utils import timezone

from saleor_mlm.core.bulk import insert_rows

from saleor_mlm.orders import OrderEventKind
from saleor_mlm.orders.models import OrderEvent
from saleor_mlm.periods.actions import open_period_for
from saleor_mlm.periods.models import Period

from saleor_mlm.network import ChangedBy, person_keys
from saleor_mlm.network.actions import NewCustomer, create_customers

from . import AttributionRule
from .actions import (
    AttributedNode,
    PaymentVolumes,
    attribution_reason,
    attribution_row,
    credit_order_event,
    event_time,
    order_entries,
    payment_volumes,
    volume_rules,
    volume_settings_for,
)
from .attribution import Buyer, CodePartners, KnownBuyers
from .customers import SOURCE_BY_RULE
from .models import LedgerEntry, OrderAttribution
from .write_back import schedule_orders_write_back

if TYPE_CHECKING:
    from saleor_mlm.webhooks.payloads import OrderEventPayload

logger = logging.getLogger(__name__)


def credit_new_payments(pairs: list[tuple[OrderEvent, OrderEventPayload]]) -> None:
    """The order event consumer's batch form (registered in `consumers`)."""
    by_installation: dict[int, list[OrderEvent]] = {}
    for event, _payload in pairs:
        by_installation.setdefault(event.installation_id, []).append(event)
    for installation_id, events in by_installation.items():
        _credit_new_payments(installation_id, events)


def _credit_new_payments(installation_id: int, events: list[OrderEvent]) -> None:
    installation = events[0].installation
    settings = volume_settings_for(installation_id)
    rules = volume_rules(settings)
    # In the order the deliveries came (claimed by id): where two orders of one person
    # depend on each other (the first attributes the customer), the first comes first.
    events = sorted(events, key=lambda event: (event.delivery_id or 0, event.pk))
    buyers = {event.pk: Buyer.of(event.order) for event in events}
    known = KnownBuyers(installation_id, list(buyers.values()))
    codes = CodePartners(installation_id, list(buyers.values()), settings.referral_metadata_key)
    # People (person_keys) with an order that goes one by one or creates the customer:
    # their later orders in the batch follow it one by one.
    deferred: set[str] = set()
    # The first orders of buyers nobody knows: their customers are created in bulk.
    new_people: list[tuple[Buyer, OrderEvent, PaymentVolumes]] = []
    periods: dict[datetime.date, Period] = {}
    attributions: list[OrderAttribution] = []
    entries: list[LedgerEntry] = []
    credited: list[OrderEvent] = []
    one_by_one: list[OrderEvent] = []

    def credit(event: OrderEvent, node: AttributedNode, paid: PaymentVolumes) -> None:
        at = event_time(event)
        month = timezone.localtime(at).date().replace(day=1)
        if month not in periods:
            # Takes the period's shared lock for this transaction: a close waits for it.
            periods[month] = open_period_for(installation, at)
        period = periods[month]
        attributions.append(attribution_row(event.order, event, node, period, rules, paid))
        entries.extend(order_entries(event.order, event, period, node, paid.volumes))
        credited.append(event)

    for event in events:
        if event.kind != OrderEventKind.PAID or event.credited_at is not None:
            one_by_one.append(event)
            continue
        order = event.order
        paid = payment_volumes(order, event, rules)
        if paid.park_reason:
            one_by_one.append(event)
            continue
        buyer = buyers[event.pk]
        decision = known.decide(buyer)
        if decision is None:
            keys = person_keys(buyer.user_id, buyer.email)
            house = known.house_customer(buyer)
            if house is not None and not keys & deferred and codes.find(buyer) == (None, AttributionRule.HOUSE):
                # A house customer's order without a code: the customer's volume, credited to
                # nobody (rule 4); nothing to write in the network.
                credit(event, AttributedNode(AttributionRule.HOUSE, customer=house), paid)
                continue
            if known.unknown(buyer) and not keys & deferred:
                new_people.append((buyer, event, paid))
            else:
                one_by_one.append(event)
            deferred |= keys
            continue
        node = AttributedNode(decision.rule, partner=decision.partner, customer=decision.customer, via_partner=decision.sponsor)
        credit(event, node, paid)

    # New customers: created in bulk, attached to the partner of their code.
    bulk = []
    for buyer, event, paid in new_people:
        code = codes.find(buyer)
        if code is None:
            one_by_one.append(event)
        else:
            bulk.append((buyer, event, paid, code))
    customers = create_customers(
        installation,
        [
            NewCustomer(
                saleor_user_id=buyer.user_id,
                email=buyer.email,
                sponsor=sponsor,
                source=SOURCE_BY_RULE.get(rule, ""),
                reason=attribution_reason(event.order, rule),
            )
            for buyer, event, _paid, (sponsor, rule) in bulk
        ],
        changed_by=ChangedBy.SYSTEM,
    )
    for (_buyer, event, paid, (sponsor, rule)), customer in zip(bulk, customers, strict=True):
        if customer is None:  # created by another order meanwhile
            one_by_one.append(event)
        else:
            credit(event, AttributedNode(rule, customer=customer, via_partner=sponsor), paid)

    if credited:
        now = timezone.now()
        insert_rows(OrderAttribution, attributions)
        insert_rows(LedgerEntry, entries)
        OrderEvent.objects.filter(pk__in=[event.pk for event in credited]).update(credited_at=now)
        for event in credited:
            event.credited_at = now
        schedule_orders_write_back([event.order_id for event in credited])
    for event in sorted(one_by_one, key=lambda event: (event.delivery_id or 0, event.pk)):
        credit_order_event(event)
    logger.info(
        "order events credited in a batch",
        extra={"installation": installation_id, "in_bulk": len(credited), "one_by_one": len(one_by_one), "entries": len(entries)},
    )
