"""Resolvers of the programs' root fields (merchant, MANAGE_ORDERS: checked in schema.py),
scoped to the requestor's installation."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from saleor_mlm.network.models import Partner, ProgramEnrollment
from saleor_mlm.periods import RunKind, RunStatus
from saleor_mlm.periods.models import PartnerPeriodResult
from saleor_mlm.programs.fetch import default_program
from saleor_mlm.programs.models import Program

from ..core.connection import paginate
from ..core.types import decode_id_argument
from ..network.filters import search_partners
from ..network.visibility import Access, viewer_partner
from .types import ProgramCountableConnection, ProgramEnrollmentCountableConnection


def resolve_programs(info, **page):
    """The default program first, then the others by code."""
    installation = info.context.installation
    default_program(installation.pk)  # an installation registered after the migration
    programs = Program.objects.filter(installation=installation)
    return paginate(programs, ProgramCountableConnection, sort_by=["-is_default", "code"], **page)


def resolve_program(info, id=None, code=None):
    installation = info.context.installation
    default_program(installation.pk)
    programs = Program.objects.filter(installation=installation)
    if id is not None:
        programs = programs.filter(pk=decode_id_argument(id, "Program", "id"))
    if code is not None:
        programs = programs.filter(code=code)
    return programs.first() if (id is not None or code is not None) else None


@dataclass(frozen=True)
class Membership:
    """A `MyProgram`: the partner's program, its sponsor there and its latest figures."""

    program: Program
    partner_id: int
    sponsor: object
    access: Access
    period: str | None = None
    settled: bool = False
    qualified: bool | None = None
    paid_as_rank: str | None = None
    career_rank: str | None = None
    pv: Decimal | None = None
    gv: Decimal | None = None
    ov: Decimal | None = None


def resolve_my_programs(info) -> list[Membership]:
    """The viewer's programs (`programs_of_partner`); empty for everyone else."""
    partner = viewer_partner(info.context)
    return programs_of_partner(partner, Access.SELF) if partner is not None else []


def programs_of_partner(partner, access: Access) -> list[Membership]:
    """The partner's programs, the default first, each with its figures of the latest month
    that has some there: the close run of a closed month or the preview of the open one
    (a run that gave way to a newer one is superseded, so it is left out)."""
    default = default_program(partner.installation_id)
    enrollments = ProgramEnrollment.objects.filter(partner=partner).select_related("program", "sponsor").order_by("program_id")
    found = [_my_program(default, partner, partner.sponsor if partner.sponsor_id else None, access)]
    for enrollment in enrollments:
        found.append(_my_program(enrollment.program, partner, enrollment.sponsor, access))
    return found


def _my_program(program: Program, partner, sponsor, access: Access) -> Membership:
    results = PartnerPeriodResult.objects.filter(
        partner=partner, run__status=RunStatus.SUCCEEDED, run__kind__in=[RunKind.CLOSE, RunKind.PREVIEW]
    ).select_related("run__period")
    results = results.filter(run__program__isnull=True) if program.is_default else results.filter(run__program=program)
    row = results.order_by("-run__period__starts_on", "-run_id").first()
    known = {"program": program, "partner_id": partner.pk, "sponsor": sponsor, "access": access}
    if row is None:
        return Membership(**known)
    return Membership(
        period=row.run.period.label,
        settled=row.run.kind == RunKind.CLOSE,
        qualified=row.qualified,
        paid_as_rank=row.paid_as_rank or None,
        career_rank=row.career_rank or None,
        pv=row.pv,
        gv=row.gv,
        ov=row.ov,
        **known,
    )


def resolve_program_members(info, program_id, sponsor_id=None, is_root=None, search=None, **page):
    """The members of a program other than the default (whose members are the partners),
    each with its sponsor there and the number of members it sponsors, by name."""
    installation = info.context.installation
    program = Program.objects.filter(installation=installation, pk=decode_id_argument(program_id, "Program", "programId")).first()
    if program is None or program.is_default:
        return None
    frontline = ProgramEnrollment.objects.filter(program=program, sponsor_id=OuterRef("partner_id")).values("program").annotate(n=Count("pk")).values("n")
    members = (
        ProgramEnrollment.objects.filter(program=program)
        .select_related("partner", "sponsor", "program")
        .annotate(frontline_count=Coalesce(Subquery(frontline), 0), member_last=F("partner__last_name"), member_first=F("partner__first_name"))
    )
    if sponsor_id is not None:
        members = members.filter(sponsor_id=decode_id_argument(sponsor_id, "Partner", "sponsorId"))
    if is_root is not None:
        members = members.filter(sponsor__isnull=is_root)
    if search and search.strip():
        partners = search_partners(Partner.objects.filter(installation=installation), search)
        members = members.filter(partner__in=partners)
    return paginate(members, ProgramEnrollmentCountableConnection, sort_by=["member_last", "member_first", "pk"], **page)
