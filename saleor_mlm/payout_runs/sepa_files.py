"""Writing, executing and rejecting a run's SEPA files.

`write_sepa_file` puts every payable pending SEPA item of the run into one new file, in one
transaction that locks the items: an item moves to `sent` with its file or not at all, so it
is in exactly one file. The file is validated before it is stored (`sepa.build_file`).
The merchant uploads it to the bank and marks it executed (its items become `paid`), or
records the items the bank rejected or returned (`returns.back_to_balance`).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from saleor_mlm.core.errors import DomainError, required
from saleor_mlm.payouts import PayoutMethod
from saleor_mlm.payouts.balances import payout_settings
from saleor_mlm.payouts.error_codes import PayoutErrorCode
from saleor_mlm.payouts.models import PayoutProfile, PayoutSettings

from . import ItemStatus
from .events import items_changed
from .models import PayoutItem, PayoutRun, SepaFile
from .returns import back_to_balance
from .sepa import Debtor, Transfer, build_file


def _description(item: PayoutItem, period_label: str, language: str) -> str:
    with override(language or "en"):
        return _("Credit note %(number)s, commissions %(period)s") % {"number": item.end_to_end_id, "period": period_label}


def require_debtor(installation_id: int) -> PayoutSettings:
    """The payout settings, refused when the account the files debit is not set."""
    settings = payout_settings(installation_id)
    if not settings.debtor_name or not settings.encrypted_debtor_iban:
        raise DomainError(PayoutErrorCode.DEBTOR_NOT_CONFIGURED, _("Set the shop's bank account (name and IBAN) for SEPA files first."), field="debtor_iban")
    return settings


def write_sepa_file(run: PayoutRun, created_by: str) -> SepaFile | None:
    """The file of the run's payable SEPA items (None when there is none)."""
    with transaction.atomic():
        # Subqueries, not lists of ids, below: a run's items can be more than the 65,535 bind
        # parameters PostgreSQL takes; the rows are locked, so both name the same items.
        payable = PayoutItem.objects.filter(run=run, method=PayoutMethod.SEPA, status=ItemStatus.PENDING, skip_reason="")
        items = list(payable.select_for_update(of=("self",)).select_related("partner").order_by("id"))
        if not items:
            return None
        settings = require_debtor(run.installation_id)
        profiles = {p.partner_id: p for p in PayoutProfile.objects.filter(partner_id__in=payable.values("partner_id"))}
        label = f"{run.period.starts_on:%Y-%m}"
        transfers = []
        for item in items:
            profile = profiles[item.partner_id]
            transfers.append(
                Transfer(
                    name=profile.account_holder,
                    iban=profile.iban,
                    bic=profile.bic,
                    amount=item.amount,
                    end_to_end_id=item.end_to_end_id,
                    description=_description(item, label, item.partner.language),
                )
            )
        built = build_file(Debtor(settings.debtor_name, settings.debtor_iban, settings.debtor_bic), transfers, timezone.localdate())
        sepa_file = SepaFile.objects.create(
            run=run,
            installation_id=run.installation_id,
            message_id=built.message_id,
            content=built.content,
            sha256=built.sha256,
            transaction_count=built.transaction_count,
            control_sum=built.control_sum,
            created_by=created_by,
        )
        PayoutItem.objects.filter(pk__in=payable.values("pk")).update(status=ItemStatus.SENT, sepa_file=sepa_file, sent_at=timezone.now())
    return sepa_file


def mark_file_executed(sepa_file: SepaFile, executed_by: str) -> SepaFile:
    """The bank executed the file: its sent items are paid (rejected ones stay returned)."""
    executed_by = required(executed_by, "executed_by", code=PayoutErrorCode.REQUIRED)
    with transaction.atomic():
        locked = SepaFile.objects.select_for_update().get(pk=sepa_file.pk)
        if locked.executed_at is not None:
            raise DomainError(PayoutErrorCode.INVALID_STATUS, _("The SEPA file was marked executed already."))
        now = timezone.now()
        locked.executed_at, locked.executed_by = now, executed_by
        locked.save(update_fields=["executed_at", "executed_by"])
        PayoutItem.objects.select_for_update().filter(sepa_file=locked, status=ItemStatus.SENT).update(status=ItemStatus.PAID, paid_at=now)
        items_changed(PayoutItem.objects.filter(sepa_file=locked, status=ItemStatus.PAID, paid_at=now))
    return locked


def reject_items(sepa_file: SepaFile, end_to_end_ids: list[str], *, reason: str, rejected_by: str) -> list[PayoutItem]:
    """The bank rejected (or later returned) these transfers of the file: back on the balance."""
    wanted = [text.strip() for text in end_to_end_ids if text and text.strip()]
    if not wanted:
        raise DomainError(PayoutErrorCode.REQUIRED, _("Name the transfers by their end-to-end id (the credit note number)."), field="end_to_end_ids")
    found = dict(PayoutItem.objects.filter(sepa_file=sepa_file, end_to_end_id__in=wanted).values_list("end_to_end_id", "pk"))
    unknown = [text for text in wanted if text not in found]
    if unknown:
        raise DomainError(
            PayoutErrorCode.NOT_FOUND, _("Not in this file: %(ids)s.") % {"ids": ", ".join(unknown)}, field="end_to_end_ids"
        )
    with transaction.atomic():
        return [back_to_balance(found[text], status=ItemStatus.RETURNED, reason=reason, actor=rejected_by) for text in wanted]
