"""`saleor-mlm orders parked|assign`: orders the merchant has to look at (the `orders`
command itself lives in reconciliation, next to `sync` and `backfill`).

    saleor-mlm orders parked [--installation API_URL] [--reason REASON ...] [--unknown-codes]
    saleor-mlm orders assign ORDER --partner CODE [--reason TEXT] [--by USER] [--installation API_URL]

`parked` lists the order events that could not be credited yet with their reasons (and the
referral code each order carried); with `--unknown-codes`, the orders credited to a house
customer because their referral code was nobody's. `assign` gives such an order's house
customer to the partner meant (ledger.attention, docs/ledger.md).
"""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saleor_mlm.core.errors import DomainError
from saleor_mlm.installations.commands import cli_user, installation_option
from saleor_mlm.ledger import ParkReason
from saleor_mlm.ledger.attention import (
    assign_unknown_code_order,
    carried_referral_code,
    find_order,
    parked_order_events,
    referral_key,
    unknown_code_orders,
)
from saleor_mlm.network.codes import partner_by_referral_code

INSTALLATION_HELP = gettext_lazy("the Saleor API URL of the shop (needed when more than one is installed)")


SUBCOMMANDS = ("parked", "assign")


def add_attention_parsers(subcommands) -> None:
    """The `parked` and `assign` subcommands, added to the `orders` command's parsers."""
    parked = subcommands.add_parser(
        "parked",
        help=_("list the order events not credited yet, with their reasons"),
        description=_("Parked order events are retried when what they wait for arrives (saleor-mlm retry-parked)."),
    )
    parked.add_argument("--installation", metavar="API_URL", help=INSTALLATION_HELP)
    parked.add_argument(
        "--reason",
        action="append",
        choices=[value for value, _label in ParkReason.CHOICES],
        help=_("only events parked for this reason (may be given more than once)"),
    )
    parked.add_argument(
        "--unknown-codes",
        action="store_true",
        help=_("list the orders credited to a house customer because nobody had their referral code instead"),
    )
    assign = subcommands.add_parser(
        "assign",
        help=_("give the house customer of an order with an unknown referral code to a partner"),
        description=_("Nothing in the ledger moves: the customer's volume of open periods counts for the partner from now on."),
    )
    assign.add_argument("order", metavar="ORDER", help=_("the order's number or Saleor order id"))
    assign.add_argument("--partner", metavar="CODE", required=True, help=_("the referral or voucher code of the partner meant"))
    assign.add_argument("--reason", default="", help=_("why (kept in the network's history)"))
    assign.add_argument("--by", metavar="USER", help=_("who assigns it (default: cli:<unix user>)"))
    assign.add_argument("--installation", metavar="API_URL", help=INSTALLATION_HELP)


def run_attention(command, options) -> None:
    installation = installation_option(options.get("installation"))
    if options["subcommand"] == "assign":
        _assign(command, installation, options)
    elif options.get("unknown_codes"):
        _unknown_codes(command, installation)
    else:
        _parked(command, installation, options.get("reason") or ())


def _parked(command, installation, reasons) -> None:
    key = referral_key(installation.pk)
    rows = list(parked_order_events(installation.pk, reasons=reasons).order_by("created_at", "pk"))
    for row in rows:
        code = carried_referral_code(row.order, key)
        command.stdout.write(
            "\t".join(
                (
                    f"#{row.order.number or row.order.saleor_order_id}",
                    row.order_event.kind,
                    row.reason,
                    row.created_at.date().isoformat(),
                    str(row.attempts),
                    code or "-",
                    row.message,
                )
            )
        )
    command.stdout.write(_("%(count)d parked order events.") % {"count": len(rows)})


def _unknown_codes(command, installation) -> None:
    rows = list(unknown_code_orders(installation.pk).order_by("created_at", "pk"))
    for row in rows:
        sponsor = row.customer.sponsor.referral_code if row.customer.sponsor_id else _("house customer")
        command.stdout.write(
            "\t".join(
                (
                    f"#{row.order.number or row.order.saleor_order_id}",
                    row.unknown_referral_code,
                    row.order.user_email or "-",
                    f"PV {row.pv} BV {row.bv}",
                    sponsor,
                )
            )
        )
    command.stdout.write(_("%(count)d orders with an unknown referral code.") % {"count": len(rows)})


def _assign(command, installation, options) -> None:
    partner = partner_by_referral_code(installation.pk, options["partner"])
    if partner is None:
        raise CommandError(_("No partner with the code %(code)s.") % {"code": options["partner"]})
    try:
        order = find_order(installation.pk, options["order"])
        customer = assign_unknown_code_order(order, partner, changed_by=cli_user(options.get("by")), reason=options["reason"])
    except DomainError as error:
        raise CommandError(error.messages[0]) from None
    command.stdout.write(
        _("%(customer)s is a customer of %(partner)s now.") % {"customer": customer.email or customer.pk, "partner": partner.referral_code}
    )
