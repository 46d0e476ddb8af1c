import graphene

from saleor_mlm.reconciliation.actions import start_backfill

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import SyncError
from ..types import OrderSyncRun


class OrdersBackfill(BaseMutation):
    run = graphene.Field(OrderSyncRun, description="The backfill, started in the background: poll `orderSyncRuns`.")

    class Arguments:
        months = graphene.Int(required=True, description="How many months back: 1 to 120.")

    class Meta:
        error_type_class = SyncError
        description = (
            "Read Saleor's orders of the last months and credit the payments and refunds the ledger lacks, as after the "
            "first install (docs/sync.md). Orders the ledger has are left alone; differences are reported on the run."
        )
        permissions = (MlmPermission.MANAGE_ORDERS,)
        error_field_map = {"months": "months"}

    @classmethod
    def perform_mutation(cls, root, info, months):
        return cls.success(run=start_backfill(info.context.installation, months, info.context.requestor.label))
