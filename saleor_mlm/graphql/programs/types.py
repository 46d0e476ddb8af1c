"""Partner programs (MANAGE_ORDERS, checked on the root fields)."""

from __future__ import annotations

import graphene
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from saleor_mlm.ledger.models import VolumeSettings
from saleor_mlm.network.models import Partner as PartnerModel
from saleor_mlm.periods import program_live
from saleor_mlm.plans.fetch import plan_in_force
from saleor_mlm.programs import DEFAULT_NAME, ProductScope

from ..core.connection import CountableConnection
from ..core.i18n import TranslatedString, register_names, resolve_language, translate_name
from ..network.types import Partner
from ..network.visibility import Access, Visible
from ..periods.ranks import NextRankReport, Rank, next_rank_of, rank_value
from .enums import ProductScopeEnum

# PlanVersion by import path: plans.py imports this module.
_PLAN_VERSION = "saleor_mlm.graphql.periods.plans.PlanVersion"

# The name the default program is given (programs.DEFAULT_NAME); merchants name the others.
register_names("program", {DEFAULT_NAME: pgettext_lazy("program", "Partner program")})


class VolumeSource(graphene.ObjectType):
    products = graphene.Field(ProductScopeEnum, required=True)
    product_type_ids = graphene.List(graphene.NonNull(graphene.ID), required=True, description="Saleor product type ids (LISTED).")
    category_ids = graphene.List(graphene.NonNull(graphene.ID), required=True, description="Saleor category ids (LISTED).")
    collection_ids = graphene.List(graphene.NonNull(graphene.ID), required=True, description="Saleor collection ids (LISTED).")
    pv_metadata_key = graphene.String(required=True, description="Product or variant metadata key of the program's PV per unit.")
    bv_metadata_key = graphene.String(required=True, description="Product or variant metadata key of the program's BV per unit.")

    class Meta:
        description = (
            "Which order lines count in the program and where their volume per unit is read. The program's keys "
            "(`mlm.<code>.pv`) are read first, then the installation's (`mlm.pv`)."
        )


class Program(graphene.ObjectType):
    code = graphene.String(required=True, description="Unique in the shop: lower-case letters, digits, hyphens.")
    name = graphene.String(required=True, description="The merchant's name of the program.")
    display_name = TranslatedString("The name in the requested language (the default program's name is translated).", required=True)
    is_default = graphene.Boolean(
        required=True,
        description="The program that holds what the shop had before programs: the partner table's genealogy and all earlier volume.",
    )
    volume_source = graphene.Field(VolumeSource, required=True)
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    member_count = graphene.Int(required=True, description="Its members: every partner in the default program, the enrolled partners in any other.")
    plan_in_force = graphene.Field(_PLAN_VERSION, description="The program's active plan version in force today; null without one.")

    class Meta:
        interfaces = (graphene.relay.Node,)
        description = "A partner program: its own plan versions, members and volume source; paid together with the others each month."

    @staticmethod
    def resolve_display_name(root, info, language_code=None):
        return translate_name("program", root.name, resolve_language(info, language_code), default=root.name)

    @staticmethod
    def resolve_member_count(root, info):
        if root.is_default:
            return PartnerModel.objects.filter(installation_id=root.installation_id).count()
        return root.enrollments.count()

    @staticmethod
    def resolve_plan_in_force(root, info):
        return plan_in_force(root.installation_id, timezone.localdate(), root.pk)

    @staticmethod
    def resolve_volume_source(root, info):
        # The installation's keys; a shop that never saved its settings has the defaults.
        settings = VolumeSettings.objects.filter(installation_id=root.installation_id).first() or VolumeSettings()
        listed = root.products == ProductScope.LISTED
        return VolumeSource(
            products=root.products,
            product_type_ids=list(root.product_type_ids) if listed else [],
            category_ids=list(root.category_ids) if listed else [],
            collection_ids=list(root.collection_ids) if listed else [],
            pv_metadata_key=root.pv_key(settings.pv_metadata_key),
            bv_metadata_key=root.bv_key(settings.bv_metadata_key),
        )


class ProgramCountableConnection(CountableConnection):
    class Meta:
        node = Program


class ProgramEnrollment(graphene.ObjectType):
    program = graphene.Field(Program, required=True)
    partner = graphene.Field(Partner, required=True)
    sponsor = graphene.Field(Partner, description="Its sponsor in the program; null at the top.")
    care_partner = graphene.Field(Partner, description="Its Betreuer in the program; null when none.")
    care_share = graphene.Decimal(description="The Betreuer's share of its volume there (0 to 1); null without a Betreuer.")
    enrolled_at = graphene.DateTime(required=True)
    frontline_count = graphene.Int(required=True, description="The members whose sponsor in the program it is.")

    class Meta:
        description = "A partner's membership of a program other than the default: its sponsor there (MANAGE_USERS)."

    @staticmethod
    def resolve_partner(root, info):
        return Visible(root.partner, Access.MERCHANT)

    @staticmethod
    def resolve_sponsor(root, info):
        return Visible(root.sponsor, Access.MERCHANT) if root.sponsor_id else None

    @staticmethod
    def resolve_care_partner(root, info):
        return Visible(root.care_partner, Access.MERCHANT) if root.care_partner_id else None

    @staticmethod
    def resolve_frontline_count(root, info):
        counted = getattr(root, "frontline_count", None)
        if counted is not None:
            return counted
        return type(root).objects.filter(program_id=root.program_id, sponsor_id=root.partner_id).count()


class ProgramEnrollmentCountableConnection(CountableConnection):
    class Meta:
        node = ProgramEnrollment


class ProgramLiveFigures(graphene.ObjectType):
    period = graphene.String(required=True, description="The open month (YYYY-MM) the figures are of.")
    pv = graphene.Decimal(required=True, description="Personal volume in the program.")
    gv = graphene.Decimal(required=True, description="Group volume in the program.")
    ov = graphene.Decimal(required=True, description="Open volume in the program; GV for a plan without breakaways.")
    qualified = graphene.Boolean(description="Null while the program has no plan in force.")
    paid_as_rank = graphene.Field(Rank, description="The rank the figures give now; null when none.")
    as_of = graphene.DateTime(required=True, description="Everything committed before this moment is in the figures.")

    class Meta:
        description = "A partner's live figures in one program's open month, fresh for the request."


class MyProgram(graphene.ObjectType):
    program = graphene.Field(Program, required=True)
    sponsor = graphene.Field(Partner, description="The partner's sponsor in the program; null at the top.")
    period = graphene.String(
        description="YYYY-MM of the figures: the latest month with figures in the program (closed or previewed); null before any."
    )
    settled = graphene.Boolean(required=True, description="The figures are a closed month's; false: a preview of the open month.")
    qualified = graphene.Boolean()
    paid_as_rank = graphene.String(description="The plan's rank code the month pays as; null when none.")
    career_rank = graphene.String(description="The highest rank reached in the program; null when none.")
    pv = graphene.Decimal(description="Personal volume in the program.")
    gv = graphene.Decimal(description="Group volume in the program.")
    ov = graphene.Decimal(description="Organisation volume in the program.")
    live = graphene.Field(
        ProgramLiveFigures,
        description="PV, GV, OV and the rank in the program's open month, live; null without a plan in force or before the month has a period.",
    )
    next_rank = graphene.Field(
        NextRankReport,
        description="How far the partner is from its next rank in the program's open month, with what is missing per requirement.",
    )

    class Meta:
        description = "A program a partner is a member of, with its rank and volumes there (the partner itself and the merchant)."

    @staticmethod
    def resolve_sponsor(root, info):
        return Visible(root.sponsor, root.access) if root.sponsor is not None else None

    @staticmethod
    def resolve_live(root, info):
        figures = program_live.live_figures(root.program, root.partner_id)
        if figures is None:
            return None
        document = _plan_document(root.program, figures.period_starts_on)
        return ProgramLiveFigures(
            period=f"{figures.period_starts_on:%Y-%m}",
            pv=figures.pv,
            gv=figures.gv,
            ov=figures.ov,
            qualified=figures.qualified,
            paid_as_rank=rank_value(figures.paid_as_rank, document),
            as_of=figures.as_of,
        )

    @staticmethod
    def resolve_next_rank(root, info):
        report = program_live.next_rank_in(root.program, root.partner_id)
        return next_rank_of(report, report.plan_document) if report is not None else None


def _plan_document(program, starts_on) -> dict | None:
    version = plan_in_force(program.installation_id, starts_on, None if program.is_default else program.pk)
    return version.document if version is not None else None
