"""Statements: what a partner earned in a period, line by line, and why.

A statement is recomputed on demand from the run's snapshot (nothing per line is
stored: a million partners times their downlines would be billions of rows):

1. the run's arrays, memory-mapped from the cache directory (`snapshot.cached_arrays`);
2. the partner's downline, found with the child lists (both kinds of edge);
3. a small network of that downline: every edge leaving it points to one stand-in
   partner above everything ("~outside", terminated, no volume), so every weight stays
   as it is and nothing outside can change a figure inside (ranks and volumes depend
   only on what is below);
4. `engine.explain` with the ranks the run stored (overrides included).

The lines of a bonus add up, before the one rounding, to the stored amount: a statement
explains every cent. Cost grows with the partner's downline, not with the network.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import numpy as np
from django.db import connection

from saleor_mlm.calendar.error_codes import PeriodErrorCode
from saleor_mlm.calendar.models import Period
from saleor_mlm.core.csv_writer import CsvWriter, sql_neutralized
from saleor_mlm.core.errors import DomainError
from saleor_mlm.engine import BONUS_KINDS, Network, Plan, Status, Volumes, explain
from saleor_mlm.engine.opening import BONUS_CODES, Sum
from saleor_mlm.engine.volumes import shown_volume
from saleor_mlm.installations.models import Installation
from saleor_mlm.network.models import Customer, Partner
from saleor_mlm.payouts.models import BalanceAdjustment, PartnerBalance
from saleor_mlm.plans.documents import plan_from_document

from . import RunStatus
from .actions import standing_run
from .compute import RankView
from .models import PartnerPeriodResult, PeriodRun, RankOverride
from .runs import INPUT_ARRAYS
from .snapshot import cached_arrays

OUTSIDE = "~outside"
# Decimal places of group sums and line totals: the lines themselves are exact, with as
# many places as their walks need; their sums are shown to this many (half up).
LINE_PLACES = 6


@dataclass(frozen=True)
class StatementLine:
    kind: str  # customer, level, difference, generation, advancement
    source_id: str  # node id: p<pk> or c<pk>
    source_type: str  # partner or customer
    source_pk: int
    source_name: str
    source_code: str  # referral code of a partner source, "" for customers
    level: int | None  # level (level bonus) or generation (generation bonus)
    volume: Decimal | None  # the weighted BV the rate applied to
    rate: Decimal | None
    amount: Decimal  # before rounding


@dataclass(frozen=True)
class LineGroup:
    """The lines of a bonus at one level (level bonus), generation (generation bonus) or
    rate (difference bonus; customer bonus: one group): how many and their sums."""

    level: int | None
    rate: Decimal | None
    count: int
    volume: Decimal | None  # the lines' volumes summed, to LINE_PLACES, half up
    amount: Decimal  # the lines' amounts summed, to LINE_PLACES, half up


@dataclass(frozen=True)
class BonusGroup:
    kind: str
    amount: Decimal  # as stored: the lines' sum rounded once, half up
    line_total: Decimal  # the lines' exact sum to LINE_PLACES (its cents are `amount`)
    line_count: int
    parts: tuple[LineGroup, ...]
    source: StatementLines | None = field(default=None, compare=False, repr=False)

    @property
    def lines(self) -> tuple[StatementLine, ...]:
        """Every line of the bonus (exact; costs as much as the partner's downline is
        large: page with `StatementLines.page` instead)."""
        return self.source.all(self.kind) if self.source else ()


@dataclass(frozen=True)
class AdjustmentLine:
    amount: Decimal
    reason: str
    approved_by: str
    created_at: datetime.datetime


@dataclass(frozen=True)
class Statement:
    period: str
    starts_on: datetime.date
    ends_on: datetime.date
    period_status: str
    run_id: int
    run_kind: str
    currency: str
    partner_id: int
    partner_name: str
    referral_code: str
    pv: Decimal
    gv: Decimal
    ov: Decimal
    pbv: Decimal
    qualified: bool
    calculated_rank: str
    paid_as_rank: str
    career_rank: str
    previous_career_rank: str
    rank_overridden: bool
    override_reason: str
    groups: tuple[BonusGroup, ...]
    lines: StatementLines = field(compare=False, repr=False)
    total: Decimal
    adjustments: tuple[AdjustmentLine, ...]
    # Balance (close runs): None for previews.
    carried_in: Decimal | None
    payable: Decimal | None
    paid: Decimal | None
    carried_forward: Decimal | None
    balance_reason: str | None

    def group(self, kind: str) -> BonusGroup | None:
        return next((group for group in self.groups if group.kind == kind), None)


@lru_cache(maxsize=16)
def _run_plan(run_id: int, document_key: str) -> Plan:
    import json

    return plan_from_document(json.loads(document_key))


def run_plan(run: PeriodRun) -> Plan:
    import json

    return _run_plan(run.pk, json.dumps(run.plan_document, sort_keys=True))


def _ranges(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    counts = stops - starts
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    offsets = np.repeat(starts - np.cumsum(counts) + counts, counts)
    return offsets + np.arange(total, dtype=np.int64)


def downline(arrays: dict[str, np.ndarray], ordinal: int) -> np.ndarray:
    """Sorted ordinals of a partner and everyone below it (sponsor and care edges)."""
    down, pointer = arrays["down"], arrays["down_pointer"]
    seen = np.zeros(pointer.size - 1, bool)
    seen[ordinal] = True
    frontier = np.array([ordinal], np.int64)
    while frontier.size:
        below = np.unique(np.asarray(down[_ranges(pointer[frontier], pointer[frontier + 1])]))
        frontier = below[~seen[below]]
        seen[frontier] = True
    return np.flatnonzero(seen)


@dataclass(frozen=True)
class Downline:
    network: Network
    volumes: Volumes
    ranks: RankView
    partners: np.ndarray  # ordinals in the run
    customers: np.ndarray  # customer rows in the run


def downline_network(arrays: dict[str, np.ndarray], ordinal: int) -> Downline:
    """The network of a partner's downline with the stand-in above it (module doc)."""
    return partners_network(arrays, downline(arrays, ordinal))


def partners_network(arrays: dict[str, np.ndarray], partners: np.ndarray) -> Downline:
    """The network of these partners (sorted ordinals) and their customers; every edge
    leaving it points to the stand-in above everything."""
    customer_pointer = arrays["customer_pointer"]
    customers = np.unique(np.asarray(arrays["customers"][_ranges(customer_pointer[partners], customer_pointer[partners + 1])]))
    k = partners.size
    outside = k

    def local(targets: np.ndarray) -> np.ndarray:
        targets = np.asarray(targets, np.int64)
        out = np.full(targets.size, -1, np.int64)
        has = np.flatnonzero(targets >= 0)
        at = np.minimum(np.searchsorted(partners, targets[has]), k - 1)
        out[has] = np.where(partners[at] == targets[has], at, outside)
        return out

    def take(name: str, rows: np.ndarray) -> np.ndarray:
        return np.asarray(arrays[name][rows])

    ids = [f"p{pk}" for pk in take("partner_pk", partners).tolist()] + [OUTSIDE]
    ids += [f"c{pk}" for pk in take("customer_pk", customers).tolist()]
    one = np.zeros(1, np.int64)
    network = Network.from_arrays(
        ids,
        np.arange(len(ids)) <= k,
        np.concatenate([local(take("partner_sponsor", partners)), one - 1, local(take("customer_sponsor", customers))]),
        np.concatenate([local(take("partner_care", partners)), one - 1, local(take("customer_care", customers))]),
        np.concatenate([take("partner_share", partners), one, take("customer_share", customers)]).astype(np.int64),
        np.concatenate([take("partner_status", partners), [Status.TERMINATED], np.zeros(customers.size, np.int8)]).astype(np.int8),
    )
    volumes = Volumes(
        np.concatenate([take("partner_pv", partners), one, take("customer_pv", customers)]).astype(np.int64),
        np.concatenate([take("partner_bv", partners), one, take("customer_bv", customers)]).astype(np.int64),
    )
    ranks = RankView(
        rank=np.concatenate([take("result_rank", partners), one - 1]).astype(np.int64),
        qualified=np.concatenate([take("result_qualified", partners), [False]]).astype(bool),
        previous_career_rank=np.concatenate([take("previous_career", partners), one - 1]).astype(np.int64),
    )
    return Downline(network, volumes, ranks, partners, customers)


def _source_names(sources: set[str]) -> dict[str, tuple[str, str]]:
    """id -> (name, referral code) for partner and customer sources (two queries; with
    an array parameter on PostgreSQL, so ten thousand sources stay one short statement)."""
    partner_pks = [int(source[1:]) for source in sources if source.startswith("p")]
    customer_pks = [int(source[1:]) for source in sources if source.startswith("c")]
    names: dict[str, tuple[str, str]] = {}
    for pk, first, last, email, code in _rows(Partner, ["id", "first_name", "last_name", "email", "referral_code"], partner_pks):
        names[f"p{pk}"] = (" ".join(part for part in (first, last) if part) or email, code)
    for pk, first, last, email in _rows(Customer, ["id", "first_name", "last_name", "email"], customer_pks):
        names[f"c{pk}"] = (" ".join(part for part in (first, last) if part) or email, "")
    return names


def _rows(model, columns: list[str], pks: list[int]):
    if not pks:
        return []
    if connection.vendor != "postgresql":
        return model.objects.filter(pk__in=pks).values_list(*columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {model._meta.db_table} WHERE id = ANY(%s)", [pks])
        return cursor.fetchall()


def statement_lines(run: PeriodRun, partner_id: int) -> list:
    """The engine's statement lines of a partner in a run (`engine.StatementLine`)."""
    arrays = cached_arrays(run, INPUT_ARRAYS)
    sub = downline_network(arrays, _ordinal(arrays, run, partner_id))
    return explain(run_plan(run), sub.network, sub.volumes, sub.ranks, f"p{partner_id}")


class StatementLines:
    """The lines of one partner's statement: counted and summed at once
    (`engine.opening`), turned into exact `Decimal` lines a page at a time."""

    def __init__(self, run: PeriodRun, partner_id: int):
        from .statement_pages import opening

        self.run, self.partner_id = run, partner_id
        arrays = cached_arrays(run, INPUT_ARRAYS)
        self.ordinal = _ordinal(arrays, run, partner_id)
        self.plan = run_plan(run)
        self.opening = opening(run, self.plan, self.ordinal)
        self._all: dict[str, tuple[StatementLine, ...]] | None = None

    @property
    def count(self) -> int:
        return len(self.opening)

    def count_of(self, kind: str | None) -> int:
        return self.count if kind is None else int(np.count_nonzero(self.opening.kind == BONUS_CODES.index(kind)))

    def page(self, offset: int, limit: int, kind: str | None = None) -> list[StatementLine]:
        """Lines ``offset`` to ``offset + limit`` in statement order: amount descending,
        then bonus, source and level (of one bonus with ``kind``)."""
        from .statement_pages import page_lines

        start = max(offset, 0)
        rows = self.opening.rows(start, start + max(limit, 0), kind)
        return _named(page_lines(self.run, self.plan, self.ordinal, rows))

    def all(self, kind: str) -> tuple[StatementLine, ...]:
        """Every line of a bonus, in explain's order (bonus, then level)."""
        if self._all is None:
            lines = _named(statement_lines(self.run, self.partner_id))
            self._all = {name: tuple(line for line in lines if line.kind == name) for name in BONUS_KINDS}
        return self._all[kind]

    def bonus_group(self, kind: str, amount: Decimal, found: list, places: int) -> BonusGroup:
        """The bonus's groups and line total from the opening; exactly from every line in
        the rare case the error bound of the fast weights leaves a rounding undecided."""
        total = Sum(0, 0, 0)
        for group in found:
            total = total + group.amount
        line_total = total.decimal(LINE_PLACES, cents=places)
        parts = []
        for group in found:
            volume = group.volume.decimal(LINE_PLACES) if group.volume is not None else None
            value = group.amount.decimal(LINE_PLACES)
            if value is None or (volume is None and group.volume is not None):
                volume, value = self._exact_sums(kind, group)
            rate = Decimal(group.rate).scaleb(-6).normalize() if group.rate is not None else None
            parts.append(LineGroup(group.level, _plain(rate), group.count, volume, value))
        if line_total is None:
            line_total = _places(sum((line.amount for line in self.all(kind)), Decimal(0)))
        return BonusGroup(kind, amount, line_total, sum(group.count for group in found), tuple(parts), self)

    def _exact_sums(self, kind: str, group) -> tuple[Decimal | None, Decimal]:
        lines = [line for line in self.all(kind) if (line.level if kind in ("level", "generation") else None) == group.level and (group.rate is None or line.rate == Decimal(group.rate).scaleb(-6))]
        volume = _places(sum((line.volume for line in lines), Decimal(0))) if group.volume is not None else None
        return volume, _places(sum((line.amount for line in lines), Decimal(0)))


def _places(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-LINE_PLACES), rounding=ROUND_HALF_UP)


def _plain(rate: Decimal | None) -> Decimal | None:
    """0.05 rather than 5E-2, with at least two places as rates are written."""
    return rate.quantize(Decimal("0.01")) if rate is not None and rate.as_tuple().exponent > -2 else rate


def _ordinal(arrays, run: PeriodRun, partner_id: int) -> int:
    pks = arrays["partner_pk"]
    ordinal = int(np.searchsorted(pks, partner_id))
    if ordinal >= pks.size or int(pks[ordinal]) != partner_id:
        raise DomainError(PeriodErrorCode.NOT_IN_RUN, f"Partner {partner_id} is not part of run {run.pk}.", field="partner")
    return ordinal


def _named(raw_lines) -> list[StatementLine]:
    """Engine lines with their sources' names and referral codes."""
    names = _source_names({line.source for line in raw_lines})
    return [
        StatementLine(
            kind=line.kind,
            source_id=line.source,
            source_type="partner" if line.source.startswith("p") else "customer",
            source_pk=int(line.source[1:]),
            source_name=names.get(line.source, ("", ""))[0],
            source_code=names.get(line.source, ("", ""))[1],
            level=line.level,
            volume=line.volume,
            rate=line.rate,
            amount=line.amount,
        )
        for line in raw_lines
    ]


def _money(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def partner_statement(installation: Installation, partner: Partner, period: Period, run: PeriodRun | None = None) -> Statement:
    """A partner's statement for a period: of its close run once settled, of the latest
    preview while it is open (or of the given run)."""
    if partner.installation_id != installation.pk or period.installation_id != installation.pk:
        raise DomainError(PeriodErrorCode.WRONG_INSTALLATION, "The partner or the period belongs to another installation.")
    period = Period.objects.select_related("close_run").get(pk=period.pk)  # as it stands now
    run = run or standing_run(period)
    if run is None or run.status != RunStatus.SUCCEEDED or run.period_id != period.pk:
        raise DomainError(PeriodErrorCode.NO_SNAPSHOT, f"Period {period.label} has no figures yet: close or preview it first.", field="period")
    row = PartnerPeriodResult.objects.filter(run=run, partner=partner).first()
    if row is None:
        raise DomainError(PeriodErrorCode.NOT_IN_RUN, f"{partner} is not part of the {run.kind} run of {period.label}.", field="partner")
    places = run.minor_digits
    lines = StatementLines(run, partner.pk)
    groups = []
    for kind in BONUS_KINDS:
        amount = _money(getattr(row, f"{kind}_bonus"), places)
        found = [group for group in lines.opening.groups if group.kind == kind]
        if found or amount:
            groups.append(lines.bonus_group(kind, amount, found, places))
    balance = PartnerBalance.objects.filter(period=period, partner=partner).first() if run.pk == period.close_run_id else None
    adjustments = tuple(
        AdjustmentLine(_money(a.amount, places), a.reason, a.approved_by, a.created_at)
        for a in BalanceAdjustment.objects.filter(period=period, partner=partner).order_by("created_at", "id")
    )
    override = RankOverride.objects.filter(period=period, partner=partner).values_list("reason", flat=True).first() if row.rank_overridden else None
    settled = balance is not None or run.pk == period.close_run_id

    def money(value):
        return _money(value, places) if value is not None else (Decimal(0).quantize(Decimal(1).scaleb(-places)) if settled else None)

    return Statement(
        period=period.label,
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        period_status=period.status,
        run_id=run.pk,
        run_kind=run.kind,
        currency=run.currency,
        partner_id=partner.pk,
        partner_name=partner.display_name,
        referral_code=partner.referral_code,
        pv=row.pv,
        gv=row.gv,
        ov=row.ov,
        pbv=row.pbv,
        qualified=row.qualified,
        calculated_rank=row.calculated_rank,
        paid_as_rank=row.paid_as_rank,
        career_rank=row.career_rank,
        previous_career_rank=row.previous_career_rank,
        rank_overridden=row.rank_overridden,
        override_reason=override or "",
        groups=tuple(groups),
        lines=lines,
        total=_money(row.total, places),
        adjustments=adjustments,
        carried_in=money(balance.carried_in if balance else None),
        payable=money(balance.payable if balance else None),
        paid=money(balance.paid if balance else None),
        carried_forward=money(balance.carried_forward if balance else None),
        balance_reason=(balance.reason if balance else ("nothing" if settled else None)),
    )


# ------------------------------------------------------------------ CSV

SUMMARY_COLUMNS = [
    "partner_id", "referral_code", "name", "email", "pv", "gv", "ov", "qualified", "calculated_rank",
    "paid_as_rank", "career_rank", "rank_overridden", "customer_bonus", "level_bonus",
    "difference_bonus", "generation_bonus", "advancement_bonus", "total", "adjustments",
    "carried_in", "payable", "paid", "carried_forward", "balance_reason",
]  # fmt: skip
LINE_COLUMNS = ["bonus", "source_id", "source_type", "source_name", "source_code", "level", "volume", "rate", "amount"]
# Every other column is text, written through `core.csv_writer.neutralized` (formulas).
SUMMARY_NUMBERS = {
    "partner_id", "pv", "gv", "ov", *(f"{kind}_bonus" for kind in BONUS_KINDS), "total", "adjustments",
    "carried_in", "payable", "paid", "carried_forward",
}  # fmt: skip
LINE_NUMBERS = {"level", "volume", "rate", "amount"}

# Rows read per query while exporting: bounded memory for a million partners.
EXPORT_CHUNK = 20_000


def write_statements_csv(installation: Installation, period: Period, handle, run: PeriodRun | None = None) -> int:
    """One row per partner of the run: figures and balance (the statements' summary)."""
    if period.installation_id != installation.pk:
        raise DomainError(PeriodErrorCode.WRONG_INSTALLATION, "The period belongs to another installation.", field="period")
    period = Period.objects.select_related("close_run").get(pk=period.pk)
    run = run or standing_run(period)
    if run is None or run.status != RunStatus.SUCCEEDED:
        raise DomainError(PeriodErrorCode.NO_SNAPSHOT, f"Period {period.label} has no figures yet: close or preview it first.", field="period")
    if connection.vendor == "postgresql":
        return _copy_statements_csv(period, run, handle)
    return _python_statements_csv(period, run, handle)


def _python_statements_csv(period: Period, run: PeriodRun, handle) -> int:
    places = run.minor_digits
    writer = CsvWriter(handle, SUMMARY_COLUMNS, number_columns=SUMMARY_NUMBERS, lineterminator="\n")  # as PostgreSQL's COPY writes it
    balances = {}
    if run.pk == period.close_run_id:
        rows = PartnerBalance.objects.filter(period=period).values_list("partner_id", "adjustments", "carried_in", "payable", "paid", "carried_forward", "reason")
        balances = {row[0]: row[1:] for row in rows.iterator(chunk_size=EXPORT_CHUNK)}
    fields = ["partner_id", "pv", "gv", "ov", "qualified", "calculated_rank", "paid_as_rank", "career_rank", "rank_overridden"]
    fields += [f"{kind}_bonus" for kind in BONUS_KINDS] + ["total"]
    count = 0
    last = 0
    zero = Decimal(0)
    while True:
        chunk = list(
            PartnerPeriodResult.objects.filter(run=run, partner_id__gt=last).order_by("partner_id").values_list(*fields)[:EXPORT_CHUNK]
        )
        if not chunk:
            break
        last = chunk[-1][0]
        people = {
            pk: (code, " ".join(p for p in (first, lastname) if p) or email, email)
            for pk, code, first, lastname, email in Partner.objects.filter(pk__in=[row[0] for row in chunk]).values_list(
                "pk", "referral_code", "first_name", "last_name", "email"
            )
        }
        for row in chunk:
            code, name, email = people.get(row[0], ("", "", ""))
            balance = balances.get(row[0])
            money = [_money(value, places) for value in row[9:]]
            if balance is None and run.pk == period.close_run_id:
                balance = (zero, zero, zero, zero, zero, "nothing")
            tail = [_money(value, places) for value in balance[:5]] + [balance[5]] if balance else [""] * 6
            volumes = [shown_volume(value) for value in row[1:4]]
            writer.writerow([row[0], code, name, email, *volumes, "true" if row[4] else "false", *row[5:8], "true" if row[8] else "false", *money, *tail])
            count += 1
    return count


def _copy_statements_csv(period: Period, run: PeriodRun, handle) -> int:
    """The same CSV written by PostgreSQL (COPY ... TO STDOUT): a million rows in seconds
    instead of formatting a million Decimals in Python. Empty texts are written as NULL,
    which CSV writes unquoted, as Python's `csv` does. Text columns go through
    `sql_neutralized` (spreadsheet formulas, as `CsvWriter` does); the volume columns hold
    shown volumes already (hundredths, floored when the run was persisted)."""
    places = int(run.minor_digits)
    settled = run.pk == period.close_run_id

    def money(expression: str) -> str:
        return f"ROUND({expression}, {places})"

    bonuses = [f"{money(f'r.{kind}_bonus')} AS {kind}_bonus" for kind in BONUS_KINDS]
    if settled:
        balance = [f"{money(f'COALESCE(b.{name}, 0)')} AS {name}" for name in ("adjustments", "carried_in", "payable", "paid", "carried_forward")]
        balance.append(sql_neutralized("COALESCE(b.reason, 'nothing')") + " AS balance_reason")
    else:
        balance = [f"NULL AS {name}" for name in ("adjustments", "carried_in", "payable", "paid", "carried_forward", "balance_reason")]
    name = "COALESCE(NULLIF(CONCAT_WS(' ', NULLIF(p.first_name, ''), NULLIF(p.last_name, '')), ''), p.email)"
    text = {
        key: sql_neutralized(expression)
        for key, expression in (
            ("referral_code", "p.referral_code"),
            ("name", name),
            ("email", "p.email"),
            ("calculated_rank", "NULLIF(r.calculated_rank, '')"),
            ("paid_as_rank", "NULLIF(r.paid_as_rank, '')"),
            ("career_rank", "NULLIF(r.career_rank, '')"),
        )
    }
    query = f"""
        SELECT r.partner_id, {text["referral_code"]} AS referral_code, {text["name"]} AS name,
               {text["email"]} AS email, r.pv, r.gv, r.ov,
               CASE WHEN r.qualified THEN 'true' ELSE 'false' END AS qualified,
               {text["calculated_rank"]} AS calculated_rank, {text["paid_as_rank"]} AS paid_as_rank,
               {text["career_rank"]} AS career_rank,
               CASE WHEN r.rank_overridden THEN 'true' ELSE 'false' END AS rank_overridden,
               {", ".join(bonuses)}, {money("r.total")} AS total, {", ".join(balance)}
        FROM {PartnerPeriodResult._meta.db_table} r
        JOIN {Partner._meta.db_table} p ON p.id = r.partner_id
        LEFT JOIN {PartnerBalance._meta.db_table} b ON b.period_id = {int(period.pk)} AND b.partner_id = r.partner_id
        WHERE r.run_id = {int(run.pk)}
        ORDER BY r.partner_id
    """
    count = -1  # the header
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
            for data in copy:
                handle.write(bytes(data).decode("utf-8"))
                count += 1
    return max(count, 0)


def write_statement_lines_csv(statement: Statement, handle) -> int:
    """The lines of one statement, grouped by bonus."""
    writer = CsvWriter(handle, LINE_COLUMNS, number_columns=LINE_NUMBERS)
    count = 0
    for group in statement.groups:
        for line in group.lines:
            # the line's volume is the exact base of its amount (not a shown volume): the
            # lines explain every cent, so they keep all their places
            writer.writerow([group.kind, line.source_id, line.source_type, line.source_name, line.source_code, line.level, line.volume, line.rate, line.amount])
            count += 1
    return count
