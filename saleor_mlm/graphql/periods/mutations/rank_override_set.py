import graphene

from saleor_mlm.periods import models as period_models
from saleor_mlm.periods.ranks import set_rank_override

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ...network.mutations.utils import clean_partner_id
from ..errors import PeriodError
from ..types import RankOverride
from .utils import clean_period_id


class RankOverrideSetInput(graphene.InputObjectType):
    partner_id = graphene.ID(required=True)
    period_id = graphene.ID(required=True, description="An open period (re-open a closed one first).")
    rank = graphene.String(required=True, description="A rank code of the plan in force.")
    reason = graphene.String(required=True)
    approved_by = graphene.String(required=True, description="Who approved it (e-mail): not the person entering it.")


class RankOverrideSet(BaseMutation):
    rank_override = graphene.Field(RankOverride)

    class Arguments:
        input = RankOverrideSetInput(required=True)

    class Meta:
        error_type_class = PeriodError
        description = (
            "Set (or replace) a partner's rank for a period: it is the paid-as rank if the partner qualifies, bonuses included. "
            "Takes effect when the period is previewed or closed."
        )
        permissions = (MlmPermission.MANAGE_ORDERS,)
        input_model = period_models.RankOverride
        error_field_map = {"partner": "partnerId", "period": "periodId", "created_by": None}

    @classmethod
    def perform_mutation(cls, root, info, input):
        partner = clean_partner_id(info, input["partner_id"], "partnerId")
        period = clean_period_id(info, input["period_id"], "periodId")
        override = set_rank_override(
            info.context.installation, partner, period, input["rank"], input["reason"], input["approved_by"], info.context.requestor.label
        )
        return cls.success(rank_override=override)
