import graphene
from django.core.exceptions import ValidationError

from saleor_mlm.ledger.settings_actions import import_rates

from ...core.errors import ApiErrorCode
from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import LedgerError

# A year of daily rates of a dozen currencies is ~150 KB.
MAX_CSV_CHARACTERS = 2_000_000


class ExchangeRatesImport(BaseMutation):
    rows = graphene.Int(description="Rates in the file.")
    created = graphene.Int()
    updated = graphene.Int(description="Rates of a day and pair stored already, with another rate.")
    unchanged = graphene.Int()

    class Arguments:
        csv = graphene.String(required=True, description="The file's text: a header and `date,currency,rate[,plan_currency]` (any order).")
        filename = graphene.String(description="Named in the errors (`rates.csv:3: column rate: ...`).")

    class Meta:
        error_type_class = LedgerError
        description = (
            "Import daily exchange rates into the plan currency, as `saleor-mlm rates import` does: a file with any bad cell is "
            "refused as a whole, each problem named; the same file twice changes nothing; orders parked for a missing rate are "
            "retried afterwards."
        )
        permissions = (MlmPermission.MANAGE_ORDERS,)

    @classmethod
    def perform_mutation(cls, root, info, csv, filename=None):
        if len(csv) > MAX_CSV_CHARACTERS:
            raise ValidationError({"csv": ValidationError(f"At most {MAX_CSV_CHARACTERS} characters.", code=ApiErrorCode.INVALID)})
        imported = import_rates(info.context.installation, csv, filename=(filename or "").strip() or "rates.csv")
        result = imported.result
        return cls.success(rows=imported.rows, created=result.created, updated=result.updated, unchanged=result.unchanged)
