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

    CHOICES = [
        (PAID, "Paid"),
        (BELOW_MINIMUM, "Below the minimum payout"),
        (NEGATIVE, "Negative"),
        (HELD, "Payout hold"),
        (NOTHING, "Nothing to pay"),
    ]
