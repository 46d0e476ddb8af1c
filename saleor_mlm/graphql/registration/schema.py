import graphene

from ..core.connection import connection_args
from ..core.i18n import LanguageCodeEnum
from ..core.permissions import MlmPermission, permission_required, permissions_description
from . import resolvers
from .enums import RegistrationStatusEnum
from .mutations.partner_register import PartnerRegister
from .mutations.partner_registration_approve import PartnerRegistrationApprove
from .mutations.partner_registration_reject import PartnerRegistrationReject
from .mutations.registration_settings_update import RegistrationSettingsUpdate
from .types import PartnerRegistration, PartnerRegistrationCountableConnection, PartnerTerms, RegistrationSettings

MANAGE_USERS = MlmPermission.MANAGE_USERS
_MERCHANT = permissions_description([MANAGE_USERS])


class RegistrationQueries(graphene.ObjectType):
    partner_terms = graphene.Field(
        PartnerTerms,
        language_code=graphene.Argument(LanguageCodeEnum, description="Default: the request's Accept-Language."),
        description="The newest version of the merchant's partner terms in a language (else English or German); null before any is "
        "published. Public (send saleor-api-url).",
    )
    registration_settings = graphene.Field(RegistrationSettings, required=True, description="Online registration's settings." + _MERCHANT)
    partner_registrations = graphene.Field(
        PartnerRegistrationCountableConnection,
        description="Registrations from the partner office, newest first." + _MERCHANT,
        **connection_args(status=graphene.List(graphene.NonNull(RegistrationStatusEnum), description="Only these, e.g. [PENDING].")),
    )
    partner_registration = graphene.Field(PartnerRegistration, id=graphene.ID(required=True), description="A registration by id." + _MERCHANT)
    my_partner_registration = graphene.Field(
        PartnerRegistration, description="The logged-in shop account's newest registration (e.g. PENDING: waiting for approval); null for anyone else."
    )

    @staticmethod
    def resolve_partner_terms(root, info, language_code=None):
        return resolvers.resolve_partner_terms(info, language_code)

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_registration_settings(root, info):
        return resolvers.resolve_registration_settings(info)

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_partner_registrations(root, info, **kwargs):
        return resolvers.resolve_partner_registrations(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_partner_registration(root, info, id):
        return resolvers.resolve_partner_registration(info, id)

    @staticmethod
    def resolve_my_partner_registration(root, info):
        return resolvers.resolve_my_partner_registration(info)


class RegistrationMutations(graphene.ObjectType):
    partner_register = PartnerRegister.Field()
    partner_registration_approve = PartnerRegistrationApprove.Field()
    partner_registration_reject = PartnerRegistrationReject.Field()
    registration_settings_update = RegistrationSettingsUpdate.Field()
