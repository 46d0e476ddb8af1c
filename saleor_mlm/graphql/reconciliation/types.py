"""A sync run with Saleor, as the dashboard polls it (docs/sync.md explains the report)."""

from __future__ import annotations

import graphene

from saleor_mlm.reconciliation import DifferenceKind, SyncStatus, SyncTrigger
from saleor_mlm.reconciliation.actions import Counts

SyncStatusEnum = graphene.Enum("SyncStatusEnum", [(value.upper(), value) for value, _label in SyncStatus.CHOICES])
SyncTriggerEnum = graphene.Enum("SyncTriggerEnum", [(value.upper(), value) for value, _label in SyncTrigger.CHOICES])
SyncDifferenceKindEnum = graphene.Enum(
    "SyncDifferenceKindEnum", [(value.upper(), value) for value, _label in DifferenceKind.CHOICES]
)


class SyncCounts(graphene.ObjectType):
    orders = graphene.Int(required=True, description="Orders read from Saleor.")
    payments = graphene.Int(required=True, description="Payments the ledger lacked, now credited (or parked).")
    take_backs = graphene.Int(required=True, description="Refunds and cancellations the ledger lacked, now taken back.")
    parked = graphene.Int(required=True, description="Of those, parked by the ledger with a reason.")
    already_recorded = graphene.Int(required=True, description="Events the ledger had (delivered by webhooks).")
    not_paid = graphene.Int(required=True, description="Orders without a payment.")
    differences = graphene.Int(required=True, description="Orders left for a person (see `differences`).")

    class Meta:
        description = "What a sync did with what it read (a dry run: what it would have done)."


class SyncDifference(graphene.ObjectType):
    order_id = graphene.String(required=True, description="Saleor's order id.")
    number = graphene.String(required=True, description="Saleor's order number.")
    kind = graphene.Field(SyncDifferenceKindEnum, required=True)
    detail = graphene.String(required=True)

    class Meta:
        description = "An order the sync did not touch, and why."


class OrderSyncRun(graphene.ObjectType):
    since = graphene.DateTime(required=True, description="Orders updated in Saleor from this moment ...")
    until = graphene.DateTime(description="... until this one; null: up to when it ran.")
    dry_run = graphene.Boolean(required=True)
    trigger = graphene.Field(SyncTriggerEnum, required=True)
    status = graphene.Field(SyncStatusEnum, required=True)
    total_orders = graphene.Int(required=True, description="Orders Saleor has in the window.")
    percent = graphene.Int(required=True, description="0 to 100.")
    counts = graphene.Field(SyncCounts, required=True)
    differences = graphene.List(graphene.NonNull(SyncDifference), required=True)
    error = graphene.String(description="Why it stopped; running it again resumes.")
    started_by = graphene.String(required=True)
    started_at = graphene.DateTime(required=True)
    finished_at = graphene.DateTime()

    class Meta:
        interfaces = (graphene.relay.Node,)
        description = "A sync of Saleor's orders with the ledger (a backfill, the nightly sync, `saleor-mlm orders sync`)."

    @staticmethod
    def resolve_percent(root, info):
        if root.status == SyncStatus.DONE:
            return 100
        return min(99, 100 * Counts.of(root).orders // max(root.total_orders, 1))

    @staticmethod
    def resolve_counts(root, info):
        return Counts.of(root)

    @staticmethod
    def resolve_differences(root, info):
        return [
            SyncDifference(order_id=item["order"], number=item["number"], kind=item["kind"], detail=item["detail"])
            for item in root.differences
        ]

    @staticmethod
    def resolve_error(root, info):
        return root.error or None
