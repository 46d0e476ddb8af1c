"""A shop with two people to erase, their data spread the way the app spreads it: created
through actions, buying through signed webhook deliveries, in the history of others."""

from __future__ import annotations

import pytest
from django.db import connection

from saleor_mlm.core import crypto
from saleor_mlm.network.actions import create_partner, set_status
from saleor_mlm.network.models import Customer
from tests.fixtures.webhooks import customer_body, order_body

ZENOBIA = {"email": "Zenobia.Quackenbush@example.org", "first_name": "Zenobia", "last_name": "Quackenbush"}
OTTILIE = {"email": "ottilie.wunderlich@example.net", "first_name": "Ottilie", "last_name": "Wunderlich"}
ZENOBIA_USER = "VXNlcjo5MDE="
OTTILIE_USER = "VXNlcjo5MDI="


def paid_order(user_id: str, email: str, first: str, last: str, street="Lindenweg 7", postal_code="97688", phone="+49 971 123456", **fields) -> dict:
    address = {
        "firstName": first,
        "lastName": last,
        "streetAddress1": street,
        "city": "Bad Kissingen",
        "postalCode": postal_code,
        "phone": phone,
        "country": {"code": "DE"},
    }
    return {
        "userEmail": email,
        "user": {"id": user_id, "email": email, "firstName": first, "lastName": last, "metadata": []},
        "billingAddress": address,
        "shippingAddress": address,
        **fields,
    }


@pytest.fixture
def shop(saleor_installation, fake_saleor, post_webhook, ledger_partner):
    """Anna sponsors Zenobia (a partner who buys herself and recruits Ottilie's friend);
    Ottilie registers with Zenobia's code and buys twice, one order refunded in part."""
    installation = saleor_installation
    anna = ledger_partner("ANNA", installation=installation, first_name="Anna", last_name="Berg", email="anna@example.com")
    zenobia = create_partner(
        installation, **ZENOBIA, sponsor=anna, saleor_user_id=ZENOBIA_USER, vat_id="DE811907980", referral_code="ZQ7K2",
        created_by="merchant@example.com", reason="Zenobia Quackenbush signed up at the fair",
    )
    friend = create_partner(installation, email="friend@example.com", first_name="Fritz", last_name="Frei", sponsor=zenobia, created_by="merchant@example.com")

    def deliver(event: str, body: bytes):
        response = post_webhook(event, body, fake_saleor.webhook_headers(event, body))
        assert response.status_code < 300, response.content

    deliver("customer_created", customer_body(app_id=installation.app_id, user_id=OTTILIE_USER, email=OTTILIE["email"], firstName="Ottilie", lastName="Wunderlich", metadata={"mlm_referral_code": "ZQ7K2"}))
    ottilie = Customer.objects.get(saleor_user_id=OTTILIE_USER)
    assert ottilie.sponsor == zenobia
    deliver("order_fully_paid", order_body(app_id=installation.app_id, order_id="T3JkZXI6b3R0MQ==", **paid_order(OTTILIE_USER, OTTILIE["email"], "Ottilie", "Wunderlich")))
    deliver("order_fully_paid", order_body(app_id=installation.app_id, order_id="T3JkZXI6b3R0Mg==", **paid_order(OTTILIE_USER, OTTILIE["email"], "Ottilie", "Wunderlich")))
    deliver("order_refunded", order_body("order_refunded", app_id=installation.app_id, order_id="T3JkZXI6b3R0Mg==", total_refunded=10.0, **paid_order(OTTILIE_USER, OTTILIE["email"], "Ottilie", "Wunderlich")))
    deliver("order_fully_paid", order_body(app_id=installation.app_id, order_id="T3JkZXI6emVuMQ==", **paid_order(ZENOBIA_USER, ZENOBIA["email"], "Zenobia", "Quackenbush")))
    deliver("order_fully_paid", order_body(app_id=installation.app_id, order_id="T3JkZXI6ZnJpMQ==", **paid_order("VXNlcjo5MDM=", "friend@example.com", "Fritz", "Frei", street="Birkenallee 3", postal_code="10115", phone="+49 30 555")))
    set_status(zenobia, "terminated", changed_by="merchant@example.com", reason="Zenobia Quackenbush (zenobia.quackenbush@example.org) asked to leave")
    zenobia.refresh_from_db()
    return {"installation": installation, "anna": anna, "zenobia": zenobia, "ottilie": ottilie, "friend": friend}


def _decrypted(token: str) -> str:
    try:
        return crypto.decrypt(token)
    except crypto.InvalidToken:  # not ours (the benchmark's placeholder token): no text in it
        return ""


def text_columns_of_the_database() -> list[tuple[str, str, str]]:
    """(table, column, type) of every text, JSON and binary column in the database."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT table_name, column_name, data_type FROM information_schema.columns
            WHERE table_schema = current_schema()
              AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea')
            ORDER BY table_name, column_name
            """
        )
        return cursor.fetchall()


def find_in_database(words: list[str]) -> list[tuple[str, str, str]]:
    """Every (table, column, word) where a column of any row contains a word, in any case;
    the encrypted columns (`encrypted_*`: IBANs, keys) are decrypted and searched too."""
    found = []
    with connection.cursor() as cursor:
        for table, column, data_type in text_columns_of_the_database():
            if column.startswith("encrypted_"):
                cursor.execute(
                    f"SELECT {connection.ops.quote_name(column)} FROM {connection.ops.quote_name(table)} WHERE {connection.ops.quote_name(column)} <> ''"
                )
                plain = " ".join(_decrypted(token) for (token,) in cursor.fetchall()).casefold()
                found += [(table, column, word) for word in words if word.casefold() in plain]
                continue
            if data_type == "bytea":
                text = f"encode({connection.ops.quote_name(column)}, 'escape')"
            else:
                text = f"{connection.ops.quote_name(column)}::text"
            for word in words:
                cursor.execute(
                    f"SELECT count(*) FROM {connection.ops.quote_name(table)} WHERE {text} ILIKE %s",
                    [f"%{word}%"],
                )
                if cursor.fetchone()[0]:
                    found.append((table, column, word))
    return found
