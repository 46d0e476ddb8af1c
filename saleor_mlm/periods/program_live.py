"""Live figures and the next rank in a partner program other than the default (issue 19,
docs/programs.md, "Live figures per program").

The default program's live figures are the live volumes' (`live.volumes`, kept up to date
per order in memory). Another program's network is its enrollments, usually far smaller:
its figures of the open month are computed the way a preview computes them (the
program's run inputs, `program_inputs.fetch_program_inputs`, through the engine with the
program's plan in force, no rank overrides), and kept per process until the program's
volume, enrollments or plan change (or a minute has passed: a customer's sponsor or a
partner's status changes elsewhere). The result is a `next_rank.LiveSnapshot`, so the
next-rank report is `next_rank.build_report`, the default program's own.
"""

from __future__ import annotations

import datetime
import threading
import time
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db.models import Count, Max
from django.utils import timezone

from saleor_mlm.calendar.models import Period
from saleor_mlm.engine import compute
from saleor_mlm.engine.volumes import SHOWN_VOLUME_PLACES, shown_volume
from saleor_mlm.ledger.models import LedgerEntry
from saleor_mlm.live.state import current_period_start
from saleor_mlm.network.models import NetworkChange, ProgramEnrollment
from saleor_mlm.plans.fetch import plan_in_force, plan_of
from saleor_mlm.programs.models import Program

from .next_rank import LiveRanks, LiveSnapshot, NextRankReport, build_report, live_snapshot, next_rank_report
from .program_inputs import fetch_program_inputs

MAX_AGE_SECONDS = 60

_lock = threading.Lock()
_cache: dict[int, tuple[tuple, float, LiveSnapshot | None]] = {}


def _marks(program: Program, period_id: int, version) -> tuple:
    """What the figures depend on that a change leaves a trace of."""
    entries = LedgerEntry.objects.filter(installation_id=program.installation_id, period_id=period_id, program=program).aggregate(
        last=Max("id")
    )
    members = ProgramEnrollment.objects.filter(program=program).aggregate(count=Count("id"), changed=Max("updated_at"))
    changes = NetworkChange.objects.filter(installation_id=program.installation_id).aggregate(last=Max("id"))
    return (period_id, version.pk, version.updated_at, entries["last"], members["count"], members["changed"], changes["last"])


def program_live_snapshot(program: Program, *, today: datetime.date | None = None) -> LiveSnapshot | None:
    """The program's live network and figures of the open month, with ranks; None while the
    month has no period yet or the program no plan in force."""
    period_id, starts_on = current_period_start(program.installation_id, today)
    version = plan_in_force(program.installation_id, starts_on, program.pk)
    if period_id is None or version is None:
        return None
    marks = _marks(program, period_id, version)
    with _lock:
        found = _cache.get(program.pk)
        if found is not None and found[0] == marks and time.monotonic() - found[1] < MAX_AGE_SECONDS:
            return found[2]
    snapshot = _compute(program, Period.objects.get(pk=period_id), version)
    with _lock:
        _cache[program.pk] = (marks, time.monotonic(), snapshot)
    return snapshot


def _compute(program: Program, period: Period, version) -> LiveSnapshot:
    plan = plan_of(version)
    now = timezone.now()
    inputs = fetch_program_inputs(period, plan, now, program)
    network = inputs.network()
    result = compute(plan, network, inputs.volumes(), inputs.previous_career.astype(np.int64))
    return LiveSnapshot(
        installation_id=program.installation_id,
        network=network,
        partner_ordinal={int(pk): ordinal for ordinal, pk in enumerate(inputs.partner_pk.tolist())},
        period_id=period.pk,
        period_starts_on=period.starts_on,
        as_of=now,
        ranks=LiveRanks(
            pv=result.pv, gv=result.gv, ov=result.ov, qualified=result.qualified, rank=result.rank, rank_codes=tuple(result.rank_codes)
        ),
    )


def program_next_rank_report(program: Program, partner_id: int) -> NextRankReport | None:
    """The partner's next-rank report in the program's open month; None when it is not a
    member or the program has no figures (see `program_live_snapshot`)."""
    snapshot = program_live_snapshot(program)
    if snapshot is None:
        return None
    version = plan_in_force(program.installation_id, snapshot.period_starts_on, program.pk)
    return build_report(snapshot, plan_of(version), version, partner_id) if version is not None else None


def invalidate(program_id: int | None = None) -> None:
    with _lock:
        if program_id is None:
            _cache.clear()
        else:
            _cache.pop(program_id, None)


@dataclass(frozen=True)
class LiveFigures:
    """A partner's live figures in one program (shown volumes: hundredths)."""

    period_starts_on: datetime.date
    pv: Decimal
    gv: Decimal
    ov: Decimal
    qualified: bool | None  # None without a plan in force
    paid_as_rank: str | None
    as_of: datetime.datetime


def live_figures(program: Program, partner_id: int) -> LiveFigures | None:
    """The partner's PV, GV, OV and paid-as rank in the program's open month: the live
    volumes' for the default program, `program_live_snapshot`'s for another. None when the
    partner is not in the network (or the program has no figures)."""
    snapshot = live_snapshot(program.installation_id, with_ranks=True) if program.is_default else program_live_snapshot(program)
    ordinal = snapshot.ordinal(partner_id) if snapshot is not None else None
    if snapshot is None or ordinal is None or snapshot.ranks is None:
        return None
    ranks = snapshot.ranks
    rank = int(ranks.rank[ordinal]) if ranks.rank is not None else -1
    return LiveFigures(
        period_starts_on=snapshot.period_starts_on,
        pv=_shown(ranks.pv[ordinal]),
        gv=_shown(ranks.gv[ordinal]),
        ov=_shown(ranks.ov[ordinal]),
        qualified=bool(ranks.qualified[ordinal]) if ranks.qualified is not None else None,
        paid_as_rank=ranks.rank_codes[rank] if rank >= 0 else None,
        as_of=snapshot.as_of,
    )


def _shown(hundredths) -> Decimal:
    shown = shown_volume(hundredths, SHOWN_VOLUME_PLACES)
    return shown if shown is not None else Decimal(0)


def next_rank_in(program: Program, partner_id: int) -> NextRankReport | None:
    """The partner's next-rank report in the program (the default's: `next_rank_report`)."""
    if program.is_default:
        return next_rank_report(program.installation_id, partner_id)
    return program_next_rank_report(program, partner_id)
