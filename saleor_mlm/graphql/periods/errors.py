"""The periods mutations' errors: `PeriodError { field, code: PeriodErrorCode!, message }`.

The periods' mutations include plan versions and the money after a run (adjustments,
payout holds): their codes are the periods' and the plans' (the payouts raise the
periods' codes), and the credit notes', which a commit issues (ISSUER_INCOMPLETE).
"""

from saleor_mlm.calendar.error_codes import PeriodErrorCode as PeriodDomainErrorCode
from saleor_mlm.credit_notes.error_codes import CreditNoteErrorCode
from saleor_mlm.plans.error_codes import PlanErrorCode

from ..core.errors import error_code_enum, error_type

PeriodErrorCode = error_code_enum(
    "PeriodErrorCode",
    PeriodDomainErrorCode,
    PlanErrorCode,
    CreditNoteErrorCode,
    description="Why a period, plan version or money mutation refused its input or the change it asked for.",
)
PeriodError = error_type("PeriodError", PeriodErrorCode, "NOT_FOUND, SAME_USER, INVALID_STATUS")
