"""Money after the run: adjustments, payout holds, minimum payout and carry-forward.

For a partner and a settled period (docs/periods.md, "Balances"):

    payable = earned (the run's total) + adjustments + carried_in (the previous period's
              carried_forward)

- a payout hold covers the period          -> carried forward (`held`)
- payable is negative (a clawback)          -> carried forward (`negative`), never charged
- payable is below the minimum payout       -> carried forward (`below_minimum`)
- otherwise                                 -> paid in full

Balances are computed in bulk when a close run is persisted, and again for one partner
(through every later settled, uncommitted period) when an adjustment or a hold changes
it. A committed period's balances never change.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from saleor_mlm.installations.models import Installation
from saleor_mlm.network.models import Partner

from . import BalanceReason, PeriodStatus
from . import events
from .error_codes import PeriodError, PeriodErrorCode
from .models import Adjustment, PartnerBalance, PartnerPeriodResult, PayoutHold, Period, PeriodSettings
from .plans import plan_in_force, plan_of

REASON_CODES = [BalanceReason.PAID, BalanceReason.BELOW_MINIMUM, BalanceReason.NEGATIVE, BalanceReason.HELD, BalanceReason.NOTHING]


def period_settings(installation_id: int) -> PeriodSettings:
    settings, _ = PeriodSettings.objects.get_or_create(installation_id=installation_id)
    return settings


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


def adjustment_sums(period: Period) -> dict[int, Decimal]:
    rows = Adjustment.objects.filter(period=period).values("partner_id").annotate(total=Sum("amount")).order_by()
    return {row["partner_id"]: row["total"] for row in rows}


def carried_in_amounts(period: Period) -> dict[int, Decimal]:
    """`carried_forward` of the previous settled period, per partner."""
    from .fetch import previous_settled_period

    previous = previous_settled_period(period)
    if previous is None:
        return {}
    rows = PartnerBalance.objects.filter(period=previous).exclude(carried_forward=0).values_list("partner_id", "carried_forward")
    return dict(rows.iterator(chunk_size=20_000))


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
    from .fetch import previous_settled_period

    run = period.close_run
    places = run.minor_digits
    earned = PartnerPeriodResult.objects.filter(run=run, partner_id=partner_id).values_list("total", flat=True).first() or Decimal(0)
    adjustments = Adjustment.objects.filter(period=period, partner_id=partner_id).aggregate(total=Sum("amount"))["total"] or Decimal(0)
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


# ------------------------------------------------------------------ actions


def _require(value: str, name: str) -> str:
    value = (value or "").strip()
    if not value:
        raise PeriodError(PeriodErrorCode.REQUIRED, f"{name.replace('_', ' ').capitalize()} is required.", field=name)
    return value


def _same_installation(installation: Installation, *objects) -> None:
    for obj in objects:
        if obj.installation_id != installation.pk:
            raise PeriodError(PeriodErrorCode.WRONG_INSTALLATION, f"{obj} belongs to another installation.")


def currency_places(period: Period) -> int:
    """Minor digits of the plan in force for the period (2 when none is active yet)."""
    if period.close_run_id:
        return period.close_run.minor_digits
    version = plan_in_force(period.installation_id, period.starts_on)
    return plan_of(version).minor_digits if version else 2


def clean_amount(value, places: int, name: str = "amount") -> Decimal:
    """An amount with at most `places` decimals (the currency's minor unit)."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise PeriodError(PeriodErrorCode.INVALID, f"{value!r} is not an amount.", field=name) from None
    if not amount.is_finite() or abs(amount) >= Decimal(10) ** 15:
        raise PeriodError(PeriodErrorCode.INVALID, f"{value!r} is not an amount.", field=name)
    if amount != amount.quantize(Decimal(1).scaleb(-places)):
        raise PeriodError(PeriodErrorCode.INVALID, f"{value!r} has more than {places} decimal places.", field=name)
    return amount


def require_second_person(approved_by: str, created_by: str) -> tuple[str, str]:
    """Four eyes: an adjustment is approved by someone other than who enters it."""
    approved_by = _require(approved_by, "approved_by")
    created_by = _require(created_by, "created_by")
    if approved_by.lower() == created_by.lower():
        raise PeriodError(PeriodErrorCode.SAME_USER, "An adjustment is approved by someone other than the person who enters it.", field="approved_by")
    return approved_by, created_by


def add_adjustment(
    installation: Installation,
    partner: Partner,
    period: Period,
    amount: Decimal | str,
    reason: str,
    approved_by: str,
    created_by: str,
) -> Adjustment:
    """Add money to (or take it from) a partner's balance of an open or closed period.

    Approved and committed periods are final (re-open an approved one first). Needs a
    reason and an approver other than the person entering it (four eyes).
    """
    _same_installation(installation, partner, period)
    reason = _require(reason, "reason")
    approved_by, created_by = require_second_person(approved_by, created_by)
    with transaction.atomic():
        # No join in the locking query: after waiting for a close that is persisting,
        # PostgreSQL re-reads the period row but not a joined run row.
        period = Period.objects.select_for_update(no_key=True).get(pk=period.pk)
        if period.status not in (PeriodStatus.OPEN, PeriodStatus.CLOSED):
            raise PeriodError(
                PeriodErrorCode.INVALID_STATUS,
                f"Period {period.label} is {period.status}: adjust an open or closed period (or the next one).",
                field="period",
            )
        value = clean_amount(amount, currency_places(period))
        if not value:
            raise PeriodError(PeriodErrorCode.INVALID, "An adjustment needs an amount other than zero.", field="amount")
        adjustment = Adjustment.objects.create(
            installation=installation,
            partner=partner,
            period=period,
            amount=value,
            reason=reason,
            approved_by=approved_by,
            created_by=created_by,
        )
        events.adjustment_added(adjustment, created_by)
        if period.status == PeriodStatus.CLOSED:
            resettle_partner(installation.pk, partner.pk, period.starts_on)
    return adjustment


def _last_committed_month(installation_id: int) -> datetime.date | None:
    period = Period.objects.filter(installation_id=installation_id, status=PeriodStatus.COMMITTED).order_by("-starts_on").first()
    return period.starts_on if period else None


def _first_unsettled_month(installation_id: int) -> datetime.date:
    """The first month whose payout is not final: the earliest uncommitted period, else
    the month after the last committed one, else the current month."""
    period = Period.objects.filter(installation_id=installation_id).exclude(status=PeriodStatus.COMMITTED).order_by("starts_on").first()
    if period is not None:
        return period.starts_on
    last = _last_committed_month(installation_id)
    if last is not None:
        return (last + datetime.timedelta(days=32)).replace(day=1)
    return timezone.localdate().replace(day=1)


def place_payout_hold(
    installation: Installation,
    partner: Partner,
    reason: str,
    created_by: str,
    *,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> PayoutHold:
    """Stop payouts to a partner from a month (default: the first uncommitted one) until
    `ends_on` or until released. Held balances are carried forward, not lost."""
    _same_installation(installation, partner)
    reason = _require(reason, "reason")
    created_by = _require(created_by, "created_by")
    start = (starts_on or _first_unsettled_month(installation.pk)).replace(day=1)
    last = _last_committed_month(installation.pk)
    if last is not None and start <= last:
        raise PeriodError(PeriodErrorCode.INVALID, f"{last:%Y-%m} is committed: a hold starts after it.", field="starts_on")
    if ends_on is not None and ends_on < start:
        raise PeriodError(PeriodErrorCode.INVALID, "A hold ends after it starts.", field="ends_on")
    with transaction.atomic():
        hold = PayoutHold.objects.create(
            installation=installation, partner=partner, reason=reason, starts_on=start, ends_on=ends_on, created_by=created_by
        )
        events.hold_placed(hold, created_by)
        resettle_partner(installation.pk, partner.pk, start)
    return hold


def release_payout_hold(hold: PayoutHold, released_by: str, reason: str) -> PayoutHold:
    """End a hold: periods from the first uncommitted one on pay out again, and what was
    carried forward while held flows into the next payout."""
    released_by = _require(released_by, "released_by")
    reason = _require(reason, "reason")
    with transaction.atomic():
        hold = PayoutHold.objects.select_for_update().get(pk=hold.pk)
        if hold.released_at is not None:
            raise PeriodError(PeriodErrorCode.HOLD_RELEASED, "The hold was released already.", field="hold")
        first = _first_unsettled_month(hold.installation_id)
        last_held = first - datetime.timedelta(days=1)
        hold.ends_on = min(hold.ends_on, last_held) if hold.ends_on else last_held
        hold.released_by, hold.released_at, hold.release_reason = released_by, timezone.now(), reason
        hold.save()
        events.hold_released(hold, released_by)
        resettle_partner(hold.installation_id, hold.partner_id, first)
    return hold


def set_minimum_payout(installation: Installation, amount: Decimal | str, changed_by: str) -> PeriodSettings:
    """The smallest balance paid out; smaller ones are carried forward. Applies to periods
    closed from now on (a closed period keeps the minimum it was closed with)."""
    changed_by = _require(changed_by, "changed_by")
    value = clean_amount(amount, 4, "minimum_payout")
    if value < 0:
        raise PeriodError(PeriodErrorCode.INVALID, "The minimum payout cannot be negative.", field="minimum_payout")
    with transaction.atomic():
        settings = period_settings(installation.pk)
        previous = settings.minimum_payout
        settings.minimum_payout = value
        settings.save()
        events.settings_changed(installation.pk, changed_by, minimum_payout=str(value), previous=str(previous))
    return settings
