"""State changes of the ledger: crediting order events, adjustments, parked events.

Crediting an order event happens in one transaction under the order's row lock
(`lock_objects`), and an event is credited at most once (`OrderEvent.credited_at`, checked
under that lock; a unique constraint on (source event, line) backs it up). Everything an
event cannot be credited with yet is parked with its reason and retried later: nothing
Saleor reported is dropped. See docs/ledger.md for the rules.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from saleor_mlm.core.errors import DomainError
from saleor_mlm.installations.models import Installation
from saleor_mlm.network.models import Customer, Partner
from saleor_mlm.orders import OrderEventKind
from saleor_mlm.orders.models import OrderEvent, OrderRecord
from saleor_mlm.periods import PeriodStatus
from saleor_mlm.periods.actions import open_period_for
from saleor_mlm.periods.locks import lock_period_for_entries
from saleor_mlm.periods.models import Period

from . import MAX_ENTRY_VOLUME, AttributionRule, EntryKind, ParkReason
from . import customers as ledger_customers
from .attribution import Buyer, decide
from .error_codes import LedgerErrorCode
from .lock_objects import lock_order, lock_order_event
from .models import VOLUME, LedgerEntry, OrderAttribution, ParkedOrderEvent, VolumeSettings
from .rates import find_rate
from .volume import LineVolume, VolumeError, VolumeRules, needs_exchange_rate, order_volumes, parse_lines, quantize
from .write_back import schedule_order_write_back

logger = logging.getLogger(__name__)


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


# ------------------------------------------------------------------ order events


def credit_order_event(order_event: OrderEvent | int) -> CreditResult:
    """Credit one recorded order event: a payment adds the order's volume, a refund or a
    cancellation takes back from what was credited. Idempotent and safe to run
    concurrently with any other event, of the same order or not."""
    event_id = order_event if isinstance(order_event, int) else order_event.pk
    with transaction.atomic():
        order_id = OrderEvent.objects.values_list("order_id", flat=True).get(pk=event_id)
        order = lock_order(order_id)
        event = lock_order_event(event_id)
        if event.credited_at is not None:
            return CreditResult(event.pk, CreditOutcome.ALREADY_CREDITED)
        if event.kind == OrderEventKind.PAID:
            result = _credit_payment(order, event)
            if result.outcome == CreditOutcome.CREDITED:
                result = _apply_waiting_take_backs(order, result)
        else:
            result = _take_back(order, event)
        if result.outcome == CreditOutcome.CREDITED:
            # Show the merchant what was credited (order and customer metadata in Saleor).
            schedule_order_write_back(order_id)
    # The message says what came of it (credited, already credited, parked), as `outcome` does.
    logger.info(
        "order event " + result.outcome.replace("_", " "),
        extra={"order_event": event_id, "order": order_id, "outcome": result.outcome, "entries": result.entries},
    )
    return result


def event_time(event: OrderEvent) -> datetime.datetime:
    """When it happened in Saleor; the period of its entries is the month of this."""
    return event.issued_at or event.created_at or timezone.now()


def _order_date(order: OrderRecord, event: OrderEvent) -> datetime.date:
    """The date whose exchange rate converts the order: the day it was placed."""
    return timezone.localtime(order.saleor_created_at or event_time(event)).date()


def _mark_credited(event: OrderEvent, now: datetime.datetime) -> None:
    event.credited_at = now
    event.save(update_fields=["credited_at"])
    ParkedOrderEvent.objects.filter(order_event=event, resolved_at__isnull=True).update(resolved_at=now)


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


@dataclass(frozen=True)
class PaymentVolumes:
    """What a paid order is worth, or why it cannot be credited yet (`park_reason`)."""

    volumes: list[LineVolume] = field(default_factory=list)
    rate: Decimal | None = None
    rate_valid_on: datetime.date | None = None
    park_reason: str = ""
    park_message: str = ""


def payment_volumes(order: OrderRecord, event: OrderEvent, rules: VolumeRules) -> PaymentVolumes:
    """The PV and BV of each line of a paid order in the plan currency, converted with
    the exchange rate of the day it was placed where a line is priced."""
    rate = rate_valid_on = None
    try:
        lines = parse_lines(order.lines)
        if order.currency.upper() == rules.plan_currency:
            needs_exchange_rate(lines, rules, order.currency)  # validates the metadata
            rate = Decimal(1)
        elif needs_exchange_rate(lines, rules, order.currency):
            on = _order_date(order, event)
            exchange_rate = find_rate(order.installation_id, order.currency, rules.plan_currency, on)
            if exchange_rate is None:
                return PaymentVolumes(
                    park_reason=ParkReason.NO_EXCHANGE_RATE,
                    park_message=f"no exchange rate for {order.currency.upper()}->{rules.plan_currency} on {on.isoformat()}",
                )
            rate, rate_valid_on = exchange_rate.rate, exchange_rate.valid_on
        return PaymentVolumes(order_volumes(lines, rules, rate), rate, rate_valid_on)
    except VolumeError as exc:
        return PaymentVolumes(
            park_reason=ParkReason.INVALID_METADATA, park_message=f"order #{order.number or order.saleor_order_id}: {exc}"
        )


def attribution_row(
    order: OrderRecord, event: OrderEvent, node: AttributedNode, period: Period, rules: VolumeRules, paid: PaymentVolumes
) -> OrderAttribution:
    volumes = paid.volumes
    return OrderAttribution(
        installation_id=order.installation_id,
        order=order,
        partner=node.partner,
        customer=node.customer,
        rule=node.rule,
        via_partner=node.via_partner,
        source_event=event,
        period=period,
        order_currency=order.currency.upper(),
        plan_currency=rules.plan_currency,
        exchange_rate=paid.rate if paid.rate_valid_on else None,  # only when a rate was looked up
        exchange_rate_valid_on=paid.rate_valid_on,
        lines=[volume.as_json() for volume in volumes],
        pv=sum((volume.pv for volume in volumes), Decimal(0)),
        bv=sum((volume.bv for volume in volumes), Decimal(0)),
    )


def order_entries(order: OrderRecord, event: OrderEvent, period: Period, node: AttributedNode, volumes: list[LineVolume]) -> list[LedgerEntry]:
    return [
        _entry(order, event, period, node.partner, node.customer, EntryKind.ORDER, volume.line_id, volume.pv, volume.bv)
        for volume in volumes
        if volume.pv or volume.bv
    ]


def _credit_payment(order: OrderRecord, event: OrderEvent) -> CreditResult:
    now = timezone.now()
    if OrderAttribution.objects.filter(order=order).exists():
        # Another paid event of the same order was credited already.
        _mark_credited(event, now)
        return CreditResult(event.pk, CreditOutcome.ALREADY_CREDITED)

    settings = volume_settings_for(order.installation_id)
    rules = volume_rules(settings)
    paid = payment_volumes(order, event, rules)
    if paid.park_reason:
        return _park(order, event, paid.park_reason, paid.park_message)

    installation = Installation.objects.get(pk=order.installation_id)
    node = _attribute(order, installation, settings.referral_metadata_key)
    period = open_period_for(installation, event_time(event))
    attribution_row(order, event, node, period, rules, paid).save(force_insert=True)
    entries = order_entries(order, event, period, node, paid.volumes)
    LedgerEntry.objects.bulk_create(entries)
    _mark_credited(event, now)
    return CreditResult(event.pk, CreditOutcome.CREDITED, entries=len(entries))


def _entry(order, event, period, partner, customer, kind, line_id, pv, bv) -> LedgerEntry:
    return LedgerEntry(
        installation_id=order.installation_id,
        period=period,
        partner=partner,
        customer=customer,
        kind=kind,
        order=order,
        order_line_id=line_id,
        pv=pv,
        bv=bv,
        source_event=event,
        delivery_id=event.delivery_id,
    )


def _apply_waiting_take_backs(order: OrderRecord, result: CreditResult) -> CreditResult:
    """Refunds and cancellations recorded before the payment was credited (parked as
    awaiting payment, or not yet processed) are applied right after it, in the same
    transaction and under the same order lock."""
    waiting = (
        OrderEvent.objects.select_for_update()
        .filter(order=order, credited_at__isnull=True)
        .exclude(kind=OrderEventKind.PAID)
        .order_by(F("issued_at").asc(nulls_last=True), "id")
    )
    applied = tuple(_take_back(order, event) for event in waiting)
    if not applied:
        return result
    return CreditResult(result.order_event_id, result.outcome, result.entries, result.message, applied)


def _refunded_share(total_refunded: Decimal, total_gross: Decimal) -> Decimal:
    """The share of the order refunded so far: totalRefunded / total gross, at most 1.

    The basis is the order's gross total (what the customer was asked to pay, shipping
    included), because Saleor lowers `totalCharged` by every refund: it is not stable."""
    if total_refunded <= 0:
        return Decimal(0)
    if total_gross <= 0 or total_refunded >= total_gross:
        return Decimal(1)
    return total_refunded / total_gross


TAKE_BACK_NOUN = {
    OrderEventKind.REFUNDED: "refund",
    OrderEventKind.FULLY_REFUNDED: "full refund",
    OrderEventKind.CANCELLED: "cancellation",
}


def _take_back(order: OrderRecord, event: OrderEvent) -> CreditResult:
    attribution = OrderAttribution.objects.filter(order=order).select_related("partner", "customer").first()
    if attribution is None:
        return _park(
            order,
            event,
            ParkReason.AWAITING_PAYMENT,
            f"{TAKE_BACK_NOUN.get(event.kind, event.kind)} of order #{order.number or order.saleor_order_id} "
            "arrived before its payment; it is applied when the payment is credited",
        )
    credited = [LineVolume.from_json(line) for line in attribution.lines]
    # What refunds and cancellations took back so far, per line (as positive numbers).
    taken = {
        row["order_line_id"]: (-row["pv"], -row["bv"])
        for row in LedgerEntry.objects.filter(order=order)
        .exclude(kind=EntryKind.ORDER)
        .values("order_line_id")
        .annotate(pv=Sum("pv"), bv=Sum("bv"))
        .order_by()
    }
    if event.kind == OrderEventKind.REFUNDED:
        share = _refunded_share(event.total_refunded, order.total_gross)
        kind = EntryKind.REFUND
    else:
        # Fully refunded or cancelled: whatever remains.
        share = Decimal(1)
        kind = EntryKind.REFUND if event.kind == OrderEventKind.FULLY_REFUNDED else EntryKind.CANCELLATION

    installation = Installation.objects.get(pk=order.installation_id)
    period = None
    entries = []
    for line in credited:
        taken_pv, taken_bv = taken.get(line.line_id, (Decimal(0), Decimal(0)))
        # Cumulative: the target is what the refunds so far take back in total, so two
        # partial refunds and a full one add up exactly to what was credited, and an
        # older refund arriving late takes nothing. Never more than what remains.
        pv = _delta(line.pv, share, taken_pv)
        bv = _delta(line.bv, share, taken_bv)
        if not pv and not bv:
            continue
        if period is None:
            period = open_period_for(installation, event_time(event))
        entries.append(
            _entry(order, event, period, attribution.partner, attribution.customer, kind, line.line_id, -pv, -bv)
        )
    LedgerEntry.objects.bulk_create(entries)
    _mark_credited(event, timezone.now())
    return CreditResult(event.pk, CreditOutcome.CREDITED, entries=len(entries))


def _delta(credited: Decimal, share: Decimal, taken: Decimal) -> Decimal:
    target = credited if share >= 1 else quantize(credited * share)
    return min(max(target - taken, Decimal(0)), max(credited - taken, Decimal(0)))


# ------------------------------------------------------------------ attribution


@dataclass(frozen=True)
class AttributedNode:
    rule: str
    partner: Partner | None = None
    customer: Customer | None = None
    via_partner: Partner | None = None


def _attribute(order: OrderRecord, installation: Installation, referral_key: str) -> AttributedNode:
    """Decide (attribution.decide) and record what is decided: a new customer is
    created, and a new or house customer found by a code gets that partner as sponsor."""
    buyer = Buyer.of(order)
    decision = decide(buyer, referral_key)
    if decision.partner is not None:
        return AttributedNode(decision.rule, partner=decision.partner)
    if decision.rule == AttributionRule.KNOWN_CUSTOMER:
        return AttributedNode(decision.rule, customer=decision.customer, via_partner=decision.sponsor)
    customer, rule = ledger_customers.attach_customer(
        installation,
        buyer,
        customer=decision.customer,
        sponsor=decision.sponsor,
        rule=decision.rule,
        reason=attribution_reason(order, decision.rule),
    )
    return AttributedNode(rule, customer=customer, via_partner=customer.sponsor)


def attribution_reason(order: OrderRecord, rule: str) -> str:
    number = order.number or order.saleor_order_id
    return {
        AttributionRule.VOUCHER: f"voucher code {order.voucher_code} on order #{number}",
        AttributionRule.REFERRAL_METADATA: f"referral code in the metadata of order #{number}",
        AttributionRule.CUSTOMER_METADATA: f"referral code in the customer's metadata (order #{number})",
        AttributionRule.HOUSE: f"order #{number} carries no partner code: house customer",
    }.get(rule, f"order #{number}")


# ------------------------------------------------------------------ parked events


@dataclass(frozen=True)
class RetryResult:
    credited: int
    still_parked: int


def retry_parked(installation: Installation) -> RetryResult:
    """Try every unresolved parked event of the installation again (after a rates
    import, or after metadata was fixed and the order re-delivered). Each event runs in
    its own transaction: one that still fails does not hold back the others."""
    event_ids = list(
        ParkedOrderEvent.objects.filter(installation=installation, resolved_at__isnull=True)
        .order_by("order_event__issued_at", "order_event_id")
        .values_list("order_event_id", flat=True)
    )
    credited = still_parked = 0
    for event_id in event_ids:
        result = credit_order_event(event_id)
        if result.outcome == CreditOutcome.PARKED:
            still_parked += 1
        else:
            credited += 1
    return RetryResult(credited, still_parked)


# ------------------------------------------------------------------ adjustments


def _volume_value(value, name: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(LedgerErrorCode.INVALID, f"{name} {value!r} is not a decimal.", field=name) from None
    if not number.is_finite() or number.as_tuple().exponent < -VOLUME["decimal_places"] or abs(number) >= MAX_ENTRY_VOLUME:
        raise DomainError(LedgerErrorCode.INVALID, f"{name} {value!r}: use at most 4 decimal places.", field=name)
    return number


def create_adjustment(
    node: Partner | Customer,
    pv: Decimal | str | int,
    bv: Decimal | str | int,
    reason: str,
    approved_by: str,
    period: Period | None = None,
    *,
    created_by: str = "",
) -> LedgerEntry:
    """A manual correction of a node's own volume (positive or negative) in an open
    period, the current month's by default. Needs a reason and who approved it."""
    pv, bv = _volume_value(pv, "pv"), _volume_value(bv, "bv")
    if not pv and not bv:
        raise DomainError(LedgerErrorCode.INVALID, "An adjustment needs a PV or BV other than zero.", field="pv")
    reason, approved_by = (reason or "").strip(), (approved_by or "").strip()
    if not reason:
        raise DomainError(LedgerErrorCode.REQUIRED, "An adjustment needs a reason.", field="reason")
    if not approved_by:
        raise DomainError(LedgerErrorCode.REQUIRED, "An adjustment needs the person who approved it.", field="approved_by")
    if period is not None and period.installation_id != node.installation_id:
        raise DomainError(LedgerErrorCode.WRONG_INSTALLATION, "The period belongs to another installation.", field="period")
    with transaction.atomic():
        if period is None:
            period = open_period_for(Installation.objects.get(pk=node.installation_id), timezone.now())
        else:
            lock_period_for_entries(period.pk)
            period.refresh_from_db(fields=["status"])
            if period.status != PeriodStatus.OPEN:
                raise DomainError(
                    LedgerErrorCode.PERIOD_CLOSED, f"Period {period.starts_on:%Y-%m} is {period.status}: adjust an open period.", field="period"
                )
        return LedgerEntry.objects.create(
            installation_id=node.installation_id,
            period=period,
            partner=node if isinstance(node, Partner) else None,
            customer=node if isinstance(node, Customer) else None,
            kind=EntryKind.ADJUSTMENT,
            pv=pv,
            bv=bv,
            reason=reason,
            approved_by=approved_by,
            created_by=created_by,
        )


def assign_house_customer(customer: Customer, partner: Partner, changed_by: str, reason: str) -> Customer:
    """The merchant gives a house customer a sponsor.

    Nothing in the ledger moves: the customer's entries stay on the customer, and the
    engine attaches a customer's own volume to its sponsor (and Betreuer) in force when
    the period is rolled up. So the customer's volume of every open period counts for the
    new sponsor from now on; closed periods keep the figures they were closed with.
    """
    if customer.installation_id != partner.installation_id:
        raise DomainError(LedgerErrorCode.WRONG_INSTALLATION, "The customer and the partner belong to different shops.")
    if customer.sponsor_id is not None:
        raise DomainError(
            LedgerErrorCode.NOT_HOUSE_CUSTOMER,
            f"{customer} is a customer of partner {customer.sponsor_id} already; move it in the network instead.",
            field="customer",
        )
    return ledger_customers.assign_house_customer(customer, partner, changed_by=changed_by, reason=reason)
