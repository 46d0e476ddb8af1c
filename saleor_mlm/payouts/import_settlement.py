"""The money side of a network import: career ranks and opening balances.

A partner brought in from another system may bring two figures that belong to the plan
and the payouts, not to the network:

- `career_rank`: checked against the ranks of the plan in force and kept on the partner
  (`Partner.imported_career_rank`); it is the partner's career rank before the first
  period settled here (`periods.fetch.previous_career_ranks`).
- `balance`: what the old system owed the partner (negative: what the partner owed) when
  it was left. It becomes the partner's *opening balance*: a `BalanceAdjustment` of the
  current open period whose reason starts with `OPENING_BALANCE_REASON`, so the next
  close pays it out with the partner's earnings (or carries it forward) like any
  adjustment (docs/periods.md, "Balances"). At most the plan currency's decimals. As
  every adjustment, it needs an approver other than the person who imports (four eyes).
  A later file with another balance adds the difference (another adjustment with the
  same prefix); the same balance again adds nothing. The opening balance of a partner is
  the sum of its adjustments with that prefix.

`network.imports.import_network` takes an `ImportSettlement` as its `settlement`.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from saleor_mlm.calendar import PeriodEventKind
from saleor_mlm.calendar.actions import open_period_for
from saleor_mlm.calendar.error_codes import PeriodErrorCode
from saleor_mlm.calendar.models import PeriodEvent
from saleor_mlm.core.bulk import allocate_ids, insert_columns
from saleor_mlm.core.errors import DomainError
from saleor_mlm.installations.models import Installation
from saleor_mlm.plans.fetch import plan_in_force, plan_of

from . import events
from .actions import adjustment_approver, clean_amount
from .models import BalanceAdjustment

OPENING_BALANCE_REASON = "Opening balance"


class ImportSettlement:
    """Career ranks and opening balances of one import (see the module's docstring)."""

    def __init__(self, installation: Installation, *, created_by: str, approved_by: str = ""):
        self.installation = installation
        self.created_by, self.approved_by = created_by, approved_by
        version = plan_in_force(installation.pk, timezone.localdate())
        self.plan = plan_of(version) if version else None

    def career_rank_codes(self) -> list[str]:
        return [rank.code for rank in self.plan.ranks] if self.plan else []

    def clean_balance(self, text: str) -> Decimal:
        if self.plan is None:
            raise DomainError(
                PeriodErrorCode.NO_PLAN,
                _("No plan is in force: activate the plan before importing balances (they are in its currency)."),
                field="balance",
            )
        return clean_amount(text, self.plan.minor_digits, "balance")

    def approval_error(self) -> DomainError | None:
        """Why opening balances cannot be written by these people, or None."""
        try:
            adjustment_approver(self.approved_by, self.created_by)
        except DomainError as error:
            return error
        return None

    def opening_balances(self) -> dict[int, Decimal]:
        rows = (
            BalanceAdjustment.objects.filter(installation=self.installation, reason__startswith=OPENING_BALANCE_REASON)
            .values("partner_id")
            .annotate(total=Sum("amount"))
            .order_by()
        )
        return {row["partner_id"]: row["total"] for row in rows}

    def write_opening_balances(self, amounts: dict[int, Decimal], *, note: str) -> None:
        """Add `amounts` (partner pk -> amount, none zero) to the opening balances, as
        adjustments of the open period, with their `adjustment_added` events."""
        approved_by, created_by = adjustment_approver(self.approved_by, self.created_by)
        now = timezone.now()
        period = open_period_for(self.installation, now)
        reason = f"{OPENING_BALANCE_REASON}: {note}"
        partners = sorted(amounts)
        ids = allocate_ids(BalanceAdjustment, len(partners))
        common = {"installation": self.installation.pk, "period": period.pk, "reason": reason, "created_at": now}
        insert_columns(
            BalanceAdjustment,
            len(ids),
            {"id": ids, "partner": partners, "amount": [amounts[pk] for pk in partners]},
            {**common, "approved_by": approved_by, "created_by": created_by},
        )
        data = [events.adjustment_added_data(pk, partner, amounts[partner], approved_by) for pk, partner in zip(ids, partners)]
        insert_columns(PeriodEvent, len(ids), {"data": data}, {**common, "kind": PeriodEventKind.ADJUSTMENT_ADDED, "actor": created_by})
