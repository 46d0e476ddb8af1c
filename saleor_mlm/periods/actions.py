"""State changes of periods. For now only: find the period a new ledger entry goes to."""

from __future__ import annotations

import calendar
import datetime

from django.db import transaction
from django.utils import timezone

from saleor_mlm.installations.models import Installation

from . import PeriodStatus
from .locks import lock_period_for_closing, lock_period_for_entries
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


def close_period(period: Period) -> Period:
    """Stop a period from taking ledger entries (the minimum; runs and approval come with
    the periods domain). Waits for every transaction still writing entries into it."""
    with transaction.atomic():
        lock_period_for_closing(period.pk)
        locked = Period.objects.select_for_update().get(pk=period.pk)
        if locked.status == PeriodStatus.OPEN:
            locked.status = PeriodStatus.CLOSED
            locked.save(update_fields=["status", "updated_at"])
    return locked
