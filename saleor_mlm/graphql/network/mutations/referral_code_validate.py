import graphene
from django.core.exceptions import ValidationError

from saleor_mlm.network import PartnerStatus
from saleor_mlm.network.codes import partner_by_referral_code

from ...core import ratelimit
from ...core.mutations import BaseMutation
from ...core.permissions import InstallationRequired
from ..errors import NetworkError, ReferralCodeErrorCode

# Checks per client IP and shop: enough for people typing a code, too few to enumerate codes.
RATE_LIMIT = 10
RATE_WINDOW_SECONDS = 60


def sponsor_name(partner) -> str | None:
    """Only the name: never the e-mail, which `display_name` falls back to."""
    return " ".join(part for part in (partner.first_name, partner.last_name) if part) or None


def clean_rate_limit(info) -> None:
    context = info.context
    key = f"referral-code:{context.installation.pk}:{context.client_ip}"
    if not ratelimit.allow(key, RATE_LIMIT, RATE_WINDOW_SECONDS):
        raise ValidationError(
            {"code": ValidationError(f"Too many checks; try again in a minute (at most {RATE_LIMIT} a minute).", code=ReferralCodeErrorCode.RATE_LIMITED)}
        )


class ReferralCodeValidate(BaseMutation):
    valid = graphene.Boolean(required=True, description="True when an active partner has this code.")
    sponsor_name = graphene.String(description="The partner's name, when the code is valid. Nothing else is revealed.")

    class Arguments:
        code = graphene.String(required=True)

    class Meta:
        error_type_class = NetworkError
        description = (
            f"Check a referral code before enrollment or checkout. Public (send saleor-api-url); "
            f"at most {RATE_LIMIT} checks a minute per client."
        )

    @classmethod
    def check_permissions(cls, context):
        if context.installation is None:
            raise InstallationRequired()

    @classmethod
    def mutate(cls, root, info, **data):
        response = super().mutate(root, info, **data)
        if response.errors:
            response.valid = False
        return response

    @classmethod
    def perform_mutation(cls, root, info, code):
        clean_rate_limit(info)
        partner = partner_by_referral_code(info.context.installation.pk, code)
        if partner is None or partner.status != PartnerStatus.ACTIVE:
            return cls.success(valid=False, sponsor_name=None)
        return cls.success(valid=True, sponsor_name=sponsor_name(partner))
