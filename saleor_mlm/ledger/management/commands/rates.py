"""`saleor-mlm rates import FILE.csv [--installation API_URL]`: the merchant's exchange rates.

The CSV has a header and the columns `date,currency,rate[,plan_currency]` (any order):
`2026-11-03,USD,0.9215` means 1 USD = 0.9215 in the plan currency on that day. A file with
any bad cell is refused as a whole, naming every line and column that is wrong. Importing
is an upsert (the same file twice changes nothing); afterwards every order parked for a
missing rate is credited if it now has one.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from saleor_mlm.installations.commands import installation_option
from saleor_mlm.installations.models import Installation
from saleor_mlm.ledger.actions import retry_parked
from saleor_mlm.ledger.crediting import volume_settings_for
from saleor_mlm.ledger.rates import RatesFileError, parse_rates_csv, upsert_rates


class Command(BaseCommand):
    help = "Manage exchange rates into the plan currency (subcommand: import)."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="{import}")
        do_import = subcommands.add_parser("import", help="Import daily rates from a CSV file (date,currency,rate[,plan_currency]).")
        do_import.add_argument("file", help="CSV file; '-' is not supported, name a file.")
        do_import.add_argument(
            "--installation",
            metavar="API_URL",
            help="Saleor API URL of the installation (required when more than one is installed).",
        )

    def handle(self, *args, **options):
        if options["subcommand"] == "import":
            self.import_rates(Path(options["file"]), options.get("installation"))

    def import_rates(self, path: Path, api_url: str | None) -> None:
        installation = self.installation(api_url)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        plan_currency = volume_settings_for(installation.pk).plan_currency.upper()
        try:
            rows = parse_rates_csv(text, filename=str(path), default_plan_currency=plan_currency)
        except RatesFileError as exc:
            raise CommandError(f"{len(exc.problems)} problem(s), nothing imported:\n{exc}") from None
        imported = upsert_rates(installation, rows)
        self.stdout.write(
            f"{len(rows)} rate(s) for {installation.saleor_api_url}: "
            f"{imported.created} new, {imported.updated} updated, {imported.unchanged} unchanged."
        )
        retried = retry_parked(installation)
        self.stdout.write(f"Parked order events: {retried.credited} credited, {retried.still_parked} still parked.")

    def installation(self, api_url: str | None) -> Installation:
        return installation_option(api_url)
