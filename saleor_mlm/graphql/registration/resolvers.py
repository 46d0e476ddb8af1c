from __future__ import annotations

from saleor_mlm.registration.models import PartnerRegistration as RegistrationModel
from saleor_mlm.registration.terms import current_terms, current_version, registration_settings, terms_of_version

from ..core.connection import paginate
from ..core.i18n import resolve_language
from ..core.permissions import InstallationRequired
from ..core.types import decode_global_id
from ..network.mutations.utils import enum_value
from ..network.visibility import Access, Visible, wrap
from .types import PartnerRegistrationCountableConnection, RegistrationSettings


def resolve_registration_settings(info) -> RegistrationSettings:
    installation_id = info.context.installation.pk
    settings = registration_settings(installation_id)
    version = current_version(installation_id)
    texts = terms_of_version(installation_id, version) if version else []
    return RegistrationSettings(
        approval_required=settings.approval_required,
        terms_version=version,
        terms=texts,
        terms_published_by=texts[0].published_by if texts else None,
        updated_at=settings.updated_at,
    )


def resolve_partner_terms(info, language_code=None):
    if info.context.installation is None:
        raise InstallationRequired()
    return current_terms(info.context.installation.pk, resolve_language(info, language_code))


def resolve_partner_registrations(info, status=None, **page):
    rows = RegistrationModel.objects.filter(installation=info.context.installation)
    if status:
        rows = rows.filter(status__in=[enum_value(value) for value in status])
    return paginate(rows, PartnerRegistrationCountableConnection, sort_by=["-created_at", "-pk"], wrap=lambda items: wrap(items, Access.MERCHANT), **page)


def resolve_partner_registration(info, id):
    pk = decode_global_id(id or "", "PartnerRegistration")
    row = RegistrationModel.objects.filter(installation=info.context.installation, pk=pk).first() if pk else None
    return Visible(row, Access.MERCHANT) if row else None


def resolve_my_partner_registration(info):
    """The logged-in shop account's newest registration; null for anyone else."""
    requestor = info.context.requestor
    if not requestor.is_user or info.context.installation is None:
        return None
    row = RegistrationModel.objects.filter(installation=info.context.installation, saleor_user_id=requestor.user_id).order_by("-pk").first()
    return Visible(row, Access.SELF) if row else None
