"""`saleor-mlm network ...`: moving a network in and out.

    saleor-mlm network import FILE.csv [--installation API_URL] [--dry-run] [--by USER] [--approved-by USER]
    saleor-mlm network export FILE.csv [--installation API_URL]

`import` reads the engine's exchange format (`id,kind,sponsor_id,care_id,care_share,
status,career_rank`) plus optional `email,first_name,last_name,referral_code,
saleor_user_id,country,language,balance`, checks the whole file, reports every error
at `file:line:column` and writes nothing if there is one (docs/network.md, "Moving an
existing network in"). `export` writes the network in that format.
"""

from __future__ import annotations

import os
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saleor_mlm.installations.commands import ProgressBar, installation_option
from saleor_mlm.network.export import export_network

from ..import_command import add_import_arguments, run_import


class Command(BaseCommand):
    help = gettext_lazy("Import a network (partners and customers) from a CSV file, or export it in the same format.")

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="{import,export}")
        do_import = subcommands.add_parser(
            "import",
            help=_("import partners and customers (creates new ones, updates known ones by referral code, with history)"),
            description=_(
                "Columns: id,kind,sponsor_id,care_id,care_share,status,career_rank (the engine's partners.csv) and optionally "
                "email,first_name,last_name,referral_code,saleor_user_id,country,language,balance. Every error is reported "
                "with its line and column; nothing is written if there is any."
            ),
        )
        add_import_arguments(do_import, what="network")
        export = subcommands.add_parser("export", help=_("write the network to a CSV file in the import's format"))
        export.add_argument("file", metavar="FILE.csv", help=_("the CSV file to write ('-' for standard output)"))
        export.add_argument(
            "--installation", metavar="API_URL", help=_("the Saleor API URL of the shop (needed when more than one is installed)")
        )
        export.add_argument("--no-progress", action="store_true", help=_("no progress bar or progress lines on standard error"))

    def handle(self, *args, **options):
        if options["subcommand"] == "import":
            run_import(self, options, customers_only=False)
        else:
            self.export(options)

    def export(self, options) -> None:
        installation = installation_option(options.get("installation"))
        path = options["file"]
        bar = ProgressBar(getattr(self.stderr, "_out", sys.stderr), enabled=not options.get("no_progress") and path != "-")
        try:
            if path == "-":
                partners, customers = export_network(installation, self.stdout)
                return
            temporary = f"{path}.partial"
            with open(temporary, "w", encoding="utf-8", newline="") as handle:
                partners, customers = export_network(installation, handle, lambda percent: bar("export", percent))
            os.replace(temporary, path)
        except OSError as error:
            bar.done()
            raise CommandError(f"{error.filename}: {error.strerror}") from None
        bar.done()
        self.stdout.write(_("%(file)s: %(partners)d partners, %(customers)d customers") % {"file": path, "partners": partners, "customers": customers})
