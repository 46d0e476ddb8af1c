"""The ledger's figures as plain data for the engine, exports and live volumes.

A period's own volume per node is one aggregate over the covering index
(installation, period, partner, customer) INCLUDE (pv, bv): no per-node query, no join.
Node ids are the network's (`network.fetch`: "p<pk>" for partners, "c<pk>" for customers),
so the rows fit `network_partner_rows` and the engine's `volumes.csv`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from saleor_mlm.network.fetch import customer_node_id, partner_node_id

from .models import LedgerEntry


@dataclass(frozen=True)
class NodeVolume:
    """Own PV and BV of one node in one period (refunds included, may be negative)."""

    partner_id: int | None
    customer_id: int | None
    pv: Decimal
    bv: Decimal

    @property
    def node_id(self) -> str:
        return partner_node_id(self.partner_id) if self.partner_id is not None else customer_node_id(self.customer_id)

    def as_row(self) -> dict[str, str]:
        """A `volumes.csv` row (docs/compensation.md, section 6)."""
        return {"node_id": self.node_id, "pv": str(self.pv), "bv": str(self.bv)}


def period_own_volumes(installation_id: int, period_id: int) -> list[NodeVolume]:
    rows = LedgerEntry.objects.filter(installation_id=installation_id, period_id=period_id).own_volumes()
    return [NodeVolume(row["partner_id"], row["customer_id"], row["pv"], row["bv"]) for row in rows]


def period_volume_rows(installation_id: int, period_id: int) -> list[dict[str, str]]:
    """The period's own volumes as `volumes.csv` rows, one per node with entries."""
    return [volume.as_row() for volume in period_own_volumes(installation_id, period_id)]
