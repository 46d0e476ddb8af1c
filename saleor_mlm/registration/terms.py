"""The merchant's partner terms and registration settings.

- Terms are versioned per installation: publishing a new version gives texts per language
  (at least one); a version is never changed afterwards. A visitor reads the newest version in
  its language (else English, else German, else the version's first language) and accepts
  that version.
- Without published terms nobody can register online: the merchant publishes its terms
  first (the dashboard's settings page, `registrationSettingsUpdate`).
- `approval_required`: registrations wait for the merchant's approval before the partner
  is created (and active).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from saleor_mlm.core.errors import DomainError
from saleor_mlm.network.validators import clean_language

from .error_codes import RegistrationErrorCode
from .models import PartnerTerms, RegistrationSettings

TEXT_LIMIT = 100_000  # characters of one language's text
FALLBACK_LANGUAGES = ("en", "de")


def registration_settings(installation_id: int) -> RegistrationSettings:
    settings, _created = RegistrationSettings.objects.get_or_create(installation_id=installation_id)
    return settings


def set_approval_required(installation_id: int, approval_required: bool, *, changed_by: str) -> RegistrationSettings:
    with transaction.atomic():
        settings = registration_settings(installation_id)
        settings = RegistrationSettings.objects.select_for_update().get(pk=settings.pk)
        settings.approval_required = bool(approval_required)
        settings.updated_by = (changed_by or "")[:255]
        settings.save()
    return settings


def current_version(installation_id: int) -> int | None:
    return PartnerTerms.objects.filter(installation_id=installation_id).aggregate(version=Max("version"))["version"]


def terms_of_version(installation_id: int, version: int) -> list[PartnerTerms]:
    return list(PartnerTerms.objects.filter(installation_id=installation_id, version=version).order_by("language"))


def current_terms(installation_id: int, language: str) -> PartnerTerms | None:
    """The newest version's text in `language`, else in a fallback language; None when the
    merchant has published no terms."""
    version = current_version(installation_id)
    if version is None:
        return None
    texts = {terms.language: terms for terms in terms_of_version(installation_id, version)}
    for candidate in (language, *FALLBACK_LANGUAGES):
        if candidate in texts:
            return texts[candidate]
    return next(iter(texts.values()))


def publish_terms(installation_id: int, texts: dict[str, str], *, published_by: str) -> list[PartnerTerms]:
    """A new version with `texts` ({language: text}); registrations from now on accept it."""
    cleaned: dict[str, str] = {}
    for language, text in texts.items():
        code = clean_language(language)
        body = (text or "").strip()
        if len(body) > TEXT_LIMIT:
            raise DomainError(RegistrationErrorCode.INVALID, _("At most %(limit)d characters.") % {"limit": TEXT_LIMIT}, field="terms")
        if body:
            cleaned[code] = body
    if not cleaned:
        raise DomainError(RegistrationErrorCode.INVALID, _("Give the terms' text in at least one language."), field="terms")
    with transaction.atomic():
        # One version number per publication, also when two merchants publish at once.
        registration_settings(installation_id)
        RegistrationSettings.objects.select_for_update().get(installation_id=installation_id)
        version = (current_version(installation_id) or 0) + 1
        moment = timezone.now()
        return [
            PartnerTerms.objects.create(
                installation_id=installation_id,
                version=version,
                language=language,
                text=text,
                published_by=(published_by or "")[:255],
                published_at=moment,
            )
            for language, text in sorted(cleaned.items())
        ]
