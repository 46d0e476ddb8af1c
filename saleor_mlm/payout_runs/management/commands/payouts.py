"""`saleor-mlm payouts ...`: the payout runs of committed periods (docs/payouts.md).

    saleor-mlm payouts create   [--installation URL] --period 2026-10 [--by USER]
    saleor-mlm payouts approve  [--installation URL] --period 2026-10 --by USER
    saleor-mlm payouts execute  [--installation URL] --period 2026-10 [--by USER] [--limit N]
    saleor-mlm payouts sepa     [--installation URL] --period 2026-10 --out FILE
    saleor-mlm payouts status   [--installation URL] --period 2026-10

`execute` sends the Stripe Transfers and writes the SEPA file; run it again to resume after
an interruption (nothing is paid twice) or to pay partners who were skipped. `sepa` writes
the newest SEPA file of the period's run (the one to upload to the bank).
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from saleor_mlm.calendar.actions import get_period
from saleor_mlm.installations.commands import cli_user, installation_option

from ...models import PayoutRun
from ...runs import approve_run, create_run, execute_run, run_totals


class Command(BaseCommand):
    help = "Payout runs of committed periods: create, approve, execute, and write the SEPA file."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        helps = {
            "create": "List the payouts of a committed period (a second person approves)",
            "approve": "Approve a period's payout run (not its creator)",
            "execute": "Send the Stripe Transfers and write the SEPA file; again to resume",
            "sepa": "Write the period's SEPA credit transfer file (pain.001.001.09)",
            "status": "The run's items per state",
        }
        for name, text in helps.items():
            p = sub.add_parser(name, help=text)
            p.add_argument("--installation", metavar="API_URL", help="Saleor API URL (needed when more than one is installed)")
            p.add_argument("--period", required=True, metavar="YYYY-MM", help=_("the period, a calendar month"))
            if name in ("create", "approve", "execute"):
                p.add_argument("--by", default="", metavar="USER", help="who does it (an e-mail); default: cli:<unix user>")
            if name == "execute":
                p.add_argument("--limit", type=int, metavar="N", help="stop after N Stripe Transfers (pay in slices)")
            if name == "sepa":
                p.add_argument("--out", required=True, metavar="FILE", help="where to write the XML")

    def handle(self, *args, **options):
        try:
            installation = installation_option(options.get("installation"))
            period = get_period(installation, options["period"])
            getattr(self, "do_" + options["subcommand"])(installation, period, options)
        except ValidationError as error:
            raise CommandError(getattr(error, "message", None) or "; ".join(error.messages)) from None

    def run_of(self, period) -> PayoutRun:
        run = PayoutRun.objects.filter(period=period).first()
        if run is None:
            raise CommandError(_("%(period)s has no payout run: create one first.") % {"period": period.label})
        return run

    def report(self, run: PayoutRun) -> None:
        totals = run_totals(run)
        parts = [f"{status} {count} ({amount} {run.currency})" for status, (count, amount) in sorted(totals["by_status"].items())]
        self.stdout.write(f"payout run {run.pk} of {run.period.label}: {run.status}; " + ", ".join(parts) + f"; skipped {totals['skipped']}")

    def do_create(self, installation, period, options):
        self.report(create_run(installation, period, cli_user(options.get("by"))))

    def do_approve(self, installation, period, options):
        self.report(approve_run(installation, self.run_of(period), cli_user(options.get("by"))))

    def do_execute(self, installation, period, options):
        self.report(execute_run(installation, self.run_of(period), cli_user(options.get("by")), limit=options.get("limit")))

    def do_status(self, installation, period, options):
        self.report(self.run_of(period))

    def do_sepa(self, installation, period, options):
        sepa_file = self.run_of(period).sepa_files.order_by("-id").first()
        if sepa_file is None:
            raise CommandError(_("The payout run of %(period)s has no SEPA file: execute it first.") % {"period": period.label})
        Path(options["out"]).write_text(sepa_file.content, encoding="utf-8")
        self.stdout.write(
            f"{options['out']}: {sepa_file.transaction_count} transfers, {sepa_file.control_sum} EUR, message {sepa_file.message_id}"
        )
