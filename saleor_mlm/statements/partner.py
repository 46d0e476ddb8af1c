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
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import numpy as np
from django.db import connection
from django.utils.translation import gettext as _

from saleor_mlm.calendar.error_codes import PeriodErrorCode
from saleor_mlm.calendar.models import Period
from saleor_mlm.core.errors import DomainError
from saleor_mlm.engine import BONUS_KINDS, Plan, explain
from saleor_mlm.engine.opening import BONUS_CODES, Sum
from saleor_mlm.installations.models import Installation
from saleor_mlm.network.models import Customer, Partner
from saleor_mlm.payouts.models import BalanceAdjustment, PartnerBalance
from saleor_mlm.periods import RunStatus
from saleor_mlm.periods.actions import standing_run
from saleor_mlm.periods.downline import downline_network
from saleor_mlm.periods.models import PartnerPeriodResult, PeriodRun, RankOverride
from saleor_mlm.periods.runs import INPUT_ARRAYS
from saleor_mlm.periods.snapshot import cached_arrays
from saleor_mlm.periods.statement_pages import opening, page_lines
from saleor_mlm.plans.documents import plan_from_document

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
    return plan_from_document(json.loads(document_key))


def run_plan(run: PeriodRun) -> Plan:
    return _run_plan(run.pk, json.dumps(run.plan_document, sort_keys=True))


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
        raise DomainError(
            PeriodErrorCode.NOT_IN_RUN,
            _("Partner %(partner_id)s is not part of run %(run)s.") % {"partner_id": partner_id, "run": run.pk},
            field="partner",
        )
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


def rounded_money(value: Decimal, places: int) -> Decimal:
    """An amount in the currency's minor unit, half up (statements and their CSV)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def partner_statement(installation: Installation, partner: Partner, period: Period, run: PeriodRun | None = None) -> Statement:
    """A partner's statement for a period: of its close run once settled, of the latest
    preview while it is open (or of the given run)."""
    if partner.installation_id != installation.pk or period.installation_id != installation.pk:
        raise DomainError(PeriodErrorCode.WRONG_INSTALLATION, _("The partner or the period belongs to another installation."))
    period = Period.objects.select_related("close_run").get(pk=period.pk)  # as it stands now
    run = run or standing_run(period)
    if run is None or run.status != RunStatus.SUCCEEDED or run.period_id != period.pk:
        raise DomainError(
            PeriodErrorCode.NO_SNAPSHOT,
            _("Period %(period)s has no figures yet: close or preview it first.") % {"period": period.label},
            field="period",
        )
    row = PartnerPeriodResult.objects.filter(run=run, partner=partner).first()
    if row is None:
        raise DomainError(
            PeriodErrorCode.NOT_IN_RUN,
            _("%(partner)s is not part of the %(kind)s run of %(period)s.")
            % {"partner": partner, "kind": run.kind, "period": period.label},
            field="partner",
        )
    places = run.minor_digits
    lines = StatementLines(run, partner.pk)
    groups = []
    for kind in BONUS_KINDS:
        amount = rounded_money(getattr(row, f"{kind}_bonus"), places)
        found = [group for group in lines.opening.groups if group.kind == kind]
        if found or amount:
            groups.append(lines.bonus_group(kind, amount, found, places))
    balance = PartnerBalance.objects.filter(period=period, partner=partner).first() if run.pk == period.close_run_id else None
    adjustments = tuple(
        AdjustmentLine(rounded_money(a.amount, places), a.reason, a.approved_by, a.created_at)
        for a in BalanceAdjustment.objects.filter(period=period, partner=partner).order_by("created_at", "id")
    )
    override = RankOverride.objects.filter(period=period, partner=partner).values_list("reason", flat=True).first() if row.rank_overridden else None
    settled = balance is not None or run.pk == period.close_run_id

    def money(value):
        return rounded_money(value, places) if value is not None else (Decimal(0).quantize(Decimal(1).scaleb(-places)) if settled else None)

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
        total=rounded_money(row.total, places),
        adjustments=adjustments,
        carried_in=money(balance.carried_in if balance else None),
        payable=money(balance.payable if balance else None),
        paid=money(balance.paid if balance else None),
        carried_forward=money(balance.carried_forward if balance else None),
        balance_reason=(balance.reason if balance else ("nothing" if settled else None)),
    )
