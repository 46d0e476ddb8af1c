"""A partner's statement of a period: what it earned, line by line and why.

The partner itself and the merchant. The domain computes it (`saleor_mlm.statements`);
these types show it, with the lines paged (`statement_lines.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import graphene

from saleor_mlm.calendar.models import Period as PeriodModel
from saleor_mlm.core.errors import DomainError
from saleor_mlm.credit_notes.fetch import in_force_credit_note
from saleor_mlm.network.models import Partner as PartnerModel
from saleor_mlm.periods.actions import standing_runs
from saleor_mlm.periods.texts import bonus_name
from saleor_mlm.programs.fetch import default_program
from saleor_mlm.programs.models import Program
from saleor_mlm.statements.combined import combined_statement
from saleor_mlm.statements.exports import write_statement_lines_csv
from saleor_mlm.statements.partner import Statement as DomainStatement

from ..core.i18n import TranslatedString, resolve_language
from ..core.validation import register_field_cost
from ..network import dataloaders as network_loaders
from ..network.types import Partner
from ..network.visibility import Access, Visible
from . import dataloaders as loaders
from .enums import BalanceReasonEnum, BonusKindEnum, RunKindEnum
from .formats import volume
from .ranks import Rank, rank_value
from .statement_lines import (
    StatementLine,
    StatementLineCountableConnection,
    StatementLineGroup,
    group_values,
    line_value,
    resolve_statement_lines,
    statement_lines_args,
)

# A statement is recomputed from the run's snapshot over the partner's downline; a period's
# CSV covers every partner. At most 24 statements, or 5 CSV texts, fit in one operation.
STATEMENT_COST = 2_000
CSV_COST = 10_000
for _type, _field, _cost in (
    ("Partner", "statement", STATEMENT_COST),
    ("PartnerPeriodResult", "statement", STATEMENT_COST),
    ("Query", "statement", STATEMENT_COST),
    ("Statement", "sections", STATEMENT_COST),
    ("Period", "statementsCsv", CSV_COST),
):
    register_field_cost(_type, _field, _cost)


# Period is named by import path: period.py imports this module, and graphene imports it when
# it builds the schema.
_PERIOD = "saleor_mlm.graphql.periods.period.Period"
_PROGRAM = "saleor_mlm.graphql.programs.types.Program"


class _Lines:
    """`StatementBonus.lines`, computed only when the field is asked for."""

    def __init__(self, group):
        self.group = group

    def __iter__(self):
        return iter([line_value(line) for line in self.group.lines])


class StatementBonus(graphene.ObjectType):
    kind = graphene.Field(BonusKindEnum, required=True)
    kind_name = TranslatedString("The bonus in the requested language.", required=True)
    amount = graphene.Decimal(required=True, description="As paid: the lines' sum rounded once, half up.")
    line_total = graphene.Decimal(required=True, description="The sum of the lines, to 6 decimal places (half up); rounded to the currency it is `amount`.")
    line_count = graphene.Int(required=True, description="How many lines the bonus has.")
    groups = graphene.List(graphene.NonNull(StatementLineGroup), required=True, description="The lines by level (level bonus), generation (generation bonus) or rate (difference bonus): count, volume, amount.")
    lines = graphene.List(
        graphene.NonNull(StatementLine),
        required=True,
        description="Every line of the bonus, exact. A leader's statement has a line per partner below it: page with `Statement.lines` instead.",
    )

    @staticmethod
    def resolve_kind_name(root, info, language_code=None):
        return bonus_name(root.kind, resolve_language(info, language_code))


class StatementAdjustment(graphene.ObjectType):
    amount = graphene.Decimal(required=True)
    reason = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)


class StatementSection(graphene.ObjectType):
    program = graphene.Field(_PROGRAM, required=True)
    total = graphene.Decimal(required=True, description="What the partner earned in the program in the month (`statement.total`).")
    statement = graphene.Field(lambda: Statement, required=True, description="The program's statement: its figures, bonuses and lines.")

    class Meta:
        description = "One partner program's part of a partner's statement of a month."


class Statement(graphene.ObjectType):
    period = graphene.Field(_PERIOD, required=True)
    partner = graphene.Field(Partner, required=True)
    program = graphene.Field(_PROGRAM, required=True, description="The partner program whose figures these are.")
    sections = graphene.List(
        graphene.NonNull(StatementSection),
        required=True,
        description=(
            "The month over every partner program the partner is in, the default program first: a section per program with "
            "its statement. On the default program's statement of a period (`statement`, `Partner.statement`); any other "
            "statement (a program's, an older preview's) is its own only section."
        ),
    )
    combined_total = graphene.Decimal(
        required=True,
        description="The sections' totals added up: what the partner earned in the month over all programs. The month's balance (payable, carried forward) takes it.",
    )
    run_kind = graphene.Field(RunKindEnum, required=True, description="CLOSE once settled; PREVIEW while the period is open.")
    currency = graphene.String(required=True)
    pv = graphene.Decimal(required=True)
    gv = graphene.Decimal(required=True)
    ov = graphene.Decimal(required=True)
    pbv = graphene.Decimal(required=True)
    qualified = graphene.Boolean(required=True)
    calculated_rank = graphene.Field(Rank)
    paid_as_rank = graphene.Field(Rank)
    career_rank = graphene.Field(Rank)
    previous_career_rank = graphene.Field(Rank)
    rank_overridden = graphene.Boolean(required=True)
    override_reason = graphene.String(description="Merchant only.")
    bonuses = graphene.List(graphene.NonNull(StatementBonus), required=True, description="Each bonus with its groups and the lines that explain it.")
    lines = graphene.Field(
        StatementLineCountableConnection,
        required=True,
        description="The lines of every bonus (or of `kind`) in pages, by amount, largest first; only the page is computed.",
        **statement_lines_args(),
    )
    total = graphene.Decimal(required=True, description="What the partner earned in this statement's program.")
    adjustments = graphene.List(
        graphene.NonNull(StatementAdjustment),
        required=True,
        description="The month's adjustments (on the default program's statement; empty on another program's).",
    )
    carried_in = graphene.Decimal(
        description="The month's balance over all programs (on the default program's statement of a settled month)."
    )
    payable = graphene.Decimal(description="`combinedTotal` with the carried-in balance and the adjustments, as payable (settled months).")
    paid = graphene.Decimal()
    carried_forward = graphene.Decimal()
    balance_reason = graphene.Field(BalanceReasonEnum)
    lines_csv = graphene.String(required=True, description="The lines as CSV (bonus, source, level, volume, rate, amount).")
    credit_note = graphene.Field(
        "saleor_mlm.graphql.credit_notes.types.CreditNote",
        description="The credit note (or commission statement) in force that pays this statement; null before the commit.",
    )

    class Meta:
        description = "What a partner earned in a period, line by line and why. The partner itself and the merchant."

    @staticmethod
    def resolve_period(root, info):
        return loaders.PeriodByIdLoader(info.context).load(root.period_id)

    @staticmethod
    def resolve_program(root, info):
        return root.program

    @staticmethod
    def resolve_sections(root, info):
        return [StatementSection(program=view.program, total=view.statement.total, statement=view) for view in combined_views(root)]

    @staticmethod
    def resolve_combined_total(root, info):
        return sum((view.statement.total for view in combined_views(root)), Decimal(0))

    @staticmethod
    def resolve_credit_note(root, info):
        return in_force_credit_note(root.period_id, root.statement.partner_id)

    @staticmethod
    def resolve_partner(root, info):
        partner = network_loaders.PartnerByIdLoader(info.context).load(root.statement.partner_id)
        return Visible(partner, root.access) if partner else None

    resolve_run_kind = staticmethod(lambda root, info: root.statement.run_kind)
    resolve_currency = staticmethod(lambda root, info: root.statement.currency)
    resolve_pv = staticmethod(lambda root, info: volume(root.statement.pv))
    resolve_gv = staticmethod(lambda root, info: volume(root.statement.gv))
    resolve_ov = staticmethod(lambda root, info: volume(root.statement.ov))
    resolve_pbv = staticmethod(lambda root, info: volume(root.statement.pbv))
    resolve_qualified = staticmethod(lambda root, info: root.statement.qualified)
    resolve_calculated_rank = staticmethod(lambda root, info: rank_value(root.statement.calculated_rank, root.plan_document))
    resolve_paid_as_rank = staticmethod(lambda root, info: rank_value(root.statement.paid_as_rank, root.plan_document))
    resolve_career_rank = staticmethod(lambda root, info: rank_value(root.statement.career_rank, root.plan_document))
    resolve_previous_career_rank = staticmethod(lambda root, info: rank_value(root.statement.previous_career_rank, root.plan_document))
    resolve_rank_overridden = staticmethod(lambda root, info: root.statement.rank_overridden)
    resolve_total = staticmethod(lambda root, info: root.statement.total)
    resolve_carried_in = staticmethod(lambda root, info: root.statement.carried_in)
    resolve_payable = staticmethod(lambda root, info: root.statement.payable)
    resolve_paid = staticmethod(lambda root, info: root.statement.paid)
    resolve_carried_forward = staticmethod(lambda root, info: root.statement.carried_forward)
    resolve_balance_reason = staticmethod(lambda root, info: root.statement.balance_reason or None)

    @staticmethod
    def resolve_override_reason(root, info):
        return (root.statement.override_reason or None) if root.access >= Access.MERCHANT else None

    @staticmethod
    def resolve_bonuses(root, info):
        return [
            StatementBonus(kind=group.kind, amount=group.amount, line_total=group.line_total, line_count=group.line_count, groups=group_values(group), lines=_Lines(group))
            for group in root.statement.groups
        ]

    @staticmethod
    def resolve_lines(root, info, **page):
        return resolve_statement_lines(root.statement, **page)

    @staticmethod
    def resolve_adjustments(root, info):
        if not root.program.is_default:
            return []
        return [StatementAdjustment(amount=a.amount, reason=a.reason, created_at=a.created_at) for a in root.statement.adjustments]

    @staticmethod
    def resolve_lines_csv(root, info):
        import io

        handle = io.StringIO()
        write_statement_lines_csv(root.statement, handle)
        return handle.getvalue()


@dataclass
class StatementView:
    """A domain `Statement` with what the API needs around it."""

    statement: DomainStatement
    period_id: int
    plan_document: dict | None
    access: Access
    program: Program
    sections: list[StatementView] | None = None  # combined_views, once asked for


def combined_views(view: StatementView) -> list[StatementView]:
    """The sections of the month (`statements.combined`) when `view` is the default
    program's statement of the period's standing runs; else the view alone."""
    if view.sections is None:
        view.sections = _combined_views(view)
    return view.sections


def _combined_views(view: StatementView) -> list[StatementView]:
    if not view.program.is_default:
        return [view]
    period = PeriodModel.objects.select_related("installation").get(pk=view.period_id)
    runs = standing_runs(period)
    if len(runs) < 2 or runs[0].pk != view.statement.run_id:
        return [view]  # one program, or not the month's standing statement
    partner = PartnerModel.objects.get(installation_id=period.installation_id, pk=view.statement.partner_id)
    try:
        combined = combined_statement(period.installation, partner, period, known=view.statement)
    except DomainError:
        return [view]
    plans = {run.pk: run.plan_document for run in runs}
    programs = Program.objects.in_bulk([section.program_id for section in combined.sections])
    return [
        view
        if section.statement.run_id == view.statement.run_id
        else StatementView(
            section.statement, view.period_id, plans.get(section.statement.run_id), view.access, programs[section.program_id]
        )
        for section in combined.sections
    ]


def program_of(installation_id: int, program_id: int | None) -> Program:
    """A run's program: its own, or the installation's default for null."""
    return default_program(installation_id) if program_id is None else Program.objects.get(pk=program_id)
