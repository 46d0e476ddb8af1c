"""Error codes of the periods (the calendar here and the runs and lifecycle of `periods`)
and of the payouts, which work on its periods; the plan versions' own are
`plans.error_codes`.

Refusals are `core.errors.DomainError(PeriodErrorCode.X, ...)`; the GraphQL layer exposes
the codes as the `PeriodErrorCode` enum of the periods' mutation errors.
"""

from enum import StrEnum


class PeriodErrorCode(StrEnum):
    NOT_FOUND = "NOT_FOUND"  # no such period, run, plan version, partner or hold
    WRONG_INSTALLATION = "WRONG_INSTALLATION"  # objects of two installations
    REQUIRED = "REQUIRED"  # a user, reason or approver is missing
    INVALID = "INVALID"  # a malformed value (month, amount, date)
    INVALID_STATUS = "INVALID_STATUS"  # not allowed in the period's current status
    PERIOD_NOT_ENDED = "PERIOD_NOT_ENDED"  # closing a month before its last day is over
    EARLIER_PERIOD_OPEN = "EARLIER_PERIOD_OPEN"  # periods close in order
    EARLIER_PERIOD_NOT_COMMITTED = "EARLIER_PERIOD_NOT_COMMITTED"  # periods commit in order
    LATER_PERIOD_CLOSED = "LATER_PERIOD_CLOSED"  # only the latest closed period may be re-opened
    SAME_USER = "SAME_USER"  # four eyes: approver and closer (or creator) must differ
    RUN_NOT_FINISHED = "RUN_NOT_FINISHED"  # the close run has not succeeded (yet)
    RUN_IN_PROGRESS = "RUN_IN_PROGRESS"  # a run of the period is working right now
    NO_PLAN = "NO_PLAN"  # no active plan version in force for the period
    INVALID_PLAN = "INVALID_PLAN"  # the plan does not fit the period (a what-if in another currency)
    UNKNOWN_RANK = "UNKNOWN_RANK"  # not a rank code of the plan in force
    NO_SNAPSHOT = "NO_SNAPSHOT"  # a statement or what-if needs a successful run
    NOT_IN_RUN = "NOT_IN_RUN"  # the partner is not part of the run
    HOLD_RELEASED = "HOLD_RELEASED"  # the hold was released already
