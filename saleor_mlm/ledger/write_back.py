"""What the ledger credited, written back to Saleor for the merchant's Dashboard.

After an order event is credited (or taken back), once its transaction has committed,
`tasks.write_back_order_task(order_id)` writes:

- the order's **private** metadata `mlm.credited`: a JSON object with the period, the
  attribution rule, the order's volume as credited now (refunds and cancellations taken
  off), and the partners it counts for with their part (`credited_summary`);
- the customer's metadata `mlm.sponsor`: the sponsor's referral code, for registered
  customers (a Saleor user) only, when the order does not show it there already.

Only the app token's `updatePrivateMetadata` / `updateMetadata` are used
(MANAGE_ORDERS / MANAGE_USERS). Saleor reports our own writes as
ORDER_METADATA_UPDATED, which the app does not subscribe to: no loop.

Nothing is sent with `SALEOR_WRITE_BACK=False` or for the demo installation. A task reads
the order's state when it runs and writes all of it; it checks after writing whether
the state changed meanwhile (a refund credited while it wrote) and writes again if so,
so the last write always carries the last state, whatever order tasks run in.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Sum

from saleor_mlm.installations.models import Installation
from saleor_mlm.installations.saleor_client import SaleorClient, SaleorError
from saleor_mlm.network.models import Customer, Partner
from saleor_mlm.network.shares import effective_care_share
from saleor_mlm.orders.models import OrderRecord

from .models import LedgerEntry, OrderAttribution
from .volume import quantize

logger = logging.getLogger(__name__)

CREDITED_KEY = "mlm.credited"  # order private metadata
SPONSOR_KEY = "mlm.sponsor"  # customer (Saleor user) metadata
# A task writes again while the state it wrote is stale; a bound keeps a busy order
# (many refunds at once) from looping.
MAX_WRITES = 3

UPDATE_PRIVATE_METADATA = """
mutation MlmOrderCredited($id: ID!, $input: [MetadataInput!]!) {
  updatePrivateMetadata(id: $id, input: $input) {
    errors { field code message }
  }
}
"""

UPDATE_METADATA = """
mutation MlmCustomerSponsor($id: ID!, $input: [MetadataInput!]!) {
  updateMetadata(id: $id, input: $input) {
    errors { field code message }
  }
}
"""


class MetadataWriteRefused(SaleorError):
    """Saleor answered the metadata mutation with `errors` (not retried)."""

    def __init__(self, mutation: str, errors: list[dict[str, Any]]):
        super().__init__(mutation, errors)
        self.mutation, self.errors = mutation, errors

    def __str__(self) -> str:
        details = "; ".join(f"{e.get('field')}: {e.get('code')} {e.get('message')}" for e in self.errors)
        return f"{self.mutation} refused: {details}"


def write_back_enabled(installation: Installation) -> bool:
    return bool(settings.SALEOR_WRITE_BACK) and not installation.is_demo


def schedule_order_write_back(order_id: int) -> None:
    """Queue the write-back of an order once the current transaction commits."""
    if not settings.SALEOR_WRITE_BACK:
        return
    transaction.on_commit(lambda: _enqueue(order_id))


def schedule_orders_write_back(order_ids: list[int]) -> None:
    """The same for many orders (a batch of payments): one check, one task per order."""
    if not settings.SALEOR_WRITE_BACK or not order_ids:
        return
    transaction.on_commit(lambda: _enqueue_many(order_ids))


def _enqueue(order_id: int) -> None:
    _enqueue_many([order_id])


def _enqueue_many(order_ids: list[int]) -> None:
    from .tasks import write_back_order_task

    for order_id in OrderRecord.objects.filter(pk__in=order_ids, installation__is_demo=False).values_list("pk", flat=True):
        write_back_order_task.delay(order_id)


# ------------------------------------------------------------------ what is written


def _text(value: Decimal) -> str:
    return str(quantize(value))


def _share(value: Decimal) -> str:
    """"0.3", "1", "0" (as the network writes shares)."""
    return format(value.normalize(), "f")


def _partner_ref(partner: Partner) -> dict[str, str]:
    return {"code": partner.referral_code, "name": partner.display_name}


def credited_summary(order: OrderRecord) -> dict[str, Any] | None:
    """The value of `mlm.credited` for an order, or None while nothing is credited.

    ``{"period": "2026-11", "rule": "voucher", "buyer": "customer",
    "pv": "17.50", "bv": "34.90", "ordered": {"pv": "25.00", "bv": "49.90"},
    "partners": [{"code", "name", "role": "sponsor", "share": "0.7", "pv", "bv"},
                 {"code", "name", "role": "betreuer", "share": "0.3", "pv", "bv"}]}``

    `pv`/`bv` are what the order counts now (refunds and cancellations taken off),
    `ordered` what its payment credited. `partners` splits that between the partners it
    is personal volume of: the buyer itself for a partner's own order (`role` "own"),
    else the customer's sponsor and Betreuer by the share in force now (decimals as
    strings, hundredths half up; the Betreuer's part is the rest, so the parts add up).
    A house customer's order counts for nobody yet: `partners` is empty. For a partner
    buying with a Betreuer, `split` names the Betreuer and its share of the group
    volume that flows up.
    """
    attribution = (
        OrderAttribution.objects.filter(order=order).select_related("partner", "customer__sponsor", "period").first()
    )
    if attribution is None:
        return None
    # The default program's volume (other programs' entries count the same lines again).
    net = LedgerEntry.objects.filter(order=order, program__isnull=True).aggregate(pv=Sum("pv"), bv=Sum("bv"))
    pv, bv = net["pv"] or Decimal(0), net["bv"] or Decimal(0)
    node = attribution.partner or attribution.customer
    care = effective_care_share(node)
    care_partner = Partner.objects.filter(pk=care.care_partner_id).first() if care else None
    summary: dict[str, Any] = {
        "period": f"{attribution.period.starts_on:%Y-%m}",
        "rule": attribution.rule,
        "buyer": "partner" if attribution.partner_id else "customer",
        "pv": _text(pv),
        "bv": _text(bv),
        "ordered": {"pv": _text(attribution.pv), "bv": _text(attribution.bv)},
        "partners": [],
    }
    if attribution.partner_id:
        summary["partners"].append({**_partner_ref(attribution.partner), "role": "own", "share": "1", "pv": _text(pv), "bv": _text(bv)})
        if care_partner is not None:
            summary["split"] = {**_partner_ref(care_partner), "share": _share(care.share)}
        return summary
    sponsor = attribution.customer.sponsor
    share = care.share if care_partner is not None and sponsor is not None else Decimal(0)
    if sponsor is not None:
        sponsor_pv, sponsor_bv = quantize(pv * (1 - share)), quantize(bv * (1 - share))
        summary["partners"].append(
            {
                **_partner_ref(sponsor),
                "role": "sponsor",
                "share": _share(1 - share),
                "pv": _text(sponsor_pv),
                "bv": _text(sponsor_bv),
            }
        )
        if share:
            summary["partners"].append(
                {
                    **_partner_ref(care_partner),
                    "role": "betreuer",
                    "share": _share(share),
                    "pv": _text(pv - sponsor_pv),
                    "bv": _text(bv - sponsor_bv),
                }
            )
    elif care_partner is not None:
        # A house customer with a Betreuer: the Betreuer's share counts, the rest waits
        # for a sponsor (the engine gives the sponsor edge to nobody).
        summary["partners"].append(
            {
                **_partner_ref(care_partner),
                "role": "betreuer",
                "share": _share(care.share),
                "pv": _text(quantize(pv * care.share)),
                "bv": _text(quantize(bv * care.share)),
            }
        )
    return summary


@dataclass(frozen=True)
class CustomerSponsor:
    saleor_user_id: str
    code: str


def customer_sponsor(order: OrderRecord) -> CustomerSponsor | None:
    """The Saleor user and sponsor code to write as `mlm.sponsor`, when the order's buyer
    is a registered customer with a sponsor."""
    customer_id = OrderAttribution.objects.filter(order=order).values_list("customer_id", flat=True).first()
    if customer_id is None:
        return None
    customer = Customer.objects.select_related("sponsor").filter(pk=customer_id).first()
    if customer is None or not customer.saleor_user_id or customer.sponsor is None:
        return None
    return CustomerSponsor(customer.saleor_user_id, customer.sponsor.referral_code)


# ------------------------------------------------------------------ writing


@dataclass(frozen=True)
class WriteBackResult:
    order_written: bool = False
    customer_written: bool = False
    skipped: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"order_written": self.order_written, "customer_written": self.customer_written, "skipped": self.skipped}


def _mutate(client: SaleorClient, document: str, name: str, object_id: str, key: str, value: str) -> None:
    data = client.execute(document, {"id": object_id, "input": [{"key": key, "value": value}]})
    payload = data.get(name) or {}
    if payload.get("errors"):
        raise MetadataWriteRefused(name, payload["errors"])


def _encode(summary: dict[str, Any]) -> str:
    return json.dumps(summary, separators=(",", ":"), ensure_ascii=False)


def write_back_order(order_id: int, *, client: SaleorClient | None = None, client_retries: int | None = None) -> WriteBackResult:
    """Write `mlm.credited` on the order and `mlm.sponsor` on its customer (see module doc).

    Raises `SaleorUnavailable` (retried by the task) and other `SaleorError`s (not)."""
    order = OrderRecord.objects.select_related("installation").filter(pk=order_id).first()
    if order is None:
        return WriteBackResult(skipped="no such order")
    installation = order.installation
    if not write_back_enabled(installation):
        return WriteBackResult(skipped="write-back is off for this installation")
    client = client or SaleorClient.for_installation(installation, retries=client_retries)

    order_written = False
    value = None
    for _ in range(MAX_WRITES):
        summary = credited_summary(order)
        if summary is None:
            break
        latest = _encode(summary)
        if latest == value:
            break  # what was written is still the state
        if latest == order.private_metadata.get(CREDITED_KEY) and value is None:
            break  # Saleor has it already (a repeated task)
        _mutate(client, UPDATE_PRIVATE_METADATA, "updatePrivateMetadata", order.saleor_order_id, CREDITED_KEY, latest)
        order_written, value = True, latest

    customer_written = False
    sponsor = customer_sponsor(order)
    if sponsor is not None and (order.user_id != sponsor.saleor_user_id or order.user_metadata.get(SPONSOR_KEY) != sponsor.code):
        _mutate(client, UPDATE_METADATA, "updateMetadata", sponsor.saleor_user_id, SPONSOR_KEY, sponsor.code)
        customer_written = True
    logger.info(
        "order written back",
        extra={"order": order_id, "order_written": order_written, "customer_written": customer_written},
    )
    return WriteBackResult(order_written, customer_written)


__all__ = [
    "CREDITED_KEY",
    "SPONSOR_KEY",
    "MetadataWriteRefused",
    "credited_summary",
    "customer_sponsor",
    "schedule_order_write_back",
    "schedule_orders_write_back",
    "write_back_order",
]
