import graphene

from saleor_mlm.notifications.preferences import Preferences
from saleor_mlm.notifications.texts import kind_label

from .enums import NotificationKindEnum


class NotificationKindSetting(graphene.ObjectType):
    kind = graphene.Field(NotificationKindEnum, required=True)
    enabled = graphene.Boolean(required=True, description="False: the partner switched these e-mails off.")
    label = graphene.String(required=True, description="What the e-mails are about, in the request's language.")

    @staticmethod
    def resolve_label(root, info):
        return kind_label(root["kind"])


class NotificationSettings(graphene.ObjectType):
    language = graphene.String(required=True, description="A language of the app's catalogs (de, en, fr): the language of the e-mails (and of the credit notes).")
    kinds = graphene.List(graphene.NonNull(NotificationKindSetting), required=True, description="Every kind of e-mail, on or off.")

    @staticmethod
    def resolve_kinds(root: Preferences, info):
        return [{"kind": kind, "enabled": enabled} for kind, enabled in root.enabled.items()]


class NotificationKindSettingInput(graphene.InputObjectType):
    kind = NotificationKindEnum(required=True)
    enabled = graphene.Boolean(required=True)


class NotificationSettingsInput(graphene.InputObjectType):
    language = graphene.String(description="A language of the app's catalogs (de, en, fr): the language of the e-mails (and of the credit notes).")
    kinds = graphene.List(graphene.NonNull(NotificationKindSettingInput), description="Kinds to switch on or off; others stay as they are.")
