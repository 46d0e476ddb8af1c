"""`saleor-mlm rotate-encryption-key [--dry-run]`: re-encrypt the stored app tokens and every
other secret at rest (IBANs and BICs of payout profiles and of the shop's account, the Stripe
keys: every `encrypted_*` column) with the current FIELD_ENCRYPTION_KEY, after the former key
moved to FIELD_ENCRYPTION_KEYS_OLD (core/crypto.py has the whole procedure)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from saleor_mlm.installations.actions import rotate_token_encryption


class Command(BaseCommand):
    help = "Re-encrypt every stored app token and other encrypted value with the current FIELD_ENCRYPTION_KEY."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="report what would be re-encrypted, change nothing")

    def handle(self, *args, dry_run: bool, **options):
        result = rotate_token_encryption(dry_run=dry_run)
        verb = "would re-encrypt" if dry_run else "re-encrypted"
        for api_url in result.reencrypted:
            self.stdout.write(f"{api_url}: {verb}")
        for label, column in sorted(result.columns.items()):
            self.stdout.write(
                f"{label}: {column.reencrypted} value(s) {verb}, {column.already_current} already current, {len(column.unreadable)} unreadable."
            )
        self.stdout.write(
            f"{len(result.reencrypted)} token(s) {verb} with the current key, "
            f"{len(result.already_current)} already current, {len(result.unreadable)} unreadable."
        )
        problems = []
        if result.unreadable:
            problems.append("the token of " + ", ".join(result.unreadable))
        for label, column in sorted(result.columns.items()):
            if column.unreadable:
                problems.append(f"{label} of row(s) {', '.join(str(pk) for pk in column.unreadable)}")
        if problems:
            raise CommandError(
                "no configured key decrypts "
                + "; ".join(problems)
                + ": add the key they were encrypted with to FIELD_ENCRYPTION_KEYS_OLD and run this again, "
                "or reinstall the app in that Saleor (it then stores a new token) or enter the value again"
            )
