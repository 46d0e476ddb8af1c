import pytest

from saleor_mlm.core import crypto


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "eager", "migrations": "ok", "webhooks": "ok", "installations": "ok"},
        "details": {
            "webhooks": {"queued": 0, "failed_retrying": 0, "failed": 0, "oldest_waiting_seconds": 0, "alert_after_seconds": 600}
        },
    }


@pytest.mark.django_db
def test_healthz_fails_when_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    from saleor_mlm.celery import app

    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = None

    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("error")


@pytest.mark.django_db
def test_healthz_checks_a_real_redis_broker(client, settings):
    import os

    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    settings.CELERY_BROKER_URL = url
    from saleor_mlm.celery import app

    app.conf.broker_url = url
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = None

    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok"


def test_tokens_are_encrypted_at_rest(installation):
    installation.refresh_from_db()

    assert "token-" not in installation.encrypted_auth_token
    assert installation.auth_token.startswith("token-")
    assert crypto.decrypt(crypto.encrypt("secret")) == "secret"
