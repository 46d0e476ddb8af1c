"""Money after a period's run: adjustments, payout holds, the minimum payout, balances and
their carry-forward (docs/periods.md, "Balances"). Payouts (Stripe Connect, SEPA files)
and credit notes are built on these balances (docs/architecture.md)."""


class BalanceReason:
    """Why (part of) a partner's balance was not paid out in a period."""

    PAID = "paid"  # paid out in full
    BELOW_MINIMUM = "below_minimum"  # positive, but below the installation's minimum payout
    NEGATIVE = "negative"  # a clawback made it negative: carried forward, never charged
    HELD = "held"  # a payout hold covers the period: carried forward
    NOTHING = "nothing"  # zero
    # At the commit, no credit note could be issued: the partner's tax profile is missing or
    # lacks what the document must name (docs/credit-notes.md). Carried forward.
    TAX_PROFILE = "tax_profile"

    CHOICES = [
        (PAID, "Paid"),
        (BELOW_MINIMUM, "Below the minimum payout"),
        (NEGATIVE, "Negative"),
        (HELD, "Payout hold"),
        (NOTHING, "Nothing to pay"),
        (TAX_PROFILE, "Tax profile incomplete"),
    ]


class PayoutMethod:
    """How a partner is paid (the partner's payout profile)."""

    NONE = "none"  # not set up: the partner's payouts wait
    STRIPE = "stripe"  # a Stripe Connect Express account; one Transfer per payout
    SEPA = "sepa"  # a SEPA credit transfer to the partner's IBAN, in the merchant's bank file

    CHOICES = [
        (NONE, "None"),
        (STRIPE, "Stripe Connect"),
        (SEPA, "SEPA credit transfer"),
    ]


class ProfileChangeKind:
    """Entries of a payout profile's history (`PayoutProfileChange`)."""

    SET = "set"  # method, account holder or bank account set or changed
    CONFIRMED = "confirmed"  # the merchant confirmed a changed bank account
    STRIPE_ACCOUNT = "stripe_account"  # the partner's Stripe account was created or its state changed

    CHOICES = [
        (SET, "Set"),
        (CONFIRMED, "Bank account confirmed"),
        (STRIPE_ACCOUNT, "Stripe account"),
    ]
