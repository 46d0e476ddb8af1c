"""Error codes of the programs: `core.errors.DomainError(ProgramErrorCode.X, ...)`; the
GraphQL layer exposes them as the `ProgramErrorCode` enum of the programs' mutations."""

from enum import StrEnum


class ProgramErrorCode(StrEnum):
    INVALID = "INVALID"  # a malformed code, key or id list
    REQUIRED = "REQUIRED"  # a name, code or (listed products) an id is missing
    DUPLICATE_CODE = "DUPLICATE_CODE"  # another program of the shop has the code
    DEFAULT_PROGRAM = "DEFAULT_PROGRAM"  # the default program takes every order line: its source stays
