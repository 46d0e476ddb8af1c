"""The unsubscribe link of a mail: a page that asks, and the POST that switches the kind off.

`GET /notifications/unsubscribe/<token>/` shows, in the partner's language, which mails the
link stops and a button; the button POSTs to the same address. A mail client's one-click
unsubscribe (RFC 8058) POSTs there too, with the body `List-Unsubscribe=One-Click`: both
switch the kind off at once, without a sign-in (the signed link is the credential, so it
is never logged: `secret_in_path`). A GET changes nothing: link scanners of mail providers
open links before the partner does.
"""

from __future__ import annotations

from django.core import signing
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from saleor_mlm.core.csp import content_security_policy
from saleor_mlm.core.logging import secret_in_path
from saleor_mlm.credit_notes.texts import document_language
from saleor_mlm.network.models import Partner

from . import NotificationKind
from .links import office_url, unsign
from .preferences import switch_off
from .texts import kind_label


def _partner_and_kind(token: str) -> tuple[Partner, str] | None:
    try:
        partner_id, kind = unsign(token)
    except signing.BadSignature:
        return None
    partner = Partner.objects.filter(pk=partner_id).first()
    return (partner, kind) if partner is not None and kind in NotificationKind.ALL else None


@secret_in_path
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    found = _partner_and_kind(token)
    if found is None:
        response = HttpResponse(_("This unsubscribe link is not valid."), status=404, content_type="text/plain; charset=utf-8")
    else:
        partner, kind = found
        language = document_language(partner.language)
        with translation.override(language):
            done = request.method == "POST"
            if done:
                switch_off(partner, kind)
            context = {"language": language, "kind_label": kind_label(kind), "done": done, "settings_url": office_url("profile")}
            response = render(request, "notifications/unsubscribe.html", context)
    response["Content-Security-Policy"] = content_security_policy(frame_ancestors=[])
    response["X-Robots-Tag"] = "noindex"
    return response
