import graphene

from saleor_mlm.notifications.preferences import update_preferences

from ...network.partner_mutation import PartnerMutation
from ..errors import NotificationError
from ..types import NotificationSettings, NotificationSettingsInput


class MyNotificationSettingsUpdate(PartnerMutation):
    log_in_message = "Log in to the shop as a partner to change your e-mail settings."
    not_a_partner_message = "Only partners are sent e-mails."

    notification_settings = graphene.Field(NotificationSettings)

    class Arguments:
        input = NotificationSettingsInput(required=True)

    class Meta:
        error_type_class = NotificationError
        description = (
            "A partner switches kinds of e-mail on or off and sets the language they are written in (logged in to the shop). "
            "Every e-mail also has a one-click unsubscribe link for its kind."
        )

    @classmethod
    def perform_mutation(cls, root, info, input):
        partner = cls.own_partner(info)
        enabled = {getattr(item["kind"], "value", item["kind"]): item["enabled"] for item in input.get("kinds") or []}
        preferences = update_preferences(partner, enabled=enabled, language=input.get("language"), changed_by=info.context.requestor.label)
        return cls.success(notification_settings=preferences)
