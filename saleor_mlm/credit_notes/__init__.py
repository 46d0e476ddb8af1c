"""Credit notes (Gutschriften, §14 Abs. 2 Satz 2 UStG): the self-billed documents a period's
payable amounts are paid with (docs/credit-notes.md).

When a period is committed, every partner with an amount paid out in it gets one document,
numbered from the installation's series of the year: a credit note (`DocumentKind.CREDIT_NOTE`)
or, for a partner who is not an entrepreneur, a commission statement (`STATEMENT`). An
issued document never changes; a correction is a cancellation (`CANCELLATION`, the amounts
negated, referencing the original) followed by a new document.
"""


class CreditNoteStatus:
    """Where an issued document stands (derived: the rows themselves never change)."""

    ISSUED = "issued"  # in force
    CANCELLED = "cancelled"  # a cancellation references it

    CHOICES = [(ISSUED, "Issued"), (CANCELLED, "Cancelled")]


class LineKind:
    """What a line of a credit note is for, besides the bonus kinds of the engine
    (`engine.BONUS_KINDS`: customer, level, difference, generation, advancement)."""

    ADJUSTMENT = "ADJUSTMENT"  # a `payouts.BalanceAdjustment` of the period
    CARRIED_IN = "CARRIED_IN"  # an earlier period's amount carried forward and paid now
