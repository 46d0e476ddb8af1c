"""Versions of the compensation plan (MANAGE_ORDERS, checked on the root fields)."""

from __future__ import annotations

import graphene
from django.utils.translation import pgettext_lazy

from saleor_mlm.plans import PlanStatus

from ..core.connection import CountableConnection
from ..core.i18n import TranslatedString, register_names, resolve_language, translate_name
from ..core.types import JSON
from ..programs.types import Program
from .enums import PlanStatusEnum
from .ranks import Rank, rank_value

register_names(
    "plan_status",
    {
        PlanStatus.DRAFT: pgettext_lazy("plan status", "Draft"),
        PlanStatus.ACTIVE: pgettext_lazy("plan status", "Active"),
        PlanStatus.RETIRED: pgettext_lazy("plan status", "Retired"),
    },
)
# Plans are named by the merchant; names of the example plans shipped with the docs.
register_names(
    "plan",
    {
        "Example career plan": pgettext_lazy("plan", "Example career plan"),
        "Career plan": pgettext_lazy("plan", "Career plan"),
    },
)


class PlanValidationMessage(graphene.ObjectType):
    key = graphene.String(required=True, description="Where in the document, e.g. `ranks[1].difference_rate`.")
    message = graphene.String(required=True)


class PlanVersion(graphene.ObjectType):
    name = graphene.String(required=True, description="The merchant's name of the version.")
    display_name = TranslatedString("The name in the requested language (known plan names are translated).", required=True)
    program = graphene.Field(Program, required=True, description="The partner program whose plan it is.")
    document = JSON(required=True, description="The plan document (docs/compensation.md, section 5).")
    currency = graphene.String()
    status = graphene.Field(PlanStatusEnum, required=True)
    status_name = TranslatedString("The status in the requested language.", required=True)
    in_force_from = graphene.Date(description="First day of the first month it is in force (active versions).")
    is_valid = graphene.Boolean(required=True, description="The engine's plan loader accepts the document.")
    validation_errors = graphene.List(graphene.NonNull(PlanValidationMessage), required=True)
    validated_at = graphene.DateTime()
    ranks = graphene.List(graphene.NonNull(Rank), required=True, description="The ranks, lowest first.")
    created_by = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    activated_by = graphene.String()
    activated_at = graphene.DateTime()
    retired_by = graphene.String()
    retired_at = graphene.DateTime()

    class Meta:
        interfaces = (graphene.relay.Node,)
        description = "A version of the compensation plan: a draft, active from a month, or retired."

    @staticmethod
    def resolve_display_name(root, info, language_code=None):
        return translate_name("plan", root.name, resolve_language(info, language_code), default=root.name)

    @staticmethod
    def resolve_currency(root, info):
        return (root.document or {}).get("currency")

    @staticmethod
    def resolve_status_name(root, info, language_code=None):
        return translate_name("plan_status", root.status, resolve_language(info, language_code))

    @staticmethod
    def resolve_is_valid(root, info):
        return not root.errors

    @staticmethod
    def resolve_validation_errors(root, info):
        return [PlanValidationMessage(key=error.get("key", ""), message=error.get("message", "")) for error in root.errors or []]

    @staticmethod
    def resolve_ranks(root, info):
        document = root.document or {}
        return [rank_value(rank["code"], document) for rank in document.get("ranks") or [] if isinstance(rank, dict) and rank.get("code")]

    @staticmethod
    def resolve_activated_by(root, info):
        return root.activated_by or None

    @staticmethod
    def resolve_retired_by(root, info):
        return root.retired_by or None



class PlanVersionCountableConnection(CountableConnection):
    class Meta:
        node = PlanVersion
