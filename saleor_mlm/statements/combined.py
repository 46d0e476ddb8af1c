"""A partner's statement of a month over all its partner programs (docs/programs.md,
"Statements").

A shop may run several programs, each with its own plan, network and close run; the
partner is paid once a month for all of them. Its combined statement has a section per
program whose run holds it (each that program's statement, line by line, as
`partner.partner_statement` gives it), their total, and the month's balance, which takes
that total (`payouts.balances`): the credit note and the payout pay it, and the minimum
payout applies to it. With only the default program there is one section, the statement
as it always was.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from saleor_mlm.calendar.error_codes import PeriodErrorCode
from saleor_mlm.calendar.models import Period
from saleor_mlm.core.errors import DomainError
from saleor_mlm.installations.models import Installation
from saleor_mlm.network.models import Partner
from saleor_mlm.periods.actions import standing_runs
from saleor_mlm.periods.models import PartnerPeriodResult
from saleor_mlm.programs.fetch import default_program
from saleor_mlm.programs.texts import program_name

from .partner import AdjustmentLine, Statement, partner_statement


@dataclass(frozen=True)
class ProgramSection:
    program_id: int
    program_code: str
    program_name: str  # in the active language
    is_default: bool
    statement: Statement  # the program's statement (the default program's shows the month's balance too)


@dataclass(frozen=True)
class CombinedStatement:
    period: str
    starts_on: datetime.date
    ends_on: datetime.date
    period_status: str
    currency: str
    partner_id: int
    partner_name: str
    referral_code: str
    sections: tuple[ProgramSection, ...]
    total: Decimal  # the sections' totals added up: what the partner earned in the month
    adjustments: tuple[AdjustmentLine, ...]
    # The month's balance (settled periods), over the total: None for previews.
    carried_in: Decimal | None
    payable: Decimal | None
    paid: Decimal | None
    carried_forward: Decimal | None
    balance_reason: str | None

    def section(self, code: str) -> ProgramSection | None:
        return next((section for section in self.sections if section.program_code == code), None)


def combined_statement(installation: Installation, partner: Partner, period: Period, known: Statement | None = None) -> CombinedStatement:
    """The partner's statement of the month over every program it is in: of the close runs
    once the period is settled, of each program's latest preview while it is open.
    `known`: a statement of one of these runs the caller has already computed (used as is)."""
    if partner.installation_id != installation.pk or period.installation_id != installation.pk:
        raise DomainError(PeriodErrorCode.WRONG_INSTALLATION, _("The partner or the period belongs to another installation."))
    period = Period.objects.get(pk=period.pk)  # as it stands now
    runs = standing_runs(period)
    if not runs or runs[0].program_id is not None:
        raise DomainError(
            PeriodErrorCode.NO_SNAPSHOT, _("Period %(period)s has no figures yet: close or preview it first.") % {"period": period.label}, field="period"
        )
    member_of = set(PartnerPeriodResult.objects.filter(run__in=runs, partner=partner).values_list("run_id", flat=True))
    default = default_program(installation.pk)
    sections = []
    for run in runs:
        if run.pk not in member_of:
            continue
        program = run.program or default
        statement = known if known is not None and known.run_id == run.pk else partner_statement(installation, partner, period, run)
        sections.append(ProgramSection(program.pk, program.code, program_name(program), program.is_default, statement))
    if not sections or not sections[0].is_default:
        raise DomainError(
            PeriodErrorCode.NOT_IN_RUN,
            _("%(partner)s is not part of the %(kind)s run of %(period)s.")
            % {"partner": partner, "kind": runs[0].kind, "period": period.label},
            field="partner",
        )
    # The default program's statement carries the month's balance and adjustments (its run
    # is the period's close run); they are the month's, over every program.
    month = sections[0].statement
    return CombinedStatement(
        period=period.label,
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        period_status=period.status,
        currency=month.currency,
        partner_id=partner.pk,
        partner_name=partner.display_name,
        referral_code=partner.referral_code,
        sections=tuple(sections),
        total=sum((section.statement.total for section in sections), Decimal(0)),
        adjustments=month.adjustments,
        carried_in=month.carried_in,
        payable=month.payable,
        paid=month.paid,
        carried_forward=month.carried_forward,
        balance_reason=month.balance_reason,
    )
