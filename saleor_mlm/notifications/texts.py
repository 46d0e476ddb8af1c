"""Names of the kinds of notification as a partner reads them (settings, unsubscribe page)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import NotificationKind


def kind_label(kind: str) -> str:
    """What the mails of `kind` are about, to complete "e-mails about ..."."""
    return {
        NotificationKind.NEW_PARTNER: _("new partners on your first level"),
        NotificationKind.NEW_CUSTOMER: _("new customers"),
        NotificationKind.RANK_REACHED: _("ranks you reach"),
        NotificationKind.STATEMENT_READY: _("statements and credit notes"),
        NotificationKind.PAYOUT_SENT: _("payouts sent"),
        NotificationKind.PAYOUT_RETURNED: _("payouts returned"),
    }[kind]
