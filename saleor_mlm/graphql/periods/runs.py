"""Runs of a period: a close, a preview or a what-if comparison, polled for progress."""

from __future__ import annotations

import graphene
from django.utils.translation import pgettext_lazy

from saleor_mlm.periods import RunKind, RunPhase, RunStatus
from saleor_mlm.programs.fetch import default_program
from saleor_mlm.programs.models import Program as ProgramModel

from ..core.connection import CountableConnection
from ..core.i18n import TranslatedString, register_names, resolve_language, translate_name
from ..core.types import JSON
from ..programs.types import Program
from . import dataloaders as loaders
from .enums import RunKindEnum, RunPhaseEnum, RunStatusEnum
from .plans import PlanVersion
from .statistics import Statistics, statistics_of
from .what_if import WhatIfComparison, what_if_of

register_names(
    "run_phase",
    {
        RunPhase.QUEUED: pgettext_lazy("run phase", "Queued"),
        RunPhase.FETCH: pgettext_lazy("run phase", "Reading network and volumes"),
        RunPhase.SNAPSHOT: pgettext_lazy("run phase", "Storing the inputs"),
        RunPhase.COMPUTE: pgettext_lazy("run phase", "Computing"),
        RunPhase.PERSIST: pgettext_lazy("run phase", "Saving the figures"),
        RunPhase.DONE: pgettext_lazy("run phase", "Done"),
    },
)


# Period is named by import path: period.py imports this module, and graphene imports it when
# it builds the schema.
_PERIOD = "saleor_mlm.graphql.periods.period.Period"


class PeriodRun(graphene.ObjectType):
    kind = graphene.Field(RunKindEnum, required=True)
    status = graphene.Field(RunStatusEnum, required=True)
    phase = graphene.Field(RunPhaseEnum, required=True, description="The step it is in; poll `percent` for a progress bar.")
    phase_name = TranslatedString("The phase in the requested language.", required=True)
    percent = graphene.Int(required=True, description="0 to 100.")
    error = graphene.String(description="Why it failed (the end of the traceback); running it again resumes.")
    warnings = graphene.List(graphene.NonNull(graphene.String), required=True)
    period = graphene.Field(_PERIOD, required=True)
    program = graphene.Field(Program, required=True, description="The program whose network and volume it computed.")
    plan_version = graphene.Field(PlanVersion, description="The plan it ran with (what-if: the plan it is compared with).")
    compared_plan_version = graphene.Field(PlanVersion, description="What-if: the plan compared.")
    source_run = graphene.Field(lambda: PeriodRun, description="What-if: the run whose inputs it used.")
    currency = graphene.String()
    network_at = graphene.DateTime(description="Betreuer and split agreements in force at this moment were used.")
    requested_by = graphene.String(required=True)
    attempts = graphene.Int(required=True)
    created_at = graphene.DateTime(required=True)
    started_at = graphene.DateTime()
    finished_at = graphene.DateTime()
    summary = JSON(description="Totals and statistics as stored (see `statistics` for the typed form).")
    statistics = graphene.Field(Statistics, description="Close and preview runs that succeeded.")
    what_if = graphene.Field(WhatIfComparison, description="What-if runs that succeeded.")

    class Meta:
        interfaces = (graphene.relay.Node,)
        description = "One computation of a period: a close, a preview or a what-if comparison. Poll it for progress."

    @staticmethod
    def resolve_phase_name(root, info, language_code=None):
        return translate_name("run_phase", root.phase, resolve_language(info, language_code))

    @staticmethod
    def resolve_error(root, info):
        return root.error or None

    @staticmethod
    def resolve_warnings(root, info):
        return [str(warning) for warning in root.warnings or []]

    @staticmethod
    def resolve_period(root, info):
        return loaders.PeriodByIdLoader(info.context).load(root.period_id)

    @staticmethod
    def resolve_program(root, info):
        if root.program_id is None:
            return default_program(root.installation_id)
        return ProgramModel.objects.get(pk=root.program_id)

    @staticmethod
    def resolve_plan_version(root, info):
        return loaders.PlanVersionByIdLoader(info.context).load(root.plan_version_id)

    @staticmethod
    def resolve_compared_plan_version(root, info):
        return loaders.PlanVersionByIdLoader(info.context).load(root.compared_plan_version_id)

    @staticmethod
    def resolve_source_run(root, info):
        return loaders.PeriodRunByIdLoader(info.context).load(root.source_run_id)

    @staticmethod
    def resolve_currency(root, info):
        return root.currency or None

    @staticmethod
    def resolve_statistics(root, info):
        if root.kind == RunKind.WHAT_IF or root.status != RunStatus.SUCCEEDED:
            return None
        return statistics_of(loaders.PeriodByIdLoader(info.context).load(root.period_id), root)

    @staticmethod
    def resolve_what_if(root, info):
        return what_if_of(root) if root.status == RunStatus.SUCCEEDED else None



class PeriodRunCountableConnection(CountableConnection):
    class Meta:
        node = PeriodRun
