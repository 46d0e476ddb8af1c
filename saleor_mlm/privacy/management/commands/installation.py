"""`saleor-mlm installation ...`: all data of a shop, out and away.

    saleor-mlm installation export DIR [--installation API_URL] [--no-progress]
    saleor-mlm installation delete [--installation API_URL] [--confirm API_URL]

`export` writes DIR/data.jsonl and DIR/csv/<model>.csv (privacy.installation_export).
`delete` removes the installation and all its rows, asking for its API URL as the
confirmation (or `--confirm`); refused while a period is approved but not committed. Keep
the export: the law may ask for booking records and credit notes for years (docs/privacy.md).
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saleor_mlm.core.errors import DomainError
from saleor_mlm.installations.commands import ProgressBar, installation_option
from saleor_mlm.privacy.installation_delete import delete_installation, deletion_refusal
from saleor_mlm.privacy.installation_export import export_installation

INSTALLATION_HELP = gettext_lazy("the Saleor API URL of the shop (needed when more than one is installed)")


class Command(BaseCommand):
    help = gettext_lazy("Export all data of an installation (JSON lines and CSV), or delete the installation with its data.")

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="{export,delete}")
        export = subcommands.add_parser("export", help=_("write all data of the installation into a new directory"))
        export.add_argument("directory", metavar="DIR", help=_("the directory to write (created; must be empty)"))
        export.add_argument("--installation", metavar="API_URL", help=INSTALLATION_HELP)
        export.add_argument("--no-progress", action="store_true", help=_("no progress bar or progress lines on standard error"))
        delete = subcommands.add_parser(
            "delete",
            help=_("delete the installation and all its data (export first: the law may ask you to keep records)"),
            description=_("Refused while a period is approved but not committed. Cannot be undone."),
        )
        delete.add_argument("--installation", metavar="API_URL", help=INSTALLATION_HELP)
        delete.add_argument("--confirm", metavar="API_URL", help=_("the installation's API URL, instead of typing it when asked"))

    def handle(self, *args, **options):
        installation = installation_option(options.get("installation"))
        if options["subcommand"] == "export":
            self.export(installation, options)
        else:
            self.delete(installation, options)

    def export(self, installation, options) -> None:
        bar = ProgressBar(getattr(self.stderr, "_out", sys.stderr), enabled=not options.get("no_progress"))
        try:
            result = export_installation(installation, options["directory"], bar)
        except OSError as error:
            bar.done()
            raise CommandError(f"{options['directory']}: {error.strerror or error}") from None
        bar.done()
        self.stdout.write(
            _("%(directory)s: %(rows)d rows of %(models)d tables (data.jsonl and csv/).")
            % {"directory": result.directory, "rows": sum(result.rows.values()), "models": sum(1 for n in result.rows.values() if n)}
        )

    def delete(self, installation, options) -> None:
        refusal = deletion_refusal(installation)
        if refusal is not None:
            raise CommandError(refusal.messages[0])
        confirmation = options.get("confirm")
        if confirmation is None:
            self.stdout.write(
                _(
                    "This deletes every partner, customer, order, ledger entry, period and statement of %(url)s. "
                    "Export first and keep the export as long as the law asks (docs/privacy.md)."
                )
                % {"url": installation.saleor_api_url}
            )
            confirmation = input(_("Type the API URL to confirm: "))
        try:
            result = delete_installation(installation, confirmation=confirmation)
        except DomainError as error:
            raise CommandError(error.messages[0]) from None
        self.stdout.write(
            _("%(url)s deleted: %(rows)d rows.") % {"url": result.saleor_api_url, "rows": sum(result.rows.values())}
        )
