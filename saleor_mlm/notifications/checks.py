"""The notifications' system check: a deployment without a mail server sends no e-mail."""

import os

from django.conf import settings
from django.core import checks

from saleor_mlm.core.startup import APP_CHECKS, demo_enabled


@checks.register(checks.Tags.compatibility, APP_CHECKS)
def check_mail_server(app_configs, **kwargs):
    """Without EMAIL_HOST the mails are written to files (fine for the demo and DEBUG=1)."""
    if settings.EMAIL_HOST or settings.DEBUG or demo_enabled(os.environ):
        return []
    return [
        checks.Warning(
            f"EMAIL_HOST is not set: e-mails to partners are written to files in {settings.EMAIL_FILE_PATH}, not sent",
            hint="set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, DEFAULT_FROM_EMAIL) to your mail server "
            "(docs/notifications.md)",
            id="saleor_mlm.W003",
        )
    ]
