"""Demo periods: past months closed with statements, the current month open with a preview.

Called by the demo data loader after it has created partners, customers and orders
(ledger entries in past months and the current one)::

    from saleor_mlm.periods.demo import create_demo_periods
    create_demo_periods(installation, stdout)

It activates the demo plan (the example plan of docs/compensation.md) unless a plan is in
force, closes every past month in order, has a second demo user approve each, commits all
but the latest (left approved, so the demo can show re-opening), and previews the current
month. Safe to call again: settled months are left as they are and the preview is
refreshed. Runs in-process (no Celery needed), on SQLite or PostgreSQL.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.calendar.actions import get_period
from saleor_mlm.calendar.models import Period
from saleor_mlm.engine.examples import EXAMPLE_PLAN
from saleor_mlm.installations.models import Installation
from saleor_mlm.plans.actions import activate_plan_version, create_plan_version
from saleor_mlm.plans.fetch import plan_in_force

from .actions import approve_period, close_period, commit_period, preview_period
from .runs import execute_close_runs, execute_run

DEMO_CLOSER = "demo-closer@saleor-mlm.local"
DEMO_APPROVER = "demo-approver@saleor-mlm.local"

DEMO_PLAN = {**EXAMPLE_PLAN, "name": "Demo career plan"}


@dataclass
class DemoPeriods:
    closed: list[str] = field(default_factory=list)  # months closed by this call
    committed: list[str] = field(default_factory=list)
    approved: list[str] = field(default_factory=list)
    preview: str | None = None  # the current month, previewed


def _say(stdout, text: str) -> None:
    if stdout is not None:
        # Django's OutputWrapper ends lines itself; a plain stream needs the newline.
        stdout.write(text if hasattr(stdout, "ending") else text + "\n")


def create_demo_periods(installation: Installation, stdout=None, *, now: datetime.datetime | None = None) -> DemoPeriods:
    now = now or timezone.now()
    current = timezone.localtime(now).date().replace(day=1)
    done = DemoPeriods()
    past = list(Period.objects.filter(installation=installation, starts_on__lt=current).order_by("starts_on"))
    first_month = past[0].starts_on if past else current
    if plan_in_force(installation.pk, first_month) is None:
        version = create_plan_version(installation, DEMO_PLAN["name"], DEMO_PLAN, DEMO_CLOSER)
        activate_plan_version(version, first_month, DEMO_CLOSER)
        _say(stdout, f"periods: plan {version.name!r} in force from {first_month:%Y-%m}")

    for period in past:
        if period.status == PeriodStatus.OPEN or (period.status == PeriodStatus.CLOSED and period.close_run_id is None):
            run = close_period(installation, period, DEMO_CLOSER, now=now, enqueue=False)
            execute_close_runs(period.pk)
            run = execute_run(run.pk)
            done.closed.append(period.label)
            totals = run.summary.get("totals", {})
            _say(stdout, f"periods: {period.label} closed: {totals.get('total')} {run.currency} on BV {totals.get('bv')}")
        period.refresh_from_db()
        if period.status == PeriodStatus.CLOSED:
            approve_period(installation, period, DEMO_APPROVER)
            done.approved.append(period.label)
    latest = past[-1].starts_on if past else None
    for period in Period.objects.filter(installation=installation, starts_on__lt=current, status=PeriodStatus.APPROVED).order_by("starts_on"):
        if period.starts_on != latest:
            commit_period(installation, period, DEMO_APPROVER)
            done.committed.append(period.label)

    period = get_period(installation, current, create=True)
    if period.status == PeriodStatus.OPEN:
        run = execute_run(preview_period(installation, period, DEMO_CLOSER, now=now, enqueue=False).pk)
        done.preview = period.label
        _say(stdout, f"periods: {period.label} open, preview: {run.summary.get('totals', {}).get('total')} {run.currency} so far")
    return done
