"""Which notifications a partner wants, and the language they are written in.

Every kind is on until the partner switches it off: in the office's notification settings
(`update_preferences`) or with the unsubscribe link of a mail (`switch_off`). The language
is the partner's (`Partner.language`, also the language of its credit notes): German for
German-speaking partners, English for everyone else (`credit_notes.texts.document_language`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from saleor_mlm.core.errors import DomainError
from saleor_mlm.credit_notes.texts import LANGUAGES, document_language
from saleor_mlm.network.actions.partners import update_partner
from saleor_mlm.network.models import Partner

from . import NotificationKind, OptOutSource
from .error_codes import NotificationErrorCode
from .models import NotificationOptOut


@dataclass(frozen=True)
class Preferences:
    language: str  # "de", "en", "fr", ...: what the mails are written in
    enabled: dict[str, bool]  # every kind, in the order of `NotificationKind.ALL`


def switched_off(partner_id: int) -> set[str]:
    return set(NotificationOptOut.objects.filter(partner_id=partner_id).values_list("kind", flat=True))


def preferences_of(partner: Partner) -> Preferences:
    off = switched_off(partner.pk)
    return Preferences(language=document_language(partner.language), enabled={kind: kind not in off for kind in NotificationKind.ALL})


def _clean_kind(kind: str) -> str:
    if kind not in NotificationKind.ALL:
        raise DomainError(NotificationErrorCode.INVALID, _("'%(kind)s' is not a kind of notification.") % {"kind": kind}, field="kind")
    return kind


def switch_off(partner: Partner, kind: str, *, source: str = OptOutSource.LINK) -> bool:
    """The partner no longer wants `kind`; False when it was off already."""
    _, created = NotificationOptOut.objects.get_or_create(
        partner=partner, kind=_clean_kind(kind), defaults={"installation_id": partner.installation_id, "source": source}
    )
    return created


def update_preferences(partner: Partner, *, enabled: dict[str, bool] | None = None, language: str | None = None, changed_by: str) -> Preferences:
    """Switch kinds on or off (`enabled`: kind -> wanted; kinds not named stay as they are)
    and set the language of the mails (the partner's language, recorded in its history)."""
    enabled = {_clean_kind(kind): bool(wanted) for kind, wanted in (enabled or {}).items()}
    if language is not None:
        language = (language or "").strip().lower()
        if language not in LANGUAGES:
            raise DomainError(
                NotificationErrorCode.INVALID,
                _("E-mails are written in one of %(languages)s, not in '%(language)s'.") % {"languages": ", ".join(LANGUAGES), "language": language},
                field="language",
            )
    with transaction.atomic():
        for kind, wanted in enabled.items():
            if wanted:
                NotificationOptOut.objects.filter(partner=partner, kind=kind).delete()
            else:
                switch_off(partner, kind, source=OptOutSource.OFFICE)
        if language is not None and language != document_language(partner.language):
            update_partner(partner, changed_by=changed_by, reason="notification settings", language=language)
    return preferences_of(partner)
