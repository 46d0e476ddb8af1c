"""A paid order's volume: the PV and BV of its lines (default program and the others),
the attribution row that keeps them, and the ledger entries they make. Used by the
crediting (`crediting`), one payment at a time or a batch alike."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from saleor_mlm.calendar.models import Period
from saleor_mlm.orders.models import OrderEvent, OrderRecord

from . import AttributionRule, EntryKind, ParkReason
from .models import LedgerEntry, OrderAttribution
from .programs import lines_json, program_volumes
from .rates import find_rate
from .volume import LineVolume, VolumeError, VolumeRules, needs_exchange_rate, order_volumes, parse_lines

if TYPE_CHECKING:
    from .crediting import _Node


def event_time(event: OrderEvent) -> datetime.datetime:
    """When it happened in Saleor; the period of its entries is the month of this."""
    return event.issued_at or event.created_at or timezone.now()


def _order_date(order: OrderRecord, event: OrderEvent) -> datetime.date:
    """The date whose exchange rate converts the order: the day it was placed."""
    return timezone.localtime(order.saleor_created_at or event_time(event)).date()


@dataclass(frozen=True)
class PaymentVolumes:
    """What a paid order is worth, or why it cannot be credited yet (`park_reason`)."""

    volumes: list[LineVolume] = field(default_factory=list)
    # The lines of the other partner programs, by program id (ledger.programs).
    programs: dict[int, list[LineVolume]] = field(default_factory=dict)
    rate: Decimal | None = None
    rate_valid_on: datetime.date | None = None
    park_reason: str = ""
    park_message: str = ""


def payment_volumes(order: OrderRecord, event: OrderEvent, rules: VolumeRules, programs=()) -> PaymentVolumes:
    """The PV and BV of each line of a paid order in the plan currency, converted with
    the exchange rate of the day it was placed where a line is priced; and of the lines
    each of the other `programs` takes (a program's keys only add values: it needs no rate
    the default program's lines do not need)."""
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
        volumes = order_volumes(lines, rules, rate)
        return PaymentVolumes(volumes, program_volumes(lines, rules, rate, programs), rate, rate_valid_on)
    except VolumeError as exc:
        return PaymentVolumes(
            park_reason=ParkReason.INVALID_METADATA, park_message=f"order #{order.number or order.saleor_order_id}: {exc}"
        )


def attribution_row(
    order: OrderRecord, event: OrderEvent, node: _Node, period: Period, rules: VolumeRules, paid: PaymentVolumes
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
        lines=lines_json(volumes, paid.programs),
        pv=sum((volume.pv for volume in volumes), Decimal(0)),
        bv=sum((volume.bv for volume in volumes), Decimal(0)),
    )


def order_entries(
    order: OrderRecord, event: OrderEvent, period: Period, node: _Node, volumes: list[LineVolume], by_program=None
) -> list[LedgerEntry]:
    """The entries of a payment: its lines in the default program, then in each other
    program that takes them (`by_program`, by program id)."""
    return [
        ledger_entry(order, event, period, node.partner, node.customer, EntryKind.ORDER, volume.line_id, volume.pv, volume.bv, program_id)
        for program_id, lines in [(None, volumes), *(by_program or {}).items()]
        for volume in lines
        if volume.pv or volume.bv
    ]


def attribution_reason(order: OrderRecord, rule: str) -> str:
    number = order.number or order.saleor_order_id
    return {
        AttributionRule.VOUCHER: f"voucher code {order.voucher_code} on order #{number}",
        AttributionRule.REFERRAL_METADATA: f"referral code in the metadata of order #{number}",
        AttributionRule.CUSTOMER_METADATA: f"referral code in the customer's metadata (order #{number})",
        AttributionRule.HOUSE: f"order #{number} carries no partner code: house customer",
    }.get(rule, f"order #{number}")


def ledger_entry(order, event, period, partner, customer, kind, line_id, pv, bv, program_id=None) -> LedgerEntry:
    return LedgerEntry(
        installation_id=order.installation_id,
        program_id=program_id,
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


