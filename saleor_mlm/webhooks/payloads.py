"""Webhook bodies parsed into typed objects at the boundary.

Saleor posts the content of the subscription's `event` field: an envelope (`__typename`,
`issuedAt`, `version`, `issuingPrincipal`, `recipient`) plus `order` or `user`. Everything
after this module works with the dataclasses below, never with the raw dict.

Rules applied here, once:

- Money: `amount` is a JSON float; it becomes an exact `Decimal` in the currency's minor
  unit (`saleor_mlm.core.currency.to_decimal`).
- Metadata: Saleor's `[{key, value}]` lists become plain dicts.
- Missing data is handled where it can be: a guest order has `user: null`; fields the app has
  no permission for come back null and are read as empty. What a handler cannot do without
  (the order's id, its currency, the user's id) raises `PayloadError`, which the intake turns
  into a 400 and a REJECTED delivery.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from saleor_mlm.core.currency import InvalidAmount, to_decimal

from .events import CUSTOMER_EVENTS, EVENT_SPECS, ORDER_EVENTS


class PayloadError(ValueError):
    """The body is not what the event's subscription produces; the message says why."""


# --- value objects ----------------------------------------------------------------------


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def as_json(self) -> dict[str, str]:
        return {"amount": str(self.amount), "currency": self.currency}


@dataclass(frozen=True)
class TaxedMoney:
    net: Money
    gross: Money

    def as_json(self) -> dict[str, Any]:
        return {"net": self.net.as_json(), "gross": self.gross.as_json()}


@dataclass(frozen=True)
class Principal:
    """Who caused the event: a staff user, a customer or an app (ours, when we wrote back)."""

    type: str  # "User" or "App"
    id: str


@dataclass(frozen=True)
class Envelope:
    typename: str
    issued_at: datetime | None
    saleor_version: str
    issuing_principal: Principal | None
    recipient_id: str


# --- orders -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderUser:
    id: str
    email: str
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OrderLine:
    id: str
    product_sku: str
    quantity: int
    unit_price: TaxedMoney
    total_price: TaxedMoney
    variant_id: str
    variant_metadata: dict[str, str]
    product_id: str
    product_metadata: dict[str, str]

    def as_json(self) -> dict[str, Any]:
        """The line as stored on OrderRecord.lines (amounts as decimal strings)."""
        return {
            "id": self.id,
            "product_sku": self.product_sku,
            "quantity": self.quantity,
            "unit_price": self.unit_price.as_json(),
            "total_price": self.total_price.as_json(),
            "variant_id": self.variant_id,
            "variant_metadata": self.variant_metadata,
            "product_id": self.product_id,
            "product_metadata": self.product_metadata,
        }


@dataclass(frozen=True)
class Order:
    id: str
    number: str
    created: datetime | None
    status: str
    charge_status: str
    user_email: str
    voucher_code: str
    language_code: str
    user: OrderUser | None  # None for guest checkouts
    channel_slug: str
    currency: str
    billing_country: str
    total: TaxedMoney
    total_charged: Money
    total_refunded: Money
    metadata: dict[str, str]
    private_metadata: dict[str, str]
    lines: tuple[OrderLine, ...]


@dataclass(frozen=True)
class OrderEventPayload:
    event: str  # order_fully_paid, ...
    envelope: Envelope
    order: Order

    @property
    def issued_at(self) -> datetime | None:
        return self.envelope.issued_at

    @property
    def subject_id(self) -> str:
        return self.order.id


# --- customers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Customer:
    id: str
    email: str
    first_name: str
    last_name: str
    metadata: dict[str, str]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "email": self.email,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "metadata": self.metadata,
        }


@dataclass(frozen=True)
class CustomerEventPayload:
    event: str  # customer_created or customer_updated
    envelope: Envelope
    user: Customer

    @property
    def issued_at(self) -> datetime | None:
        return self.envelope.issued_at

    @property
    def subject_id(self) -> str:
        return self.user.id


Payload = OrderEventPayload | CustomerEventPayload


# --- parsing ------------------------------------------------------------------------------


def load_json(body: bytes) -> dict[str, Any]:
    """The body as a JSON object, or PayloadError."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise PayloadError(f"body is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise PayloadError("body is not a JSON object")
    return data


def recipient_id(data: dict[str, Any]) -> str:
    """`recipient.id`, or "" when the payload does not name its recipient."""
    recipient = data.get("recipient")
    if isinstance(recipient, dict) and isinstance(recipient.get("id"), str):
        return recipient["id"]
    return ""


def parse_payload(event: str, data: dict[str, Any]) -> Payload:
    """Parse the body of a delivery of `event` into its typed payload."""
    if event in ORDER_EVENTS:
        return parse_order_event(event, data)
    if event in CUSTOMER_EVENTS:
        return parse_customer_event(event, data)
    raise PayloadError(f"unknown event {event!r}")


def parse_order_event(event: str, data: dict[str, Any]) -> OrderEventPayload:
    envelope = _envelope(event, data)
    order = data.get("order")
    if not isinstance(order, dict):
        raise PayloadError("'order' is missing or null (does the app have MANAGE_ORDERS?)")
    return OrderEventPayload(event=event, envelope=envelope, order=_order(order))


def parse_customer_event(event: str, data: dict[str, Any]) -> CustomerEventPayload:
    envelope = _envelope(event, data)
    user = data.get("user")
    if not isinstance(user, dict):
        raise PayloadError("'user' is missing or null (does the app have MANAGE_USERS?)")
    customer = Customer(
        id=_required_str(user, "id", "user.id"),
        email=_str(user.get("email")),
        first_name=_str(user.get("firstName")),
        last_name=_str(user.get("lastName")),
        metadata=_metadata(user.get("metadata"), "user.metadata"),
    )
    return CustomerEventPayload(event=event, envelope=envelope, user=customer)


def _envelope(event: str, data: dict[str, Any]) -> Envelope:
    expected = EVENT_SPECS[event].graphql_type
    typename = data.get("__typename")
    # Saleor always sends __typename with our subscriptions; a different one means the body
    # belongs to another event (a misrouted or replayed delivery).
    if typename is not None and typename != expected:
        raise PayloadError(f"payload is a {typename}, expected {expected}")
    principal = data.get("issuingPrincipal")
    return Envelope(
        typename=typename or expected,
        issued_at=_datetime(data.get("issuedAt"), "issuedAt"),
        saleor_version=_str(data.get("version")),
        issuing_principal=(
            Principal(type=_str(principal.get("__typename")), id=_str(principal.get("id")))
            if isinstance(principal, dict)
            else None
        ),
        recipient_id=recipient_id(data),
    )


def _order(data: dict[str, Any]) -> Order:
    channel = data.get("channel") or {}
    currency = _str(channel.get("currencyCode")) or _currency_from_total(data)
    if not currency:
        raise PayloadError("order currency is missing (channel.currencyCode and total)")
    user = data.get("user")
    billing = data.get("billingAddress") or {}
    country = (billing.get("country") or {}) if isinstance(billing, dict) else {}
    lines = data.get("lines")
    if lines is None:
        lines = []
    if not isinstance(lines, list):
        raise PayloadError("order.lines is not a list")
    return Order(
        id=_required_str(data, "id", "order.id"),
        number=_str(data.get("number")),
        created=_datetime(data.get("created"), "order.created"),
        status=_str(data.get("status")),
        charge_status=_str(data.get("chargeStatus")),
        user_email=_str(data.get("userEmail")),
        voucher_code=_str(data.get("voucherCode")),
        language_code=_str(data.get("languageCodeEnum")),
        user=(
            OrderUser(
                id=_required_str(user, "id", "order.user.id"),
                email=_str(user.get("email")),
                metadata=_metadata(user.get("metadata"), "order.user.metadata"),
            )
            if isinstance(user, dict)
            else None
        ),
        channel_slug=_str(channel.get("slug")),
        currency=currency,
        billing_country=_str(country.get("code")) if isinstance(country, dict) else "",
        total=_taxed_money(data.get("total"), currency, "order.total", required=True),
        total_charged=_money(data.get("totalCharged"), currency, "order.totalCharged"),
        total_refunded=_money(data.get("totalRefunded"), currency, "order.totalRefunded"),
        metadata=_metadata(data.get("metadata"), "order.metadata"),
        private_metadata=_metadata(data.get("privateMetadata"), "order.privateMetadata"),
        lines=tuple(_line(line, currency, index) for index, line in enumerate(lines)),
    )


def _line(data: Any, currency: str, index: int) -> OrderLine:
    where = f"order.lines[{index}]"
    if not isinstance(data, dict):
        raise PayloadError(f"{where} is not an object")
    quantity = data.get("quantity")
    if not isinstance(quantity, int) or isinstance(quantity, bool):
        raise PayloadError(f"{where}.quantity is not an integer")
    # A deleted variant or product comes back null; the line still counts, without metadata.
    variant = data.get("variant") if isinstance(data.get("variant"), dict) else {}
    product = variant.get("product") if isinstance(variant.get("product"), dict) else {}
    return OrderLine(
        id=_required_str(data, "id", f"{where}.id"),
        product_sku=_str(data.get("productSku")),
        quantity=quantity,
        unit_price=_taxed_money(data.get("unitPrice"), currency, f"{where}.unitPrice"),
        total_price=_taxed_money(data.get("totalPrice"), currency, f"{where}.totalPrice"),
        variant_id=_str(variant.get("id")),
        variant_metadata=_metadata(variant.get("metadata"), f"{where}.variant.metadata"),
        product_id=_str(product.get("id")),
        product_metadata=_metadata(product.get("metadata"), f"{where}.variant.product.metadata"),
    )


# --- small readers ------------------------------------------------------------------------


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _required_str(data: dict[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise PayloadError(f"{where} is missing")
    return value


def _datetime(value: Any, where: str) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise PayloadError(f"{where} is not a date-time")
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise PayloadError(f"{where} is not an ISO 8601 date-time: {value!r}") from exc


def _metadata(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, list):
        raise PayloadError(f"{where} is not a list")
    items: dict[str, str] = {}
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("key"), str):
            raise PayloadError(f"{where} has an item without a key")
        items[item["key"]] = _str(item.get("value"))
    return items


def _currency_from_total(data: dict[str, Any]) -> str:
    total = data.get("total") or {}
    gross = total.get("gross") if isinstance(total, dict) else None
    return _str(gross.get("currency")) if isinstance(gross, dict) else ""


def _money(value: Any, currency: str, where: str, *, required: bool = False) -> Money:
    if value is None and not required:
        return Money(to_decimal(0, currency), currency)
    if not isinstance(value, dict) or "amount" not in value:
        raise PayloadError(f"{where} is missing")
    money_currency = _str(value.get("currency")) or currency
    if money_currency != currency:
        raise PayloadError(f"{where} is in {money_currency}, the order in {currency}")
    amount = value.get("amount")
    if not isinstance(amount, (int, float, str)) or isinstance(amount, bool):
        raise PayloadError(f"{where}.amount is not a number")
    try:
        return Money(to_decimal(amount, currency), currency)
    except InvalidAmount as exc:
        raise PayloadError(f"{where}.amount: {exc}") from exc


def _taxed_money(value: Any, currency: str, where: str, *, required: bool = False) -> TaxedMoney:
    if value is None and not required:
        zero = _money(None, currency, where)
        return TaxedMoney(zero, zero)
    if not isinstance(value, dict):
        raise PayloadError(f"{where} is missing")
    return TaxedMoney(
        net=_money(value.get("net"), currency, f"{where}.net", required=True),
        gross=_money(value.get("gross"), currency, f"{where}.gross", required=True),
    )
