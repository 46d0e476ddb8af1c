"""`saleor-mlm api-key create|list|revoke`: API keys for merchants' back-office scripts."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from saleor_mlm.installations.models import Installation

from ...api_keys import create_api_key, revoke_api_key
from ...models import ApiKey


class Command(BaseCommand):
    help = "Create, list or revoke API keys. A key acts as the merchant with every MLM permission."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a key; it is printed once and never stored.")
        create.add_argument("--installation", required=True, help="The Saleor API URL of the installation.")
        create.add_argument("--name", required=True, help="What the key is for, e.g. 'ERP export'.")
        listing = actions.add_parser("list", help="List the keys of an installation.")
        listing.add_argument("--installation", required=True, help=_("The Saleor API URL of the installation."))
        revoke = actions.add_parser("revoke", help="Revoke a key by its prefix (as listed).")
        revoke.add_argument("--installation", required=True, help=_("The Saleor API URL of the installation."))
        revoke.add_argument("--prefix", required=True, help=_("The key's prefix, as `api-key list` shows it."))

    def handle(self, *args, action, installation, **options):
        found = Installation.objects.for_api_url(installation).first()
        if found is None:
            raise CommandError(f"No installation has the Saleor API URL {installation!r}.")
        return getattr(self, f"handle_{action}")(found, **options)

    def handle_create(self, installation, *, name, **options):
        api_key, raw_key = create_api_key(installation, name.strip())
        self.stderr.write(f"API key '{api_key.name}' for {installation.saleor_api_url} (shown once, store it now):")
        self.stdout.write(raw_key)

    def handle_list(self, installation, **options):
        for api_key in ApiKey.objects.filter(installation=installation):
            state = f"revoked {api_key.revoked_at:%Y-%m-%d}" if api_key.revoked_at else "active"
            used = f"{api_key.last_used_at:%Y-%m-%d %H:%M}" if api_key.last_used_at else "never"
            self.stdout.write(f"{api_key.prefix}\t{api_key.name}\t{state}\tlast used {used}")

    def handle_revoke(self, installation, *, prefix, **options):
        matches = list(ApiKey.objects.filter(installation=installation, prefix=prefix, revoked_at__isnull=True))
        if len(matches) != 1:
            raise CommandError(f"{len(matches)} active keys have the prefix {prefix!r}; expected exactly one.")
        revoke_api_key(matches[0])
        self.stdout.write(f"Revoked '{matches[0].name}'.")
