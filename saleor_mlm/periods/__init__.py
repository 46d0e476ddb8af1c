class PeriodStatus:
    """Where a settlement period (Abrechnungsperiode) stands.

    Only `open` periods take new ledger entries; a later entry for a date in a closed
    month goes to the next open period (see `actions.open_period_for`).
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


class RunKind:
    CLOSE = "close"  # the period's figures: stored per partner, statements, balances
    PREVIEW = "preview"  # projected figures of an open period from the live ledger
    WHAT_IF = "what_if"  # a draft plan against the plan in force, on a run's snapshot

    CHOICES = [(CLOSE, "Close"), (PREVIEW, "Preview"), (WHAT_IF, "What-if")]


class RunStatus:
    PENDING = "pending"  # created; the task has not started yet
    RUNNING = "running"  # a worker is on it (see `phase` and `percent`)
    SUCCEEDED = "succeeded"  # figures stored
    FAILED = "failed"  # stopped with `error`; running it again resumes
    SUPERSEDED = "superseded"  # replaced by a later run of the same kind (rows removed)

    CHOICES = [
        (PENDING, "Pending"),
        (RUNNING, "Running"),
        (SUCCEEDED, "Succeeded"),
        (FAILED, "Failed"),
        (SUPERSEDED, "Superseded"),
    ]
    UNFINISHED = (PENDING, RUNNING, FAILED)


class RunPhase:
    """Steps of a run, in order. A run resumes after the last phase it committed."""

    QUEUED = "queued"
    FETCH = "fetch"  # network and ledger -> arrays (ORM, one aggregate query)
    SNAPSHOT = "snapshot"  # the inputs are stored: a rerun computes the same figures
    COMPUTE = "compute"  # the pure engine
    PERSIST = "persist"  # per-partner rows, balances, statistics: one transaction
    DONE = "done"

    ORDER = [QUEUED, FETCH, SNAPSHOT, COMPUTE, PERSIST, DONE]
    CHOICES = [(phase, phase.title()) for phase in ORDER]


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
