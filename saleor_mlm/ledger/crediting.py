"""Crediting order events: one path, for one event and for a batch alike.

A payment adds its order's volume to the node the attribution rules choose
(`attribution`); a refund or a cancellation takes back from what the payment credited. An
event is credited at most once. What cannot be credited yet is parked with its reason
(`ParkedOrderEvent`) and retried later: nothing Saleor reported is dropped. See
docs/ledger.md for the rules.

Entry points:

- `credit_recorded_order_events(events)`: events recorded in the current transaction,
  whose orders' rows it holds locked (the paid-order path, `webhooks.use_cases`, hands over
  the new events of a batch of deliveries from `orders.actions.record_order_events`);
- `credit_order_events(events or ids)` and `credit_order_event(event or id)`: stored events
  (retries of parked events, the safety net, the demo, tests). They lock the orders first
  (`lock_objects`), in id order, then the events, and skip what is credited already.

Both credit in rounds (`core.rounds`). In a round the buyers of all payments are looked up
together (`attribution.BuyerLookups`, five queries for the batch), new customers are created
with one call (`network.actions.create_customers`), each month's period is opened once, and
attributions, entries and the credited marks are written with one statement each. A
payment that writes its buyer's customer record (creates it, or attaches a house customer
to the partner of a code) holds the person's later events back to the next round, whose
lookups see that record; every event holds back the later events of its order (a refund
takes back from what its payment credited). So a batch credits what crediting its events
one by one, in the order given, credits, with a handful of queries per round instead of a
dozen per order.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from saleor_mlm.calendar.actions import open_period_for
from saleor_mlm.calendar.models import Period
from saleor_mlm.core.bulk import insert_rows
from saleor_mlm.core.rounds import next_round
from saleor_mlm.installations.models import Installation
from saleor_mlm.network import ChangedBy, person_keys
from saleor_mlm.network.actions import NewCustomer, create_customers
from saleor_mlm.network.models import Customer, Partner
from saleor_mlm.orders import OrderEventKind
from saleor_mlm.orders.models import OrderEvent, OrderRecord

from . import AttributionRule, EntryKind, ParkReason
from .attribution import Buyer, BuyerLookups, Decision
from .customers import SOURCE_BY_RULE, attach_customer
from .lock_objects import lock_order_events
from .models import LedgerEntry, OrderAttribution, ParkedOrderEvent, VolumeSettings
from .payments import PaymentVolumes, attribution_reason, attribution_row, event_time, ledger_entry, order_entries, payment_volumes
from .programs import credited_lines, other_programs
from .volume import VolumeRules, refunded_line_shares, take_back_delta
from .write_back import schedule_orders_write_back

if TYPE_CHECKING:
    from saleor_mlm.saleor.payloads import OrderEventPayload

logger = logging.getLogger(__name__)

# A new customer's record may be created by another transaction between a round's lookups
# and its write (create_customers then declines it); the next round reads it. Declined this
# often, something is wrong: the delivery fails and keeps its traceback for reprocessing.
CREATE_ATTEMPTS = 3


class CreditOutcome:
    CREDITED = "credited"  # the event's entries were written (maybe none: nothing left)
    ALREADY_CREDITED = "already_credited"  # a duplicate: nothing written
    PARKED = "parked"  # could not be credited yet; see ParkedOrderEvent


@dataclass(frozen=True)
class CreditResult:
    order_event_id: int
    outcome: str
    entries: int = 0
    message: str = ""
    # Refunds and cancellations that waited for this payment and were applied with it.
    applied_after: tuple[CreditResult, ...] = field(default_factory=tuple)


def volume_settings_for(installation_id: int) -> VolumeSettings:
    settings, _ = VolumeSettings.objects.get_or_create(installation_id=installation_id)
    return settings


def volume_rules(settings: VolumeSettings) -> VolumeRules:
    return VolumeRules(
        plan_currency=settings.plan_currency.upper(),
        pv_per_bv=settings.pv_per_bv,
        pv_key=settings.pv_metadata_key,
        bv_key=settings.bv_metadata_key,
    )


# ------------------------------------------------------------------ entry points


def credit_order_event(order_event: OrderEvent | int) -> CreditResult:
    """Credit one stored order event: a batch of one (`credit_order_events`)."""
    return credit_order_events([order_event])[0]


def credit_order_events(order_events: Sequence[OrderEvent | int]) -> list[CreditResult]:
    """Credit stored order events, in the order given; one result per event given.
    Idempotent and safe to run concurrently with any other crediting, of the same orders
    or not."""
    ids = [event if isinstance(event, int) else event.pk for event in order_events]
    with transaction.atomic():
        results = _credit(lock_order_events(list(dict.fromkeys(ids))), recorded=False)
    return [results[event_id] for event_id in ids]


def credit_new_order_events(new: Sequence[tuple[OrderEvent, OrderEventPayload]]) -> None:
    """The ledger's step of the paid-order path, as `on_new` of `orders.record_order_events`
    (passed by the webhook table, the order sync and the demo): called with the events it
    created, inside its transaction and with their orders' rows locked, so that an event and
    its credit (or the reason it is parked) commit together or not at all."""
    credit_recorded_order_events([event for event, _payload in new])


def credit_recorded_order_events(events: Sequence[OrderEvent]) -> list[CreditResult]:
    """Credit events recorded in the current transaction, which holds their orders' rows
    locked (each `event.order` is that row); in the order given."""
    results = _credit(list(events), recorded=True)
    return [results[event.pk] for event in events]


def _credit(events: list[OrderEvent], *, recorded: bool) -> dict[int, CreditResult]:
    by_installation: dict[int, list[OrderEvent]] = {}
    for event in events:
        by_installation.setdefault(event.installation_id, []).append(event)
    results: dict[int, CreditResult] = {}
    for batch in by_installation.values():
        results.update(_Batch(batch, recorded=recorded).credit())
    return results


# ------------------------------------------------------------------ a batch


@dataclass
class _Plan:
    """What a round does with one event, decided from the round's reads."""

    event: OrderEvent
    action: str  # one of the constants below
    paid: PaymentVolumes | None = None
    buyer: Buyer | None = None
    decision: Decision | None = None

    APPLIED = "applied"  # a take-back applied with its payment earlier in the batch
    TAKE_BACK = "take_back"
    PARK = "park"
    ATTRIBUTED = "attributed"  # the order's payment was credited by another event already
    PAY = "pay"


@dataclass
class _Node:
    """The node a payment's volume is recorded on, and the rule that in the end applied."""

    rule: str
    partner: Partner | None = None
    customer: Customer | None = None
    via_partner: Partner | None = None


class _Batch:
    """The events of one installation, credited round by round (module docstring)."""

    def __init__(self, events: list[OrderEvent], *, recorded: bool):
        self.events = list(dict.fromkeys(events))
        # Events recorded in this transaction were never tried before: none is parked.
        self.recorded = recorded
        self.position = {event.pk: index for index, event in enumerate(self.events)}
        self.installation: Installation = self.events[0].installation
        self.settings = volume_settings_for(self.installation.pk)
        self.rules = volume_rules(self.settings)
        # The partner programs besides the default one; their lines are credited too.
        self.programs = other_programs(self.installation.pk)
        self.periods: dict[datetime.date, Period] = {}
        self.results: dict[int, CreditResult] = {}
        self.applied: set[int] = set()  # take-backs applied right after their payment
        self.create_attempts: dict[int, int] = {}

    def credit(self) -> dict[int, CreditResult]:
        pending = []
        for event in self.events:
            if event.credited_at is not None:
                self.results[event.pk] = CreditResult(event.pk, CreditOutcome.ALREADY_CREDITED)
            else:
                pending.append(event)
        while pending:
            pending = self._round(pending)
        if logger.isEnabledFor(logging.INFO):
            # One line per event: what came of it (credited, already credited, parked).
            for event in self.events:
                result = self.results[event.pk]
                logger.info(
                    "order event " + result.outcome.replace("_", " "),
                    extra={"order_event": event.pk, "order": event.order_id, "outcome": result.outcome, "entries": result.entries},
                )
        return self.results

    # -------------------------------------------------------------- one round

    def _round(self, events: list[OrderEvent]) -> list[OrderEvent]:
        """Credit what this round can; return the events left for the next one, in order."""
        buyers = {event.pk: Buyer.of(event.order) for event in events if event.kind == OrderEventKind.PAID}
        lookups = BuyerLookups(self.installation.pk, list(buyers.values()), self.settings.referral_metadata_key)
        other_events, attributed = self._other_events(events)
        plans: dict[int, _Plan] = {}

        def reads(event: OrderEvent) -> set[str]:
            buyer = buyers.get(event.pk)
            return {f"order:{event.order_id}"} | (person_keys(buyer.user_id, buyer.email) if buyer else set())

        def writes(event: OrderEvent) -> set[str]:
            plan = plans[event.pk] = self._plan(event, buyers.get(event.pk), lookups, attributed)
            return reads(event) if plan.decision is not None and plan.decision.writes_customer else {f"order:{event.order_id}"}

        taken, left = next_round(events, reads=reads, writes=writes)
        declined = self._apply([plans[event.pk] for event in taken], other_events)
        return sorted(left + declined, key=lambda event: self.position[event.pk])

    def _other_events(self, events: list[OrderEvent]) -> tuple[dict[int, list[OrderEvent]], set[int]]:
        """The events of these orders other than the payments among `events`, locked and
        in the order they happened (refunds waiting for their payment are applied right
        after it), and the orders whose payment another event has credited."""
        payments = [event.pk for event in events if event.kind == OrderEventKind.PAID]
        others: dict[int, list[OrderEvent]] = {}
        for event in (
            OrderEvent.objects.select_for_update()
            .filter(order_id__in={event.order_id for event in events})
            .exclude(pk__in=payments)
            .order_by(F("issued_at").asc(nulls_last=True), "id")
        ):
            others.setdefault(event.order_id, []).append(event)
        # An attribution is written by crediting an event of its order: an order with no
        # other event than its payment here has none.
        attributed = set()
        if others:
            attributed = set(OrderAttribution.objects.filter(order_id__in=others).values_list("order_id", flat=True))
        return others, attributed

    def _plan(self, event: OrderEvent, buyer: Buyer | None, lookups: BuyerLookups, attributed: set[int]) -> _Plan:
        if event.pk in self.applied:
            return _Plan(event, _Plan.APPLIED)
        if event.kind != OrderEventKind.PAID:
            return _Plan(event, _Plan.TAKE_BACK)
        if event.order_id in attributed:
            return _Plan(event, _Plan.ATTRIBUTED)
        paid = payment_volumes(event.order, event, self.rules, self.programs)
        if paid.park_reason:
            return _Plan(event, _Plan.PARK, paid=paid)
        return _Plan(event, _Plan.PAY, paid=paid, buyer=buyer, decision=lookups.decide(buyer))

    def _apply(self, plans: list[_Plan], other_events: dict[int, list[OrderEvent]]) -> list[OrderEvent]:
        """Write what the plans say; return the payments whose new customer another
        transaction created meanwhile (decided again next round)."""
        now = timezone.now()
        payments: list[tuple[_Plan, _Node]] = []
        new_people: list[_Plan] = []
        marked: list[OrderEvent] = []  # credited with nothing to write
        for plan in plans:
            event, order = plan.event, plan.event.order
            if plan.action == _Plan.APPLIED:
                self.results[event.pk] = CreditResult(event.pk, CreditOutcome.ALREADY_CREDITED)
            elif plan.action == _Plan.TAKE_BACK:
                self.results[event.pk] = _take_back(order, event, self._period_for)
            elif plan.action == _Plan.PARK:
                self.results[event.pk] = _park(order, event, plan.paid.park_reason, plan.paid.park_message)
            elif plan.action == _Plan.ATTRIBUTED:
                marked.append(event)
                self.results[event.pk] = CreditResult(event.pk, CreditOutcome.ALREADY_CREDITED)
            elif plan.decision.customer is None and plan.decision.partner is None:
                new_people.append(plan)
            else:
                payments.append((plan, self._existing_node(plan)))
        created = self._new_customers(new_people)
        payments += created
        attached = {plan.event.pk for plan, _node in created}
        declined = [plan.event for plan in new_people if plan.event.pk not in attached]

        attributions, entries = [], []
        for plan, node in payments:
            event = plan.event
            period = self._period_for(event_time(event))
            attribution = attribution_row(event.order, event, node, period, self.rules, plan.paid)
            if node.rule == AttributionRule.HOUSE:
                attribution.unknown_referral_code = plan.decision.unknown_code
            attributions.append(attribution)
            lines = order_entries(event.order, event, period, node, plan.paid.volumes, plan.paid.programs)
            entries.extend(lines)
            self.results[event.pk] = CreditResult(event.pk, CreditOutcome.CREDITED, entries=len(lines))
        insert_rows(OrderAttribution, attributions)
        insert_rows(LedgerEntry, entries)
        _mark_credited([plan.event for plan, _ in payments] + marked, now, parked=not self.recorded)

        # Refunds and cancellations recorded before their payment was credited (parked as
        # awaiting payment, or recorded in the same batch): applied right after it, under
        # the same order lock.
        for plan, _node in payments:
            event = plan.event
            waiting = [
                other for other in other_events.get(event.order_id, ()) if other.credited_at is None and other.kind != OrderEventKind.PAID
            ]
            if waiting:
                applied = tuple(_take_back(event.order, other, self._period_for) for other in waiting)
                self.applied.update(other.pk for other in waiting)
                done = self.results[event.pk]
                self.results[event.pk] = CreditResult(done.order_event_id, done.outcome, done.entries, done.message, applied)
        credited = [plan.event for plan in plans if self.results.get(plan.event.pk, _NONE).outcome == CreditOutcome.CREDITED]
        # Show the merchant what was credited (order and customer metadata in Saleor).
        schedule_orders_write_back(list(dict.fromkeys(event.order_id for event in credited)))
        if plans:
            logger.info(
                "order events credited",
                extra={"installation": self.installation.pk, "events": len(plans), "credited": len(credited), "entries": len(entries)},
            )
        return declined

    # -------------------------------------------------------------- nodes

    def _existing_node(self, plan: _Plan) -> _Node:
        """A partner, a known customer, or a house customer (attached now to the partner of
        its order's code, if one is found)."""
        decision = plan.decision
        if decision.partner is not None:
            return _Node(decision.rule, partner=decision.partner)
        if decision.rule == AttributionRule.KNOWN_CUSTOMER:
            return _Node(decision.rule, customer=decision.customer, via_partner=decision.sponsor)
        if decision.sponsor is None:
            # A house customer's order without a code: the customer's volume, credited to
            # nobody (rule 4); nothing to write in the network.
            return _Node(AttributionRule.HOUSE, customer=decision.customer)
        customer, rule = attach_customer(
            self.installation,
            plan.buyer,
            customer=decision.customer,
            sponsor=decision.sponsor,
            rule=decision.rule,
            reason=attribution_reason(plan.event.order, decision.rule),
        )
        return _Node(rule, customer=customer, via_partner=customer.sponsor)

    def _new_customers(self, plans: list[_Plan]) -> list[tuple[_Plan, _Node]]:
        """New customers, created with one call, each attached to the partner of its code
        (no code: a house customer). One that exists by now is left out."""
        created = create_customers(
            self.installation,
            [
                NewCustomer(
                    saleor_user_id=plan.buyer.user_id,
                    email=plan.buyer.email,
                    sponsor=plan.decision.sponsor,
                    source=SOURCE_BY_RULE.get(plan.decision.rule, ""),
                    reason=attribution_reason(plan.event.order, plan.decision.rule),
                )
                for plan in plans
            ],
            changed_by=ChangedBy.SYSTEM,
        )
        nodes = []
        for plan, customer in zip(plans, created, strict=True):
            if customer is not None:
                nodes.append((plan, _Node(plan.decision.rule, customer=customer, via_partner=plan.decision.sponsor)))
                continue
            attempts = self.create_attempts[plan.event.pk] = self.create_attempts.get(plan.event.pk, 0) + 1
            if attempts >= CREATE_ATTEMPTS:
                raise RuntimeError(f"the customer of order event {plan.event.pk} kept changing during {attempts} attempts")
        return nodes

    def _period_for(self, at: datetime.datetime) -> Period:
        month = timezone.localtime(at).date().replace(day=1)
        if month not in self.periods:
            # Takes the period's shared lock for this transaction: a close waits for it.
            self.periods[month] = open_period_for(self.installation, at)
        return self.periods[month]


_NONE = CreditResult(0, "")


def _mark_credited(events: list[OrderEvent], now: datetime.datetime, *, parked: bool = True) -> None:
    """Set `credited_at`, and resolve the events' parked rows (unless none can be `parked`)."""
    if not events:
        return
    ids = [event.pk for event in events]
    OrderEvent.objects.filter(pk__in=ids).update(credited_at=now)
    if parked:
        ParkedOrderEvent.objects.filter(order_event_id__in=ids, resolved_at__isnull=True).update(resolved_at=now)
    for event in events:
        event.credited_at = now


def _park(order: OrderRecord, event: OrderEvent, reason: str, message: str) -> CreditResult:
    parked, created = ParkedOrderEvent.objects.get_or_create(
        order_event=event,
        defaults={"installation_id": order.installation_id, "order": order, "reason": reason, "message": message},
    )
    if not created:
        ParkedOrderEvent.objects.filter(pk=parked.pk).update(
            reason=reason, message=message, attempts=F("attempts") + 1, last_attempt_at=timezone.now(), resolved_at=None
        )
    logger.warning("order event parked", extra={"order_event": event.pk, "reason": reason, "detail": message})
    return CreditResult(event.pk, CreditOutcome.PARKED, message=message)


# ------------------------------------------------------------------ refunds and cancellations


TAKE_BACK_NOUN = {
    OrderEventKind.REFUNDED: "refund",
    OrderEventKind.FULLY_REFUNDED: "full refund",
    OrderEventKind.CANCELLED: "cancellation",
}


def _take_back(order: OrderRecord, event: OrderEvent, period_for: Callable[[datetime.datetime], Period]) -> CreditResult:
    attribution = OrderAttribution.objects.filter(order=order).select_related("partner", "customer").first()
    if attribution is None:
        return _park(
            order,
            event,
            ParkReason.AWAITING_PAYMENT,
            f"{TAKE_BACK_NOUN.get(event.kind, event.kind)} of order #{order.number or order.saleor_order_id} "
            "arrived before its payment; it is applied when the payment is credited",
        )
    # What the payment credited, per program (None: the default program's lines).
    by_program = credited_lines(attribution.lines)
    credited = by_program[None]
    # What refunds and cancellations took back so far, per program and line (as positive numbers).
    taken = {
        (row["program_id"], row["order_line_id"]): (-row["pv"], -row["bv"])
        for row in LedgerEntry.objects.filter(order=order)
        .exclude(kind=EntryKind.ORDER)
        .values("program_id", "order_line_id")
        .annotate(pv=Sum("pv"), bv=Sum("bv"))
        .order_by()
    }
    if event.kind == OrderEventKind.REFUNDED:
        # The lines the refunds so far name, and a proportional share for the rest (volume.py).
        shares = refunded_line_shares(
            credited,
            total_refunded=event.total_refunded,
            gross=order.total_gross,
            named=event.refunded_lines,
            named_amount=event.refunded_lines_amount,
        )
        kind = EntryKind.REFUND
    else:
        # Fully refunded or cancelled: whatever remains.
        shares = {line.line_id: Decimal(1) for line in credited}
        kind = EntryKind.REFUND if event.kind == OrderEventKind.FULLY_REFUNDED else EntryKind.CANCELLATION

    entries = []
    for program_id, lines in by_program.items():
        for line in lines:
            taken_pv, taken_bv = taken.get((program_id, line.line_id), (Decimal(0), Decimal(0)))
            # Cumulative and never more than what remains (volume.take_back_delta).
            pv = take_back_delta(line.pv, shares[line.line_id], taken_pv)
            bv = take_back_delta(line.bv, shares[line.line_id], taken_bv)
            if not pv and not bv:
                continue
            period = period_for(event_time(event))
            entries.append(ledger_entry(order, event, period, attribution.partner, attribution.customer, kind, line.line_id, -pv, -bv, program_id))
    LedgerEntry.objects.bulk_create(entries)
    _mark_credited([event], timezone.now())
    return CreditResult(event.pk, CreditOutcome.CREDITED, entries=len(entries))
