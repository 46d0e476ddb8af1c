"""Live volumes: a partner's PV, GV and OV in the open period, fresh after every order.

Nothing is written per order for this: no upline row is updated (that would make every
order lock the top of the tree). The figures are the engine's rollup
(`engine.rollup_volumes`, and `engine.compute` for OV) of the ledger's own volumes over
the network, held in memory per process and installation and brought up to date on
every request from what was committed since the last one.

Terms
-----
state
    Per process and installation (`_State`): the network as engine arrays (partners and
    customers, care shares in force now), the open period's own PV/BV per node (integers
    at scale 10^4, as the engine takes them), and the last rollup.
feed
    The rows of an append-only table (ledger entries, network changes) with an id above
    `floor`, read once each (`_Feed`). Ids are taken from a sequence when a row is
    inserted, but transactions commit in any order: a row with a lower id can become
    visible after one with a higher id was read. So a read returns every row above the
    floor, rows already seen are skipped, and the floor only moves past an id once no
    transaction that could still commit below it is running (PostgreSQL transaction
    ids, see `_Feed`), or at the latest `SETTLE_SECONDS` later. On SQLite (the demo)
    one writer commits at a time, in id order, and the floor follows the last id at once.
refresh
    What a request does first (`_State.refresh`): read the network change feed and the
    ledger feed; apply new entries to the own volumes; re-read the customers whose
    sponsor or Betreuer changed (and new customers met in the ledger) in place; rebuild
    the whole state when partners, statuses, split agreements or a care time boundary
    changed. Then the rollup runs once for the new state and serves every request until
    the next change. A request waits for a refresh that started after it arrived, so
    what was committed before the request is in the answer ("fresh").

PV, GV, PBV, GBV come from `rollup_volumes`. OV (and OBV) need the paid-as ranks of the
downline (spec 2: breakaway lines leave the open volume), so they come from
`engine.compute` with the plan version in force for the period, without rank
overrides (those apply when the period is closed). Without a plan in force, or with a
plan without `breakaway_rank`, OV = GV (spec 2). `ov_basis` says which.

Cost (docs/ledger.md, "Live volumes", has the measurements): a refresh with new entries
only is a handful of small queries plus the rollup, O(network) in numpy; a rebuild loads
the network (`network.fetch`) and aggregates the period once.

Call it outside a transaction (GraphQL queries and payload fields are): inside one, its
own uncommitted rows are visible, so a private state is built for the call instead.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from django.db import connection
from django.db.models import Max, Min, Q
from django.utils import timezone

from saleor_mlm.engine import SHARE_SCALE, Network, Status, Volumes, compute, rollup_volumes
from saleor_mlm.network.fetch import CUSTOMER, customer_node_id, load_network_arrays
from saleor_mlm.network.models import CareAssignment, Customer, NetworkChange, Partner, SplitAgreement
from saleor_mlm.network.shares import in_force_at, resolve_share
from saleor_mlm.periods import PeriodStatus
from saleor_mlm.periods.actions import month_bounds
from saleor_mlm.periods.models import Period

from .models import LedgerEntry

logger = logging.getLogger(__name__)

# A transaction that inserted a row and has not committed this long after is assumed
# gone: the feed's floor moves past it even if PostgreSQL still lists it as running
# (for instance a long transaction in another database of the same cluster). Writers of
# ledger entries and network changes commit within milliseconds.
SETTLE_SECONDS = 60
# The own volumes are aggregated afresh this often, whatever the feed says (a safety net).
RESYNC_SECONDS = 15 * 60
# Tests that run inside one transaction (rolled back at the end, the state forgotten
# with it) set this to exercise the shared state there.
SHARE_INSIDE_TRANSACTIONS = False
# OV, ranks and qualification need a full engine run with the plan (0.5 s for 100,000
# partners on a busy 2-core box): it runs at most once per this many seconds per state;
# meanwhile they come from the last run (`ov_as_of`). PV and GV are always fresh.
OV_MAX_AGE = 1.0
# Installations kept in memory per process (least recently used is dropped first).
MAX_STATES = 8
VOLUME_SCALE = 10_000  # ledger volumes have 4 decimals; the engine takes them as integers
HUNDREDTH = Decimal("0.01")
ALL_IDS = 1 << 62


class LiveVolumeError(LookupError):
    """The partner is not part of the installation's network."""


class OVBasis:
    PLAN = "plan"  # engine.compute with the plan in force: breakaway lines left out
    GV = "gv"  # no plan in force, or a plan without breakaway_rank: OV = GV (spec 2)


@dataclass(frozen=True)
class LiveVolumes:
    """A partner's figures in the open period, rounded half up to hundredths as in a run.

    `as_of`: every ledger entry and network change committed before this moment is in
    the figures; OV, rank and qualification with a plan are as of `ov_as_of`, at most
    `OV_MAX_AGE` (1 s) older. `period_id` is None while the month has no period yet (no entry so far).
    `qualified` and `rank` (the paid-as rank code) are None without a plan in force.
    """

    partner_id: int
    period_id: int | None
    period_starts_on: datetime.date
    pv: Decimal
    gv: Decimal
    ov: Decimal
    pbv: Decimal
    gbv: Decimal
    obv: Decimal
    ov_basis: str
    qualified: bool | None
    rank: str | None
    as_of: datetime.datetime
    ov_as_of: datetime.datetime | None = None  # when OV, rank and qualification were computed

    def as_json(self) -> dict:
        return {
            "partner_id": self.partner_id,
            "period": f"{self.period_starts_on:%Y-%m}",
            **{key: str(getattr(self, key)) for key in ("pv", "gv", "ov", "pbv", "gbv", "obv")},
            "ov_basis": self.ov_basis,
            "qualified": self.qualified,
            "rank": self.rank,
            "as_of": self.as_of.isoformat(),
            "ov_as_of": self.ov_as_of.isoformat() if self.ov_as_of else None,
        }


# ---------------------------------------------------------------------------- public API


def live_volumes(installation, partner, *, period: Period | None = None) -> LiveVolumes:
    """PV, GV, OV (and PBV, GBV, OBV) of one partner in the open period, fresh.

    `installation` and `partner` may be model instances or primary keys. `period` picks
    another open period (for instance last month, still open for late orders); by
    default the one new entries go to now.
    """
    partner_id = _pk(partner)
    return live_volumes_bulk(installation, [partner_id], period=period)[partner_id]


def live_volumes_bulk(installation, partners: Iterable, *, period: Period | None = None, with_ov: bool = True) -> dict[int, LiveVolumes]:
    """`live_volumes` of many partners from one refresh: {partner id: LiveVolumes}.

    `with_ov=False` skips the plan computation (OV = GV in the result, `ov_basis`
    "gv"): for lists that show PV and GV only.
    """
    installation_id = _pk(installation)
    partner_ids = [_pk(partner) for partner in partners]
    if connection.in_atomic_block and not SHARE_INSIDE_TRANSACTIONS:
        # Inside a transaction its own uncommitted entries are visible and may still be
        # rolled back: they must not reach the state shared by the process. A private
        # state is built for this call (correct, but it loads the whole network).
        state = _State(installation_id, period, shared=False)
        state.refresh(requested_at=time.monotonic())
        return state.figures(partner_ids, with_ov=with_ov)
    state = _state_for(installation_id, period)
    with state.lock:
        state.refresh(requested_at=time.monotonic())
        return state.figures(partner_ids, with_ov=with_ov)


@contextmanager
def refreshed_state(installation, *, period: Period | None = None):
    """The live state, brought up to date and held (locked) for the `with` block: for
    readers that need the whole network at once (downline pages, next-rank reports).
    Read only. Attributes: `network` (engine `Network`; partner ordinal = node index,
    ascending with the partner's pk), `partner_node` ({partner pk: ordinal}),
    `period_id`, `period_start`, `as_of`; `all_figures(with_ov)` gives the figures by ordinal
    (hundredths: `pv`, `gv`, `ov`, `pbv`, `gbv`, `obv`; `qualified`, `rank`,
    `rank_codes` with a plan). Inside a transaction the state is private (see
    `live_volumes_bulk`)."""
    installation_id = _pk(installation)
    if connection.in_atomic_block and not SHARE_INSIDE_TRANSACTIONS:
        state = _State(installation_id, period, shared=False)
        state.refresh(requested_at=time.monotonic())
        yield state
        return
    state = _state_for(installation_id, period)
    with state.lock:
        state.refresh(requested_at=time.monotonic())
        yield state


def invalidate(installation_id: int | None = None) -> None:
    """Forget the in-memory state (of one installation, or all). Needed only after
    writing network rows without the network's actions (tests, data repairs): the
    actions record every change in `NetworkChange`, which the refresh follows."""
    with _states_lock:
        if installation_id is None:
            _states.clear()
        else:
            for key in [key for key in _states if key[0] == installation_id]:
                del _states[key]


# ---------------------------------------------------------------------------- periods


def current_period_start(installation_id: int, today: datetime.date | None = None) -> tuple[int | None, datetime.date]:
    """The open period new ledger entries go to now, as (period id or None, first day).

    Mirrors `periods.actions.open_period_for` without creating anything: the month of
    today, or the next month while today's is no longer open. None when that month has
    no period yet (no entry so far).
    """
    today = today or timezone.localdate()
    starts_on, _ = month_bounds(today)
    periods = Period.objects.filter(installation_id=installation_id, starts_on__gte=starts_on).order_by("starts_on")
    for period_id, period_start, status in periods.values_list("id", "starts_on", "status"):
        if period_start != starts_on:
            break
        if status == PeriodStatus.OPEN:
            return period_id, starts_on
        starts_on = month_bounds(starts_on + datetime.timedelta(days=32))[0]
    return None, starts_on


# ---------------------------------------------------------------------------- the feed


@dataclass(frozen=True)
class _Snapshot:
    """Read right after a read of the feeds, in two statements: `bound`, a transaction
    id assigned then (every transaction that started before has a lower id), and then
    `oldest`, the oldest transaction id still running in this database (None: none)."""

    bound: int
    oldest: int | None


@dataclass
class _Window:
    top: int  # the highest id seen after a read
    bound: int  # a transaction id assigned right after that read
    at: float  # time.monotonic() of the read


@dataclass
class _Feed:
    """Rows of one append-only table above `floor`, each returned once.

    A row that becomes visible late, below ids already read, belongs to a transaction
    that had its transaction id before the row got its id (every writer of ledger
    entries and network changes writes or locks a row first), so before the read that
    saw the higher id. After each read a transaction id is assigned (`bound`); when a
    later look at the running transactions, taken before a later read, finds none older
    than the bound, every transaction that could commit below the earlier read's top has
    ended, the later read saw its rows, and the floor moves up to that top.

    (Two things that look simpler do not hold: a snapshot's `xmax` is the last
    *completed* transaction id plus one, so a running transaction above it is in no list;
    and `pg_current_snapshot()` read in the same statement as the rows is not always the
    snapshot the rows were read with.)
    """

    floor: int = 0
    seen: set[int] = field(default_factory=set)
    windows: deque = field(default_factory=deque)

    def top(self) -> int:
        return max(self.seen, default=self.floor)

    def accept(self, rows: list[tuple]) -> list[tuple]:
        """The rows (id first) not seen before."""
        fresh = [row for row in rows if row[0] > self.floor and row[0] not in self.seen]
        self.seen.update(row[0] for row in fresh)
        return fresh

    def settle(self, before: _Snapshot | None, after: _Snapshot | None) -> None:
        """Move the floor after a read. `before`: the snapshot taken after the previous
        read (so before this one), `after`: the one taken after this read; both None
        where commits come in id order (SQLite, or a private state read once)."""
        if after is None:
            self._advance(self.top())
            return
        now = time.monotonic()
        while self.windows:
            window = self.windows[0]
            ended = before is not None and (before.oldest is None or before.oldest >= window.bound)
            if not ended and now - window.at < SETTLE_SECONDS:
                break
            self.windows.popleft()
            self._advance(window.top)
        top = self.top()
        if top > self.floor:
            self.windows.append(_Window(top, after.bound, now))

    def _advance(self, floor: int) -> None:
        if floor > self.floor:
            self.floor = floor
            self.seen = {pk for pk in self.seen if pk > floor}


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


RUNNING_SQL = """
SELECT backend_xid::text FROM pg_stat_activity
 WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()
UNION ALL
SELECT transaction::text FROM pg_prepared_xacts WHERE database = current_database()
"""


def _snapshot() -> _Snapshot:
    """The bound and the oldest running transaction of this database (see `_Feed`)."""
    with connection.cursor() as cursor:
        # One transaction id per call (autocommit: it ends at once).
        cursor.execute("SELECT pg_current_xact_id()::text::bigint")
        bound = cursor.fetchone()[0]
        if connection.in_atomic_block:
            # pg_stat_activity is read once per transaction unless told to look again.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(RUNNING_SQL)  # a statement of its own: after the bound
        running = [_widen(int(row[0]), bound) for row in cursor.fetchall()]
    return _Snapshot(bound, min(running, default=None))


def _widen(xid: int, near: int) -> int:
    """A 32-bit transaction id as the 64-bit one closest to `near`."""
    delta = (xid - near) % (1 << 32)
    return near + delta if delta < (1 << 31) else near + delta - (1 << 32)


def _ledger_rows_sql(table: str, where: str) -> str:
    return (
        f"SELECT id, partner_id, customer_id, CAST(ROUND(pv * {VOLUME_SCALE}) AS bigint), "
        f"CAST(ROUND(bv * {VOLUME_SCALE}) AS bigint) "
        f"FROM {table} WHERE installation_id = %s AND period_id = %s AND {where}"
    )


# ---------------------------------------------------------------------------- state


_states: OrderedDict[tuple[int, int | None], _State] = OrderedDict()
_states_lock = threading.Lock()


def _pk(value) -> int:
    return int(getattr(value, "pk", value))


def _state_for(installation_id: int, period: Period | None) -> _State:
    if period is not None:
        if period.installation_id != installation_id:
            raise LiveVolumeError("The period belongs to another installation.")
        key = (installation_id, period.pk)
    else:
        key = (installation_id, None)  # "the current period": resolved on every refresh
    with _states_lock:
        state = _states.get(key)
        if state is None:
            state = _states[key] = _State(installation_id, period)
            while len(_states) > MAX_STATES:
                _states.popitem(last=False)
        _states.move_to_end(key)
        return state


@dataclass
class _Rollup:
    pv: np.ndarray  # hundredths by node index of the partner (partners come first)
    gv: np.ndarray
    pbv: np.ndarray
    gbv: np.ndarray
    ov: np.ndarray | None = None
    obv: np.ndarray | None = None
    ov_basis: str = OVBasis.GV
    qualified: np.ndarray | None = None
    rank: np.ndarray | None = None
    rank_codes: tuple[str, ...] = ()
    plan_key: tuple | None = None
    ov_as_of: datetime.datetime | None = None


@dataclass(frozen=True)
class _Ranked:
    """The last engine run with the plan (OV, ranks), kept for OV_MAX_AGE."""

    version: int  # the state's version it was computed on
    at: float  # time.monotonic()
    as_of: datetime.datetime
    plan_key: tuple
    order: np.ndarray  # the network's partner order it was computed on
    ov: np.ndarray
    obv: np.ndarray
    qualified: np.ndarray
    rank: np.ndarray
    rank_codes: tuple[str, ...]


class _State:
    """Live volumes of one installation and period in this process. Callers hold `lock`."""

    def __init__(self, installation_id: int, period: Period | None, *, shared: bool = True):
        self.installation_id = installation_id
        self.fixed_period = period
        # A shared state on PostgreSQL follows the feeds across requests, with snapshots;
        # a private one is read once, and on SQLite commits come in id order.
        self.snapshots = shared and _is_postgresql()
        self.last_snapshot: _Snapshot | None = None
        self.lock = threading.Lock()
        self.built = False
        self.refreshed_at = -1.0  # time.monotonic() when the last refresh started
        self.as_of: datetime.datetime | None = None
        self.ranked: _Ranked | None = None
        self.rollup: _Rollup | None = None
        self.version = 0  # counts changes of the network or the own volumes

    # --- building --------------------------------------------------------------------

    def _build(self, period_id: int | None, period_start: datetime.date) -> None:
        """Load everything afresh. A partner that appears in the ledger between loading
        the network and the volumes makes it start over (a few times at most)."""
        for _attempt in range(3):
            if self._load(period_id, period_start):
                return
        raise RuntimeError(f"the network of installation {self.installation_id} keeps changing while it is loaded")

    def _load(self, period_id: int | None, period_start: datetime.date) -> bool:
        """Network changes feed first (so nothing committed during the load is missed),
        then the network, then the period's own volumes. False: start over."""
        started = time.perf_counter()
        self.built = False  # until the end: an error half-way leaves a state to rebuild
        self.period_id, self.period_start = period_id, period_start
        self.last_snapshot = None
        self.changes = _Feed(floor=self._settled_bound(NetworkChange))
        self._read_network_changes()
        self.marks = self._network_marks()

        at = timezone.now()
        arrays = load_network_arrays(self.installation_id, at)
        count = len(arrays)
        self.ids = list(arrays.ids)
        self.is_partner = np.asarray([kind != CUSTOMER for kind in arrays.kinds], bool)
        self.partner_count = int(self.is_partner.sum())
        self.sponsor = np.asarray(arrays.sponsor, np.int64)
        self.care = np.asarray(arrays.care, np.int64)
        self.share = np.asarray([_millionths(share) for share in arrays.care_share], np.int64)
        status = np.asarray([Status.CHOICES.get(status, Status.ACTIVE) for status in arrays.statuses], np.int8)
        self.partner_node = {pk: i for i, pk in enumerate(arrays.pks[: self.partner_count])}
        self.customer_node = {pk: self.partner_count + i for i, pk in enumerate(arrays.pks[self.partner_count :])}
        self.network = Network.from_arrays(self.ids, self.is_partner, self.sponsor, self.care, self.share, status)
        self.valid_until = self._next_boundary(at)
        self.own_pv = np.zeros(count, np.int64)
        self.own_bv = np.zeros(count, np.int64)
        self._changed()
        if not self._load_own_volumes():
            return False
        self._settle(entries=self.period_id is not None)
        self.built = True
        logger.info(
            "live volumes built",
            extra={
                "installation": self.installation_id,
                "period": period_id,
                "nodes": count,
                "seconds": round(time.perf_counter() - started, 3),
            },
        )
        return True

    def _load_own_volumes(self) -> bool:
        """The period's own volumes: one aggregate over the settled rows, the recent ones
        one by one into the ledger feed (they may still have late neighbours)."""
        self.own_pv[:] = 0
        self.own_bv[:] = 0
        self.entries = _Feed()
        self.resynced_at = time.monotonic()
        self._changed()
        if self.period_id is None:
            return True
        bound = self._settled_bound(LedgerEntry, Q(period_id=self.period_id))
        totals = (
            LedgerEntry.objects.filter(installation_id=self.installation_id, period_id=self.period_id, id__lte=bound)
            .own_volumes()
        )
        self.entries.floor = bound
        rows = [(None, row["partner_id"], row["customer_id"], _scaled(row["pv"]), _scaled(row["bv"])) for row in totals]
        return self._apply_entries(rows + self._read_entries())

    # --- refreshing ------------------------------------------------------------------

    def refresh(self, requested_at: float) -> None:
        if self.refreshed_at >= requested_at:
            return  # a refresh that started after this request arrived has just finished
        started = time.monotonic()
        as_of = timezone.now()
        if self.fixed_period is not None:
            period_id, period_start = self.fixed_period.pk, self.fixed_period.starts_on
        else:
            period_id, period_start = current_period_start(self.installation_id)
        if not self.built or (period_id, period_start) != (self.period_id, self.period_start) or as_of >= self.valid_until:
            self._build(period_id, period_start)
        else:
            rebuild, customers = self._network_changes()
            if not rebuild and customers:
                rebuild = not self._reload_customers(customers)
            read_entries = not rebuild and self.period_id is not None
            if read_entries:
                if started - self.resynced_at > RESYNC_SECONDS:
                    rebuild = not self._load_own_volumes()
                else:
                    rebuild = not self._apply_entries(self._read_entries())
            if rebuild:
                self._build(period_id, period_start)
            else:
                self._settle(entries=read_entries)
        self.refreshed_at = started
        self.as_of = as_of

    def _changed(self) -> None:
        self.rollup = None
        self.version += 1

    def _settle(self, *, entries: bool) -> None:
        """After the feeds were read: move their floors (see `_Feed`)."""
        after = _snapshot() if self.snapshots else None
        self.changes.settle(self.last_snapshot, after)
        if entries:
            self.entries.settle(self.last_snapshot, after)
        self.last_snapshot = after

    def _settled_bound(self, model, extra: Q = Q()) -> int:
        """The highest id of the rows created more than SETTLE_SECONDS ago: every row
        below it is committed (or never will be). Rows above are read one by one.
        Without snapshots every committed row is final: all of them."""
        if not self.snapshots:
            return ALL_IDS
        cutoff = timezone.now() - datetime.timedelta(seconds=SETTLE_SECONDS)
        rows = model.objects.filter(extra, installation_id=self.installation_id, created_at__lt=cutoff)
        return rows.aggregate(top=Max("id"))["top"] or 0

    def _network_marks(self) -> tuple:
        """Highest ids of the tables that shape the network. Every network action writes
        a NetworkChange too; these catch rows written without the actions (imports)."""
        marks = []
        for model in (Partner, CareAssignment, SplitAgreement):
            marks.append(model.objects.filter(installation_id=self.installation_id).aggregate(top=Max("id"))["top"] or 0)
        return tuple(marks)

    def _read_network_changes(self) -> list[tuple]:
        sql = (
            f"SELECT id, kind, partner_id, customer_id FROM {NetworkChange._meta.db_table} "
            "WHERE installation_id = %s AND id > %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.installation_id, self.changes.floor])
            return self.changes.accept(cursor.fetchall())

    def _network_changes(self) -> tuple[bool, set[int]]:
        """(rebuild needed, customers to re-read) from the changes since the last refresh."""
        customers: set[int] = set()
        rebuild = False
        for _id, _kind, partner_id, customer_id in self._read_network_changes():
            if partner_id is not None:
                rebuild = True  # a partner created, moved, set inactive, given a Betreuer, a split agreement
            elif customer_id is not None:
                customers.add(customer_id)
        marks = self._network_marks()
        if marks != self.marks:
            if marks[0] != self.marks[0] or marks[2] != self.marks[2]:
                rebuild = True
            else:
                # Care assignments written without a NetworkChange: only customers' are
                # re-read in place, a partner's needs the rebuild.
                added = CareAssignment.objects.filter(installation_id=self.installation_id, id__gt=self.marks[1])
                if added.filter(partner__isnull=False).exists():
                    rebuild = True
                customers.update(added.values_list("customer_id", flat=True))
            self.marks = marks
        return rebuild, customers

    def _read_entries(self) -> list[tuple]:
        sql = _ledger_rows_sql(LedgerEntry._meta.db_table, "id > %s")
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.installation_id, self.period_id, self.entries.floor])
            return self.entries.accept(cursor.fetchall())

    def _apply_entries(self, rows: list[tuple]) -> bool:
        """Add entries (id, partner_id, customer_id, pv, bv at scale 10^4) to the own
        volumes. Customers met for the first time are loaded first; a partner the state
        does not know means the network changed: False, rebuild."""
        if any(row[1] is not None and row[1] not in self.partner_node for row in rows):
            return False
        unknown = {row[2] for row in rows if row[2] is not None and row[2] not in self.customer_node}
        if unknown and not self._reload_customers(unknown):
            return False
        if any(row[2] is not None and row[2] not in self.customer_node for row in rows):
            return False
        if rows:
            nodes = np.fromiter(
                (self.partner_node[p] if p is not None else self.customer_node[c] for _, p, c, _, _ in rows), np.int64, len(rows)
            )
            np.add.at(self.own_pv, nodes, np.fromiter((row[3] for row in rows), np.int64, len(rows)))
            np.add.at(self.own_bv, nodes, np.fromiter((row[4] for row in rows), np.int64, len(rows)))
            self._changed()
        return True

    def _reload_customers(self, customer_ids: set[int]) -> bool:
        """Re-read sponsor, Betreuer and share of these customers (new ones are added as
        nodes) and rebuild the customer edges in place. False when a rebuild is needed
        instead (a customer's sponsor or Betreuer is a partner the state does not know)."""
        at = timezone.now()
        rows, care, agreements = [], {}, {}
        for chunk in _chunks(customer_ids):
            customers = Customer.objects.filter(installation_id=self.installation_id, pk__in=chunk)
            rows += customers.values_list("id", "sponsor_id")
            assignments = CareAssignment.objects.filter(in_force_at(at), customer_id__in=chunk).order_by("valid_from", "id")
            for customer_id, care_partner_id, share in assignments.values_list("customer_id", "care_partner_id", "share"):
                care[customer_id] = (care_partner_id, share)
        for chunk in _chunks({sponsor_id for _, sponsor_id in rows if sponsor_id is not None}):
            in_force = SplitAgreement.objects.filter(in_force_at(at), partner_id__in=chunk).order_by("valid_from", "id")
            for partner_id, share in in_force.values_list("partner_id", "share"):
                agreements[partner_id] = share
        needed = {sponsor for _, sponsor in rows if sponsor is not None} | {partner for partner, _ in care.values()}
        if any(partner not in self.partner_node for partner in needed):
            return False

        new = [pk for pk, _ in rows if pk not in self.customer_node]
        if new:
            start = len(self.ids)
            for offset, pk in enumerate(new):
                self.customer_node[pk] = start + offset
                self.ids.append(customer_node_id(pk))
            grow = len(new)
            self.is_partner = np.concatenate([self.is_partner, np.zeros(grow, bool)])
            self.sponsor = np.concatenate([self.sponsor, np.full(grow, -1, np.int64)])
            self.care = np.concatenate([self.care, np.full(grow, -1, np.int64)])
            self.share = np.concatenate([self.share, np.zeros(grow, np.int64)])
            self.own_pv = np.concatenate([self.own_pv, np.zeros(grow, np.int64)])
            self.own_bv = np.concatenate([self.own_bv, np.zeros(grow, np.int64)])
        for pk, sponsor_id in rows:
            node = self.customer_node[pk]
            self.sponsor[node] = self.partner_node[sponsor_id] if sponsor_id is not None else -1
            if pk in care:
                care_partner_id, assignment_share = care[pk]
                effective, _ = resolve_share(assignment_share, agreements.get(sponsor_id))
                self.care[node] = self.partner_node[care_partner_id]
                self.share[node] = _millionths(effective)
            else:
                self.care[node], self.share[node] = -1, 0
        self.network = _with_customer_edges(self.network, self.ids, self.is_partner, self.sponsor, self.care, self.share, self.partner_count)
        for chunk in _chunks(customer_ids):
            self.valid_until = min(self.valid_until, self._next_boundary(at, Q(customer_id__in=chunk)))
        self._changed()
        return True

    def _next_boundary(self, at: datetime.datetime, assignments: Q | None = None) -> datetime.datetime:
        """The next moment a care assignment or split agreement starts or ends: the
        shares in force change then, so the state is rebuilt."""
        far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
        moments = []
        care = CareAssignment.objects.filter(installation_id=self.installation_id)
        if assignments is not None:
            care = care.filter(assignments)
        sources = [care] if assignments is not None else [care, SplitAgreement.objects.filter(installation_id=self.installation_id)]
        for rows in sources:
            found = rows.aggregate(start=Min("valid_from", filter=Q(valid_from__gt=at)), end=Min("valid_to", filter=Q(valid_to__gt=at)))
            moments += [value for value in found.values() if value is not None]
        return min(moments, default=far)

    # --- figures ---------------------------------------------------------------------

    def all_figures(self, with_ov: bool = True) -> _Rollup:
        """The figures of every partner by ordinal (see `refreshed_state`)."""
        return self._ensure_rollup(with_ov)

    def _ensure_rollup(self, with_ov: bool) -> _Rollup:
        if self.rollup is None:
            figures = rollup_volumes(self.network, self.own_pv, self.own_bv)
            self.rollup = _Rollup(pv=figures.pv, gv=figures.gv, pbv=figures.pbv, gbv=figures.gbv)
        if with_ov:
            plan_key, plan = _plan_in_force(self.installation_id, self.period_start)
            ranked = self.ranked
            outdated = ranked is not None and ranked.version != self.version and time.monotonic() - ranked.at >= OV_MAX_AGE
            if self.rollup.plan_key != plan_key or self.rollup.ov is None or outdated:
                self._compute_ov(plan_key, plan)
        return self.rollup

    def _compute_ov(self, plan_key, plan) -> None:
        rollup = self.rollup
        rollup.plan_key = plan_key
        rollup.ov_as_of = self.as_of
        if plan is None:
            rollup.ov, rollup.obv, rollup.ov_basis = rollup.gv, rollup.gbv, OVBasis.GV
            rollup.qualified = rollup.rank = None
            rollup.rank_codes = ()
            return
        ranked = self.ranked
        if (
            ranked is None
            or ranked.plan_key != plan_key
            or ranked.order is not self.network.order  # partners changed: rebuilt
            or (ranked.version != self.version and time.monotonic() - ranked.at >= OV_MAX_AGE)
        ):
            result = compute(plan, self.network, Volumes(self.own_pv, self.own_bv))
            ranked = self.ranked = _Ranked(
                version=self.version,
                at=time.monotonic(),
                as_of=self.as_of,
                plan_key=plan_key,
                order=self.network.order,
                ov=result.ov,
                obv=result.obv,
                qualified=result.qualified,
                rank=result.rank,
                rank_codes=result.rank_codes,
            )
        rollup.qualified, rollup.rank, rollup.rank_codes = ranked.qualified, ranked.rank, ranked.rank_codes
        rollup.ov_as_of = ranked.as_of
        if plan.breakaway_rank is None:
            rollup.ov, rollup.obv, rollup.ov_basis = rollup.gv, rollup.gbv, OVBasis.GV
        else:
            rollup.ov, rollup.obv, rollup.ov_basis = ranked.ov, ranked.obv, OVBasis.PLAN

    def figures(self, partner_ids: list[int], *, with_ov: bool) -> dict[int, LiveVolumes]:
        missing = [pk for pk in partner_ids if pk not in self.partner_node]
        if missing:
            raise LiveVolumeError(f"Partner {missing[0]} is not in the network of installation {self.installation_id}.")
        rollup = self._ensure_rollup(with_ov)
        result = {}
        for pk in partner_ids:
            i = self.partner_node[pk]
            with_plan = with_ov and rollup.qualified is not None
            ov, obv = (rollup.ov, rollup.obv) if with_ov else (rollup.gv, rollup.gbv)
            rank = int(rollup.rank[i]) if with_plan else -1
            result[pk] = LiveVolumes(
                partner_id=pk,
                period_id=self.period_id,
                period_starts_on=self.period_start,
                pv=_hundredths(rollup.pv[i]),
                gv=_hundredths(rollup.gv[i]),
                ov=_hundredths(ov[i]),
                pbv=_hundredths(rollup.pbv[i]),
                gbv=_hundredths(rollup.gbv[i]),
                obv=_hundredths(obv[i]),
                ov_basis=rollup.ov_basis if with_ov else OVBasis.GV,
                qualified=bool(rollup.qualified[i]) if with_plan else None,
                rank=rollup.rank_codes[rank] if with_plan and rank >= 0 else None,
                as_of=self.as_of,
                ov_as_of=(rollup.ov_as_of or self.as_of) if with_ov else self.as_of,
            )
        return result


def _chunks(ids, size: int = 5000) -> list[list[int]]:
    """Ids in lists short enough for one `IN (...)` (SQLite limits the parameters)."""
    ids = sorted(ids)
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def _hundredths(value) -> Decimal:
    return Decimal(int(value)).scaleb(-2).quantize(HUNDREDTH)


def _scaled(volume: Decimal) -> int:
    """A ledger volume (4 decimals) as an integer at scale 10^4."""
    return int((Decimal(volume) * VOLUME_SCALE).to_integral_value(ROUND_HALF_UP))


def _millionths(share: str) -> int:
    """A care share ("0.25", "" for none) in millionths, as the engine holds it."""
    return int(Decimal(share) * SHARE_SCALE) if share else 0


def _with_customer_edges(network: Network, ids, is_partner, sponsor, care, share, partner_count: int) -> Network:
    """The network with its customer edges rebuilt from per-node arrays (partners keep
    their positions: customers have no incoming edges, so the layers do not change).

    Edges are as in `Network.from_arrays`: `c -> sponsor` weighs `1 - share` when `c` has
    a Betreuer other than its sponsor, else 1; `c -> Betreuer` weighs `share`; edges of
    weight 0 carry nothing and are left out.
    """
    nodes = np.arange(partner_count, len(ids), dtype=np.int64)
    s, c, w = sponsor[nodes], care[nodes], share[nodes]
    has_care = (c >= 0) & (c != s)
    sponsor_weight = np.where(has_care, SHARE_SCALE - w, SHARE_SCALE)
    with_sponsor = s >= 0
    child = np.concatenate([nodes[with_sponsor], nodes[has_care]])
    parent = np.concatenate([s[with_sponsor], c[has_care]])
    weight = np.concatenate([sponsor_weight[with_sponsor], w[has_care]])
    keep = weight > 0
    # Partner nodes come first, so a partner's node index is its ordinal.
    return replace(
        network,
        ids=ids,
        is_partner=is_partner,
        customer_node=child[keep],
        customer_parent=network.position[parent[keep]],
        customer_weight=weight[keep].astype(np.int64),
        _cache={},
    )


def _plan_in_force(installation_id: int, starts_on: datetime.date):
    """(key, engine Plan) of the plan version in force for the period, or (None, None).

    The plan versions belong to the periods domain; without it (or without a version in
    force) OV is GV.
    """
    try:
        from saleor_mlm.periods.plans import plan_in_force, plan_of
    except ImportError:  # the periods domain without plan versions
        return None, None
    version = plan_in_force(installation_id, starts_on)
    if version is None:
        return None, None
    return (version.pk, version.updated_at), plan_of(version)
