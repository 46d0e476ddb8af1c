"""`saleor-mlm rotate-encryption-key [--dry-run]`: re-encrypt the stored app tokens with the
current FIELD_ENCRYPTION_KEY, after the former key moved to FIELD_ENCRYPTION_KEYS_OLD
(core/crypto.py has the whole procedure)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from saleor_mlm.installations.actions import rotate_token_encryption


class Command(BaseCommand):
    help = "Re-encrypt every stored app token with the current FIELD_ENCRYPTION_KEY."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="report what would be re-encrypted, change nothing")

    def handle(self, *args, dry_run: bool, **options):
        result = rotate_token_encryption(dry_run=dry_run)
        verb = "would re-encrypt" if dry_run else "re-encrypted"
        for api_url in result.reencrypted:
            self.stdout.write(f"{api_url}: {verb}")
        self.stdout.write(
            f"{len(result.reencrypted)} token(s) {verb} with the current key, "
            f"{len(result.already_current)} already current, {len(result.unreadable)} unreadable."
        )
        if result.unreadable:
            raise CommandError(
                "no configured key decrypts the token of "
                + ", ".join(result.unreadable)
                + ": add the key they were encrypted with to FIELD_ENCRYPTION_KEYS_OLD and run this again, "
                "or reinstall the app in that Saleor (it then stores a new token)"
            )
