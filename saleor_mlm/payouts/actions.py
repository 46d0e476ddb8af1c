"""State changes of the money after the run: adjustments, payout holds, the minimum payout.

Each is audited in the periods' log and settles the partner's balances again where a
settled, uncommitted period is affected (`balances.resettle_partner`). Refusals are
`DomainError`s with a `PeriodErrorCode` (the codes of the periods these changes act on).
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.calendar.actions import open_period_for
from saleor_mlm.calendar.error_codes import PeriodErrorCode
from saleor_mlm.calendar.models import Period
from saleor_mlm.core.errors import DomainError, required
from saleor_mlm.core.four_eyes import require_second_person
from saleor_mlm.installations.models import Installation
from saleor_mlm.network.models import Partner
from saleor_mlm.plans.fetch import plan_in_force, plan_of

from . import events
from .balances import payout_settings, resettle_partner
from .models import BalanceAdjustment, PayoutHold, PayoutSettings

# A user, reason or approver: given, blanks stripped.
_require = partial(required, code=PeriodErrorCode.REQUIRED)


def _same_installation(installation: Installation, *objects) -> None:
    for obj in objects:
        if obj.installation_id != installation.pk:
            raise DomainError(PeriodErrorCode.WRONG_INSTALLATION, _("%(obj)s belongs to another installation.") % {"obj": obj})


def currency_places(period: Period) -> int:
    """Minor digits of the plan in force for the period (2 when none is active yet)."""
    run = period.close_run
    if run is not None:
        return run.minor_digits
    version = plan_in_force(period.installation_id, period.starts_on)
    return plan_of(version).minor_digits if version else 2


def clean_amount(value, places: int, name: str = "amount") -> Decimal:
    """An amount with at most `places` decimals (the currency's minor unit)."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(
            PeriodErrorCode.INVALID,
            _("%(value)s is not an amount.") % {"value": repr(value)},
            field=name,
        ) from None
    if not amount.is_finite() or abs(amount) >= Decimal(10) ** 15:
        raise DomainError(PeriodErrorCode.INVALID, _("%(value)s is not an amount.") % {"value": repr(value)}, field=name)
    if amount != amount.quantize(Decimal(1).scaleb(-places)):
        raise DomainError(
            PeriodErrorCode.INVALID,
            _("%(value)s has more than %(places)s decimal places.") % {"value": repr(value), "places": places},
            field=name,
        )
    return amount


def adjustment_approver(approved_by: str, created_by: str) -> tuple[str, str]:
    """Four eyes: an adjustment is approved by someone other than who enters it."""
    approved_by = _require(approved_by, "approved_by")
    created_by = _require(created_by, "created_by")
    require_second_person(
        approved_by, created_by, code=PeriodErrorCode.SAME_USER, message="An adjustment is approved by someone other than the person who enters it."
    )
    return approved_by, created_by


def add_adjustment(
    installation: Installation,
    partner: Partner,
    period: Period,
    amount: Decimal | str,
    reason: str,
    approved_by: str,
    created_by: str,
) -> BalanceAdjustment:
    """Add money to (or take it from) a partner's balance of an open or closed period.

    Approved and committed periods are final (re-open an approved one first). Needs a
    reason and an approver other than the person entering it (four eyes).
    """
    _same_installation(installation, partner, period)
    reason = _require(reason, "reason")
    approved_by, created_by = adjustment_approver(approved_by, created_by)
    with transaction.atomic():
        # No join in the locking query: after waiting for a close that is persisting,
        # PostgreSQL re-reads the period row but not a joined run row.
        period = Period.objects.select_for_update(no_key=True).get(pk=period.pk)
        if period.status not in (PeriodStatus.OPEN, PeriodStatus.CLOSED):
            raise DomainError(
                PeriodErrorCode.INVALID_STATUS,
                _("Period %(period)s is %(status)s: adjust an open or closed period (or the next one).")
                % {"period": period.label, "status": period.status},
                field="period",
            )
        value = clean_amount(amount, currency_places(period))
        if not value:
            raise DomainError(PeriodErrorCode.INVALID, _("An adjustment needs an amount other than zero."), field="amount")
        adjustment = BalanceAdjustment.objects.create(
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
        raise DomainError(
            PeriodErrorCode.INVALID,
            _("%(last)s is committed: a hold starts after it.") % {"last": format(last, '%Y-%m')},
            field="starts_on",
        )
    if ends_on is not None and ends_on < start:
        raise DomainError(PeriodErrorCode.INVALID, _("A hold ends after it starts."), field="ends_on")
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
            raise DomainError(PeriodErrorCode.HOLD_RELEASED, _("The hold was released already."), field="hold")
        first = _first_unsettled_month(hold.installation_id)
        last_held = first - datetime.timedelta(days=1)
        hold.ends_on = min(hold.ends_on, last_held) if hold.ends_on else last_held
        hold.released_by, hold.released_at, hold.release_reason = released_by, timezone.now(), reason
        hold.save()
        events.hold_released(hold, released_by)
        resettle_partner(hold.installation_id, hold.partner_id, first)
    return hold


def set_minimum_payout(installation: Installation, amount: Decimal | str, changed_by: str) -> PayoutSettings:
    """The smallest balance paid out; smaller ones are carried forward. Applies to periods
    closed from now on (a closed period keeps the minimum it was closed with)."""
    changed_by = _require(changed_by, "changed_by")
    value = clean_amount(amount, 4, "minimum_payout")
    if value < 0:
        raise DomainError(PeriodErrorCode.INVALID, _("The minimum payout cannot be negative."), field="minimum_payout")
    with transaction.atomic():
        settings = payout_settings(installation.pk)
        previous = settings.minimum_payout
        settings.minimum_payout = value
        settings.save()
        events.settings_changed(installation.pk, changed_by, minimum_payout=str(value), previous=str(previous))
    return settings


PAYOUTS_ACTOR = "saleor-mlm payouts"  # who enters the adjustment of a returned payout


def credit_returned_payout(installation: Installation, partner: Partner, amount: Decimal, reason: str, approved_by: str) -> BalanceAdjustment:
    """Put the amount of a payout that failed or came back onto the partner's balance: an
    adjustment of the open period (this month's, created when needed), entered by the app
    and approved by the person (or service) that recorded the return. The partner's next
    statement shows it and the next payout includes it. Call it inside a transaction."""
    _same_installation(installation, partner)
    reason = _require(reason, "reason")
    approved_by = _require(approved_by, "approved_by")
    period = open_period_for(installation, timezone.now())
    adjustment = BalanceAdjustment.objects.create(
        installation=installation, partner=partner, period=period, amount=amount, reason=reason, approved_by=approved_by, created_by=PAYOUTS_ACTOR
    )
    events.adjustment_added(adjustment, PAYOUTS_ACTOR)
    return adjustment
