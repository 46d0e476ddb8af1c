"""The programs' mutations' errors: `ProgramError { field, code: ProgramErrorCode!, message }`.

Managing enrollments moves partners in a program's network: their codes are the
network's (CYCLE, NOT_A_MEMBER ...) besides the programs' own."""

from saleor_mlm.network.error_codes import NetworkErrorCode
from saleor_mlm.programs.error_codes import ProgramErrorCode as ProgramDomainErrorCode

from ..core.errors import error_code_enum, error_type

ProgramErrorCode = error_code_enum(
    "ProgramErrorCode",
    ProgramDomainErrorCode,
    NetworkErrorCode,
    description="Why a program or enrollment mutation refused its input or the change it asked for.",
)
ProgramError = error_type("ProgramError", ProgramErrorCode, "DUPLICATE_CODE, CYCLE, NOT_A_MEMBER")
