"""`LOG_FORMAT=text` lines say what came of the work (issue 15, item 6): the fields given
with `extra=` follow the message, the outcome first, one line per record."""

from __future__ import annotations

import io
import logging
import re

import pytest

from saleor_mlm.core.logging import TextFormatter
from saleor_mlm.ledger.models import OrderAttribution
from saleor_mlm.webhooks.models import WebhookDelivery
from tests.fixtures.webhooks import SAMPLE_API_URL, SAMPLE_APP_ID, load_sample, sample_jwks

TIME = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}"


@pytest.fixture
def text_log():
    """The app's records, as the `text` formatter of settings.LOGGING writes them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(TextFormatter())
    logger = logging.getLogger("saleor_mlm")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_the_text_format_is_the_apps_formatter(settings):
    assert settings.LOGGING["formatters"]["text"] == {"()": "saleor_mlm.core.logging.TextFormatter"}


@pytest.mark.django_db
def test_text_lines_say_credited_and_parked(text_log, post_webhook, installation_factory, ledger_partner):
    installation = installation_factory(saleor_api_url=SAMPLE_API_URL, app_id=SAMPLE_APP_ID, jwks=sample_jwks())
    ledger_partner("ANNA", installation=installation, voucher_code="E2E10-1795528915")
    for sample in ("order_fully_paid", "order_cancelled"):  # #25 paid; #27 cancelled, its payment never came
        headers, body = load_sample(sample)
        assert post_webhook(headers["Saleor-Event"], body, headers).status_code < 300

    lines = text_log.getvalue().splitlines()
    paid = WebhookDelivery.objects.get(event="order_fully_paid")
    order = OrderAttribution.objects.get(order__number="25").order
    credited = [line for line in lines if " order event credited " in line]
    assert len(credited) == 1
    assert re.fullmatch(
        rf"{TIME} INFO saleor_mlm\.ledger\.crediting order event credited outcome=credited order_event=\d+ "
        rf"order={order.pk} entries=\d+",
        credited[0],
    ), credited
    parked = [line for line in lines if "WARNING saleor_mlm.ledger.crediting order event parked" in line]
    assert len(parked) == 1 and " reason=awaiting_payment " in parked[0]
    assert re.search(r' detail="[^"]+"$', parked[0])  # a value with spaces is quoted: still one line
    assert any(
        line.endswith(f"webhook delivery processed outcome=processed delivery={paid.pk} event=order_fully_paid")
        for line in lines
    ), lines


def test_a_value_with_line_breaks_stays_on_the_line():
    record = logging.LogRecord("saleor_mlm.x", logging.WARNING, __file__, 1, "refused", (), None)
    record.status, record.error, record.delivery = "rejected", 'bad "body"\nsecond line', 7

    line = TextFormatter().format(record)

    assert line.endswith(' WARNING saleor_mlm.x refused status=rejected error="bad \\"body\\"\\nsecond line" delivery=7')
    assert "\n" not in line
