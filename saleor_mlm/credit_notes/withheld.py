"""Partners whose document a committed period could not issue: their tax profile was
missing or incomplete, so their amount was carried forward (reason `tax_profile`,
`issue.issue_for_period`). The merchant's list of whom to ask for what; a profile completed
since lacks nothing, and their next committed period issues the document."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from saleor_mlm.calendar.models import Period
from saleor_mlm.network.actions.tax_profiles import missing_profile_fields
from saleor_mlm.network.fetch import tax_profiles_in_force
from saleor_mlm.network.models import Partner
from saleor_mlm.payouts import BalanceReason
from saleor_mlm.payouts.models import PartnerBalance

# A partner with no tax profile at all lacks the whole profile.
WHOLE_PROFILE = "tax_profile"


@dataclass(frozen=True)
class Withheld:
    partner: Partner
    carried_forward: Decimal  # as stored (4 places)
    currency: str  # the plan currency the period was closed in
    minor_digits: int
    missing: list[str]  # field names of the tax profile; empty once completed


def withheld_for_tax_profile(period: Period) -> list[Withheld]:
    """The period's partners without a document for their tax profile, by name."""
    run = period.close_run
    if run is None:  # not closed: no balances yet
        return []
    balances = list(
        PartnerBalance.objects.filter(period=period, reason=BalanceReason.TAX_PROFILE).only("partner_id", "carried_forward")
    )
    partners = Partner.objects.in_bulk([balance.partner_id for balance in balances])
    profiles = tax_profiles_in_force(partners, timezone.localdate())
    rows = []
    for balance in balances:
        profile = profiles.get(balance.partner_id)
        missing = missing_profile_fields(profile) if profile is not None else [WHOLE_PROFILE]
        rows.append(Withheld(partners[balance.partner_id], balance.carried_forward, run.currency, run.minor_digits, missing))
    return sorted(rows, key=lambda row: (row.partner.display_name.lower(), row.partner.pk))
