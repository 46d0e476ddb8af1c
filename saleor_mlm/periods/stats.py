"""Monthly statistics of a run, stored in `PeriodRun.summary` when it is persisted.

- partners: enrolled by the end of the period, by status (active / inactive / terminated
  as set by the company), and by the plan's sense of active: qualified or not;
- enrollments: partners enrolled in the period; new customers created in it;
- partners per paid-as rank and per career rank;
- volume: own PV and BV of everybody (refunds included);
- payout: bonuses per kind, their total, and the payout ratio (total / BV);
- balances (close runs): paid, carried forward, held, below the minimum, negative.

Decimals are strings; counts are integers.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from django.db.models import Count

from saleor_mlm.calendar.models import Period
from saleor_mlm.engine import BONUS_KINDS
from saleor_mlm.engine.volumes import SHOWN_VOLUME_PLACES, VOLUME_PLACES, shown_volume_units
from saleor_mlm.network.models import Customer, Partner

from .compute import Figures


def _text(units: int, places: int) -> str:
    return str(Decimal(int(units)).scaleb(-places).quantize(Decimal(1).scaleb(-places)))


def _ratio(part: int, part_places: int, whole: int, whole_places: int) -> str | None:
    """part / whole as a percentage with 2 decimals (None when whole is 0)."""
    if not whole:
        return None
    value = Decimal(part).scaleb(-part_places) / Decimal(whole).scaleb(-whole_places) * 100
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _end(period: Period) -> datetime.datetime:
    return datetime.datetime.combine(period.ends_on + datetime.timedelta(days=1), datetime.time.min, tzinfo=datetime.UTC)


def _start(period: Period) -> datetime.datetime:
    return datetime.datetime.combine(period.starts_on, datetime.time.min, tzinfo=datetime.UTC)


def _rank_counts(codes: tuple[str, ...], ranks: np.ndarray) -> dict[str, int]:
    counts = np.bincount(ranks.astype(np.int64) + 1, minlength=len(codes) + 1)
    return {code: int(counts[index + 1]) for index, code in enumerate(codes)}


def build_summary(period: Period, figures: Figures, sections: dict | None = None) -> dict:
    """The run's summary; `sections` from a close run's steps (`periods.steps`: the balances)."""
    places = figures.minor_digits
    start, end = _start(period), _end(period)
    partners = Partner.objects.filter(installation_id=period.installation_id, enrolled_at__lt=end)
    statuses = dict(partners.values_list("status").annotate(n=Count("id")).order_by())
    enrolled = sum(statuses.values())
    qualified = int(figures.qualified.sum())
    bonus_units = {kind: int(figures.bonuses[kind].sum()) for kind in BONUS_KINDS}
    total = int(figures.total.sum())
    bv_units = figures.own_bv_total  # at scale 10^VOLUME_PLACES
    summary = {
        "totals": {
            **{kind: _text(units, places) for kind, units in bonus_units.items()},
            "total": _text(total, places),
            "pv": _text(shown_volume_units(figures.own_pv_total, VOLUME_PLACES), SHOWN_VOLUME_PLACES),
            "bv": _text(shown_volume_units(bv_units, VOLUME_PLACES), SHOWN_VOLUME_PLACES),
        },
        "statistics": {
            "partners": enrolled,
            "statuses": {status: int(count) for status, count in statuses.items()},
            "qualified": qualified,
            "not_qualified": max(enrolled - qualified, 0),
            "enrollments": Partner.objects.filter(installation_id=period.installation_id, enrolled_at__gte=start, enrolled_at__lt=end).count(),
            "new_customers": Customer.objects.filter(installation_id=period.installation_id, created_at__gte=start, created_at__lt=end).count(),
            "paid_as_ranks": _rank_counts(figures.rank_codes, figures.rank),
            "career_ranks": _rank_counts(figures.rank_codes, figures.career_rank),
            "rank_overrides": int(figures.overridden.sum()),
            "earning_partners": int((figures.total != 0).sum()),
            "payout_ratio": _ratio(total, places, bv_units, 4),
        },
        "currency": figures.currency,
        "exact_partners": figures.exact_partners,
    }
    summary.update(sections or {})
    return summary


def balance_summary(settled, places: int, reason_codes: list[str]) -> dict:
    counts = np.bincount(settled.reason.astype(np.int64), minlength=len(reason_codes))
    reasons = {reason_codes[index]: int(count) for index, count in enumerate(counts.tolist()) if count}
    return {
        "partners": int(settled.payable.size),
        "payable": _text(int(settled.payable.sum()), places),
        "paid": _text(int(settled.paid.sum()), places),
        "carried_forward": _text(int(settled.carried_forward.sum()), places),
        "reasons": reasons,
    }
