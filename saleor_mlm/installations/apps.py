from django.apps import AppConfig
from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
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


class InstallationsConfig(AppConfig):
    name = "saleor_mlm.installations"
    label = "installations"
