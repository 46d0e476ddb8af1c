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
- Bounds (see "bounds" below): what no genuine Saleor payload exceeds is refused here, with
  a `PayloadError` naming the field and the limit, before anything is stored as
  processable: a NUL character or nesting deeper than `MAX_JSON_DEPTH`; a string longer than
  the column it is stored in; a currency that is not three capital letters; a negative
  amount, or one with more digits than the money columns hold; a quantity outside
  0..`MAX_QUANTITY`; and for a delivery, a date further than `WEBHOOK_MAX_CLOCK_SKEW` days
  from when it was received. Product metadata (`mlm.pv`) is not judged here: the ledger
  parks an order whose metadata it cannot use, for the merchant to fix (docs/ledger.md).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.utils.translation import gettext

from saleor_mlm.core.currency import InvalidAmount, to_decimal
from saleor_mlm.core.text import quoted
from saleor_mlm.engine.money import CURRENCY_CODE

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
    # What decides the partner programs a line counts in (programs.models.Program.takes).
    product_type_id: str = ""
    category_id: str = ""
    collection_ids: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """The line as stored on OrderRecord.lines (amounts as decimal strings; the product's
        type, category and collections when Saleor sent them)."""
        catalog = {
            key: value
            for key, value in (
                ("product_type_id", self.product_type_id),
                ("category_id", self.category_id),
                ("collection_ids", list(self.collection_ids)),
            )
            if value
        }
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
            **catalog,
        }


@dataclass(frozen=True)
class GrantedRefund:
    """A refund the merchant granted in Saleor (`order.grantedRefunds[]`), with the lines it
    names (line id -> quantity; empty when it names none)."""

    id: str
    created: datetime | None
    status: str  # NONE, PENDING, SUCCESS, FAILURE (OrderGrantedRefundStatusEnum)
    amount: Money
    lines: dict[str, int]


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
    # Absent from deliveries of a subscription registered before the app asked for them.
    granted_refunds: tuple[GrantedRefund, ...] = ()


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


# --- bounds -------------------------------------------------------------------------------
#
# Each bound is defined once: here, or by the column the value ends up in (read from the
# model field, so that a value that passes is a value the database takes).

# Saleor's order payloads nest 7 levels deep (order.lines[].variant.product.metadata[]);
# anything far deeper is not Saleor's.
MAX_JSON_DEPTH = 32
# Saleor keeps a line's quantity in a PostgreSQL integer.
MAX_QUANTITY = 2**31 - 1


@cache
def _column(model_label: str, name: str):
    from django.apps import apps

    return apps.get_model(model_label)._meta.get_field(name)


def _max_length(model_label: str, name: str) -> int:
    return _column(model_label, name).max_length


# Saleor's ids (orders, users, lines, variants, products) and SKUs: as long as the column
# of an order id at most.
def _saleor_id_length() -> int:
    return _max_length("orders.OrderRecord", "saleor_order_id")


def _too_deep() -> PayloadError:
    return PayloadError(gettext("the body nests deeper than %(depth)d levels") % {"depth": MAX_JSON_DEPTH})


def _check_structure(data: Any, body: bytes | None = None) -> None:
    """No NUL character anywhere (PostgreSQL stores none, so Saleor never sends one) and
    no nesting deeper than MAX_JSON_DEPTH. One walk over the parsed body, without recursion.

    JSON text can hold a NUL only as the escape `\\u0000` (a raw control character is not
    valid JSON): where `body`, the UTF-8 text `data` was parsed from, has none, only the
    containers are walked for the depth (the full walk was a tenth of the intake's CPU).
    (`json.loads` also reads UTF-16 and UTF-32, where the escape has other bytes.)"""
    if body is not None and json.detect_encoding(body).startswith("utf-8") and b"\\u0000" not in body:
        _check_depth(data)
        return
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                raise PayloadError(gettext("the body contains a NUL character (\\u0000)"))
            continue
        if not isinstance(value, (dict, list)):
            continue
        if depth > MAX_JSON_DEPTH:
            raise _too_deep()
        if isinstance(value, dict):
            stack.extend((key, depth) for key in value)  # keys are strings: checked for NUL
            stack.extend((item, depth + 1) for item in value.values())
        else:
            stack.extend((item, depth + 1) for item in value)


def _check_depth(data: Any) -> None:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise _too_deep()
        for item in value.values() if isinstance(value, dict) else value:
            if isinstance(item, (dict, list)):
                stack.append((item, depth + 1))


@dataclass(frozen=True)
class DateWindow:
    """The dates a delivery may carry: issuedAt within `skew` of when it was received, an
    order created no later than that (an order may be years old when it is refunded)."""

    received_at: datetime
    skew: dt.timedelta

    @classmethod
    def around(cls, received_at: datetime | None) -> DateWindow | None:
        if received_at is None:
            return None
        return cls(received_at, dt.timedelta(days=settings.WEBHOOK_MAX_CLOCK_SKEW))

    def check(self, value: datetime, where: str, *, past: bool) -> None:
        try:
            too_late = value > self.received_at + self.skew
            too_early = past and value < self.received_at - self.skew
        except OverflowError:  # 9999-12-31T23:59-01:00 is beyond what a datetime holds in UTC
            too_late, too_early = True, False
        if too_late or too_early:
            raise PayloadError(
                gettext("%(where)s %(value)s is more than %(days)d days from when the delivery was received (%(received)s)")
                % {"where": where, "value": value.isoformat(), "days": self.skew.days, "received": self.received_at.isoformat()}
            )


# --- parsing ------------------------------------------------------------------------------


def load_json(body: bytes) -> dict[str, Any]:
    """The body as a JSON object within the structural bounds, or PayloadError."""
    try:
        data = json.loads(body)
    except RecursionError as exc:  # the parser's own limit (about a thousand levels)
        raise _too_deep() from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise PayloadError(f"body is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise PayloadError("body is not a JSON object")
    _check_structure(data, body if isinstance(body, bytes) else None)
    return data


def parse_body(event: str, body: bytes, *, received_at: datetime | None) -> Payload:
    """The stored or posted body of a delivery of `event`, received at `received_at`
    (its dates are checked against that), as its typed payload; or PayloadError."""
    return parse_payload(event, load_json(body), received_at=received_at)


def recipient_id(data: dict[str, Any]) -> str:
    """`recipient.id`, or "" when the payload does not name its recipient."""
    recipient = data.get("recipient")
    if isinstance(recipient, dict) and isinstance(recipient.get("id"), str):
        return recipient["id"]
    return ""


def parse_payload(event: str, data: dict[str, Any], *, received_at: datetime | None = None) -> Payload:
    """Parse the body of a delivery of `event` into its typed payload. With `received_at`
    (a delivery's), its dates must lie within WEBHOOK_MAX_CLOCK_SKEW of it; without (the
    demo's history), any date is taken."""
    if event in ORDER_EVENTS:
        return parse_order_event(event, data, received_at=received_at)
    if event in CUSTOMER_EVENTS:
        return parse_customer_event(event, data, received_at=received_at)
    raise PayloadError(f"unknown event {event!r}")


def parse_order_event(event: str, data: dict[str, Any], *, received_at: datetime | None = None) -> OrderEventPayload:
    window = DateWindow.around(received_at)
    envelope = _envelope(event, data, window)
    order = data.get("order")
    if not isinstance(order, dict):
        raise PayloadError("'order' is missing or null (does the app have MANAGE_ORDERS?)")
    return OrderEventPayload(event=event, envelope=envelope, order=_order(order, window))


def parse_customer_event(event: str, data: dict[str, Any], *, received_at: datetime | None = None) -> CustomerEventPayload:
    envelope = _envelope(event, data, DateWindow.around(received_at))
    user = data.get("user")
    if not isinstance(user, dict):
        raise PayloadError("'user' is missing or null (does the app have MANAGE_USERS?)")
    customer = Customer(
        id=_required_str(user, "id", "user.id", _max_length("network.Customer", "saleor_user_id")),
        email=_str(user.get("email"), "user.email", _max_length("network.Customer", "email")),
        first_name=_str(user.get("firstName"), "user.firstName", _max_length("network.Customer", "first_name")),
        last_name=_str(user.get("lastName"), "user.lastName", _max_length("network.Customer", "last_name")),
        metadata=_metadata(user.get("metadata"), "user.metadata"),
    )
    return CustomerEventPayload(event=event, envelope=envelope, user=customer)


def _envelope(event: str, data: dict[str, Any], window: DateWindow | None) -> Envelope:
    expected = EVENT_SPECS[event].graphql_type
    typename = data.get("__typename")
    # Saleor always sends __typename with our subscriptions; a different one means the body
    # belongs to another event (a misrouted or replayed delivery).
    if typename is not None and typename != expected:
        raise PayloadError(f"payload is a {str(typename)[:80]}, expected {expected}")
    principal = data.get("issuingPrincipal")
    issued_at = _datetime(data.get("issuedAt"), "issuedAt")
    if issued_at is not None and window is not None:
        window.check(issued_at, "issuedAt", past=True)
    return Envelope(
        typename=typename or expected,
        issued_at=issued_at,
        saleor_version=_str(data.get("version")),
        issuing_principal=(
            Principal(type=_str(principal.get("__typename")), id=_str(principal.get("id")))
            if isinstance(principal, dict)
            else None
        ),
        recipient_id=recipient_id(data),
    )


def _order(data: dict[str, Any], window: DateWindow | None) -> Order:
    channel = data.get("channel") or {}
    if not isinstance(channel, dict):
        raise PayloadError("order.channel is not an object")
    currency = _str(channel.get("currencyCode")) or _currency_from_total(data)
    if not currency:
        raise PayloadError("order currency is missing (channel.currencyCode and total)")
    if not CURRENCY_CODE.fullmatch(currency):
        raise PayloadError(gettext("order currency %(currency)s is not a three-letter ISO 4217 code") % {"currency": quoted(currency)})
    user = data.get("user")
    billing = data.get("billingAddress") or {}
    country = (billing.get("country") or {}) if isinstance(billing, dict) else {}
    lines = data.get("lines")
    if lines is None:
        lines = []
    if not isinstance(lines, list):
        raise PayloadError("order.lines is not a list")
    created = _datetime(data.get("created"), "order.created")
    if created is not None and window is not None:
        window.check(created, "order.created", past=False)
    order = "orders.OrderRecord"
    return Order(
        id=_required_str(data, "id", "order.id", _saleor_id_length()),
        number=_str(data.get("number"), "order.number", _max_length(order, "number")),
        created=created,
        status=_str(data.get("status"), "order.status", _max_length(order, "status")),
        charge_status=_str(data.get("chargeStatus"), "order.chargeStatus", _max_length(order, "charge_status")),
        user_email=_str(data.get("userEmail"), "order.userEmail", _max_length(order, "user_email")),
        voucher_code=_str(data.get("voucherCode"), "order.voucherCode", _max_length(order, "voucher_code")),
        language_code=_str(data.get("languageCodeEnum"), "order.languageCodeEnum", _max_length(order, "language_code")),
        user=(
            OrderUser(
                id=_required_str(user, "id", "order.user.id", _max_length(order, "user_id")),
                email=_str(user.get("email"), "order.user.email", _max_length(order, "user_email")),
                metadata=_metadata(user.get("metadata"), "order.user.metadata"),
            )
            if isinstance(user, dict)
            else None
        ),
        channel_slug=_str(channel.get("slug"), "order.channel.slug", _max_length(order, "channel_slug")),
        currency=currency,
        billing_country=(
            _str(country.get("code"), "order.billingAddress.country.code", _max_length(order, "billing_country"))
            if isinstance(country, dict)
            else ""
        ),
        total=_taxed_money(data.get("total"), currency, "order.total", required=True),
        total_charged=_money(data.get("totalCharged"), currency, "order.totalCharged"),
        total_refunded=_money(data.get("totalRefunded"), currency, "order.totalRefunded"),
        metadata=_metadata(data.get("metadata"), "order.metadata"),
        private_metadata=_metadata(data.get("privateMetadata"), "order.privateMetadata"),
        lines=tuple(_line(line, currency, index) for index, line in enumerate(lines)),
        granted_refunds=_granted_refunds(data.get("grantedRefunds"), currency),
    )


def _granted_refunds(value: Any, currency: str) -> tuple[GrantedRefund, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise PayloadError("order.grantedRefunds is not a list")
    refunds = []
    id_length = _saleor_id_length()
    for index, data in enumerate(value):
        where = f"order.grantedRefunds[{index}]"
        if not isinstance(data, dict):
            raise PayloadError(f"{where} is not an object")
        lines: dict[str, int] = {}
        for line_index, line in enumerate(data.get("lines") or ()):
            line_where = f"{where}.lines[{line_index}]"
            order_line = line.get("orderLine") if isinstance(line, dict) else None
            if not isinstance(order_line, dict):
                raise PayloadError(f"{line_where}.orderLine is missing")
            quantity = line.get("quantity")
            if not isinstance(quantity, int) or isinstance(quantity, bool) or not 0 <= quantity <= MAX_QUANTITY:
                raise PayloadError(f"{line_where}.quantity is not an integer between 0 and {MAX_QUANTITY}")
            line_id = _required_str(order_line, "id", f"{line_where}.orderLine.id", id_length)
            lines[line_id] = lines.get(line_id, 0) + quantity
        refunds.append(
            GrantedRefund(
                id=_required_str(data, "id", f"{where}.id", id_length),
                created=_datetime(data.get("createdAt"), f"{where}.createdAt"),
                status=_str(data.get("status"), f"{where}.status", 16),
                amount=_money(data.get("amount"), currency, f"{where}.amount", required=True),
                lines=lines,
            )
        )
    return tuple(refunds)


def _line(data: Any, currency: str, index: int) -> OrderLine:
    where = f"order.lines[{index}]"
    if not isinstance(data, dict):
        raise PayloadError(f"{where} is not an object")
    quantity = data.get("quantity")
    if not isinstance(quantity, int) or isinstance(quantity, bool):
        raise PayloadError(f"{where}.quantity is not an integer")
    if not 0 <= quantity <= MAX_QUANTITY:
        raise PayloadError(
            gettext("%(where)s.quantity %(quantity)s is not between 0 and %(limit)d")
            % {"where": where, "quantity": quoted(str(quantity)), "limit": MAX_QUANTITY}
        )
    # A deleted variant or product comes back null; the line still counts, without metadata.
    variant = data.get("variant") if isinstance(data.get("variant"), dict) else {}
    product = variant.get("product") if isinstance(variant.get("product"), dict) else {}
    id_length = _saleor_id_length()
    return OrderLine(
        id=_required_str(data, "id", f"{where}.id", id_length),
        product_sku=_str(data.get("productSku"), f"{where}.productSku", id_length),
        quantity=quantity,
        unit_price=_taxed_money(data.get("unitPrice"), currency, f"{where}.unitPrice"),
        total_price=_taxed_money(data.get("totalPrice"), currency, f"{where}.totalPrice"),
        variant_id=_str(variant.get("id"), f"{where}.variant.id", id_length),
        variant_metadata=_metadata(variant.get("metadata"), f"{where}.variant.metadata"),
        product_id=_str(product.get("id"), f"{where}.variant.product.id", id_length),
        product_metadata=_metadata(product.get("metadata"), f"{where}.variant.product.metadata"),
        product_type_id=_str(_object(product.get("productType")).get("id"), f"{where}.variant.product.productType.id", id_length),
        category_id=_str(_object(product.get("category")).get("id"), f"{where}.variant.product.category.id", id_length),
        collection_ids=tuple(
            _str(_object(collection).get("id"), f"{where}.variant.product.collections.id", id_length)
            for collection in (product.get("collections") if isinstance(product.get("collections"), list) else [])
            if _object(collection).get("id")
        ),
    )


def _object(value: Any) -> dict[str, Any]:
    """A nested object of the payload, {} when Saleor sent null (a deleted type or category)."""
    return value if isinstance(value, dict) else {}


# --- small readers ------------------------------------------------------------------------


def _str(value: Any, where: str = "", max_length: int | None = None) -> str:
    """A string field, "" when absent; longer than `max_length`: PayloadError."""
    if not isinstance(value, str):
        return ""
    if max_length is not None and len(value) > max_length:
        raise PayloadError(
            gettext("%(where)s is longer than %(limit)d characters (%(length)d)")
            % {"where": where, "limit": max_length, "length": len(value)}
        )
    return value


def _required_str(data: dict[str, Any], key: str, where: str, max_length: int) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise PayloadError(f"{where} is missing")
    return _str(value, where, max_length)


def _datetime(value: Any, where: str) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise PayloadError(f"{where} is not a date-time")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise PayloadError(f"{where} is not an ISO 8601 date-time: {quoted(value)}") from exc
    # Saleor always gives the offset; a date-time without one is read as UTC (as Django
    # would store it), so that it compares with the time of receipt.
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


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
        raise PayloadError(f"{where} is in {money_currency[:40]}, the order in {currency}")
    amount = value.get("amount")
    if not isinstance(amount, (int, float, str)) or isinstance(amount, bool):
        raise PayloadError(f"{where}.amount is not a number")
    try:
        exact = to_decimal(amount, currency)
    except InvalidAmount as exc:
        raise PayloadError(f"{where}.amount: {str(exc)[:120]}") from exc
    return Money(_bounded_amount(exact, f"{where}.amount"), currency)


def _bounded_amount(amount: Decimal, where: str) -> Decimal:
    """Money is never negative, and has no more digits than the order's money columns
    (`OrderRecord.total_gross`) hold; Django's own rule for a DecimalField checks that."""
    if amount < 0:
        raise PayloadError(gettext("%(where)s is negative (%(amount)s)") % {"where": where, "amount": amount})
    column = _column("orders.OrderRecord", "total_gross")
    try:
        DecimalValidator(column.max_digits, column.decimal_places)(amount)
    except ValidationError as exc:
        raise PayloadError(f"{where} {amount}: {' '.join(exc.messages)}") from exc
    return amount


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
