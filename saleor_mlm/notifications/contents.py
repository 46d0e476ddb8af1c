"""What each kind of mail says, written from the rows as they are when it is sent.

A mail is a subject, a heading, paragraphs, facts (a label and a value each) and a button
to the office page that shows more; `mail.html` and `mail.txt` lay them out. Texts come
from the gettext catalogs and are written in the language active when `content_of` is
called (`sending` activates the partner's). Amounts and months are formatted for that
language with Babel, as the credit notes' PDFs are.

`content_of` returns None when the event's rows are gone (an erased installation's items):
the notification is skipped, not sent empty.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from saleor_mlm.calendar.models import Period
from saleor_mlm.credit_notes.document import DocumentKind
from saleor_mlm.credit_notes.fetch import in_force_credit_note
from saleor_mlm.network.models import Customer, Partner, display_name
from saleor_mlm.payout_runs import ItemStatus
from saleor_mlm.payout_runs.models import PayoutItem, PayoutReversal
from saleor_mlm.payouts import BalanceReason, PayoutMethod
from saleor_mlm.payouts.models import PartnerBalance
from saleor_mlm.plans.rank_names import rank_name

from . import NotificationKind
from .links import office_url
from .models import Notification


@dataclass(frozen=True)
class Content:
    subject: str
    heading: str
    paragraphs: list[str]
    button: tuple[str, str]  # (text, office URL)
    facts: list[tuple[str, str]] = field(default_factory=list)


def money(amount: Decimal, currency: str) -> str:
    return format_currency(amount, currency, locale=get_language())


def month(period: Period) -> str:
    return format_date(period.starts_on, "MMMM y", locale=get_language())


def day(moment: datetime.date | datetime.datetime | None) -> str:
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment).date()
    return format_date(moment or timezone.localdate(), "long", locale=get_language())


def _new_partner(notification: Notification) -> Content | None:
    partner = Partner.objects.filter(pk=notification.data.get("partner")).first()
    if partner is None:
        return None
    name = partner.display_name
    return Content(
        subject=_("New in your team: %(name)s") % {"name": name},
        heading=_("%(name)s is a partner on your first level") % {"name": name},
        paragraphs=[_("Welcome them and help them with their first steps. Your team page shows their figures as they grow.")],
        facts=[(_("Partner"), name), (_("Referral code"), partner.referral_code), (_("Since"), day(partner.enrolled_at))],
        button=(_("Open your team"), office_url("team")),
    )


def _new_customer(notification: Notification) -> Content | None:
    customer = Customer.objects.filter(pk=notification.data.get("customer")).first()
    if customer is None:
        return None
    name = display_name(customer.first_name, customer.last_name, customer.email)
    return Content(
        subject=_("New customer: %(name)s") % {"name": name},
        heading=_("%(name)s is your customer now") % {"name": name},
        paragraphs=[_("Their orders count towards your volume from now on. Your customers page shows what each brought this month.")],
        facts=[(_("Customer"), name), (_("Since"), day(customer.attributed_at or customer.created_at))],
        button=(_("Open your customers"), office_url("customers")),
    )


def _rank_name(period: Period, code: str) -> str:
    """The rank's name as the plan the period was run with names it (`plans.rank_names`)."""
    run = period.close_run
    document = run.plan_version.document if run is not None and run.plan_version is not None else None
    return rank_name(code, document, get_language())


def _rank_reached(notification: Notification) -> Content | None:
    period = Period.objects.select_related("close_run__plan_version").filter(pk=notification.data.get("period")).first()
    if period is None:
        return None
    rank = _rank_name(period, notification.data.get("rank", ""))
    facts = [(_("Month"), month(period)), (_("Career rank"), rank)]
    if notification.data.get("previous"):
        facts.append((_("Before"), _rank_name(period, notification.data["previous"])))
    return Content(
        subject=_("Congratulations: you reached the rank %(rank)s") % {"rank": rank},
        heading=_("You are %(rank)s now") % {"rank": rank},
        paragraphs=[_("In %(month)s you reached the career rank %(rank)s. Your home page shows what the next rank asks for.") % {"month": month(period), "rank": rank}],
        facts=facts,
        button=(_("Open your partner office"), office_url()),
    )


def _statement_ready(notification: Notification) -> Content | None:
    period = Period.objects.filter(pk=notification.data.get("period")).first()
    balance = PartnerBalance.objects.filter(period_id=notification.data.get("period"), partner_id=notification.partner_id).first()
    if period is None or balance is None:
        return None
    currency = period.close_run.currency if period.close_run else "EUR"
    name = month(period)
    facts = [(_("Earned"), money(balance.earned, currency))]
    paragraphs = [_("Your statement for %(month)s is final.") % {"month": name}]
    note = in_force_credit_note(period.pk, notification.partner_id)
    if note is not None:
        document = _("statement") if note.kind == DocumentKind.STATEMENT else _("credit note")
        paragraphs.append(
            _("Your %(document)s %(number)s over %(amount)s is ready to download on your earnings page.")
            % {"document": document, "number": note.number, "amount": money(note.gross, note.currency)}
        )
        facts += [(_("Document"), note.number), (_("To be paid"), money(note.gross, note.currency))]
    if balance.carried_forward:
        facts.append((_("Carried forward"), money(balance.carried_forward, currency)))
        if balance.reason == BalanceReason.TAX_PROFILE:
            paragraphs.append(_("Your tax profile is incomplete: complete it on your profile page, and the amount is paid with your next statement."))
        else:
            paragraphs.append(_("The amount is carried forward and paid with a later month."))
    return Content(
        subject=_("Your statement for %(month)s is ready") % {"month": name},
        heading=_("Your statement for %(month)s") % {"month": name},
        paragraphs=paragraphs,
        facts=facts,
        button=(_("Open the statement"), office_url(f"earnings/{period.label}")),
    )


def _method(item: PayoutItem) -> str:
    return _("to your Stripe account") if item.method == PayoutMethod.STRIPE else _("by bank transfer")


def _payout_sent(notification: Notification) -> Content | None:
    item = PayoutItem.objects.select_related("run__period", "credit_note").filter(pk=notification.data.get("item")).first()
    if item is None:
        return None
    amount = money(item.amount, item.currency)
    return Content(
        subject=_("Your payout of %(amount)s is on its way") % {"amount": amount},
        heading=_("We paid you %(amount)s") % {"amount": amount},
        paragraphs=[_("Your earnings of %(month)s were paid %(method)s.") % {"month": month(item.run.period), "method": _method(item)}],
        facts=[(_("Amount"), amount), (_("Month"), month(item.run.period)), (_("Document"), item.credit_note.number), (_("Paid on"), day(item.paid_at))],
        button=(_("Open your earnings"), office_url("earnings")),
    )


def _payout_returned(notification: Notification) -> Content | None:
    item = PayoutItem.objects.select_related("run__period").filter(pk=notification.data.get("item")).first()
    if item is None:
        return None
    reversal = PayoutReversal.objects.filter(pk=notification.data["reversal"]).first() if notification.data.get("reversal") else None
    if reversal is not None:
        amount, reason = money(reversal.amount, item.currency), reversal.reason
    else:
        amount, reason = money(item.amount, item.currency), item.return_reason
    heading = _("Your payout of %(amount)s could not be made") if item.status == ItemStatus.FAILED else _("Your payout of %(amount)s came back")
    facts = [(_("Amount"), amount), (_("Month"), month(item.run.period))]
    if reason:
        facts.append((_("Reason"), reason))
    return Content(
        subject=heading % {"amount": amount},
        heading=heading % {"amount": amount},
        paragraphs=[
            _("The amount is back on your balance and is paid with your next statement."),
            _("Please check your payout details in your profile."),
        ],
        facts=facts,
        button=(_("Open your profile"), office_url("profile")),
    )


CONTENTS: dict[str, Callable[[Notification], Content | None]] = {
    NotificationKind.NEW_PARTNER: _new_partner,
    NotificationKind.NEW_CUSTOMER: _new_customer,
    NotificationKind.RANK_REACHED: _rank_reached,
    NotificationKind.STATEMENT_READY: _statement_ready,
    NotificationKind.PAYOUT_SENT: _payout_sent,
    NotificationKind.PAYOUT_RETURNED: _payout_returned,
}


def content_of(notification: Notification) -> Content | None:
    return CONTENTS[notification.kind](notification)
