"""What `network import` and `customers import` share: options, running, the report."""

from __future__ import annotations

import sys

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from saleor_mlm.installations.commands import ProgressBar, cli_user, installation_option
from saleor_mlm.network.imports import ImportErrors, import_network
from saleor_mlm.payouts.import_settlement import ImportSettlement


def add_import_arguments(parser, *, what: str) -> None:
    parser.add_argument("file", metavar="FILE.csv", help=_("the CSV file to import (UTF-8 with a header; commas between fields, or semicolons and decimal commas as German Excel saves it)"))
    parser.add_argument(
        "--installation", metavar="API_URL", help=_("the Saleor API URL of the shop to import into (needed when more than one is installed)")
    )
    parser.add_argument(
        "--dry-run", action="store_true", help=_("check the whole file and report what would change, without writing anything")
    )
    parser.add_argument("--by", metavar="USER", default="", help=_("who imports (an e-mail), kept in the history; default: cli:<unix user>"))
    if what == "network":
        parser.add_argument(
            "--approved-by",
            metavar="USER",
            default="",
            help=_("who approved the opening balances of the 'balance' column (someone other than --by; needed when the file has balances)"),
        )
    parser.add_argument("--no-progress", action="store_true", help=_("no progress bar or progress lines on standard error"))


def _counts(label: str, counts) -> str:
    return _("%(label)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged") % {
        "label": label,
        "created": counts.created,
        "updated": counts.updated,
        "unchanged": counts.unchanged,
    }


def run_import(command, options, *, customers_only: bool) -> None:
    installation = installation_option(options.get("installation"))
    changed_by = cli_user(options.get("by"))
    settlement = ImportSettlement(installation, created_by=changed_by, approved_by=options.get("approved_by") or "")
    bar = ProgressBar(getattr(command.stderr, "_out", sys.stderr), enabled=not options.get("no_progress"))
    try:
        result = import_network(
            installation,
            options["file"],
            changed_by=changed_by,
            customers_only=customers_only,
            dry_run=options.get("dry_run", False),
            settlement=settlement,
            progress=bar,
        )
    except ImportErrors as error:
        bar.done()
        count = len(error.errors)
        raise CommandError(_("%(count)d error(s), nothing imported:\n%(errors)s") % {"count": count, "errors": error}) from None
    except OSError as error:
        bar.done()
        raise CommandError(f"{error.filename}: {error.strerror}") from None
    bar.done()
    lines = [_("%(file)s: %(rows)d rows") % {"file": result.file_name, "rows": result.rows}]
    if not customers_only:
        lines.append(_counts(_("partners"), result.partners))
    lines.append(_counts(_("customers"), result.customers))
    if result.balances:
        lines.append(_("opening balances: %(count)d set or corrected") % {"count": result.balances})
    if result.dry_run:
        lines.append(_("dry run: nothing was written"))
    elif result.record is not None:
        lines.append(_("recorded as import #%(number)d") % {"number": result.record.pk})
    command.stdout.write("\n".join(lines))
