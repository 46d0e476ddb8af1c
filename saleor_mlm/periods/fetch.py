"""Everything a period run needs, loaded from the database into arrays (`RunInputs`).

Terms
-----
ordinal
    The number of a partner in the run: partners sorted by primary key, 0 .. n-1. Every
    per-partner array, the engine's result and the snapshot use it.
customer row
    Customers with volume in the period, sorted by primary key. A customer without volume
    adds nothing to anybody, so it is left out of the run (a million fewer rows).
units
    Volumes as integers at scale 10^4 (the ledger's precision), shares in millionths, as
    the engine takes them.

The network comes from `network.fetch.load_network_arrays` (its rules for care shares
live there); the period's own volume per node is one aggregate over the ledger's covering
index, read with binary COPY on PostgreSQL. Both are read in one REPEATABLE READ
transaction, so they describe the same moment.
"""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.calendar.models import Period
from saleor_mlm.engine import SHARE_SCALE, Network, Plan, Status, Volumes
from saleor_mlm.ledger.models import LedgerEntry
from saleor_mlm.network.fetch import CUSTOMER, load_network_arrays
from saleor_mlm.network.models import CareAssignment, Customer, Partner, SplitAgreement

from .models import PartnerPeriodResult, RankOverride
from .pgcopy import is_postgresql, read_int_columns

NO_OVERRIDE = -2  # in `override`: no override (-1 is "no rank")

# Snapshot array names and dtypes (small integer types keep the snapshot small).
PARTNER_ARRAYS = {
    "partner_pk": np.int64,
    "partner_sponsor": np.int32,  # ordinal of the sponsor, -1 for none
    "partner_care": np.int32,  # ordinal of the Betreuer, -1 for none
    "partner_share": np.int32,  # Betreuer's share in millionths
    "partner_status": np.int8,  # engine Status
    "partner_pv": np.int64,
    "partner_bv": np.int64,
    "previous_career": np.int16,  # rank index in the run's plan before the period, -1 none
    "override": np.int16,  # rank index set by a RankOverride, NO_OVERRIDE for none
}
CUSTOMER_ARRAYS = {
    "customer_pk": np.int64,
    "customer_sponsor": np.int32,  # ordinal, -1 for a house customer
    "customer_care": np.int32,
    "customer_share": np.int32,
    "customer_pv": np.int64,
    "customer_bv": np.int64,
}
_STATUS = {name: code for name, code in Status.CHOICES.items()}


@dataclass
class RunInputs:
    """The engine's inputs of one run, by partner ordinal and customer row."""

    partner_pk: np.ndarray
    partner_sponsor: np.ndarray
    partner_care: np.ndarray
    partner_share: np.ndarray
    partner_status: np.ndarray
    partner_pv: np.ndarray
    partner_bv: np.ndarray
    previous_career: np.ndarray
    override: np.ndarray
    customer_pk: np.ndarray
    customer_sponsor: np.ndarray
    customer_care: np.ndarray
    customer_share: np.ndarray
    customer_pv: np.ndarray
    customer_bv: np.ndarray
    warnings: list[str] = field(default_factory=list)

    @property
    def n_partners(self) -> int:
        return int(self.partner_pk.size)

    @property
    def n_customers(self) -> int:
        return int(self.customer_pk.size)

    def arrays(self) -> dict[str, np.ndarray]:
        names = {**PARTNER_ARRAYS, **CUSTOMER_ARRAYS}
        return {name: np.ascontiguousarray(getattr(self, name), dtype=dtype) for name, dtype in names.items()}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> RunInputs:
        names = {**PARTNER_ARRAYS, **CUSTOMER_ARRAYS}
        return cls(**{name: np.asarray(arrays[name]) for name in names})

    def node_ids(self) -> list[str]:
        """Engine node ids: partners "p<pk>" by ordinal, then customers "c<pk>"."""
        return [f"p{pk}" for pk in self.partner_pk.tolist()] + [f"c{pk}" for pk in self.customer_pk.tolist()]

    def network(self) -> Network:
        n = self.n_partners
        return Network.from_arrays(
            self.node_ids(),
            np.arange(n + self.n_customers) < n,
            np.concatenate([self.partner_sponsor, self.customer_sponsor]).astype(np.int64),
            np.concatenate([self.partner_care, self.customer_care]).astype(np.int64),
            np.concatenate([self.partner_share, self.customer_share]).astype(np.int64),
            np.concatenate([self.partner_status, np.zeros(self.n_customers, np.int8)]),
        )

    def volumes(self) -> Volumes:
        return Volumes(
            np.concatenate([self.partner_pv, self.customer_pv]).astype(np.int64),
            np.concatenate([self.partner_bv, self.customer_bv]).astype(np.int64),
        )

    def ordinal_of(self, partner_pk: int) -> int | None:
        at = int(np.searchsorted(self.partner_pk, partner_pk))
        if at < self.n_partners and int(self.partner_pk[at]) == partner_pk:
            return at
        return None


def network_moment(period: Period, now: datetime.datetime | None = None) -> datetime.datetime:
    """The moment whose care assignments and split agreements a run uses: the end of the
    period, or now while the period is still running (a preview)."""
    now = now or timezone.now()
    end = datetime.datetime.combine(period.ends_on + datetime.timedelta(days=1), datetime.time.min, tzinfo=datetime.UTC)
    return min(now, end - datetime.timedelta(microseconds=1))


@contextlib.contextmanager
def consistent_read():
    """A transaction whose queries all read one snapshot (PostgreSQL): a partner enrolled
    while we read cannot appear in one query and be missing from the next. (Inside an
    outer transaction, as in tests, the caller's isolation applies.)"""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                # The few large queries of a run gain nothing from JIT compiling, which
                # costs about a second of the server's CPU each.
                cursor.execute("SET LOCAL jit = off")
        yield


def fetch_inputs(period: Period, plan: Plan, at: datetime.datetime) -> RunInputs:
    """Network, volumes, career ranks and overrides of a period, as of one moment (the
    default program's; another program's: `program_inputs.fetch_program_inputs`)."""
    with consistent_read():
        inputs = network_inputs(period, at)
        _add_volumes(inputs, period)
        inputs.previous_career, warnings = previous_career_ranks(period, plan, inputs.partner_pk)
        inputs.warnings += warnings
        inputs.override, warnings = override_ranks(period, plan, inputs.partner_pk)
        inputs.warnings += warnings
    return inputs


def network_inputs(period: Period, at: datetime.datetime) -> RunInputs:
    """The partner table's network (the default program's) as run inputs, volumes 0."""
    return _network_inputs_sql(period.installation_id, at) if is_postgresql() else _network_inputs(period.installation, at)


def _shares(texts: list[str]) -> np.ndarray:
    """Millionths of decimal share texts ("" is 0)."""
    cache: dict[str, int] = {"": 0}
    out = np.zeros(len(texts), np.int32)
    for index, text in enumerate(texts):
        if text:
            value = cache.get(text)
            if value is None:
                value = cache[text] = int(Decimal(text) * SHARE_SCALE)
            out[index] = value
    return out


def _network_inputs(installation, at: datetime.datetime) -> RunInputs:
    arrays = load_network_arrays(installation, at)
    total = len(arrays.ids)
    try:
        n = arrays.kinds.index(CUSTOMER)
    except ValueError:
        n = total
    sponsor = np.asarray(arrays.sponsor, np.int64)
    care = np.asarray(arrays.care, np.int64)
    with_care = np.flatnonzero(care >= 0)
    share = np.zeros(total, np.int32)
    share[with_care] = _shares([arrays.care_share[i] for i in with_care.tolist()])
    statuses = arrays.statuses
    status = np.fromiter((_STATUS.get(statuses[i], Status.INACTIVE) for i in range(n)), np.int8, count=n)
    pks = np.asarray(arrays.pks, np.int64)
    del arrays
    zeros = np.zeros
    return RunInputs(
        partner_pk=pks[:n],
        partner_sponsor=sponsor[:n].astype(np.int32),
        partner_care=care[:n].astype(np.int32),
        partner_share=share[:n],
        partner_status=status,
        partner_pv=zeros(n, np.int64),
        partner_bv=zeros(n, np.int64),
        previous_career=np.full(n, -1, np.int16),
        override=np.full(n, NO_OVERRIDE, np.int16),
        customer_pk=pks[n:],
        customer_sponsor=sponsor[n:].astype(np.int32),
        customer_care=care[n:].astype(np.int32),
        customer_share=share[n:],
        customer_pv=zeros(total - n, np.int64),
        customer_bv=zeros(total - n, np.int64),
    )


def _network_inputs_sql(installation_id: int, at: datetime.datetime) -> RunInputs:
    """`_network_inputs` in a few packed queries (PostgreSQL): the same arrays, the same
    rules as `network.fetch.load_network_arrays` (which the tests compare it with), in a
    tenth of the time for a million partners:

    - care assignments and split agreements in force at `at` (`valid_from <= at <
      valid_to`); of several rows for one node (or partner) the one with the latest
      (valid_from, id) wins;
    - a care share is the assignment's, else the split agreement in force of the node's
      sponsor, else 0 (`network.shares.resolve_share`).
    """
    iid = int(installation_id)
    moment = f"'{at.isoformat()}'::timestamptz"
    in_force = f"valid_from <= {moment} AND (valid_to IS NULL OR valid_to > {moment})"
    status_codes = " ".join(f"WHEN '{name}' THEN {code}" for name, code in _STATUS.items())
    partners = read_int_columns(
        f"SELECT id, COALESCE(sponsor_id, -1), CASE status {status_codes} ELSE {Status.INACTIVE} END "
        f"FROM {Partner._meta.db_table} WHERE installation_id = {iid}",
        ("id", "sponsor", "status"),
    )
    customers = read_int_columns(
        f"SELECT id, COALESCE(sponsor_id, -1) FROM {Customer._meta.db_table} WHERE installation_id = {iid}", ("id", "sponsor")
    )
    agreements = read_int_columns(
        f"SELECT partner_id, ROUND(share * {SHARE_SCALE})::int8, (EXTRACT(EPOCH FROM valid_from) * 1000000)::int8, id "
        f"FROM {SplitAgreement._meta.db_table} WHERE installation_id = {iid} AND {in_force}",
        ("partner", "share", "start", "id"),
    )
    cares = read_int_columns(
        f"SELECT COALESCE(partner_id, -1), COALESCE(customer_id, -1), care_partner_id, "
        f"COALESCE(ROUND(share * {SHARE_SCALE})::int8, -1), (EXTRACT(EPOCH FROM valid_from) * 1000000)::int8, id "
        f"FROM {CareAssignment._meta.db_table} WHERE installation_id = {iid} AND {in_force}",
        ("partner", "customer", "care", "share", "start", "id"),
    )
    by_pk = np.argsort(partners["id"], kind="stable")
    partner_pk = partners["id"][by_pk]
    n = partner_pk.size
    partner_sponsor = _positions(partner_pk, partners["sponsor"][by_pk])
    customers_by_pk = np.argsort(customers["id"], kind="stable")
    customer_pk = customers["id"][customers_by_pk]
    customer_sponsor = _positions(partner_pk, customers["sponsor"][customers_by_pk])

    # Split agreement in force per partner ordinal (latest start wins), -1 for none.
    agreement = np.full(n, -1, np.int64)
    latest = np.lexsort((agreements["id"], agreements["start"]))
    agreement[_positions(partner_pk, agreements["partner"][latest])] = agreements["share"][latest]

    partner_care = np.full(n, -1, np.int64)
    partner_share = np.zeros(n, np.int64)
    customer_care = np.full(customer_pk.size, -1, np.int64)
    customer_share = np.zeros(customer_pk.size, np.int64)
    latest = np.lexsort((cares["id"], cares["start"]))  # later rows overwrite earlier ones
    for key, pks, sponsor, care, share in (
        ("partner", partner_pk, partner_sponsor, partner_care, partner_share),
        ("customer", customer_pk, customer_sponsor, customer_care, customer_share),
    ):
        rows = latest[cares[key][latest] >= 0]
        node = _positions(pks, cares[key][rows])
        care[node] = _positions(partner_pk, cares["care"][rows])
        given = cares["share"][rows]
        of_sponsor = np.where(sponsor[node] >= 0, agreement[np.maximum(sponsor[node], 0)], -1)
        share[node] = np.where(given >= 0, given, np.maximum(of_sponsor, 0))
    zeros = np.zeros
    return RunInputs(
        partner_pk=partner_pk,
        partner_sponsor=partner_sponsor.astype(np.int32),
        partner_care=partner_care.astype(np.int32),
        partner_share=partner_share.astype(np.int32),
        partner_status=partners["status"][by_pk].astype(np.int8),
        partner_pv=zeros(n, np.int64),
        partner_bv=zeros(n, np.int64),
        previous_career=np.full(n, -1, np.int16),
        override=np.full(n, NO_OVERRIDE, np.int16),
        customer_pk=customer_pk,
        customer_sponsor=customer_sponsor.astype(np.int32),
        customer_care=customer_care.astype(np.int32),
        customer_share=customer_share.astype(np.int32),
        customer_pv=zeros(customer_pk.size, np.int64),
        customer_bv=zeros(customer_pk.size, np.int64),
    )


def _positions(sorted_pks: np.ndarray, pks: np.ndarray) -> np.ndarray:
    """Index of each pk in `sorted_pks`; -1 stays -1 (no node)."""
    at = np.searchsorted(sorted_pks, pks)
    return np.where(pks >= 0, at, -1).astype(np.int64)


def own_volume_rows(installation_id: int, period_id: int, program_id: int | None = None) -> dict[str, np.ndarray]:
    """Per node with entries of a program (None: the default program, whose entries have
    no program): partner_id, customer_id (-1 for the other) and own PV/BV in units of
    10^-4, from one aggregate query."""
    names = ("partner_id", "customer_id", "pv", "bv")
    if is_postgresql():
        table = LedgerEntry._meta.db_table
        program = "IS NULL" if program_id is None else f"= {int(program_id)}"
        sql = (
            f"SELECT COALESCE(partner_id, -1), COALESCE(customer_id, -1), "
            f"(SUM(pv) * 10000)::int8, (SUM(bv) * 10000)::int8 FROM {table} "
            f"WHERE installation_id = {int(installation_id)} AND period_id = {int(period_id)} AND program_id {program} "
            # program_id is one value here: grouping by it too lets the planner read the
            # groups in the order of the ledger's covering index, without a sort.
            f"GROUP BY program_id, partner_id, customer_id"
        )
        return read_int_columns(sql, names)
    rows = LedgerEntry.objects.filter(installation_id=installation_id, period_id=period_id, program_id=program_id).own_volumes()
    values = [
        (row["partner_id"] or -1, row["customer_id"] or -1, int(row["pv"] * 10000), int(row["bv"] * 10000)) for row in rows
    ]
    matrix = np.array(values, np.int64).reshape(-1, 4)
    return {name: matrix[:, column].copy() for column, name in enumerate(names)}


def _add_volumes(inputs: RunInputs, period: Period) -> None:
    rows = own_volume_rows(period.installation_id, period.pk)
    # One row per node (the query groups by node): plain assignment, no accumulation.
    by_partner = rows["partner_id"] >= 0
    ordinal = np.searchsorted(inputs.partner_pk, rows["partner_id"][by_partner])
    inputs.partner_pv[ordinal] = rows["pv"][by_partner]
    inputs.partner_bv[ordinal] = rows["bv"][by_partner]
    by_customer = ~by_partner
    index = np.searchsorted(inputs.customer_pk, rows["customer_id"][by_customer])
    inputs.customer_pv[index] = rows["pv"][by_customer]
    inputs.customer_bv[index] = rows["bv"][by_customer]
    keep = (inputs.customer_pv != 0) | (inputs.customer_bv != 0)
    for name in CUSTOMER_ARRAYS:
        setattr(inputs, name, getattr(inputs, name)[keep])


def previous_settled_period(period: Period) -> Period | None:
    """The latest settled period before `period` whose close run stands."""
    return (
        Period.objects.filter(
            installation_id=period.installation_id,
            starts_on__lt=period.starts_on,
            status__in=PeriodStatus.SETTLED,
            close_run__isnull=False,
        )
        .order_by("-starts_on")
        .first()
    )


def _rank_indices(plan: Plan, codes: np.ndarray | list[str], what: str) -> tuple[dict[str, int], list[str]]:
    index = {rank.code: i for i, rank in enumerate(plan.ranks)}
    unknown = sorted({code for code in codes if code and code not in index})
    warnings = [f"{what} rank {code!r} is not a rank of the plan in force; it is ignored." for code in unknown]
    return index, warnings


def previous_career_ranks(period: Period, plan: Plan, partner_pk: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Career rank index before the period per ordinal: the career rank stored by the
    latest settled period (it never falls); for a partner without one, the career rank it
    brought from the system its network was imported from (`Partner.imported_career_rank`).
    Ranks are matched by code, so a new plan version keeps the career ranks whose codes
    it still has."""
    career = np.full(partner_pk.size, -1, np.int16)
    previous = previous_settled_period(period)
    rows = []
    if previous is not None:
        rows = list(
            PartnerPeriodResult.objects.filter(run_id=previous.close_run_id).exclude(career_rank="").values_list("partner_id", "career_rank")
        )
    settled = {partner_id for partner_id, _code in rows}
    imported = Partner.objects.filter(installation_id=period.installation_id).exclude(imported_career_rank="")
    rows += [row for row in imported.values_list("id", "imported_career_rank").iterator(chunk_size=20_000) if row[0] not in settled]
    if not rows:
        return career, []
    pks = np.array([row[0] for row in rows], np.int64)
    codes = [row[1] for row in rows]
    index, warnings = _rank_indices(plan, codes, "Career")
    values = np.array([index.get(code, -1) for code in codes], np.int16)
    at = np.searchsorted(partner_pk, pks)
    found = (at < partner_pk.size) & (partner_pk[np.minimum(at, partner_pk.size - 1)] == pks) if partner_pk.size else np.zeros(0, bool)
    career[at[found]] = values[found]
    return career, warnings


def override_ranks(period: Period, plan: Plan, partner_pk: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Rank index per ordinal set by the period's `RankOverride`s, NO_OVERRIDE elsewhere."""
    override = np.full(partner_pk.size, NO_OVERRIDE, np.int16)
    rows = list(RankOverride.objects.filter(period=period).values_list("partner_id", "rank"))
    if not rows:
        return override, []
    index, warnings = _rank_indices(plan, [rank for _, rank in rows], "Override")
    for partner_id, rank in rows:
        at = int(np.searchsorted(partner_pk, partner_id))
        if rank in index and at < partner_pk.size and int(partner_pk[at]) == partner_id:
            override[at] = index[rank]
    return override, warnings
