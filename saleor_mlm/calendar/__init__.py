"""The settlement calendar: one period per month and installation, its status, the locks
that keep ledger entries out of a period being closed, and the audit log of periods.

It sits below the ledger (docs/architecture.md, "Layers"): crediting puts every entry into
the open period of its month (`actions.open_period_for`); the runs, statements and the
lifecycle (close, approve, reopen, commit) are `periods`, above the ledger.
"""


class PeriodStatus:
    """Where a settlement period (Abrechnungsperiode) stands.

    Only `open` periods take new ledger entries; a later entry for a date in a closed
    month goes to the next open period (see `calendar.actions.open_period_for`).
    """

    OPEN = "open"  # takes ledger entries; figures are live (preview)
    CLOSED = "closed"  # no new entries; the close run's figures await approval
    APPROVED = "approved"  # figures approved by a second person; may still be re-opened
    COMMITTED = "committed"  # final: ready for payout, balances and career ranks frozen

    CHOICES = [
        (OPEN, "Open"),
        (CLOSED, "Closed"),
        (APPROVED, "Approved"),
        (COMMITTED, "Committed"),
    ]
    # Statuses whose figures come from a close run (the period took its last entry).
    SETTLED = (CLOSED, APPROVED, COMMITTED)


class PeriodEventKind:
    """Entries of the periods' audit log (`PeriodEvent`)."""

    CLOSED = "closed"  # closed for entries, close run started
    RUN_FAILED = "run_failed"
    RUN_SUCCEEDED = "run_succeeded"
    APPROVED = "approved"
    REOPENED = "reopened"  # with a reason
    COMMITTED = "committed"
    PLAN_CREATED = "plan_created"
    PLAN_UPDATED = "plan_updated"
    PLAN_ACTIVATED = "plan_activated"
    PLAN_RETIRED = "plan_retired"
    RANK_OVERRIDE_SET = "rank_override_set"
    RANK_OVERRIDE_REMOVED = "rank_override_removed"
    ADJUSTMENT_ADDED = "adjustment_added"
    HOLD_PLACED = "hold_placed"
    HOLD_RELEASED = "hold_released"
    SETTINGS_CHANGED = "settings_changed"

    CHOICES = [
        (CLOSED, "Closed"),
        (RUN_FAILED, "Run failed"),
        (RUN_SUCCEEDED, "Run succeeded"),
        (APPROVED, "Approved"),
        (REOPENED, "Re-opened"),
        (COMMITTED, "Committed"),
        (PLAN_CREATED, "Plan version created"),
        (PLAN_UPDATED, "Plan version updated"),
        (PLAN_ACTIVATED, "Plan version activated"),
        (PLAN_RETIRED, "Plan version retired"),
        (RANK_OVERRIDE_SET, "Rank override set"),
        (RANK_OVERRIDE_REMOVED, "Rank override removed"),
        (ADJUSTMENT_ADDED, "Adjustment added"),
        (HOLD_PLACED, "Payout hold placed"),
        (HOLD_RELEASED, "Payout hold released"),
        (SETTINGS_CHANGED, "Settings changed"),
    ]
