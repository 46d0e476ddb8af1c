"""`saleor-mlm credit-notes ...`: the documents of committed periods.

    saleor-mlm credit-notes export [--installation URL] --period 2026-10 --out DIR

writes every PDF of the period (rendering those the workers have not stored yet) and
`index.csv` (number, kind, partner code, net, VAT, gross, currency, tax status, issue date,
the number a cancellation cancels).
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from saleor_mlm.calendar.actions import get_period
from saleor_mlm.installations.commands import installation_option

from ...export import export_period


class Command(BaseCommand):
    help = "Credit notes of committed periods: export a period's PDFs with an index."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        export = sub.add_parser("export", help="Write every PDF of a period and index.csv into a directory")
        export.add_argument("--installation", metavar="API_URL", help="Saleor API URL (needed when more than one is installed)")
        export.add_argument("--period", required=True, metavar="YYYY-MM", help=_("the period, a calendar month"))
        export.add_argument("--out", required=True, metavar="DIR", help=_("the directory to write into (created when missing)"))

    def handle(self, *args, **options):
        try:
            installation = installation_option(options.get("installation"))
            period = get_period(installation, options["period"])
        except ValidationError as error:
            raise CommandError(getattr(error, "message", None) or "; ".join(error.messages)) from None
        count = export_period(period, Path(options["out"]))
        self.stdout.write(_("%(count)d documents of %(period)s written to %(out)s") % {"count": count, "period": period.label, "out": options["out"]})
