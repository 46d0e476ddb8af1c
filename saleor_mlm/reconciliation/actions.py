"""Running a sync: page Saleor's orders, record what the ledger lacks, report the rest.

    run = start_sync(installation, since=..., until=None, dry_run=False)
    run = run_sync(run, progress=bar)

Per page, in one transaction with the run's cursor and report (a run stopped midway
resumes after the last committed page, and counts nothing twice):

1. each order is read (`saleor_orders.read_order`): the events it stands for, as payloads
   in the webhooks' shape; an order that breaks the boundary's bounds is a difference;
2. orders the sync cannot settle are reported and left alone (`DifferenceKind`): a
   currency with no exchange rate to the plan currency, a gross total that differs from
   the one the ledger recorded, or refunds the ledger took back beyond what Saleor
   reports;
3. the events the ledger has not recorded are recorded through the paid-order path, as
   deliveries would be (`orders.actions.record_order_events` with the ledger's crediting,
   `ledger.crediting.credit_new_order_events`): payments first, then refunds, full
   refunds and cancellations, one call per kind and page. The order row lock and the
   unique dedupe key make a webhook that delivers the same event meanwhile a duplicate
   of the sync's (or the other way round): nothing is credited twice.

A dry run reads and compares the same way and writes nothing but its run.

Rate: one page request at most every `SALEOR_SYNC_PAGE_INTERVAL` seconds, pages of
`SALEOR_SYNC_PAGE_SIZE` orders; an HTTP 429 waits and asks again (`RATE_LIMIT_RETRIES`).
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from saleor_mlm.core.errors import DomainError
from saleor_mlm.installations.models import Installation
from saleor_mlm.installations.saleor_client import SaleorClient, SaleorError, SaleorHTTPError
from saleor_mlm.ledger.crediting import credit_new_order_events, volume_settings_for
from saleor_mlm.ledger.models import ExchangeRate, OrderAttribution, ParkedOrderEvent
from saleor_mlm.orders import OrderEventKind
from saleor_mlm.orders import actions as orders
from saleor_mlm.orders.models import OrderEvent, OrderRecord
from saleor_mlm.saleor.payloads import PayloadError

from . import DifferenceKind, SyncStatus, SyncTrigger
from .error_codes import SyncErrorCode
from .models import SyncRun
from .saleor_orders import SaleorOrder, fetch_orders_page, read_order

logger = logging.getLogger(__name__)

# Times an HTTP 429 (Saleor or its proxy limits the rate) is waited out before the run fails.
RATE_LIMIT_RETRIES = 5
KIND_ORDER = (OrderEventKind.PAID, OrderEventKind.REFUNDED, OrderEventKind.FULLY_REFUNDED, OrderEventKind.CANCELLED)
Progress = Callable[[str, int, str], None]


@dataclass
class Counts:
    """What a run did with what it read (in a dry run: what it would have done)."""

    orders: int = 0  # orders read
    payments: int = 0  # payments the ledger lacked, recorded and credited (or parked)
    take_backs: int = 0  # refunds and cancellations the ledger lacked, recorded and taken back
    parked: int = 0  # of those, parked by the ledger with a reason (docs/ledger.md)
    already_recorded: int = 0  # events the ledger had (delivered by a webhook)
    not_paid: int = 0  # orders with no payment: nothing to credit
    differences: int = 0  # orders left for a person (`SyncRun.differences`)

    @classmethod
    def of(cls, run: SyncRun) -> Counts:
        return cls(**{name: int(run.counts.get(name, 0)) for name in cls.__dataclass_fields__})


def start_sync(
    installation: Installation,
    *,
    since: datetime.datetime,
    until: datetime.datetime | None = None,
    dry_run: bool = False,
    trigger: str = SyncTrigger.CLI,
    started_by: str = "",
    restart: bool = False,
) -> SyncRun:
    """The unfinished run of this window to resume, else a new one (`restart`: always new)."""
    if not restart:
        unfinished = (
            SyncRun.objects.filter(
                installation=installation, since=since, until=until, dry_run=dry_run, status__in=SyncStatus.UNFINISHED
            )
            .order_by("-pk")
            .first()
        )
        if unfinished is not None:
            return unfinished
    return SyncRun.objects.create(
        installation=installation, since=since, until=until, dry_run=dry_run, trigger=trigger, started_by=started_by
    )


def run_sync(
    run: SyncRun,
    *,
    client: SaleorClient | None = None,
    progress: Progress | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SyncRun:
    """Read the run's remaining pages (module docstring). A Saleor failure stores the run
    FAILED with the error, to resume later, and is raised."""
    installation = run.installation
    client = client or SaleorClient.for_installation(installation)
    interval = float(settings.SALEOR_SYNC_PAGE_INTERVAL)
    run.status, run.error = SyncStatus.RUNNING, ""
    run.save(update_fields=["status", "error", "updated_at"])
    last_request = None
    try:
        while True:
            if last_request is not None:
                sleep(max(0.0, interval - (time.monotonic() - last_request)))
            last_request = time.monotonic()
            page = _fetch(client, run, sleep, interval)
            with transaction.atomic():
                _sync_page(run, page.nodes)
                run.cursor = page.end_cursor or run.cursor
                run.total_orders = page.total_count
                done = not page.has_next_page
                if done:
                    run.status, run.finished_at = SyncStatus.DONE, timezone.now()
                run.save()
            if progress is not None:
                read = Counts.of(run).orders
                percent = 100 if done else min(99, 100 * read // max(run.total_orders, 1))
                progress("orders", percent, f"{read}/{run.total_orders}")
            if done:
                break
    except (SaleorError, PayloadError) as error:
        run.status, run.error = SyncStatus.FAILED, str(error)[:2000]
        run.save(update_fields=["status", "error", "updated_at"])
        logger.warning("order sync failed", extra={"sync_run": run.pk, "installation": installation.pk, "error": run.error})
        raise
    logger.info("order sync done", extra={"sync_run": run.pk, "installation": installation.pk, **run.counts})
    return run


def _fetch(client: SaleorClient, run: SyncRun, sleep: Callable[[float], None], interval: float):
    page_size = int(settings.SALEOR_SYNC_PAGE_SIZE)
    for attempt in range(RATE_LIMIT_RETRIES + 1):
        try:
            return fetch_orders_page(client, since=run.since, until=run.until, after=run.cursor, first=page_size)
        except SaleorHTTPError as error:
            if error.status_code != 429 or attempt == RATE_LIMIT_RETRIES:
                raise
            sleep(max(interval, 1.0) * 2**attempt)
    raise AssertionError("unreachable")


# ------------------------------------------------------------------ one page


def _sync_page(run: SyncRun, nodes: list[dict]) -> None:
    """Compare and record one page's orders; add to the run's counts and differences."""
    counts = Counts.of(run)
    counts.orders += len(nodes)
    readable: list[SaleorOrder] = []
    for node in nodes:
        try:
            readable.append(read_order(node))
        except PayloadError as error:
            _differ(run, counts, node.get("id"), node.get("number"), DifferenceKind.INVALID_ORDER, str(error))
    known = _Known(run.installation, [saleor.order.id for saleor in readable])
    pending: dict[str, list[tuple]] = {kind: [] for kind in KIND_ORDER}
    for saleor in readable:
        order = saleor.order
        difference = known.difference(saleor)
        if difference is not None:
            _differ(run, counts, order.id, order.number, *difference)
            continue
        if not saleor.paid and not known.has_payment(order.id):
            counts.not_paid += 1
            continue
        for kind, payload in saleor.events:
            if orders.order_event_dedupe_key(kind, payload.order) in known.keys.get(order.id, ()):
                counts.already_recorded += 1
            else:
                pending[kind].append((payload, kind, None))
    for kind in KIND_ORDER:
        items = pending[kind]
        if not items:
            continue
        if run.dry_run:
            created = [True] * len(items)
            events = []
        else:
            recorded = orders.record_order_events(run.installation, items, on_new=credit_new_order_events)
            created = [was_created for _event, was_created in recorded]
            events = [event.pk for event, was_created in recorded if was_created]
            # A webhook recorded it between our read and our write: its duplicate.
            counts.already_recorded += created.count(False)
            counts.parked += ParkedOrderEvent.objects.filter(order_event_id__in=events, resolved_at__isnull=True).count()
        new = created.count(True)
        if kind == OrderEventKind.PAID:
            counts.payments += new
        else:
            counts.take_backs += new
    run.counts = asdict(counts)


def _differ(run: SyncRun, counts: Counts, order_id, number, kind: str, detail: str) -> None:
    counts.differences += 1
    run.differences = [*run.differences, {"order": str(order_id or ""), "number": str(number or ""), "kind": kind, "detail": detail}]


class _Known:
    """What the ledger holds of a page's orders: their records, event keys, payments."""

    def __init__(self, installation: Installation, order_ids: list[str]):
        self.installation = installation
        self.records = {
            record.saleor_order_id: record
            for record in OrderRecord.objects.filter(installation=installation, saleor_order_id__in=order_ids)
        }
        record_ids = {record.pk: order_id for order_id, record in self.records.items()}
        self.keys: dict[str, set[str]] = {}
        self.paid: set[str] = set()
        for order_id, key, kind in OrderEvent.objects.filter(order_id__in=record_ids).values_list("order_id", "dedupe_key", "kind"):
            self.keys.setdefault(record_ids[order_id], set()).add(key)
            if kind == OrderEventKind.PAID:
                self.paid.add(record_ids[order_id])
        self.credited = {
            record_ids[order_id] for order_id in OrderAttribution.objects.filter(order_id__in=record_ids).values_list("order_id", flat=True)
        }
        self.refunded = {
            record_ids[row["order_id"]]: row["refunded"]
            for row in OrderEvent.objects.filter(order_id__in=record_ids, kind=OrderEventKind.REFUNDED)
            .values("order_id")
            .annotate(refunded=Max("total_refunded"))
            .order_by()
        }
        volume = volume_settings_for(installation.pk)
        self.plan_currency = volume.plan_currency.upper()
        self.rated = set(
            ExchangeRate.objects.filter(installation=installation, plan_currency=self.plan_currency)
            .values_list("currency", flat=True)
            .distinct()
        )

    def has_payment(self, order_id: str) -> bool:
        return order_id in self.paid

    def difference(self, saleor: SaleorOrder) -> tuple[str, str] | None:
        """(kind, detail) when the order cannot be settled by the sync, else None."""
        order = saleor.order
        currency = order.currency.upper()
        if currency != self.plan_currency and currency not in self.rated:
            return DifferenceKind.UNKNOWN_CURRENCY, (
                f"{currency}: no exchange rate to {self.plan_currency} imported (saleor-mlm rates import), order not credited"
            )
        record = self.records.get(order.id)
        if record is None:
            return None
        if order.id in self.credited and record.total_gross != order.total.gross.amount:
            return DifferenceKind.AMOUNT_MISMATCH, (
                f"gross total {order.total.gross.amount} {currency} in Saleor, {record.total_gross.normalize():f} {currency} "
                "when the ledger credited it"
            )
        taken = self.refunded.get(order.id)
        if taken is not None and taken > order.total_refunded.amount:
            return DifferenceKind.AMOUNT_MISMATCH, (
                f"refunded {order.total_refunded.amount} {currency} in Saleor, the ledger took back refunds of "
                f"{taken.normalize():f} {currency}"
            )
        return None


# ------------------------------------------------------------------ backfill


# Saleor keeps orders for years; a backfill of more than this is a typo.
MAX_BACKFILL_MONTHS = 120


def months_ago(today: datetime.date, months: int) -> datetime.date:
    """The same day `months` months before (the month's last day where it is shorter)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    for day in range(today.day, 0, -1):
        try:
            return datetime.date(year, month + 1, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def backfill_since(months: int) -> datetime.datetime:
    """Midnight (local time) of the same day `months` months ago."""
    if not 1 <= months <= MAX_BACKFILL_MONTHS:
        raise DomainError(
            SyncErrorCode.INVALID_MONTHS,
            gettext("A backfill goes back 1 to %(max)d months.") % {"max": MAX_BACKFILL_MONTHS},
            field="months",
        )
    day = months_ago(timezone.localdate(), months)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def start_backfill(installation: Installation, months: int, started_by: str) -> SyncRun:
    """A backfill of the last `months` months, run by a worker once the transaction commits
    (the dashboard's first-install offer). Refused for the demo and while one runs."""
    if installation.is_demo:
        raise DomainError(SyncErrorCode.DEMO_INSTALLATION, gettext("The demo installation has no Saleor to sync with."))
    since = backfill_since(months)
    running = SyncRun.objects.filter(installation=installation, trigger=SyncTrigger.BACKFILL, status=SyncStatus.RUNNING)
    if running.exists():
        raise DomainError(SyncErrorCode.SYNC_RUNNING, gettext("A backfill of this shop is running already."))
    run = SyncRun.objects.create(installation=installation, since=since, trigger=SyncTrigger.BACKFILL, started_by=started_by)
    transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from .tasks import run_sync_task

    run_sync_task.delay(run_id)


def latest_runs(installation: Installation, limit: int = 10) -> list[SyncRun]:
    return list(SyncRun.objects.filter(installation=installation).order_by("-pk")[:limit])
