class PeriodStatus:
    """Where a settlement period (Abrechnungsperiode) stands.

    Only `open` periods take new ledger entries; a later entry for a date in a closed
    month goes to the next open period (see `actions.open_period_for`).
    """

    OPEN = "open"  # takes ledger entries; figures are live
    CLOSED = "closed"  # no new entries; the run's figures await approval
    APPROVED = "approved"  # figures approved by the company; payouts may be prepared
    COMMITTED = "committed"  # paid out and final; career ranks written

    CHOICES = [
        (OPEN, "Open"),
        (CLOSED, "Closed"),
        (APPROVED, "Approved"),
        (COMMITTED, "Committed"),
    ]
