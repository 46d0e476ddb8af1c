"""A real SMTP server on localhost (aiosmtpd) that the app's SMTP backend delivers to, and
a committed month with earnings (the credit notes' fixtures), one paid by the local Stripe."""

from __future__ import annotations

import email
import re
import socket
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from tests.credit_notes.conftest import _credit_note_storage, earner, issuer, settle  # noqa: F401
from tests.payouts.test_stripe import june, local_stripe  # noqa: F401 (a month paid by Stripe, the local Stripe)
from tests.periods.conftest import _period_cache_dir  # noqa: F401


@dataclass(frozen=True)
class Delivered:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    def header(self, name: str) -> str:
        """The header's value unfolded, as a mail client shows it (a long one is folded onto
        a second line; the first line's break leaves a blank in front)."""
        return re.sub(r"\r?\n[ \t]+", " ", str(self.message[name])).strip(" \t")

    @property
    def subject(self) -> str:
        return self.header("Subject")

    @property
    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(("html",)).get_content()


class Inbox:
    """What the server accepted, in order; `refuse` makes it answer 550 to every mail."""

    def __init__(self):
        self.delivered: list[Delivered] = []
        self.refuse = False

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "550 5.7.1 Refused by the test"
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.delivered.append(Delivered(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"

    def to(self, address: str) -> list[Delivered]:
        return [mail for mail in self.delivered if address in mail.rcpt_tos]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """The app sends through SMTP to a server of the test's own; yields its `Inbox`."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "Vitalwerk Partner <partner@vitalwerk.example>"
    settings.APP_URL = "https://mlm.vitalwerk.example"
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _no_saleor(settings):
    settings.SALEOR_WRITE_BACK = False  # voucher codes of new partners are only stored
