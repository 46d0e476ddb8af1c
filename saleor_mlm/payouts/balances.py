"""Balances: what each partner is owed for a settled period, and the carry-forward.

For a partner and a settled period (docs/periods.md, "Balances"):

    payable = earned (the partner's totals of the month's close runs, one per program,
              added up) + adjustments + carried_in (the previous period's carried_forward)

- a payout hold covers the period          -> carried forward (`held`)
- payable is negative (a clawback)          -> carried forward (`negative`), never charged
- payable is below the minimum payout       -> carried forward (`below_minimum`)
- otherwise                                 -> paid in full

At the commit, a partner to be paid whom no credit note can be issued to (the credit notes
decide, docs/credit-notes.md) is not paid after all: `carry_unpaid` carries its amount
forward (`tax_profile`), as a hold would have.

Balances are written in bulk when a close run is persisted (`write_balances`, inside the
run's transaction), and again for one partner (through every later settled, uncommitted
period) when an adjustment or a hold changes it (`resettle_partner`). A committed
period's balances never change.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from django.db.models import F, Sum

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.calendar.models import Period
from saleor_mlm.periods import RunStatus
from saleor_mlm.periods.close_runs import close_runs
from saleor_mlm.periods.fetch import previous_settled_period
from saleor_mlm.periods.models import PartnerPeriodResult, PeriodRun
from saleor_mlm.periods.pgcopy import Column, Int8, Numeric, Text, copy_binary, is_postgresql
from saleor_mlm.periods.stats import balance_summary

from . import BalanceReason
from .models import BalanceAdjustment, PartnerBalance, PayoutHold, PayoutSettings

REASON_CODES = [
    BalanceReason.PAID, BalanceReason.BELOW_MINIMUM, BalanceReason.NEGATIVE, BalanceReason.HELD, BalanceReason.NOTHING,
    BalanceReason.TAX_PROFILE,
]  # fmt: skip


def payout_settings(installation_id: int) -> PayoutSettings:
    settings, _ = PayoutSettings.objects.get_or_create(installation_id=installation_id)
    return settings


def run_settings(period: Period, plan) -> dict:
    """The minimum payout in force when a run starts, which its balances use: a step of a new
    run (`settings.PERIOD_RUN_SETTINGS`), in the plan currency's minor unit."""
    minimum = payout_settings(period.installation_id).minimum_payout
    return {"minimum_payout": str(minimum.quantize(Decimal(1).scaleb(-plan.minor_digits)))}


def to_units(amount: Decimal, places: int) -> int:
    return int(Decimal(amount).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).scaleb(places))


def from_units(units: int, places: int) -> Decimal:
    return Decimal(int(units)).scaleb(-places).quantize(Decimal(1).scaleb(-places))


@dataclass(frozen=True)
class Settled:
    """Balances of many partners, in minor units (arrays of one length)."""

    payable: np.ndarray
    paid: np.ndarray
    carried_forward: np.ndarray
    reason: np.ndarray  # index into REASON_CODES


def settle(earned: np.ndarray, adjustments: np.ndarray, carried_in: np.ndarray, held: np.ndarray, minimum: int) -> Settled:
    """The settlement rule on arrays of minor units (the one place it is written)."""
    payable = earned + adjustments + carried_in
    reason = np.full(payable.size, REASON_CODES.index(BalanceReason.PAID), np.int8)
    reason[payable < minimum] = REASON_CODES.index(BalanceReason.BELOW_MINIMUM)
    reason[payable < 0] = REASON_CODES.index(BalanceReason.NEGATIVE)
    reason[held & (payable != 0)] = REASON_CODES.index(BalanceReason.HELD)
    reason[payable == 0] = REASON_CODES.index(BalanceReason.NOTHING)
    paying = reason == REASON_CODES.index(BalanceReason.PAID)
    paid = np.where(paying, payable, 0)
    return Settled(payable=payable, paid=paid, carried_forward=payable - paid, reason=reason)


def held_partner_ids(installation_id: int, starts_on: datetime.date) -> set[int]:
    holds = PayoutHold.objects.filter(installation_id=installation_id, starts_on__lte=starts_on).exclude(ends_on__lt=starts_on)
    return set(holds.values_list("partner_id", flat=True))


def held_at_payout(installation_id: int, today: datetime.date) -> set[int]:
    """Partners no money may be sent to today: an unreleased hold whose last month has not
    ended (a hold placed after a period's commit stops that period's payout too)."""
    holds = PayoutHold.objects.filter(installation_id=installation_id, released_at__isnull=True).exclude(ends_on__lt=today)
    return set(holds.values_list("partner_id", flat=True))


def adjustment_sums(period: Period) -> dict[int, Decimal]:
    rows = BalanceAdjustment.objects.filter(period=period).values("partner_id").annotate(total=Sum("amount")).order_by()
    return {row["partner_id"]: row["total"] for row in rows}


def carried_in_amounts(period: Period) -> dict[int, Decimal]:
    """`carried_forward` of the previous settled period, per partner."""
    previous = previous_settled_period(period)
    if previous is None:
        return {}
    rows = PartnerBalance.objects.filter(period=previous).exclude(carried_forward=0).values_list("partner_id", "carried_forward")
    return dict(rows.iterator(chunk_size=20_000))


# ------------------------------------------------------------------ a close run


def _units_by_ordinal(amounts: dict[int, Decimal], partner_pk: np.ndarray, places: int) -> np.ndarray:
    out = np.zeros(partner_pk.size, np.int64)
    for partner_id, amount in amounts.items():
        at = int(np.searchsorted(partner_pk, partner_id))
        if at < partner_pk.size and int(partner_pk[at]) == partner_id:
            out[at] += to_units(amount, places)
    return out


def write_balances(period: Period, run: PeriodRun, partner_pk: np.ndarray, earned: np.ndarray, places: int) -> dict:
    """The balances of a closed month: every partner with something to settle (`partner_pk`
    sorted, `earned` its totals of all the month's close runs in minor units by the same
    ordinal; `run` the default program's close run). A step of the persist of the month's
    last close run, in its transaction (`settings.PERIOD_CLOSE_PERSIST_STEPS`,
    `periods.close_runs`); returns the run summary's `balances` section."""
    PartnerBalance.objects.filter(period=period).delete()
    adjustments = _units_by_ordinal(adjustment_sums(period), partner_pk, places)
    carried_in = _units_by_ordinal(carried_in_amounts(period), partner_pk, places)
    held = np.isin(partner_pk, np.fromiter(held_partner_ids(period.installation_id, period.starts_on), np.int64))
    rows = np.flatnonzero((earned != 0) | (adjustments != 0) | (carried_in != 0))
    minimum = to_units(Decimal(run.settings.get("minimum_payout", "0")), places)
    settled = settle(earned[rows], adjustments[rows], carried_in[rows], held[rows], minimum)
    if is_postgresql():
        columns: dict[str, Column] = {
            "period_id": Int8(period.pk),
            "partner_id": Int8(partner_pk[rows]),
            "run_id": Int8(run.pk),
            "earned": Numeric(earned[rows], places),
            "adjustments": Numeric(adjustments[rows], places),
            "carried_in": Numeric(carried_in[rows], places),
            "payable": Numeric(settled.payable, places),
            "paid": Numeric(settled.paid, places),
            "carried_forward": Numeric(settled.carried_forward, places),
            "reason": Text(settled.reason, REASON_CODES),
        }
        copy_binary(PartnerBalance._meta.db_table, columns, rows.size)
    else:
        PartnerBalance.objects.bulk_create(
            [
                PartnerBalance(
                    period=period,
                    partner_id=int(partner_pk[ordinal]),
                    run=run,
                    earned=from_units(earned[ordinal], places),
                    adjustments=from_units(adjustments[ordinal], places),
                    carried_in=from_units(carried_in[ordinal], places),
                    payable=from_units(settled.payable[i], places),
                    paid=from_units(settled.paid[i], places),
                    carried_forward=from_units(settled.carried_forward[i], places),
                    reason=REASON_CODES[int(settled.reason[i])],
                )
                for i, ordinal in enumerate(rows.tolist())
            ],
            batch_size=2000,
        )
    return {"balances": balance_summary(settled, places, REASON_CODES)}


def drop_balances(period: Period) -> None:
    """A re-opened period has no balances (its next close run writes them again): a step of
    the re-open (`settings.PERIOD_REOPENED_STEPS`)."""
    PartnerBalance.objects.filter(period=period).delete()


# ------------------------------------------------------------------ at the commit


def carry_unpaid(period: Period, partner_ids: list[int], reason: str) -> Decimal:
    """Carry forward what `partner_ids` were to be paid in `period`, which is being
    committed, with `reason`; later settled periods take it in (`resettle_partner`) and the
    close run's balance summary counts it. Returns the amount carried."""
    rows = PartnerBalance.objects.filter(period=period, partner_id__in=partner_ids, paid__gt=0)
    carried = rows.aggregate(total=Sum("paid"))["total"] or Decimal(0)
    if not rows.update(paid=0, carried_forward=F("payable"), reason=reason):
        return carried
    _summarise_balances(period)
    later = (
        Period.objects.filter(
            installation_id=period.installation_id,
            starts_on__gt=period.starts_on,
            status__in=[PeriodStatus.CLOSED, PeriodStatus.APPROVED],
            close_run__isnull=False,
        )
        .order_by("starts_on")
        .first()
    )
    if later is not None:
        for partner_id in sorted(partner_ids):
            resettle_partner(period.installation_id, partner_id, later.starts_on)
    return carried


def _summarise_balances(period: Period) -> None:
    """The close run's balance summary, again from the period's balance rows."""
    run = period.close_run
    places = run.minor_digits
    rows = list(PartnerBalance.objects.filter(period=period).values_list("payable", "paid", "carried_forward", "reason").iterator(chunk_size=20_000))
    payable, paid, carried_forward = (np.array([to_units(row[column], places) for row in rows], np.int64) for column in range(3))
    reason = np.array([REASON_CODES.index(row[3]) for row in rows], np.int8)
    settled = Settled(payable=payable, paid=paid, carried_forward=carried_forward, reason=reason)
    run.summary = {**run.summary, "balances": balance_summary(settled, places, REASON_CODES)}
    run.save(update_fields=["summary"])


# ------------------------------------------------------------------ one partner


def resettle_partner(installation_id: int, partner_id: int, from_starts_on: datetime.date) -> None:
    """Recompute one partner's balances in every settled, uncommitted period from a month
    on, in order (each period's carried_in is the previous one's carried_forward)."""
    # Locked in month order (so two changes never deadlock), and without filtering on
    # `close_run`: a close run persisting right now holds its period's lock, this waits
    # for it and then sees its balances, instead of missing them.
    locked = Period.objects.select_for_update(no_key=True).filter(
        installation_id=installation_id,
        starts_on__gte=from_starts_on,
        status__in=[PeriodStatus.CLOSED, PeriodStatus.APPROVED],
    )
    ids = list(locked.order_by("starts_on").values_list("pk", flat=True))
    for period in Period.objects.filter(pk__in=ids, close_run__isnull=False).select_related("close_run").order_by("starts_on"):
        _resettle_one(period, partner_id)


def _resettle_one(period: Period, partner_id: int) -> None:
    run = period.close_run
    places = run.minor_digits
    # What it earned in every program's close run of the month (the balances take the sum).
    runs = [close_run.pk for close_run in close_runs(period.pk) if close_run.status == RunStatus.SUCCEEDED]
    earned = PartnerPeriodResult.objects.filter(run_id__in=runs, partner_id=partner_id).aggregate(total=Sum("total"))["total"] or Decimal(0)
    adjustments = BalanceAdjustment.objects.filter(period=period, partner_id=partner_id).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    previous = previous_settled_period(period)
    carried_in = Decimal(0)
    if previous is not None:
        carried_in = (
            PartnerBalance.objects.filter(period=previous, partner_id=partner_id).values_list("carried_forward", flat=True).first() or Decimal(0)
        )
    held = partner_id in held_partner_ids(period.installation_id, period.starts_on)
    minimum = to_units(Decimal(run.settings.get("minimum_payout", "0")), places)
    units = [to_units(value, places) for value in (earned, adjustments, carried_in)]
    if not any(units):
        PartnerBalance.objects.filter(period=period, partner_id=partner_id).delete()
        return
    settled = settle(*(np.array([value], np.int64) for value in units), np.array([held]), minimum)
    PartnerBalance.objects.update_or_create(
        period=period,
        partner_id=partner_id,
        defaults={
            "run": run,
            "earned": from_units(units[0], places),
            "adjustments": from_units(units[1], places),
            "carried_in": from_units(units[2], places),
            "payable": from_units(settled.payable[0], places),
            "paid": from_units(settled.paid[0], places),
            "carried_forward": from_units(settled.carried_forward[0], places),
            "reason": REASON_CODES[int(settled.reason[0])],
        },
    )
