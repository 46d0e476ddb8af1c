import os

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

from saleor_mlm.core.startup import APP_CHECKS, demo_enabled


@checks.register(checks.Tags.security, APP_CHECKS)
def check_allowed_api_urls(app_configs, **kwargs):
    """A malformed SALEOR_ALLOWED_API_URLS entry is reported at start-up, not at install."""
    from .actions import AllowedApiUrl

    errors = []
    for entry in settings.SALEOR_ALLOWED_API_URLS:
        try:
            AllowedApiUrl.parse(entry)
        except ValueError as exc:
            errors.append(checks.Error(str(exc), hint="see docs/installing.md", id="saleor_mlm.E001"))
    return errors


@checks.register(checks.Tags.security, APP_CHECKS)
def check_allowed_api_urls_set(app_configs, **kwargs):
    """Production names the Saleors that may install the app.

    With an empty allow-list anyone may post to /api/register, and the app then calls the API
    URL they name: any Saleor can install the app, and the register endpoint reaches any
    address the server can. The demo (no Saleor) and DEBUG=1 (a laptop) run without.
    """
    if settings.SALEOR_ALLOWED_API_URLS or settings.DEBUG or demo_enabled(os.environ):
        return []
    return [
        checks.Warning(
            "SALEOR_ALLOWED_API_URLS is empty: any Saleor may install this app, and /api/register "
            "calls back whatever API URL it is sent",
            hint="set it to your Saleor API URLs, e.g. https://shop.example.com/graphql/ (docs/installing.md)",
            id="saleor_mlm.W001",
        )
    ]


class InstallationsConfig(AppConfig):
    name = "saleor_mlm.installations"
    label = "installations"

    def ready(self):
        from saleor_mlm.core.health import register_health_check

        from .connection import connection_health

        register_health_check("installations", connection_health)
