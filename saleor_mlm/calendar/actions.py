"""Which period a date belongs to: the open period of a ledger entry, a month's period.

The lifecycle that changes a period's status (close, approve, reopen, commit) is
`periods.actions`, above the ledger; this is what the ledger needs below it.
"""

from __future__ import annotations

import calendar
import datetime

from django.utils import timezone
from django.utils.translation import gettext

from saleor_mlm.core.errors import DomainError
from saleor_mlm.installations.models import Installation

from . import PeriodStatus
from .error_codes import PeriodErrorCode
from .locks import lock_period_for_entries
from .models import Period


def month_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day of the month containing `day`."""
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def _as_date(at: datetime.datetime | datetime.date) -> datetime.date:
    if isinstance(at, datetime.datetime):
        # Months are cut in the project's time zone (settings.TIME_ZONE, UTC), so that
        # every installation and every process agrees on which month an instant is in.
        return timezone.localtime(at).date() if timezone.is_aware(at) else at.date()
    return at


def open_period_for(installation: Installation, at: datetime.datetime | datetime.date) -> Period:
    """The open period a ledger entry dated `at` belongs to.

    That is the month containing `at`, created on first use. When that month is no longer
    open (closed, approved or committed), the entry goes to the next open month: later
    ledger entries never change a closed period's figures.

    Call it inside the transaction that writes the entries: it holds a shared lock on
    the period until that transaction ends, so closing the period waits for the entries
    (see `locks`). Safe to call concurrently: creation relies on the unique
    (installation, starts_on) constraint, and `get_or_create` re-reads the row another
    transaction created.
    """
    starts_on, ends_on = month_bounds(_as_date(at))
    settled = latest_settled_month(installation.pk)
    if settled is not None and starts_on <= settled:
        # A month before a settled one that never had a period (no entries back then):
        # it is not created behind the settled one; the entry goes to the next month.
        starts_on, ends_on = month_bounds(settled + datetime.timedelta(days=32))
    while True:
        period, _ = Period.objects.get_or_create(
            installation=installation,
            starts_on=starts_on,
            defaults={"ends_on": ends_on, "status": PeriodStatus.OPEN},
        )
        if period.status == PeriodStatus.OPEN:
            lock_period_for_entries(period.pk)
            # Re-read under the lock: a close may have committed since the read above.
            period.refresh_from_db(fields=["status"])
            if period.status == PeriodStatus.OPEN:
                return period
        starts_on, ends_on = month_bounds(ends_on + datetime.timedelta(days=1))


def latest_settled_month(installation_id: int) -> datetime.date | None:
    return (
        Period.objects.filter(installation_id=installation_id, status__in=PeriodStatus.SETTLED)
        .order_by("-starts_on")
        .values_list("starts_on", flat=True)
        .first()
    )


def parse_month(month: str | datetime.date) -> datetime.date:
    """`2026-10` (or any date in the month) -> 2026-10-01."""
    if isinstance(month, datetime.datetime):
        month = month.date()
    if isinstance(month, datetime.date):
        return month.replace(day=1)
    text = (month or "").strip()
    try:
        return datetime.date.fromisoformat(text if len(text) > 7 else f"{text}-01").replace(day=1)
    except ValueError:
        raise DomainError(
            PeriodErrorCode.INVALID,
            gettext("%(month)s is not a month (YYYY-MM).") % {"month": repr(month)},
            field="period",
        ) from None


def get_period(installation: Installation, month: str | datetime.date, *, create: bool = False) -> Period:
    """The period of a month; created (open) when `create` and it does not exist yet."""
    starts_on, ends_on = month_bounds(parse_month(month))
    if create and not Period.objects.filter(installation=installation, starts_on=starts_on).exists():
        settled = latest_settled_month(installation.pk)
        if settled is not None and starts_on < settled:
            raise DomainError(
                PeriodErrorCode.INVALID_STATUS,
                gettext("%(period)s is settled already: no period is opened before it.") % {"period": format(settled, '%Y-%m')},
                field="period",
            )
    if create:
        period, _ = Period.objects.get_or_create(
            installation=installation, starts_on=starts_on, defaults={"ends_on": ends_on, "status": PeriodStatus.OPEN}
        )
        return period
    try:
        return Period.objects.get(installation=installation, starts_on=starts_on)
    except Period.DoesNotExist:
        raise DomainError(
            PeriodErrorCode.NOT_FOUND,
            gettext("There is no period %(starts_on)s.") % {"starts_on": format(starts_on, '%Y-%m')},
            field="period",
        ) from None
