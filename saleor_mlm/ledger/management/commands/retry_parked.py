"""`saleor-mlm retry-parked [--installation API_URL]`: credit parked order events that can be
credited now (a rate arrived, the order's metadata was corrected by a later delivery)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from saleor_mlm.installations.models import Installation, normalize_api_url
from saleor_mlm.ledger.actions import retry_parked


class Command(BaseCommand):
    help = "Retry the parked order events of one installation, or of all."

    def add_arguments(self, parser):
        parser.add_argument("--installation", metavar="API_URL", help="Saleor API URL (default: every installation).")

    def handle(self, *args, **options):
        installations = Installation.objects.all()
        if options.get("installation"):
            installations = Installation.objects.for_api_url(options["installation"])
            if not installations.exists():
                raise CommandError(f"No installation with the API URL {normalize_api_url(options['installation'])}.")
        for installation in installations:
            result = retry_parked(installation)
            self.stdout.write(
                f"{installation.saleor_api_url}: {result.credited} credited, {result.still_parked} still parked."
            )
