"""The base of the mutations a partner runs on its own data, logged in to the shop
(`myTaxProfileUpdate`, `myPayoutProfileUpdate`, `payoutAccountLink`,
`myNotificationSettingsUpdate`): anyone not logged in is refused before anything runs, and
`own_partner` is the viewer's partner record or a refusal for a shop account that is none."""

from __future__ import annotations

from saleor_mlm.network.models import Partner

from ..core.mutations import BaseMutation
from ..core.permissions import PermissionDenied
from .visibility import viewer_partner


class PartnerMutation(BaseMutation):
    class Meta:
        abstract = True

    # What the refusals say: to whoever is not logged in, and to a shop account that is no partner.
    log_in_message = "Log in to the shop as a partner."
    not_a_partner_message = "Only partners may do this."

    @classmethod
    def check_permissions(cls, context):
        if not context.requestor.is_user or context.installation is None:
            raise PermissionDenied(cls.log_in_message)

    @classmethod
    def own_partner(cls, info) -> Partner:
        partner = viewer_partner(info.context)
        if partner is None:
            raise PermissionDenied(cls.not_a_partner_message)
        return partner
