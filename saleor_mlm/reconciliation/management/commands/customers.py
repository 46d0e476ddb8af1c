"""`saleor-mlm customers import FILE.csv [--installation API_URL] [--dry-run] [--by USER]`.

Customers only: columns `id` and `sponsor_id` (the referral code of a partner, or empty
for a house customer), optionally `care_id,care_share,email,first_name,last_name,
saleor_user_id` (and `kind`, which must be `customer`). A customer is found again by its
Saleor user, else by its e-mail; every error is reported at `file:line:column` and
nothing is written if there is one (docs/network.md, "Moving an existing network in").
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..import_command import add_import_arguments, run_import


class Command(BaseCommand):
    help = gettext_lazy("Import customers from a CSV file (subcommand: import).")

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="{import}")
        do_import = subcommands.add_parser(
            "import",
            help=_("import customers (creates new ones, updates known ones by Saleor user or e-mail, with history)"),
            description=_(
                "Columns: id,sponsor_id and optionally care_id,care_share,email,first_name,last_name,saleor_user_id. "
                "sponsor_id and care_id are partners' referral codes. Every error is reported with its line and column; "
                "nothing is written if there is any."
            ),
        )
        add_import_arguments(do_import, what="customers")

    def handle(self, *args, **options):
        run_import(self, options, customers_only=True)
