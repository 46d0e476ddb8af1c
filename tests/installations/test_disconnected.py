"""An installation whose token Saleor rejects (401/403) is disconnected: /healthz and the API
say so until Saleor registers the app again. Against a local HTTP server answering 401."""


import pytest

from saleor_mlm.installations.actions import install
from saleor_mlm.installations.models import Installation
from saleor_mlm.installations.saleor_client import SaleorAuthError, SaleorClient
from saleor_mlm.ledger.crediting import credit_order_event
from saleor_mlm.ledger.write_back import write_back_order

pytestmark = pytest.mark.django_db

APP_CONNECTION = "query { appConnection { saleorApiUrl connected disconnectedAt reason } }"


def test_a_rejected_token_disconnects_until_the_app_is_registered_again(
    client, settings, fake_saleor, saleor_installation, order_event_factory, ledger_partner
):
    settings.SALEOR_WRITE_BACK = True
    installation = saleor_installation
    ledger_partner("ANNA", installation=installation, saleor_user_id="VXNlcjox")
    event = order_event_factory(installation=installation, user_id="VXNlcjox")
    credit_order_event(event)
    assert client.get("/healthz").json()["checks"]["installations"] == "ok"
    fake_saleor.graphql_status, fake_saleor.graphql_body = 401, {"errors": [{"message": "Invalid token."}]}

    with pytest.raises(SaleorAuthError):
        write_back_order(event.order_id, client_retries=0)

    installation.refresh_from_db()
    assert installation.disconnected_at is not None
    assert installation.disconnected_reason == "Saleor answered HTTP 401 to the app token"
    health = client.get("/healthz")
    assert health.status_code == 200  # the other shops are served
    assert health.json()["checks"]["installations"].startswith("1 disconnected")
    assert health.json()["details"]["installations"]["disconnected"] == [
        {"saleor_api_url": installation.saleor_api_url, "since": installation.disconnected_at.isoformat(), "reason": installation.disconnected_reason}
    ]
    # A second rejection (403: another call) keeps the first time.
    first = installation.disconnected_at
    fake_saleor.graphql_status = 403
    with pytest.raises(SaleorAuthError):
        SaleorClient.for_installation(installation, retries=0).execute("{ shop { name } }")
    installation.refresh_from_db()
    assert installation.disconnected_at == first

    # Saleor registers the app again (a reinstall): connected.
    fake_saleor.graphql_status, fake_saleor.graphql_body = 200, None
    install(installation.saleor_api_url, "new-token")
    installation.refresh_from_db()
    assert (installation.disconnected_at, installation.disconnected_reason) == (None, "")
    assert client.get("/healthz").json()["checks"]["installations"] == "ok"


def test_a_client_without_an_installation_marks_nothing(fake_saleor, saleor_installation):
    fake_saleor.graphql_status = 401

    with pytest.raises(SaleorAuthError):
        SaleorClient(saleor_installation.saleor_api_url, "some-token", retries=0).execute("{ shop { name } }")

    assert Installation.objects.get(pk=saleor_installation.pk).disconnected_at is None


def test_the_api_tells_the_dashboard(gql, four_requestors, gql_installation):
    from saleor_mlm.installations.connection import mark_disconnected

    assert mark_disconnected(gql_installation.pk, 401) is True
    assert mark_disconnected(gql_installation.pk, 403) is False
    results = {name: gql(APP_CONNECTION, as_=as_) for name, as_ in four_requestors("MANAGE_USERS").items()}

    for name in ("anonymous", "storefront", "dashboard_without"):
        assert results[name].error_codes == ["PERMISSION_DENIED"], name
    gql_installation.refresh_from_db()
    assert results["dashboard_with"].data == {
        "appConnection": {
            "saleorApiUrl": gql_installation.saleor_api_url,
            "connected": False,
            "disconnectedAt": gql_installation.disconnected_at.isoformat(),
            "reason": "Saleor answered HTTP 401 to the app token",
        }
    }
