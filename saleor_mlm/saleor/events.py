"""The Saleor webhook events this app subscribes to, and their subscription documents.

An event is named three ways: the lower-case name Saleor sends in `Saleor-Event` and that
ends our webhook URL (`order_fully_paid`), the manifest's `asyncEvents` name
(`ORDER_FULLY_PAID`) and the GraphQL type of the payload (`OrderFullyPaid`).

Each subscription lives in `subscriptions/<event>.graphql`; the fragments they share are in
`subscriptions/fragments.graphql` and are appended to a document only when it spreads them,
because Saleor rejects a document with an unused fragment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SUBSCRIPTIONS_DIR = Path(__file__).resolve().parent / "subscriptions"


class WebhookEvent:
    """Saleor events the app receives (the value is what `Saleor-Event` carries)."""

    ORDER_FULLY_PAID = "order_fully_paid"  # credit the order's volume
    ORDER_REFUNDED = "order_refunded"  # partial or full refund: take back a share
    ORDER_FULLY_REFUNDED = "order_fully_refunded"  # take back what remains
    ORDER_CANCELLED = "order_cancelled"  # take back what remains
    CUSTOMER_CREATED = "customer_created"  # a shop account exists: attribute it
    CUSTOMER_UPDATED = "customer_updated"  # e-mail or metadata changed

    CHOICES = [
        (ORDER_FULLY_PAID, "Order fully paid"),
        (ORDER_REFUNDED, "Order refunded"),
        (ORDER_FULLY_REFUNDED, "Order fully refunded"),
        (ORDER_CANCELLED, "Order cancelled"),
        (CUSTOMER_CREATED, "Customer created"),
        (CUSTOMER_UPDATED, "Customer updated"),
    ]


ORDER_EVENTS = frozenset(
    {
        WebhookEvent.ORDER_FULLY_PAID,
        WebhookEvent.ORDER_REFUNDED,
        WebhookEvent.ORDER_FULLY_REFUNDED,
        WebhookEvent.ORDER_CANCELLED,
    }
)
CUSTOMER_EVENTS = frozenset({WebhookEvent.CUSTOMER_CREATED, WebhookEvent.CUSTOMER_UPDATED})
ALL_EVENTS = tuple(value for value, _ in WebhookEvent.CHOICES)


@dataclass(frozen=True)
class EventSpec:
    event: str  # order_fully_paid
    label: str  # Order fully paid

    @property
    def async_event(self) -> str:
        """The manifest's `asyncEvents` name: ORDER_FULLY_PAID."""
        return self.event.upper()

    @property
    def graphql_type(self) -> str:
        """The payload's `__typename`: OrderFullyPaid."""
        return "".join(part.capitalize() for part in self.event.split("_"))

    @property
    def subscription(self) -> str:
        return subscription_document(self.event)


EVENT_SPECS: dict[str, EventSpec] = {value: EventSpec(value, label) for value, label in WebhookEvent.CHOICES}


def _fragments() -> dict[str, str]:
    """Fragment name -> its definition text, read from fragments.graphql."""
    text = (SUBSCRIPTIONS_DIR / "fragments.graphql").read_text()
    starts = [match.start() for match in re.finditer(r"^fragment ", text, flags=re.MULTILINE)]
    definitions = [text[start:end].strip() for start, end in zip(starts, [*starts[1:], len(text)])]
    return {_fragment_name(definition): definition for definition in definitions}


def _fragment_name(definition: str) -> str:
    match = re.match(r"fragment\s+(\w+)", definition)
    if match is None:
        raise ValueError(f"not a fragment definition: {definition[:40]!r}")
    return match.group(1)


@cache
def subscription_document(event: str) -> str:
    """The full subscription document for an event: its file plus the fragments it uses."""
    if event not in EVENT_SPECS:
        raise KeyError(f"no subscription for event {event!r}")
    return with_fragments((SUBSCRIPTIONS_DIR / f"{event}.graphql").read_text())


def with_fragments(body: str) -> str:
    """A document (a subscription, or a query such as the order sync's) plus the fragments
    of `fragments.graphql` it spreads, so that a query reads orders in the very shape the
    webhooks deliver them."""
    fragments = _fragments()
    used: list[str] = []
    pending = [body]
    # Fragments can spread other fragments: follow spreads until nothing new turns up.
    while pending:
        text = pending.pop()
        for name in re.findall(r"\.\.\.\s*([A-Za-z_]\w*)", text):
            if name != "on" and name in fragments and name not in used:
                used.append(name)
                pending.append(fragments[name])
    lines = [line for line in body.splitlines() if not line.lstrip().startswith("#")]
    return "\n".join([*lines, *(fragments[name] for name in used)]).strip() + "\n"
