import graphene

from saleor_mlm.reconciliation.actions import latest_runs

from ..core.permissions import MlmPermission, permission_required, permissions_description
from .mutations.orders_backfill import OrdersBackfill
from .types import OrderSyncRun

MANAGE_ORDERS = MlmPermission.MANAGE_ORDERS


class ReconciliationQueries(graphene.ObjectType):
    order_sync_runs = graphene.List(
        graphene.NonNull(OrderSyncRun),
        required=True,
        description="The latest syncs with Saleor (at most 10), newest first; empty before the first."
        + permissions_description([MANAGE_ORDERS]),
    )

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_order_sync_runs(root, info):
        return latest_runs(info.context.installation)


class ReconciliationMutations(graphene.ObjectType):
    orders_backfill = OrdersBackfill.Field()
