"""The period fields of `Partner` (mixed into `network.types.Partner`).

Access, as in docs/graphql.md: volumes and ranks (and the next-rank report) from downline
access on, so an upline sees them for its downline; money (commissions, statements) only
for the partner itself. The merchant needs MANAGE_ORDERS for any of them: a Dashboard user
with MANAGE_USERS alone gets a PERMISSION_DENIED error on these fields.

A `period` argument is a month (`2026-10`) or a Period id; without it, the open period new
ledger entries go to. Open periods come from the live volumes (fresh on every request);
settled ones from their close run.
"""

from __future__ import annotations

import datetime

import graphene
from django.utils import timezone

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.calendar.actions import month_bounds
from saleor_mlm.network.models import Partner as PartnerModel
from saleor_mlm.periods import RunKind, RunStatus
from saleor_mlm.periods.models import PartnerPeriodResult

from ..core.connection import connection_args, paginate
from ..core.dataloaders import DataLoader
from ..core.permissions import MlmPermission, check_permissions
from ..network.visibility import Access, Visible, partners_below_among, wrap
from . import dataloaders as loaders


def _types():
    from . import types

    return types


def _period_argument():
    return graphene.String(description="A month (YYYY-MM) or a Period id; default: the open period new orders go to.")


def allowed(info, root, minimum: Access) -> bool:
    """Whether the requestor sees these figures of `root`; the merchant needs MANAGE_ORDERS."""
    if root.access == Access.MERCHANT:
        check_permissions(info.context, [MlmPermission.MANAGE_ORDERS])
        return True
    return root.access >= minimum


def _pk(partner) -> int:
    return partner.pk


def _live(info, root, source):
    loader = loaders.LiveVolumesByPartnerIdLoader(info.context, info.context.installation.pk, source.live_period)
    return loader.load_for(root, _pk)


def _stored(info, root, run):
    return loaders.ResultByPartnerIdLoader(info.context, run.pk).load_for(root, _pk)


class NewPartnersByPartnerIdLoader(DataLoader):
    """How many partners enrolled in a month are below each partner (args: the month's
    first day): the month's enrolments in one query, the walk in the live tree."""

    _enrolled: list[int] | None = None

    def batch_load(self, keys):
        if self._enrolled is None:
            # Once per request: `me` and the partners of a page below it are separate batches.
            (starts_on,) = self.args
            first, last = month_bounds(starts_on)
            zone = timezone.get_current_timezone()
            self._enrolled = list(
                PartnerModel.objects.filter(
                    installation=self.context.installation,
                    enrolled_at__gte=datetime.datetime.combine(first, datetime.time.min, zone),
                    enrolled_at__lt=datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, zone),
                ).values_list("pk", flat=True)
            )
        enrolled = self._enrolled
        return {key: len(partners_below_among(self.context, key, enrolled)) if enrolled else 0 for key in keys}


class PartnerPeriodFields:
    paid_as_rank = graphene.Field(
        lambda: _types().Rank,
        period=_period_argument(),
        description="The paid-as rank in a period (live in an open one); null when none holds. Downline access.",
    )
    career_rank = graphene.Field(
        lambda: _types().Rank,
        description="The highest rank reached, as of the latest settled period (it never falls). Downline access.",
    )
    next_rank = graphene.Field(
        lambda: _types().NextRankReport,
        description="The next rank above the paid-as rank in the open period, each requirement with its needed and actual value; "
        "null without a plan in force. Downline access.",
    )
    volumes = graphene.Field(
        lambda: _types().PartnerVolumes,
        period=_period_argument(),
        description="PV, GV, OV (and BV) in a period: live in an open one, as settled in a closed one. Downline access.",
    )
    new_partners = graphene.Int(
        period=_period_argument(),
        description="How many partners below (sponsor and care edges in force) enrolled in a period. Downline access.",
    )
    commissions = graphene.Field(
        lambda: _types().PartnerPeriodResult,
        period=_period_argument(),
        description="Figures and bonuses of a period (of its latest preview while it is open); null while it has none. The partner itself.",
    )
    statement = graphene.Field(
        lambda: _types().Statement,
        period=_period_argument(),
        description="What the partner earned in a period, line by line. The partner itself.",
    )
    programs = graphene.List(
        graphene.NonNull("saleor_mlm.graphql.programs.types.MyProgram"),
        description="The partner programs the partner is a member of, the default first: its sponsor, rank and volumes in each, "
        "live figures and next rank. The partner itself and the merchant.",
    )
    statements = graphene.Field(
        lambda: _types().PartnerPeriodResultCountableConnection,
        description="The partner's figures per period with figures (settled, and previews of open ones), newest first. The partner itself.",
        **connection_args(),
    )

    @staticmethod
    def resolve_paid_as_rank(root, info, period=None):
        if not allowed(info, root, Access.DOWNLINE):
            return None
        source = loaders.figures_source(info, period)
        types = _types()
        if source is None or source.kind == loaders.SourceKind.NONE:
            return None
        if source.kind == loaders.SourceKind.LIVE:
            figures = _live(info, root, source)
            return types.rank_value(figures.rank, loaders.plan_document_of(info, source)) if figures else None
        row = _stored(info, root, source.run)
        return types.rank_value(row.paid_as_rank, source.run.plan_document) if row else None

    @staticmethod
    def resolve_career_rank(root, info):
        if not allowed(info, root, Access.DOWNLINE):
            return None
        found = loaders.CareerRankByPartnerIdLoader(info.context, info.context.installation.pk).load_for(root, _pk)
        return _types().rank_value(*found) if found else None

    @staticmethod
    def resolve_next_rank(root, info):
        if not allowed(info, root, Access.DOWNLINE):
            return None
        report = loaders.NextRankByPartnerIdLoader(info.context, info.context.installation.pk).load_for(root, _pk)
        if report is None:
            return None
        return _types().next_rank_of(report, report.plan_document)

    @staticmethod
    def resolve_volumes(root, info, period=None):
        if not allowed(info, root, Access.DOWNLINE):
            return None
        source = loaders.figures_source(info, period)
        if source is None or source.kind == loaders.SourceKind.NONE:
            return None
        types = _types()
        status = source.period.status if source.period else None
        if source.kind == loaders.SourceKind.LIVE:
            figures = _live(info, root, source)
            if figures is None:
                return None
            return types.PartnerVolumes(
                period=source.label,
                period_status=status,
                live=True,
                **{key: getattr(figures, key) for key in ("pv", "gv", "ov", "pbv", "gbv", "obv", "qualified")},
                paid_as_rank=types.rank_value(figures.rank, loaders.plan_document_of(info, source)),
                as_of=figures.as_of,
            )
        row = _stored(info, root, source.run)
        if row is None:
            return None
        return types.PartnerVolumes(
            period=source.label,
            period_status=status,
            live=False,
            **{key: types.volume(getattr(row, key)) for key in ("pv", "gv", "ov", "pbv", "gbv", "obv")},
            qualified=row.qualified,
            paid_as_rank=types.rank_value(row.paid_as_rank, source.run.plan_document),
            as_of=None,
        )

    @staticmethod
    def resolve_new_partners(root, info, period=None):
        if not allowed(info, root, Access.DOWNLINE):
            return None
        source = loaders.figures_source(info, period)
        if source is None:
            return None
        return NewPartnersByPartnerIdLoader(info.context, source.starts_on).load_for(root, _pk)

    @staticmethod
    def resolve_commissions(root, info, period=None):
        if not allowed(info, root, Access.SELF):
            return None
        source = loaders.figures_source(info, period)
        if source is None or source.period is None:
            return None
        run = loaders.StandingRunByPeriodIdLoader(info.context).load(source.period.pk)
        if run is None:
            return None
        row = _stored(info, root, run)
        return Visible(row, root.access) if row else None

    @staticmethod
    def resolve_statement(root, info, period=None):
        if not allowed(info, root, Access.SELF):
            return None
        source = loaders.figures_source(info, period)
        if source is None or source.period is None:
            return None
        from .resolvers import statement_view

        return statement_view(info, root.node, source.period, root.access)

    @staticmethod
    def resolve_programs(root, info):
        if not allowed(info, root, Access.SELF):
            return None
        from ..programs.resolvers import programs_of_partner

        return programs_of_partner(root.node, root.access)

    @staticmethod
    def resolve_statements(root, info, **page):
        if not allowed(info, root, Access.SELF):
            return None
        from django.db.models import F, Q

        standing = Q(run__period__close_run=F("run"), run__period__status__in=PeriodStatus.SETTLED) | Q(
            run__period__status=PeriodStatus.OPEN, run__kind=RunKind.PREVIEW, run__status=RunStatus.SUCCEEDED, run__program__isnull=True
        )  # the default program's (another program's previews are its own statements)
        rows = (
            PartnerPeriodResult.objects.filter(standing, partner_id=root.pk)
            .select_related("run")
            .annotate(period_starts_on=F("run__period__starts_on"))
        )
        # An open period keeps only its latest successful preview (older ones are superseded).
        return paginate(
            rows,
            _types().PartnerPeriodResultCountableConnection,
            sort_by=["-period_starts_on", "-run_id"],
            wrap=lambda found: wrap(found, root.access),
            **page,
        )
