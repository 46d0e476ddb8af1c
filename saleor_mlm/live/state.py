"""The live state of one installation and period in a process: the network as engine
arrays, the open period's own volumes, the rollup. `live` has the overview and the API
that reads it; `live_feed` the feeds it follows.

Terms
-----
state
    Per process and installation (`State`): the network as engine arrays (partners and
    customers, care shares in force now), the open period's own PV/BV per node (integers
    at scale 10^4, as the engine takes them), and the last rollup.
refresh
    What a request does first (`State.refresh`): read the network change feed and the
    ledger feed; apply new entries to the own volumes; re-read the customers whose
    sponsor or Betreuer changed (and new customers met in the ledger) in place; rebuild
    the whole state when partners, statuses, split agreements or a care time boundary
    changed. Then the rollup runs once for the new state and serves every request until
    the next change. A request waits for a refresh that started after it arrived, so
    what was committed before the request is in the answer ("fresh").
rollup
    The figures of every partner by ordinal, in hundredths (`Rollup`): PV, GV, PBV, GBV
    from `rollup_volumes`; OV and OBV, qualification and paid-as ranks from
    `engine.compute` with the plan in force (`_Ranked`, reused for up to `OV_MAX_AGE`
    seconds after the volumes changed), or OV = GV without one.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from django.db import connection
from django.db.models import Max, Min, Q
from django.utils import timezone

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.calendar.actions import month_bounds
from saleor_mlm.calendar.models import Period
from saleor_mlm.engine import SHARE_SCALE, Network, Status, Volumes, compute, rollup_volumes
from saleor_mlm.ledger.models import LedgerEntry
from saleor_mlm.network.fetch import CUSTOMER, customer_node_id, highest_ids, load_network_arrays
from saleor_mlm.network.models import CareAssignment, Customer, NetworkChange, Partner, SplitAgreement
from saleor_mlm.network.shares import in_force_at, resolve_share
from saleor_mlm.plans.fetch import plan_in_force, plan_of

from .feed import SETTLE_SECONDS, Feed, Snapshot, is_postgresql, snapshot

# The public module's name: the log lines of the live volumes keep the logger they had
# before the state had a module of its own.
logger = logging.getLogger("saleor_mlm.live.volumes")

# The own volumes are aggregated afresh this often, whatever the feed says (a safety net).
RESYNC_SECONDS = 15 * 60
# OV, ranks and qualification need a full engine run with the plan (0.5 s for 100,000
# partners on a busy 2-core box): it runs at most once per this many seconds per state;
# meanwhile they come from the last run (`ov_as_of`). PV and GV are always fresh.
OV_MAX_AGE = 1.0
VOLUME_SCALE = 10_000  # ledger volumes have 4 decimals; the engine takes them as integers
ALL_IDS = 1 << 62


class OVBasis:
    PLAN = "plan"  # engine.compute with the plan in force: breakaway lines left out
    GV = "gv"  # no plan in force, or a plan without breakaway_rank: OV = GV (spec 2)


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


# ---------------------------------------------------------------------------- state


@dataclass
class Rollup:
    """The figures of every partner by ordinal, in hundredths (`State.all_figures`).
    `ov` and `obv` are filled once asked for (`with_ov`); `qualified`, `rank` and
    `rank_codes` only with a plan in force."""

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


class State:
    """Live volumes of one installation and period in this process. Callers hold `lock`."""

    def __init__(self, installation_id: int, period: Period | None, *, shared: bool = True):
        self.installation_id = installation_id
        self.fixed_period = period
        # A shared state on PostgreSQL follows the feeds across requests, with snapshots;
        # a private one is read once, and on SQLite commits come in id order.
        self.snapshots = shared and is_postgresql()
        self.last_snapshot: Snapshot | None = None
        self.lock = threading.Lock()
        self.built = False
        self.refreshed_at = -1.0  # time.monotonic() when the last refresh started
        self.as_of: datetime.datetime | None = None
        self.ranked: _Ranked | None = None
        self.rollup: Rollup | None = None
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
        self.changes = Feed(floor=self._settled_bound(NetworkChange))
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
        self.entries = Feed()
        self.resynced_at = time.monotonic()
        self._changed()
        if self.period_id is None:
            return True
        bound = self._settled_bound(LedgerEntry, Q(period_id=self.period_id))
        totals = (
            # The default program's volume (docs/programs.md): entries without a program.
            LedgerEntry.objects.filter(installation_id=self.installation_id, period_id=self.period_id, program__isnull=True, id__lte=bound)
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
        """After the feeds were read: move their floors (see `Feed`)."""
        after = snapshot() if self.snapshots else None
        self.changes.settle(self.last_snapshot, after)
        if entries:
            self.entries.settle(self.last_snapshot, after)
        self.last_snapshot = after

    def _settled_bound(self, model, extra: Q | None = None) -> int:
        """The highest id of the rows created more than SETTLE_SECONDS ago: every row
        below it is committed (or never will be). Rows above are read one by one.
        Without snapshots every committed row is final: all of them."""
        if not self.snapshots:
            return ALL_IDS
        cutoff = timezone.now() - datetime.timedelta(seconds=SETTLE_SECONDS)
        rows = model.objects.filter(extra or Q(), installation_id=self.installation_id, created_at__lt=cutoff)
        return rows.aggregate(top=Max("id"))["top"] or 0

    def _network_marks(self) -> tuple:
        """Highest ids of the tables that shape the network. Every network action writes
        a NetworkChange too; these catch rows written without the actions (imports)."""
        return highest_ids(self.installation_id, (Partner, CareAssignment, SplitAgreement))

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

    def all_figures(self, with_ov: bool = True) -> Rollup:
        """The figures of every partner by ordinal (see `live.refreshed_state`)."""
        return self._ensure_rollup(with_ov)

    def _ensure_rollup(self, with_ov: bool) -> Rollup:
        if self.rollup is None:
            figures = rollup_volumes(self.network, self.own_pv, self.own_bv)
            self.rollup = Rollup(pv=figures.pv, gv=figures.gv, pbv=figures.pbv, gbv=figures.gbv)
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


def _ledger_rows_sql(table: str, where: str) -> str:
    return (
        f"SELECT id, partner_id, customer_id, CAST(ROUND(pv * {VOLUME_SCALE}) AS bigint), "
        f"CAST(ROUND(bv * {VOLUME_SCALE}) AS bigint) "
        f"FROM {table} WHERE installation_id = %s AND period_id = %s AND program_id IS NULL AND {where}"
    )


def _chunks(ids, size: int = 5000) -> list[list[int]]:
    """Ids in lists short enough for one `IN (...)` (SQLite limits the parameters)."""
    ids = sorted(ids)
    return [ids[start : start + size] for start in range(0, len(ids), size)]


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
    """(key, engine Plan) of the plan version in force for the period, or (None, None):
    without a version in force, OV is GV."""
    version = plan_in_force(installation_id, starts_on)
    if version is None:
        return None, None
    return (version.pk, version.updated_at), plan_of(version)
