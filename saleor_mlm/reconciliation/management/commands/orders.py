"""`saleor-mlm orders ...`: the orders Saleor has, compared with the ledger.

    saleor-mlm orders sync --since DATE [--until DATE] [--dry-run] [--restart] [--installation API_URL]
    saleor-mlm orders backfill --months N [--dry-run] [--installation API_URL]
    saleor-mlm orders parked [--reason REASON ...] [--unknown-codes] [--installation API_URL]
    saleor-mlm orders assign ORDER --partner CODE [--reason TEXT] [--installation API_URL]

`sync` reads Saleor's orders updated from DATE (until the end of `--until`, else up to
now), records the payments and refunds the ledger lacks and reports what it cannot settle
(docs/sync.md). A run stopped midway is resumed by the same command. `backfill` is a sync
of the last N months, as the first install offers. `parked` and `assign` are the ledger's
(ledger/management/attention_command.py): what waits, and orders whose code nobody had.
"""

from __future__ import annotations

import datetime
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saleor_mlm.installations.commands import ProgressBar, cli_user, installation_option
from saleor_mlm.installations.saleor_client import SaleorError
from saleor_mlm.ledger.management.attention_command import SUBCOMMANDS as ATTENTION_SUBCOMMANDS
from saleor_mlm.ledger.management.attention_command import add_attention_parsers, run_attention
from saleor_mlm.saleor.payloads import PayloadError

from ... import SyncStatus
from ...actions import MAX_BACKFILL_MONTHS, Counts, backfill_since, run_sync, start_sync
from ...models import SyncRun


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("%(value)s is not a date (YYYY-MM-DD)") % {"value": value}) from None


def start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class Command(BaseCommand):
    help = gettext_lazy(
        "Compare Saleor's orders with the ledger: credit the payments and refunds it lacks (sync, backfill); "
        "list parked orders and unknown referral codes (parked, assign)."
    )

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="{sync,backfill,parked,assign}")
        sync = subcommands.add_parser(
            "sync",
            help=_("read Saleor's orders updated since a date; credit what the ledger lacks, report what differs"),
            description=_(
                "Reads the orders updated in Saleor from --since (through --until), records the payments, refunds and "
                "cancellations the ledger lacks through the same path as the webhooks, and reports the orders it cannot "
                "settle without touching them. Run again to resume a run that stopped."
            ),
        )
        sync.add_argument("--since", required=True, metavar="DATE", help=_("first day (YYYY-MM-DD) of the orders' last update"))
        sync.add_argument("--until", metavar="DATE", help=_("last day (YYYY-MM-DD), inclusive; default: up to now"))
        sync.add_argument("--restart", action="store_true", help=_("start over instead of resuming an unfinished run of the same dates"))
        backfill = subcommands.add_parser(
            "backfill",
            help=_("sync the orders of the last N months (after the first install)"),
            description=_("A sync of the orders updated in the last N months, as the first install offers."),
        )
        backfill.add_argument("--months", type=int, required=True, metavar="N", help=_("how many months back, 1 to 120"))
        for command in (sync, backfill):
            command.add_argument("--dry-run", action="store_true", help=_("compare and report only; write nothing to the ledger"))
            command.add_argument(
                "--installation", metavar="API_URL", help=_("the Saleor API URL of the shop (needed when more than one is installed)")
            )
            command.add_argument("--by", metavar="USER", help=_("who runs it, kept on the run (default: cli:<unix user>)"))
            command.add_argument("--no-progress", action="store_true", help=_("no progress bar or progress lines on standard error"))
        add_attention_parsers(subcommands)

    def handle(self, *args, **options):
        if options["subcommand"] in ATTENTION_SUBCOMMANDS:
            run_attention(self, options)
            return
        installation = installation_option(options.get("installation"))
        if installation.is_demo:
            raise CommandError(_("The demo installation has no Saleor to sync with."))
        if options["subcommand"] == "backfill":
            months = options["months"]
            if not 1 <= months <= MAX_BACKFILL_MONTHS:
                raise CommandError(_("--months must be between 1 and %(max)d") % {"max": MAX_BACKFILL_MONTHS})
            since, until, restart = backfill_since(months), None, False
        else:
            since = start_of(_date(options["since"]))
            until = start_of(_date(options["until"]) + datetime.timedelta(days=1)) if options.get("until") else None
            if until is not None and until <= since:
                raise CommandError(_("--until is before --since"))
            restart = options.get("restart", False)
        run = start_sync(
            installation, since=since, until=until, dry_run=options["dry_run"], started_by=cli_user(options.get("by")), restart=restart
        )
        if run.cursor:
            self.stderr.write(_("Resuming sync #%(run)d after %(orders)d orders.") % {"run": run.pk, "orders": Counts.of(run).orders})
        bar = ProgressBar(getattr(self.stderr, "_out", sys.stderr), enabled=not options.get("no_progress"))
        try:
            run = run_sync(run, progress=bar)
        except (SaleorError, PayloadError) as error:
            bar.done()
            raise CommandError(
                _("Saleor: %(error)s. Sync #%(run)d stopped after %(orders)d orders; run the same command again to resume.")
                % {"error": error, "run": run.pk, "orders": Counts.of(run).orders}
            ) from None
        bar.done()
        self.stdout.write(report(run))


def report(run: SyncRun) -> str:
    """The run's report as the command prints it (docs/sync.md explains each line)."""
    counts = Counts.of(run)
    title = _("Dry run #%(run)d: nothing was written.") if run.dry_run else _("Sync #%(run)d.")
    lines = [
        title % {"run": run.pk},
        _("Orders read: %(n)d") % {"n": counts.orders},
        _("Payments credited: %(n)d") % {"n": counts.payments},
        _("Refunds and cancellations taken back: %(n)d") % {"n": counts.take_backs},
        _("Parked by the ledger: %(n)d (saleor-mlm retry-parked)") % {"n": counts.parked},
        _("Already in the ledger: %(n)d") % {"n": counts.already_recorded},
        _("Not paid: %(n)d") % {"n": counts.not_paid},
        _("Differences left for you: %(n)d") % {"n": counts.differences},
    ]
    for difference in run.differences:
        lines.append(f"  #{difference['number'] or difference['order']}  {difference['kind']}  {difference['detail']}")
    if run.status != SyncStatus.DONE:
        lines.append(_("Not finished: %(error)s") % {"error": run.error})
    return "\n".join(lines)
