"""Sending recorded notifications through Django's e-mail backend (SMTP in production).

`send_notifications(ids)` sends each pending notification once: under its row lock it
checks that it is still pending, that the partner has not switched its kind off (a mail
recorded before the partner unsubscribed is not sent either) and has an address that
can receive mail, writes the mail in the partner's language and hands it to the mail
server; then it is `sent`. A refusal of the server (or no server) leaves it pending with
the error; `send_pending` (beat) tries again, up to `MAX_ATTEMPTS`, then it is `failed`.
A worker that dies between the server's answer and the commit sends that one mail again
on the next try: the only way a mail is sent twice.

Every mail has a text and an HTML part, `List-Unsubscribe` with the partner's one-click
link for the kind and `List-Unsubscribe-Post` (RFC 8058: a mail client unsubscribes with
one POST, no page), and `Auto-Submitted: auto-generated` (RFC 3834: no vacation replies).
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from saleor_mlm.credit_notes.texts import document_language
from saleor_mlm.network.models import Partner

from . import NotificationStatus
from .contents import content_of
from .links import office_url, unsubscribe_url
from .models import Notification
from .preferences import switched_off
from .texts import kind_label

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def deliverable(email: str) -> bool:
    """Whether mail to `email` can arrive: not empty, and not in `.invalid` (RFC 2606), the
    domain the pseudonyms of erased people are in."""
    email = (email or "").strip().lower()
    return "@" in email and not email.endswith(".invalid")


def build_message(notification: Notification, partner: Partner) -> EmailMultiAlternatives | None:
    """The mail, in the partner's language; None when there is nothing to say any more."""
    language = document_language(partner.language)
    with translation.override(language):
        content = content_of(notification)
        if content is None:
            return None
        unsubscribe = unsubscribe_url(partner.pk, notification.kind)
        context = {
            "language": language,
            "greeting": partner.display_name,
            "content": content,
            "kind_label": kind_label(notification.kind),
            "unsubscribe_url": unsubscribe,
            "settings_url": office_url("profile"),
        }
        text = render_to_string("notifications/mail.txt", context)
        html = render_to_string("notifications/mail.html", context)
    message = EmailMultiAlternatives(
        subject=content.subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[partner.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "Content-Language": language,
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _finish(notification: Notification, status: str, error: str = "") -> None:
    notification.status, notification.last_error = status, error[:2000]
    if status == NotificationStatus.SENT:
        notification.sent_at = timezone.now()
    notification.save(update_fields=["status", "last_error", "sent_at", "attempts", "language"])


def _send_one(pk: int, connection: BaseEmailBackend) -> bool:
    with transaction.atomic():
        notification = Notification.objects.select_for_update(skip_locked=True).filter(pk=pk, status=NotificationStatus.PENDING).first()
        if notification is None:
            return False  # sent, skipped or being sent by another worker
        partner = Partner.objects.get(pk=notification.partner_id)
        if notification.kind in switched_off(partner.pk):
            _finish(notification, NotificationStatus.SKIPPED, "switched off by the partner")
            return False
        if not deliverable(partner.email):
            _finish(notification, NotificationStatus.SKIPPED, "no address to send to")
            return False
        message = build_message(notification, partner)
        if message is None:
            _finish(notification, NotificationStatus.SKIPPED, "what it was about is gone")
            return False
        notification.attempts += 1
        notification.language = document_language(partner.language)
        message.connection = connection
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as error:
            connection.close()  # a broken session is not reused: the next mail opens a new one
            failed = notification.attempts >= MAX_ATTEMPTS
            _finish(notification, NotificationStatus.FAILED if failed else NotificationStatus.PENDING, f"{error.__class__.__name__}: {error}")
            logger.warning("notification not sent", extra={"notification": notification.pk, "attempts": notification.attempts, "error": str(error)})
            return False
        _finish(notification, NotificationStatus.SENT)
        return True


def send_notifications(ids: list[int]) -> int:
    """Send the pending notifications of `ids` over one connection; returns how many were sent."""
    connection = get_connection()
    try:
        return sum(_send_one(pk, connection) for pk in ids)
    finally:
        connection.close()
