"""Bank accounts of payout profiles and of the merchant: validated with schwifty, masked.

One definition of what a valid SEPA account is here: an IBAN with correct length and check
digits of a country in the SEPA zone (`schwifty.IBAN`, `in_sepa_zone`), and a BIC that
schwifty accepts (its country may differ from the IBAN's: overseas territories and
microstates bank abroad). The BIC may be left out (SEPA needs only
the IBAN since 2016); when schwifty's bank registry knows the IBAN's bank it fills it in.

Masks keep the country, the check digits and the last four characters, in groups of four
as printed on a bank card: `DE89 **** **** **** **30 00`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from saleor_mlm.core.errors import DomainError

from .error_codes import PayoutErrorCode

VISIBLE_HEAD = 4  # country code and check digits
VISIBLE_TAIL = 4


@dataclass(frozen=True)
class BankAccount:
    iban: str  # compact, upper case: DE89370400440532013000
    bic: str  # 8 or 11 characters, or empty

    @property
    def masked(self) -> str:
        return mask_iban(self.iban)


def mask_iban(iban: str) -> str:
    """`DE89370400440532013000` -> `DE89 **** **** **** **30 00` (empty stays empty)."""
    compact = "".join((iban or "").split()).upper()
    if not compact:
        return ""
    hidden = max(len(compact) - VISIBLE_HEAD - VISIBLE_TAIL, 0)
    shown = compact[:VISIBLE_HEAD] + "*" * hidden + compact[VISIBLE_HEAD + hidden :]
    return " ".join(shown[i : i + 4] for i in range(0, len(shown), 4))


def clean_bank_account(iban: str, bic: str = "", *, iban_field: str = "iban", bic_field: str = "bic") -> BankAccount:
    """The account as stored, or `DomainError` on the field at fault."""
    text = "".join((iban or "").split()).upper()
    if not text:
        raise DomainError(PayoutErrorCode.REQUIRED, _("Give an IBAN."), field=iban_field)
    try:
        parsed = IBAN(text)
    except (SchwiftyException, ValueError) as error:
        raise DomainError(
            PayoutErrorCode.INVALID_IBAN, _("%(iban)s is not a valid IBAN: %(reason)s.") % {"iban": mask_iban(text), "reason": str(error)}, field=iban_field
        ) from None
    if not parsed.in_sepa_zone:
        raise DomainError(
            PayoutErrorCode.NOT_SEPA, _("IBANs of %(country)s are outside the SEPA zone.") % {"country": parsed.country_code}, field=iban_field
        )
    bic_text = "".join((bic or "").split()).upper()
    if not bic_text:
        known = parsed.bic
        return BankAccount(iban=parsed.compact, bic=str(known) if known else "")
    try:
        parsed_bic = BIC(bic_text)
    except (SchwiftyException, ValueError) as error:
        raise DomainError(PayoutErrorCode.INVALID_BIC, _("%(bic)s is not a valid BIC: %(reason)s.") % {"bic": bic_text, "reason": str(error)}, field=bic_field) from None
    return BankAccount(iban=parsed.compact, bic=str(parsed_bic))
