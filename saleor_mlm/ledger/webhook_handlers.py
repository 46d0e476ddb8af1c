"""The ledger's webhook handlers, imported at start-up by `WebhooksConfig.ready`.

Customer events attribute a Saleor account as soon as it exists (`customer_events`); the
result on the delivery says what was done and why. Order events reach the ledger through
the orders domain's consumers instead (`consumers.py`).
"""

from __future__ import annotations

from saleor_mlm.webhooks.events import WebhookEvent
from saleor_mlm.webhooks.handlers import HandlerContext, HandlerOutcome, webhook_handler
from saleor_mlm.webhooks.payloads import CustomerEventPayload

from .actions import volume_settings_for
from .customer_events import CustomerEventAction, record_saleor_customer

HANDLER_NAME = "ledger.attribute_customer"


@webhook_handler(WebhookEvent.CUSTOMER_CREATED, WebhookEvent.CUSTOMER_UPDATED, name=HANDLER_NAME)
def attribute_customer(ctx: HandlerContext) -> HandlerOutcome:
    payload = ctx.payload
    assert isinstance(payload, CustomerEventPayload)
    settings = volume_settings_for(ctx.installation.pk)
    result = record_saleor_customer(
        ctx.installation,
        payload.user,
        referral_key=settings.referral_metadata_key,
        origin=f"{payload.event.upper()}, delivery #{ctx.delivery.pk}",
    )
    # Only a customer already as Saleor has it is "nothing new"; a partner or a customer
    # waiting for its first order is an answer worth keeping as PROCESSED.
    return HandlerOutcome(result=result.as_json(), duplicate=result.action == CustomerEventAction.UNCHANGED)
