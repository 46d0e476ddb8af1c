"""The steps the domains below run when something a partner is told about happens.

Settings name them (`core.steps`); each runs inside the transaction of the event:

- `network_changes(changes)` (`NETWORK_CHANGE_STEPS`): new partners and sponsor changes of
  the network (`network.events`): a partner created or moved under a sponsor tells the
  sponsor (`new_partner`), a customer attributed to a partner tells the partner
  (`new_customer`). An import (`network import`) tells nobody: it records a business that
  moves in, not news;
- `period_committed(period, committed_by)` (`PERIOD_COMMITTED_STEPS`, after the credit
  notes): every partner with a balance in the period (`statement_ready`), and every partner
  whose career rank rose in it (`rank_reached`);
- `payout_items(items)` (`PAYOUT_ITEM_STEPS`): payout items paid (`payout_sent`), failed or
  returned, or reversed in part (`payout_returned`).

`record` writes the notifications, one per partner, kind and event (a second report of the
same event writes nothing), and queues them for sending once the transaction commits.
While `paused()` (the demo's months of invented history) nothing is recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import partial

from django.db import connection, transaction
from django.db.models import F, QuerySet

from saleor_mlm.calendar.models import Period
from saleor_mlm.core.bulk import insert_rows
from saleor_mlm.network import ChangeKind
from saleor_mlm.network.models import NetworkChange
from saleor_mlm.payout_runs import ItemStatus
from saleor_mlm.payout_runs.models import PayoutItem, PayoutReversal
from saleor_mlm.payouts.models import PartnerBalance
from saleor_mlm.periods.models import PartnerPeriodResult

from . import NotificationKind, NotificationStatus
from .models import Notification, dedupe_key

_paused: ContextVar[bool] = ContextVar("notifications_paused", default=False)
# Keys looked up at once when reading back what was recorded (SQLite's limit of variables).
_CHUNK = 500


@contextmanager
def paused() -> Iterator[None]:
    """Record nothing inside: for invented history (the demo's data), not for real events."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


@dataclass(frozen=True)
class Event:
    installation_id: int
    partner_id: int
    kind: str
    event_key: str
    data: dict = field(default_factory=dict)


def record(events: list[Event]) -> list[int]:
    """Record a notification per event unless recorded before; send the new ones after the
    commit. Returns their ids."""
    if not events or _paused.get():
        return []
    rows: dict[str, Notification] = {}
    for event in events:
        key = dedupe_key(event.partner_id, event.kind, event.event_key)
        rows.setdefault(
            key,
            Notification(
                installation_id=event.installation_id,
                partner_id=event.partner_id,
                kind=event.kind,
                event_key=event.event_key,
                dedupe_key=key,
                data=event.data,
            ),
        )
    objects = list(rows.values())
    inserted = insert_rows(Notification, objects, ignore_conflicts=True, key="dedupe_key")
    if inserted is not None:
        ids = [notification.pk for notification in inserted]
    else:  # not PostgreSQL: read back what is pending of these keys
        keys = list(rows)
        ids = []
        for start in range(0, len(keys), _CHUNK):
            pending = Notification.objects.filter(dedupe_key__in=keys[start : start + _CHUNK], status=NotificationStatus.PENDING)
            ids += pending.values_list("pk", flat=True)
    if ids:
        from .tasks import enqueue_sending

        transaction.on_commit(partial(enqueue_sending, sorted(ids)), using=connection.alias)
    return ids


def network_changes(changes: list[NetworkChange]) -> None:
    events = []
    for change in changes:
        sponsor = (change.new_value or {}).get("sponsor")
        if not sponsor:
            continue
        if change.kind == ChangeKind.SPONSOR and change.customer_id:
            events.append(Event(change.installation_id, sponsor["id"], NotificationKind.NEW_CUSTOMER, f"customer:{change.customer_id}", {"customer": change.customer_id}))
        elif change.kind in (ChangeKind.CREATED, ChangeKind.SPONSOR) and change.partner_id:
            events.append(Event(change.installation_id, sponsor["id"], NotificationKind.NEW_PARTNER, f"partner:{change.partner_id}", {"partner": change.partner_id}))
    record(events)


def period_committed(period: Period, committed_by: str) -> None:
    if _paused.get():
        return
    key, data = f"period:{period.pk}", {"period": period.pk}
    events = [
        Event(period.installation_id, partner_id, NotificationKind.STATEMENT_READY, key, data)
        for partner_id in PartnerBalance.objects.filter(period=period).order_by("partner_id").values_list("partner_id", flat=True)
    ]
    risen = (
        PartnerPeriodResult.objects.filter(run_id=period.close_run_id)
        .exclude(career_rank="")
        .exclude(career_rank=F("previous_career_rank"))
        .order_by("partner_id")
        .values_list("partner_id", "career_rank", "previous_career_rank")
    )
    events += [
        Event(period.installation_id, partner_id, NotificationKind.RANK_REACHED, key, {**data, "rank": rank, "previous": previous})
        for partner_id, rank, previous in risen
    ]
    record(events)


def payout_items(items: QuerySet[PayoutItem]) -> None:
    if _paused.get():
        return
    events = []
    for pk, installation_id, partner_id, status in items.order_by("pk").values_list("pk", "installation_id", "partner_id", "status"):
        if status == ItemStatus.PAID:
            events.append(Event(installation_id, partner_id, NotificationKind.PAYOUT_SENT, f"payout:{pk}", {"item": pk}))
        elif status in ItemStatus.BACK_ON_BALANCE:
            events.append(Event(installation_id, partner_id, NotificationKind.PAYOUT_RETURNED, f"payout:{pk}", {"item": pk}))
    reversals = PayoutReversal.objects.filter(item__in=items.values("pk")).order_by("pk")
    for pk, item_id, installation_id, partner_id in reversals.values_list("pk", "item_id", "installation_id", "item__partner_id"):
        events.append(Event(installation_id, partner_id, NotificationKind.PAYOUT_RETURNED, f"reversal:{pk}", {"item": item_id, "reversal": pk}))
    record(events)
