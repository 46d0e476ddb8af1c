"""`saleor-mlm period ...`: the month end from the command line.

    saleor-mlm period status     [--installation URL] [--period 2026-10]
    saleor-mlm period close      [--installation URL] --period 2026-10 [--by USER]
    saleor-mlm period preview    [--installation URL] --period 2026-11 [--by USER]
    saleor-mlm period approve    [--installation URL] --period 2026-10 --by USER
    saleor-mlm period reopen     [--installation URL] --period 2026-10 --by USER --reason TEXT
    saleor-mlm period commit     [--installation URL] --period 2026-10 --by USER
    saleor-mlm period statements [--installation URL] --period 2026-10 --csv FILE [--partner CODE]
    saleor-mlm period plan-add   [--installation URL] --file plan.yaml [--name N] [--activate-from 2026-10] [--by USER]
    saleor-mlm period what-if    [--installation URL] --period 2026-10 --plan-version ID [--top 20] [--by USER]

`close` and `preview` run in this process with a progress bar (the same steps as the
Celery task; a close interrupted half-way resumes when run again). `--installation` may
be left out when only one installation exists.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from saleor_mlm.calendar.actions import get_period
from saleor_mlm.calendar.models import Period
from saleor_mlm.installations.commands import ProgressBar, cli_user, installation_option
from saleor_mlm.installations.models import Installation
from saleor_mlm.network.models import Partner
from saleor_mlm.periods import RunStatus
from saleor_mlm.periods.actions import approve_period, close_period, commit_period, preview_period, reopen_period, standing_run
from saleor_mlm.periods.close_runs import close_runs
from saleor_mlm.periods.runs import execute_run
from saleor_mlm.periods.whatif import start_what_if
from saleor_mlm.plans.actions import activate_plan_version, create_plan_version
from saleor_mlm.plans.models import PlanVersion

from ...exports import write_statement_lines_csv, write_statements_csv
from ...partner import partner_statement


class Command(BaseCommand):
    help = "Month end: close, preview, approve, re-open and commit periods; statements; plan versions; what-if."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)

        def command(name, help_text, period=True, by=True):
            p = sub.add_parser(name, help=help_text)
            p.add_argument("--installation", metavar="API_URL", help="Saleor API URL (needed when more than one is installed)")
            if period:
                p.add_argument("--period", required=name != "status", metavar="YYYY-MM", help=_("the period, a calendar month"))
            if by:
                p.add_argument("--by", default="", metavar="USER", help="who does it (an e-mail); default: cli:<unix user>")
            return p

        command("status", "Periods and their runs", by=False)
        close = command("close", "Close a period and run it (resumes an interrupted close)")
        close.add_argument("--no-progress", action="store_true", help=_("no progress bar on standard error"))
        preview = command("preview", "Projected figures of an open period")
        preview.add_argument("--no-progress", action="store_true", help=_("no progress bar on standard error"))
        command("approve", "Approve a closed period (someone other than who closed it)")
        reopen = command("reopen", "Re-open a closed or approved period")
        reopen.add_argument("--reason", required=True, help=_("why the period is re-opened (kept in its history)"))
        command("commit", "Commit an approved period (final)")
        statements = command("statements", "Export statements as CSV", by=False)
        statements.add_argument("--csv", required=True, metavar="FILE", help="'-' for standard output")
        statements.add_argument("--partner", metavar="CODE", help="one partner's statement lines instead of everybody's summary")
        plan = command("plan-add", "Store a plan document as a draft version (and activate it)", period=False)
        plan.add_argument("--file", required=True, help=_("the plan document (YAML or JSON)"))
        plan.add_argument("--name", default="", help=_("a name for the version (default: the file name without its extension)"))
        plan.add_argument("--activate-from", metavar="YYYY-MM", help=_("activate the version from this period on (default: stays a draft)"))
        what_if = command("what-if", "Compare a plan version with the period's figures")
        what_if.add_argument("--plan-version", type=int, required=True, help=_("the id of the plan version to compare"))
        what_if.add_argument("--top", type=int, default=20, help=_("how many partners with the largest differences to list (default 20)"))

    def handle(self, *args, **options):
        handler = getattr(self, "do_" + options["subcommand"].replace("-", "_"))
        try:
            handler(self.installation(options.get("installation")), options)
        except ValidationError as error:
            messages = getattr(error, "message", None) or "; ".join(error.messages)
            raise CommandError(messages) from None

    # ------------------------------------------------------------------ helpers

    def installation(self, api_url: str | None) -> Installation:
        return installation_option(api_url)

    def user(self, options) -> str:
        return cli_user(options.get("by"))

    def run_with_bar(self, run, options):
        bar = ProgressBar(sys.stderr, enabled=not options.get("no_progress"))
        try:
            run = execute_run(run.pk, progress=bar)
        except Exception as exc:
            bar.done()
            raise CommandError(f"run {run.pk} failed: {exc} (run the command again to resume)") from None
        bar.done()
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(f"run {run.pk} is {run.status}")
        totals = run.summary.get("totals", {})
        stats = run.summary.get("statistics", {})
        program = f" in program {run.program.code}" if run.program_id else ""
        self.stdout.write(
            f"{run.kind} of {run.period.label}{program}: run {run.pk} {run.status}; {stats.get('partners', 0)} partners, "
            f"{stats.get('qualified', 0)} qualified, total {totals.get('total')} {run.currency} on BV {totals.get('bv')} "
            f"(payout ratio {stats.get('payout_ratio')} %)"
        )
        for warning in run.warnings:
            self.stdout.write(f"warning: {warning}")
        return run

    # ------------------------------------------------------------------ subcommands

    def do_status(self, installation, options):
        periods = Period.objects.filter(installation=installation).select_related("close_run").order_by("starts_on")
        if options.get("period"):
            periods = [get_period(installation, options["period"])]
        for period in periods:
            run = standing_run(period)
            figures = f"run {run.pk} ({run.kind}) total {run.summary.get('totals', {}).get('total')}" if run else "no figures"
            self.stdout.write(f"{period.label}  {period.status:<9}  {figures}")
            for other in period.runs.exclude(status=RunStatus.SUCCEEDED).exclude(status=RunStatus.SUPERSEDED).order_by("id"):
                self.stdout.write(f"           run {other.pk} {other.kind} {other.status} {other.phase} {other.percent}%")

    def do_close(self, installation, options):
        period = get_period(installation, options["period"], create=True)
        close_period(installation, period, self.user(options), enqueue=False)
        # The default program's close run first, then every other program's.
        for run in close_runs(period.pk):
            if run.status in RunStatus.UNFINISHED:
                self.run_with_bar(run, options)

    def do_preview(self, installation, options):
        period = get_period(installation, options["period"], create=True)
        run = preview_period(installation, period, self.user(options), enqueue=False)
        self.run_with_bar(run, options)

    def do_approve(self, installation, options):
        period = approve_period(installation, get_period(installation, options["period"]), self.user(options))
        self.stdout.write(f"{period.label} approved by {period.approved_by}")

    def do_reopen(self, installation, options):
        period = reopen_period(installation, get_period(installation, options["period"]), self.user(options), options["reason"])
        self.stdout.write(f"{period.label} re-opened")

    def do_commit(self, installation, options):
        period = commit_period(installation, get_period(installation, options["period"]), self.user(options))
        self.stdout.write(f"{period.label} committed by {period.committed_by}")

    def do_statements(self, installation, options):
        period = get_period(installation, options["period"])
        target = options["csv"]
        handle = sys.stdout if target == "-" else open(target, "w", newline="", encoding="utf-8")
        try:
            if options.get("partner"):
                partner = Partner.objects.filter(installation=installation, referral_code__iexact=options["partner"]).first()
                if partner is None:
                    raise CommandError(f"No partner with the code {options['partner']!r}.")
                count = write_statement_lines_csv(partner_statement(installation, partner, period), handle)
                what = f"statement lines of {partner.referral_code}"
            else:
                count = write_statements_csv(installation, period, handle)
                what = "partners"
        finally:
            if handle is not sys.stdout:
                handle.close()
        if target != "-":
            self.stdout.write(f"{count} {what} written to {target}")

    def do_plan_add(self, installation, options):
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        version = create_plan_version(installation, options["name"] or path.stem, text, self.user(options))
        if version.errors:
            problems = "\n".join(f"  {e['key']}: {e['message']}" for e in version.errors)
            self.stdout.write(f"plan version {version.pk} stored as a draft with problems:\n{problems}")
        if options.get("activate_from"):
            version = activate_plan_version(version, options["activate_from"], self.user(options))
        self.stdout.write(f"plan version {version.pk} {version.name!r}: {version.status}" + (f" from {version.in_force_from:%Y-%m}" if version.in_force_from else ""))

    def do_what_if(self, installation, options):
        period = get_period(installation, options["period"])
        version = PlanVersion.objects.filter(installation=installation, pk=options["plan_version"]).first()
        if version is None:
            raise CommandError(f"No plan version {options['plan_version']}.")
        run = start_what_if(installation, period, version, self.user(options), top=options["top"], enqueue=False)
        bar = ProgressBar(sys.stderr)
        run = execute_run(run.pk, progress=bar)
        bar.done()
        summary = run.summary
        for side in ("base", "draft"):
            data = summary[side]
            self.stdout.write(f"{side:<6} {data['plan']!r}: total {data['totals']['total']} (payout ratio {data['payout_ratio']} %)")
            self.stdout.write("       " + ", ".join(f"{kind} {value}" for kind, value in data["totals"].items() if kind != "total"))
            self.stdout.write("       ranks: " + ", ".join(f"{code} {count}" for code, count in data["paid_as_ranks"].items()))
        self.stdout.write(f"difference {summary['difference']}; {summary['partners_changed']} partners change")
        for change in summary["changes"]:
            self.stdout.write(f"  {change['referral_code']:<10} {change['base_total']:>12} -> {change['draft_total']:>12} ({change['difference']})")
