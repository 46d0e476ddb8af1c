"""`saleor-mlm privacy ...`: a person's rights (GDPR Art. 15, 17, 20).

    saleor-mlm privacy export (--partner CODE | --customer EMAIL) FILE.json [--installation API_URL]
    saleor-mlm privacy erase (--partner CODE | --customer EMAIL) [--reason TEXT] [--by USER] [--yes]

`export` writes everything the app keeps about the person as one JSON document;
`erase` pseudonymises them everywhere and keeps the bookings (privacy.erasure).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saleor_mlm.core.errors import DomainError
from saleor_mlm.installations.commands import cli_user, installation_option
from saleor_mlm.network.codes import partner_by_referral_code
from saleor_mlm.network.models import Customer, Partner
from saleor_mlm.privacy.erasure import erase_customer, erase_partner
from saleor_mlm.privacy.person_export import export_person
from saleor_mlm.privacy.serialize import dumps

INSTALLATION_HELP = gettext_lazy("the Saleor API URL of the shop (needed when more than one is installed)")


def _person_arguments(parser) -> None:
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--partner", metavar="CODE", help=_("the partner's referral or voucher code"))
    who.add_argument("--customer", metavar="EMAIL", help=_("the customer's e-mail (or customer id)"))
    parser.add_argument("--installation", metavar="API_URL", help=INSTALLATION_HELP)


class Command(BaseCommand):
    help = gettext_lazy("Export a partner's or customer's data as JSON, or erase it (GDPR).")

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="{export,erase}")
        export = subcommands.add_parser("export", help=_("write everything kept about a person into a JSON file"))
        _person_arguments(export)
        export.add_argument("file", metavar="FILE.json", help=_("the JSON file to write ('-' for standard output)"))
        erase = subcommands.add_parser(
            "erase",
            help=_("pseudonymise a person's data everywhere; bookings and credit notes are kept"),
            description=_("A partner must be terminated first. Cannot be undone."),
        )
        _person_arguments(erase)
        erase.add_argument("--reason", default="", help=_("why, e.g. the request's reference (kept in the erasure record)"))
        erase.add_argument("--by", metavar="USER", help=_("who erases (default: cli:<unix user>)"))
        erase.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))

    def handle(self, *args, **options):
        installation = installation_option(options.get("installation"))
        person = self.person(installation, options)
        if options["subcommand"] == "export":
            text = dumps(export_person(person)) + "\n"
            if options["file"] == "-":
                self.stdout.write(text, ending="")
            else:
                with open(options["file"], "w", encoding="utf-8") as handle:
                    handle.write(text)
                self.stdout.write(_("%(file)s written.") % {"file": options["file"]})
            return
        if not options["yes"]:
            answer = input(_("Erase %(who)s for good? Type 'erase' to confirm: ") % {"who": person.email})
            if answer.strip() != "erase":
                raise CommandError(_("Nothing erased."))
        erase = erase_partner if isinstance(person, Partner) else erase_customer
        try:
            result = erase(person, erased_by=cli_user(options.get("by")), reason=options["reason"])
        except DomainError as error:
            raise CommandError(error.messages[0]) from None
        self.stdout.write(
            _("Erased: %(rows)d rows rewritten; ledger entries and credit notes kept.") % {"rows": sum(result.changed.values())}
        )

    def person(self, installation, options) -> Partner | Customer:
        if options.get("partner"):
            partner = partner_by_referral_code(installation.pk, options["partner"])
            if partner is None:
                raise CommandError(_("No partner with the code %(code)s.") % {"code": options["partner"]})
            return partner
        value = options["customer"].strip()
        customers = Customer.objects.filter(installation=installation)
        found = list(customers.filter(pk=int(value))) if value.isdigit() else list(customers.filter(email__iexact=value)[:2])
        if len(found) != 1:
            raise CommandError(
                _("No customer %(who)s.") % {"who": value} if not found else _("More than one customer has %(who)s: give the customer id.") % {"who": value}
            )
        return found[0]
