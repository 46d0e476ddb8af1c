"""Error codes of plan versions.

Refusals are `core.errors.DomainError(PlanErrorCode.X, ...)`. The GraphQL layer exposes
them in the `PeriodErrorCode` enum of the periods' mutations, which the plan version
mutations belong to (their codes are named as the periods' were).
"""

from enum import StrEnum


class PlanErrorCode(StrEnum):
    REQUIRED = "REQUIRED"  # a name or a user is missing
    INVALID = "INVALID"  # a malformed month
    INVALID_STATUS = "INVALID_STATUS"  # a settled period would change its plan
    INVALID_PLAN = "INVALID_PLAN"  # the engine's plan loader refused the document
    PLAN_NOT_DRAFT = "PLAN_NOT_DRAFT"  # only drafts may be edited or activated
    PLAN_IN_USE = "PLAN_IN_USE"  # a settled period used it: it cannot be withdrawn
    PLAN_START_TAKEN = "PLAN_START_TAKEN"  # another active version starts in that month
