"""Payout runs: from a committed period's credit notes to money in the partners' accounts
(docs/payouts.md).

A run pays one item per partner whose credit note of the period stands: by a Stripe
Transfer to the partner's Connect account, or in the merchant's SEPA credit transfer file.
It sits above the credit notes (an item pays one) and below the API (docs/architecture.md).
"""


class RunStatus:
    """Where a payout run stands."""

    CREATED = "created"  # items listed; waits for a second person's approval
    APPROVED = "approved"  # approved by someone other than its creator: may be executed
    EXECUTING = "executing"  # started: Stripe items being sent, the SEPA file being written
    EXECUTED = "executed"  # every payable item sent; skipped ones may be paid by executing again

    CHOICES = [
        (CREATED, "Created"),
        (APPROVED, "Approved"),
        (EXECUTING, "Executing"),
        (EXECUTED, "Executed"),
    ]


class ItemStatus:
    """Where one partner's payout stands. It only moves forward:
    pending -> sent -> paid, and sent or paid -> returned, sent -> failed."""

    PENDING = "pending"  # not sent yet (see `skip_reason` for why it waits)
    SENT = "sent"  # a Stripe Transfer was requested, or the item is in a SEPA file
    PAID = "paid"  # Stripe created the Transfer; the bank executed the SEPA file
    FAILED = "failed"  # Stripe refused the Transfer: the amount is back on the balance
    RETURNED = "returned"  # reversed by Stripe or returned by the bank: back on the balance

    CHOICES = [
        (PENDING, "Pending"),
        (SENT, "Sent"),
        (PAID, "Paid"),
        (FAILED, "Failed"),
        (RETURNED, "Returned"),
    ]
    BACK_ON_BALANCE = (FAILED, RETURNED)


class SkipReason:
    """Why a pending item was not sent when the run was executed; it stays payable."""

    HELD = "held"  # a payout hold of the partner is in force
    BANK_CHANGE_UNCONFIRMED = "bank_change"  # the IBAN changed; the merchant has not confirmed it
    NO_METHOD = "no_method"  # the partner has no payout method
    NO_BANK_ACCOUNT = "no_bank_account"  # SEPA without an IBAN
    STRIPE_NOT_READY = "stripe_not_ready"  # no Stripe account, or it cannot receive payouts yet
    BELOW_MINIMUM = "below_minimum"  # the amount is below the minimum payout

    CHOICES = [
        (HELD, "Payout hold"),
        (BANK_CHANGE_UNCONFIRMED, "Changed bank account not confirmed"),
        (NO_METHOD, "No payout method"),
        (NO_BANK_ACCOUNT, "No bank account"),
        (STRIPE_NOT_READY, "Stripe account cannot receive payouts"),
        (BELOW_MINIMUM, "Below the minimum payout"),
    ]


class StripeEventStatus:
    """Where a stored Stripe webhook event stands (`stripe_webhooks`)."""

    UNVERIFIED = "unverified"  # stored; the signature did not verify (see `error`), never trusted
    RECEIVED = "received"  # verified; not processed yet
    PROCESSED = "processed"
    IGNORED = "ignored"  # verified, but not for the app (another account, another type)
    FAILED = "failed"  # processing raised (see `error`); Stripe delivers it again

    CHOICES = [
        (UNVERIFIED, "Unverified"),
        (RECEIVED, "Received"),
        (PROCESSED, "Processed"),
        (IGNORED, "Ignored"),
        (FAILED, "Failed"),
    ]
    DONE = (PROCESSED, IGNORED)
