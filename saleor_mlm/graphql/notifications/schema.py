import graphene

from saleor_mlm.notifications.preferences import preferences_of

from ..network.visibility import viewer_partner
from .mutations.my_notification_settings_update import MyNotificationSettingsUpdate
from .types import NotificationSettings


class NotificationQueries(graphene.ObjectType):
    my_notification_settings = graphene.Field(
        NotificationSettings, description="The logged-in partner's e-mail settings: which kinds it is sent, in which language; null for everyone else."
    )

    @staticmethod
    def resolve_my_notification_settings(root, info):
        partner = viewer_partner(info.context)
        return preferences_of(partner) if partner is not None else None


class NotificationMutations(graphene.ObjectType):
    my_notification_settings_update = MyNotificationSettingsUpdate.Field()
