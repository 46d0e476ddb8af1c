"""State changes of periods: the month-end lifecycle.

    open --close--> closed --approve--> approved --commit--> committed
      ^                |                    |
      +----reopen------+--------------------+        (before commit, with a reason)

Who may do what when (docs/periods.md, "Lifecycle"); every refusal is a `DomainError`:

- close: an open period whose last day is over, when no earlier period is open and a plan
  version is in force. It stops the period taking ledger entries at once (later entries
  go to the next period) and starts the close runs: the default program's and one for
  every other program with members (`close_runs`; each on its program's plan in force). Closing a closed period whose runs have not all succeeded resumes them.
- approve: a closed period whose close runs all succeeded, by someone other than the
  person who closed it, when no earlier period waits for approval.
- reopen: a closed or approved period, when no later period is settled; needs a reason.
  Its figures and balances are dropped; it takes ledger entries again.
- commit: an approved period when every earlier period is committed. Final. In the same
  transaction the steps of `settings.PERIOD_COMMITTED_STEPS` run (the credit notes;
  `periods.steps`).

Permissions (who is staff) are the API's business; these functions check the rules that
hold whoever calls them. Users are identified by e-mail, as elsewhere in the app.
"""

from __future__ import annotations

import datetime
from functools import partial

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.calendar.error_codes import PeriodErrorCode
from saleor_mlm.calendar.locks import lock_period_for_closing
from saleor_mlm.calendar.models import Period
from saleor_mlm.core.errors import DomainError, required
from saleor_mlm.core.four_eyes import require_second_person
from saleor_mlm.installations.models import Installation
from saleor_mlm.ledger.models import ExchangeRate, OrderAttribution
from saleor_mlm.network.models import ProgramEnrollment
from saleor_mlm.plans.fetch import plan_in_force, plan_of
from saleor_mlm.plans.models import PlanVersion
from saleor_mlm.programs.models import Program

from . import RunKind, RunStatus, events
from .close_runs import close_runs, default_close_run, latest_per_program
from .fetch import network_moment
from .models import PeriodRun
from .steps import period_steps

# A user, reason or approver: given, blanks stripped.
_require = partial(required, code=PeriodErrorCode.REQUIRED)


def _locked(installation: Installation, period: Period) -> Period:
    if period.installation_id != installation.pk:
        raise DomainError(PeriodErrorCode.WRONG_INSTALLATION, _("The period belongs to another installation."), field="period")
    # FOR NO KEY UPDATE: ledger entries referencing the period (a FOR KEY SHARE lock
    # each) are not blocked by it.
    return Period.objects.select_for_update(no_key=True).get(pk=period.pk)


def _status_error(period: Period, action: str, allowed: str) -> DomainError:
    return DomainError(
        PeriodErrorCode.INVALID_STATUS,
        _("Period %(period)s is %(status)s: only %(allowed)s periods can be %(action)s.")
        % {"period": period.label, "status": period.status, "allowed": allowed, "action": action},
        field="period",
    )


def _earlier(period: Period, statuses) -> Period | None:
    return (
        Period.objects.filter(installation_id=period.installation_id, starts_on__lt=period.starts_on, status__in=statuses)
        .order_by("starts_on")
        .first()
    )


def rates_snapshot(period: Period) -> dict:
    """The exchange rates of the period: the table as the merchant maintained it (the
    latest rate before the period and every rate in it, per currency pair) and the rates
    the period's orders were credited with."""
    table = []
    pairs = ExchangeRate.objects.filter(installation_id=period.installation_id).values_list("currency", "plan_currency").distinct()
    for currency, plan_currency in pairs.order_by():
        rates = ExchangeRate.objects.filter(installation_id=period.installation_id, currency=currency, plan_currency=plan_currency)
        before = rates.filter(valid_on__lt=period.starts_on).order_by("-valid_on").first()
        within = rates.filter(valid_on__gte=period.starts_on, valid_on__lte=period.ends_on).order_by("valid_on")
        for rate in ([before] if before else []) + list(within):
            table.append({"currency": currency, "plan_currency": plan_currency, "rate": str(rate.rate), "valid_on": rate.valid_on.isoformat()})
    used = (
        OrderAttribution.objects.filter(period=period, exchange_rate__isnull=False)
        .values_list("order_currency", "plan_currency", "exchange_rate", "exchange_rate_valid_on")
        .distinct()
        .order_by("order_currency", "exchange_rate_valid_on")
    )
    return {
        "table": table,
        "period": [
            {"currency": c, "plan_currency": p, "rate": str(r), "valid_on": v.isoformat() if v else None} for c, p, r, v in used
        ],
    }


def require_plan_in_force(period: Period, program: Program | None = None) -> PlanVersion:
    """The plan in force for the period, of a program (the default program's unless given)."""
    version = plan_in_force(period.installation_id, period.starts_on, program.pk if program else None)
    if version is None:
        if program is not None and not program.is_default:
            message = _("No active plan version of program %(program)s is in force for %(period)s: activate one from that month or earlier.") % {
                "program": program.code,
                "period": period.label,
            }
        else:
            message = _("No active plan version is in force for %(period)s: activate one from that month or earlier.") % {"period": period.label}
        raise DomainError(PeriodErrorCode.NO_PLAN, message, field="period")
    return version


def _run_program(installation: Installation, program: Program | None) -> Program | None:
    """The program a run is for: None for the default program (its runs name none)."""
    if program is None or program.is_default:
        return None
    if program.installation_id != installation.pk:
        raise DomainError(PeriodErrorCode.INVALID, _("The program belongs to another installation."), field="program")
    return program


def _new_run(period: Period, kind: str, requested_by: str, at: datetime.datetime, program: Program | None = None) -> PeriodRun:
    version = require_plan_in_force(period, program)
    plan = plan_of(version)
    settings: dict = {}
    for run_settings in period_steps("PERIOD_RUN_SETTINGS"):
        settings.update(run_settings(period, plan))
    return PeriodRun.objects.create(
        installation_id=period.installation_id,
        period=period,
        kind=kind,
        program=program,
        plan_version=version,
        plan_document=version.document,
        currency=plan.currency,
        minor_digits=plan.minor_digits,
        rates=rates_snapshot(period),
        settings=settings,
        network_at=network_moment(period, at),
        requested_by=requested_by,
    )


def _program_close_runs(period: Period, requested_by: str, at: datetime.datetime) -> list[PeriodRun]:
    """The close runs of the programs other than the default that have members, each on
    its program's plan in force (every plan pays in the ledger's plan currency: activation
    sees to it, `plans.actions`), so the month's amounts add up."""
    members = ProgramEnrollment.objects.filter(program=OuterRef("pk"))
    programs = Program.objects.filter(installation_id=period.installation_id, is_default=False).filter(Exists(members)).order_by("pk")
    return [_new_run(period, RunKind.CLOSE, requested_by, at, program) for program in programs]


def enqueue_run(run: PeriodRun) -> None:
    """Start the run's task once the transaction that created it has committed."""
    from .tasks import start_period_run

    transaction.on_commit(lambda: start_period_run(run.pk))


def close_period(
    installation: Installation,
    period: Period,
    closed_by: str,
    *,
    now: datetime.datetime | None = None,
    enqueue: bool = True,
) -> PeriodRun:
    """Close a period: no more ledger entries, and the close run starts (see module doc).

    Returns the default program's close run (run it and the other programs' with
    `runs.execute_close_runs`, or let the tasks do it: `enqueue`). Closing a closed period
    whose runs have not all succeeded returns the first unfinished one.
    """
    closed_by = _require(closed_by, "closed_by")
    now = now or timezone.now()
    with transaction.atomic():
        # First wait for every transaction still writing entries into the period (they
        # hold its lock shared); from the commit of this one on, new entries go to the
        # next period. Taken before the row lock, in the same order as the writers.
        lock_period_for_closing(period.pk)
        locked = _locked(installation, period)
        if locked.status == PeriodStatus.CLOSED:
            unfinished = [run for run in close_runs(locked.pk) if run.status in RunStatus.UNFINISHED]
            if unfinished:
                if enqueue:
                    for run in unfinished:
                        enqueue_run(run)
                return unfinished[0]
        if locked.status != PeriodStatus.OPEN:
            raise _status_error(locked, "closed", "open")
        end = datetime.datetime.combine(locked.ends_on + datetime.timedelta(days=1), datetime.time.min, tzinfo=datetime.UTC)
        if now < end:
            raise DomainError(
                PeriodErrorCode.PERIOD_NOT_ENDED,
                _("Period %(period)s runs until %(ends_on)s: close it afterwards.")
                % {"period": locked.label, "ends_on": format(locked.ends_on, '%Y-%m-%d')},
                field="period",
            )
        earlier = _earlier(locked, [PeriodStatus.OPEN])
        if earlier is not None:
            raise DomainError(
                PeriodErrorCode.EARLIER_PERIOD_OPEN,
                _("Close %(period)s first: periods close in order.") % {"period": earlier.label},
                field="period",
            )
        run = _new_run(locked, RunKind.CLOSE, closed_by, now)
        program_runs = _program_close_runs(locked, closed_by, now)
        locked.status = PeriodStatus.CLOSED
        locked.closed_at, locked.closed_by = now, closed_by
        locked.approved_at, locked.approved_by = None, ""
        locked.save(update_fields=["status", "closed_at", "closed_by", "approved_at", "approved_by", "updated_at"])
        events.period_closed(locked, run, closed_by)
        if enqueue:
            for started in (run, *program_runs):
                enqueue_run(started)
    return run


def approve_period(installation: Installation, period: Period, approved_by: str) -> Period:
    """Approve a closed period's figures: a second person, after the run succeeded."""
    approved_by = _require(approved_by, "approved_by")
    with transaction.atomic():
        locked = _locked(installation, period)
        if locked.status != PeriodStatus.CLOSED:
            raise _status_error(locked, "approved", "closed")
        run = default_close_run(locked.pk)
        if run is None or run.status != RunStatus.SUCCEEDED or locked.close_run_id != run.pk:
            state = run.status if run else "missing"
            raise DomainError(
                PeriodErrorCode.RUN_NOT_FINISHED,
                _("The close run of %(period)s is %(state)s: approve it once it has succeeded.")
                % {"period": locked.label, "state": state},
                field="period",
            )
        for other in close_runs(locked.pk):
            if other.status != RunStatus.SUCCEEDED and other.program is not None:
                raise DomainError(
                    PeriodErrorCode.RUN_NOT_FINISHED,
                    _("The close run of %(period)s in program %(program)s is %(state)s: approve it once it has succeeded.")
                    % {"period": locked.label, "program": other.program.code, "state": other.status},
                    field="period",
                )
        require_second_person(
            approved_by, locked.closed_by, code=PeriodErrorCode.SAME_USER, message=f"{approved_by} closed {locked.label}: another person approves it."
        )
        earlier = _earlier(locked, [PeriodStatus.OPEN, PeriodStatus.CLOSED])
        if earlier is not None:
            raise DomainError(
                PeriodErrorCode.EARLIER_PERIOD_OPEN,
                _("Approve %(period)s first: periods are approved in order.") % {"period": earlier.label},
                field="period",
            )
        locked.status = PeriodStatus.APPROVED
        locked.approved_at, locked.approved_by = timezone.now(), approved_by
        locked.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
        events.period_approved(locked, approved_by)
    return locked


def reopen_period(installation: Installation, period: Period, reopened_by: str, reason: str) -> Period:
    """Take a closed or approved period back to open (before commit). Its close run is
    superseded, its balances dropped; it takes ledger entries again. Audited."""
    from .runs import supersede_runs
    from .snapshot import forget

    reopened_by = _require(reopened_by, "reopened_by")
    reason = _require(reason, "reason")
    with transaction.atomic():
        locked = _locked(installation, period)
        if locked.status not in (PeriodStatus.CLOSED, PeriodStatus.APPROVED):
            raise _status_error(locked, "re-opened", "closed or approved")
        later = (
            Period.objects.filter(installation_id=locked.installation_id, starts_on__gt=locked.starts_on, status__in=PeriodStatus.SETTLED)
            .order_by("-starts_on")
            .first()
        )
        if later is not None:
            raise DomainError(
                PeriodErrorCode.LATER_PERIOD_CLOSED,
                _("%(period)s is %(status)s: re-open the latest period first.")
                % {"period": later.label, "status": later.status},
                field="period",
            )
        previous_status = locked.status
        superseded = supersede_runs(locked, keep=None, kinds=[RunKind.CLOSE])
        for step in period_steps("PERIOD_REOPENED_STEPS"):
            step(locked)
        locked.status = PeriodStatus.OPEN
        locked.close_run = None
        locked.closed_at, locked.closed_by = None, ""
        locked.approved_at, locked.approved_by = None, ""
        locked.save(update_fields=["status", "close_run", "closed_at", "closed_by", "approved_at", "approved_by", "updated_at"])
        events.period_reopened(locked, reopened_by, reason, previous_status)

        def forget_superseded() -> None:
            for run_id in superseded:
                forget(run_id)

        transaction.on_commit(forget_superseded)
    return locked


def commit_period(installation: Installation, period: Period, committed_by: str) -> Period:
    """Make an approved period final: its balances are ready for payout."""
    committed_by = _require(committed_by, "committed_by")
    with transaction.atomic():
        locked = _locked(installation, period)
        if locked.status != PeriodStatus.APPROVED:
            raise _status_error(locked, "committed", "approved")
        earlier = _earlier(locked, [PeriodStatus.OPEN, PeriodStatus.CLOSED, PeriodStatus.APPROVED])
        if earlier is not None:
            raise DomainError(
                PeriodErrorCode.EARLIER_PERIOD_NOT_COMMITTED,
                _("Commit %(period)s first: periods are committed in order.") % {"period": earlier.label},
                field="period",
            )
        locked.status = PeriodStatus.COMMITTED
        locked.committed_at, locked.committed_by = timezone.now(), committed_by
        locked.save(update_fields=["status", "committed_at", "committed_by", "updated_at"])
        events.period_committed(locked, committed_by)
        for step in period_steps("PERIOD_COMMITTED_STEPS"):
            step(locked, committed_by)
    return locked


def preview_period(
    installation: Installation,
    period: Period,
    requested_by: str,
    *,
    now: datetime.datetime | None = None,
    enqueue: bool = True,
    program: Program | None = None,
) -> PeriodRun:
    """Projected figures of an open period from the live ledger, as if it closed now: of
    the default program, or of another `program` on its own network and volume.

    Stored as a preview run that replaces the program's previous preview when it succeeds."""
    requested_by = _require(requested_by, "requested_by")
    program = _run_program(installation, program)
    with transaction.atomic():
        locked = _locked(installation, period)
        if locked.status != PeriodStatus.OPEN:
            raise _status_error(locked, "previewed", "open")
        run = _new_run(locked, RunKind.PREVIEW, requested_by, now or timezone.now(), program)
        if enqueue:
            enqueue_run(run)
    return run


def standing_run(period: Period) -> PeriodRun | None:
    """The run whose figures a reader should see: the close run of a settled period, the
    latest successful preview of an open one (as stored now, whatever `period` says)."""
    close_run_id = Period.objects.filter(pk=period.pk).values_list("close_run_id", flat=True).first()
    if close_run_id:
        return PeriodRun.objects.get(pk=close_run_id)
    return (
        PeriodRun.objects.filter(period=period, kind=RunKind.PREVIEW, status=RunStatus.SUCCEEDED, program__isnull=True).order_by("-id").first()
    )


def standing_runs(period: Period) -> list[PeriodRun]:
    """`standing_run` of every program, the default program's first: the close runs of a
    settled period (once the default's stands), the latest successful preview of each
    program of an open one."""
    if Period.objects.filter(pk=period.pk, close_run__isnull=False).exists():
        return [run for run in close_runs(period.pk) if run.status == RunStatus.SUCCEEDED]
    return latest_per_program(PeriodRun.objects.filter(period=period, kind=RunKind.PREVIEW, status=RunStatus.SUCCEEDED))
