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
