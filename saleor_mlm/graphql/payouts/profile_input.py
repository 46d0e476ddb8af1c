"""The payout profile's input, shared by the partner's and the merchant's mutation."""

from __future__ import annotations

import graphene

from saleor_mlm.payouts.models import PayoutProfile
from saleor_mlm.payouts.profiles import ProfileInput

from .enums import PayoutMethodEnum


class PayoutProfileInput(graphene.InputObjectType):
    method = PayoutMethodEnum(required=True)
    account_holder = graphene.String(description="SEPA: the name on the account (at most 70 characters).")
    iban = graphene.String(description="SEPA: checked (length, check digits, SEPA country); stored encrypted, shown masked.")
    bic = graphene.String(description="SEPA: optional; filled in from the IBAN where the bank is known.")


def profile_input(data) -> ProfileInput:
    method = data.get("method")
    return ProfileInput(
        method=getattr(method, "value", method) or "",
        account_holder=data.get("account_holder") or "",
        iban=data.get("iban") or "",
        bic=data.get("bic") or "",
    )


INPUT_MODEL = PayoutProfile
