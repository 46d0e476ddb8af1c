"""Loaders of the periods part (see core/dataloaders.py for how they batch), and where a
partner's figures of a period come from (`figures_source`)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.calendar.models import Period
from saleor_mlm.live import volumes as live
from saleor_mlm.payouts.models import PartnerBalance
from saleor_mlm.periods import RunKind, RunStatus
from saleor_mlm.periods.models import PartnerPeriodResult, PeriodRun
from saleor_mlm.periods.next_rank import next_rank_reports
from saleor_mlm.plans import PlanStatus
from saleor_mlm.plans.models import PlanVersion

from ..core.dataloaders import DataLoader
from ..core.types import InvalidArgument, decode_global_id

MONTH = re.compile(r"^\d{4}-\d{2}$")


class PeriodByIdLoader(DataLoader):
    def batch_load(self, keys):
        return Period.objects.in_bulk(keys)


class PeriodRunByIdLoader(DataLoader):
    def batch_load(self, keys):
        return PeriodRun.objects.in_bulk(keys)


class PlanVersionByIdLoader(DataLoader):
    def batch_load(self, keys):
        return PlanVersion.objects.in_bulk(keys)


class StandingRunByPeriodIdLoader(DataLoader):
    """The run whose figures a reader sees (`periods.actions.standing_run`): the close
    run of a settled period, the latest successful preview of an open one."""

    def batch_load(self, keys):
        periods = Period.objects.in_bulk(keys)
        close_ids = {period.close_run_id: pk for pk, period in periods.items() if period.close_run_id}
        result = {close_ids[run.pk]: run for run in PeriodRun.objects.filter(pk__in=list(close_ids))}
        rest = [pk for pk in keys if pk not in result]
        previews = PeriodRun.objects.filter(
            period_id__in=rest, kind=RunKind.PREVIEW, status=RunStatus.SUCCEEDED, program__isnull=True
        ).order_by("period_id", "-id")
        for run in previews:
            result.setdefault(run.period_id, run)
        return result


class LatestRunByPeriodIdLoader(DataLoader):
    """The latest close or preview run of a period (for progress), whatever its status."""

    def batch_load(self, keys):
        runs = PeriodRun.objects.filter(period_id__in=keys, kind__in=[RunKind.CLOSE, RunKind.PREVIEW], program__isnull=True).order_by(
            "period_id", "-id"
        )
        result = {}
        for run in runs:
            result.setdefault(run.period_id, run)
        return result


class PlanInForceByMonthLoader(DataLoader):
    """The default program's active plan version in force on the first day of a month
    (args: installation id): the latest start on or before it (`plans.fetch.plan_in_force`),
    one query."""

    def batch_load(self, keys):
        (installation_id,) = self.args
        versions = list(
            PlanVersion.objects.filter(
                installation_id=installation_id, program__is_default=True, status=PlanStatus.ACTIVE, in_force_from__lte=max(keys)
            ).order_by("-in_force_from")
        )
        return {key: next((version for version in versions if version.in_force_from <= key), None) for key in keys}


class ResultByPartnerIdLoader(DataLoader):
    """A partner's row of a run (args: run id), with the run attached."""

    def batch_load(self, keys):
        (run_id,) = self.args
        run = PeriodRunByIdLoader(self.context).load(run_id)
        rows = {}
        for row in PartnerPeriodResult.objects.filter(run_id=run_id, partner_id__in=keys):
            row.run = run
            rows[row.partner_id] = row
        return rows


class BalanceByPartnerIdLoader(DataLoader):
    """A partner's balance of a period (args: period id)."""

    def batch_load(self, keys):
        (period_id,) = self.args
        return {row.partner_id: row for row in PartnerBalance.objects.filter(period_id=period_id, partner_id__in=keys)}


class LiveVolumesByPartnerIdLoader(DataLoader):
    """A partner's live volumes (args: installation id, the open period or None for the
    one new entries go to). Partners the live network does not hold yet: None."""

    def batch_load(self, keys):
        installation_id, period = self.args
        try:
            return live.live_volumes_bulk(installation_id, keys, period=period)
        except live.LiveVolumeError:
            found = {}
            for key in keys:
                try:
                    found.update(live.live_volumes_bulk(installation_id, [key], period=period))
                except live.LiveVolumeError:
                    pass
            return found


class NextRankByPartnerIdLoader(DataLoader):
    """A partner's next-rank report in the open period (args: installation id)."""

    def batch_load(self, keys):
        (installation_id,) = self.args
        return next_rank_reports(installation_id, keys)


class CareerRankByPartnerIdLoader(DataLoader):
    """(career rank code, plan document) of the latest settled period's close run (args:
    installation id). Partners without a row there: None."""

    def batch_load(self, keys):
        (installation_id,) = self.args
        period = (
            Period.objects.filter(installation_id=installation_id, status__in=PeriodStatus.SETTLED, close_run__isnull=False)
            .select_related("close_run")
            .order_by("-starts_on")
            .first()
        )
        if period is None:
            return {}
        rows = PartnerPeriodResult.objects.filter(run_id=period.close_run_id, partner_id__in=keys).values_list("partner_id", "career_rank")
        return {pk: (code, period.close_run.plan_document) for pk, code in rows}


# ---------------------------------------------------------------------------- sources


class SourceKind:
    LIVE = "live"  # an open period: the live volumes
    STORED = "stored"  # a settled period: its close run's rows
    NONE = "none"  # no such period, or no figures yet


@dataclass(frozen=True)
class FiguresSource:
    """Where a partner's figures of one period come from."""

    kind: str
    starts_on: datetime.date
    period: Period | None = None
    live_period: Period | None = None  # the live state's key: None for the current period
    run: PeriodRun | None = None

    @property
    def label(self) -> str:
        return f"{self.starts_on:%Y-%m}"


def parse_period_argument(info, value: str | None, argument: str = "period") -> tuple[Period | None, datetime.date | None]:
    """`"2026-10"` or a Period id -> (the installation's period or None, its first day)."""
    if value is None:
        return None, None
    text = value.strip()
    installation = info.context.installation
    if MONTH.match(text):
        try:
            starts_on = datetime.date.fromisoformat(f"{text}-01")
        except ValueError:
            raise InvalidArgument(f"`{argument}` is not a month (YYYY-MM).", argument) from None
        return Period.objects.filter(installation=installation, starts_on=starts_on).first(), starts_on
    pk = decode_global_id(text, "Period")
    if pk is None:
        raise InvalidArgument(f"`{argument}` is neither a month (YYYY-MM) nor the id of a Period.", argument)
    period = PeriodByIdLoader(info.context).load(pk)
    if period is None or period.installation_id != installation.pk:
        return None, None
    return period, period.starts_on


def figures_source(info, value: str | None) -> FiguresSource | None:
    """The source of a period argument (default: the open period new entries go to),
    once per request and argument. None for an unknown period."""
    key = ("figures_source", value)
    loaders = info.context.loaders
    if key not in loaders:
        loaders[key] = _figures_source(info, value)
    return loaders[key]


def _figures_source(info, value: str | None) -> FiguresSource | None:
    installation = info.context.installation
    current_id, current_start = live.current_period_start(installation.pk)
    period, starts_on = parse_period_argument(info, value)
    if value is None:
        period = PeriodByIdLoader(info.context).load(current_id) if current_id else None
        starts_on = current_start
    if starts_on is None:
        return None
    if period is None:
        if starts_on == current_start:
            return FiguresSource(SourceKind.LIVE, starts_on)
        return FiguresSource(SourceKind.NONE, starts_on)
    if period.status == PeriodStatus.OPEN:
        return FiguresSource(SourceKind.LIVE, starts_on, period=period, live_period=None if period.pk == current_id else period)
    run = StandingRunByPeriodIdLoader(info.context).load(period.pk)
    if run is None or run.status != RunStatus.SUCCEEDED:
        return FiguresSource(SourceKind.NONE, starts_on, period=period)
    return FiguresSource(SourceKind.STORED, starts_on, period=period, run=run)


def plan_document_of(info, source: FiguresSource) -> dict | None:
    """The plan document that names the ranks of a source."""
    if source.run is not None:
        return source.run.plan_document
    version = PlanInForceByMonthLoader(info.context, info.context.installation.pk).load(source.starts_on)
    return version.document if version else None
