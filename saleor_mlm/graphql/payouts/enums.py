import graphene

from saleor_mlm.payout_runs import ItemStatus, RunStatus, SkipReason
from saleor_mlm.payouts import PayoutMethod, ProfileChangeKind


def _enum(name: str, choices, description: str) -> type[graphene.Enum]:
    return graphene.Enum(name, [(value.upper(), value) for value, _label in choices], description=description)


PayoutMethodEnum = _enum(
    "PayoutMethodEnum", PayoutMethod.CHOICES, "STRIPE: a Stripe Connect Express account; SEPA: a credit transfer to an IBAN; NONE: not set up."
)
PayoutRunStatusEnum = _enum(
    "PayoutRunStatusEnum", RunStatus.CHOICES, "CREATED: waits for a second person's approval; APPROVED: may be executed; "
    "EXECUTING: sending; EXECUTED: every payable item sent (skipped ones are paid by executing again)."
)
PayoutItemStatusEnum = _enum(
    "PayoutItemStatusEnum", ItemStatus.CHOICES, "PENDING -> SENT -> PAID; FAILED (Stripe refused) and RETURNED (reversed or returned "
    "by the bank) put the amount back on the partner's balance."
)
PayoutSkipReasonEnum = _enum("PayoutSkipReasonEnum", SkipReason.CHOICES, "Why a pending payout waits; it stays payable.")
PayoutProfileChangeKindEnum = _enum(
    "PayoutProfileChangeKindEnum", ProfileChangeKind.CHOICES, "SET: method or bank account set; CONFIRMED: the merchant confirmed a changed "
    "bank account; STRIPE_ACCOUNT: the Stripe account was created or can now (or no longer) receive payouts."
)
