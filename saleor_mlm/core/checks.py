"""The app's own system checks that are not a domain's (those live in the domain's apps.py).

Every check of the app carries the tag `APP_CHECKS`: gunicorn runs no system checks, so the
web process runs these when it starts (core/startup.py::run_app_checks).
"""

import os

from django.conf import settings
from django.core import checks

from .startup import APP_CHECKS, DEVELOPMENT_SECRET_KEY, demo_enabled


@checks.register(checks.Tags.security, APP_CHECKS)
def check_development_secret_key(app_configs, **kwargs):
    """DEBUG=1 runs on the public development key (core/startup.py); say so, outside the demo."""
    if settings.SECRET_KEY != DEVELOPMENT_SECRET_KEY or demo_enabled(os.environ):
        return []
    return [
        checks.Warning(
            "SECRET_KEY is not set: this process runs on the public development key because DEBUG=1",
            hint="fine in a development checkout; a deployment sets SECRET_KEY and FIELD_ENCRYPTION_KEY "
            "(docs/installing.md)",
            id="saleor_mlm.W002",
        )
    ]
