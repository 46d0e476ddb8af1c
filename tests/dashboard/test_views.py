"""The dashboard extension's serving: SPA fallback, assets, the missing-build page, and
the demo token the GraphQL API accepts like a Dashboard token."""

from __future__ import annotations

import pytest
from graphql_relay import to_global_id

from saleor_mlm.installations.demo import DEMO_API_URL, DEMO_APP_ID, ensure_demo_installation

PARTNERS = "{ partners(first: 1) { totalCount } }"


@pytest.mark.django_db  # the page looks up the installation named by `saleorApiUrl` (its CSP)
@pytest.mark.parametrize(
    "path", ["/dashboard/", "/dashboard/partners", "/dashboard/partners/UGFydG5lcjox", "/dashboard/widgets/customer"]
)
def test_every_page_answers_the_built_index(client, dist, path):
    response = client.get(path, {"saleorApiUrl": "https://shop.example.com/graphql/"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert b'<div id="root">' in response.content
    assert "X-Frame-Options" not in response  # the Dashboard shows it in an iframe


def test_assets_are_served_with_a_long_cache(client, dist):
    response = client.get("/dashboard/assets/index-abc123.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript"
    assert "immutable" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == b"console.log(1)"
    assert client.get("/dashboard/favicon.svg").status_code == 200


def test_a_missing_asset_is_404_and_nothing_leaves_the_build(client, dist, tmp_path):
    (tmp_path / "secret.txt").write_text("no")

    assert client.get("/dashboard/assets/missing.js").status_code == 404
    response = client.get("/dashboard/../secret.txt")
    assert b"no" != response.content


def test_without_a_build_the_answer_says_how_to_build(client, settings, tmp_path):
    settings.DASHBOARD_DIST_DIR = str(tmp_path / "nothing")

    response = client.get("/dashboard/")

    assert response.status_code == 503
    assert b"npm run build" in response.content


@pytest.fixture
def demo(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path / "var"
    monkeypatch.setenv("SALEOR_MLM_DEMO", "1")
    installation, _ = ensure_demo_installation()
    return installation


@pytest.mark.django_db
def test_the_demo_token_is_a_dashboard_token_of_the_demo_installation(client, demo):
    response = client.post("/dashboard/demo-token")

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert (body["saleorApiUrl"], body["appId"]) == (DEMO_API_URL, DEMO_APP_ID)
    answer = client.post(
        "/graphql/",
        {"query": PARTNERS},
        content_type="application/json",
        headers={"authorization-bearer": body["token"], "saleor-api-url": body["saleorApiUrl"]},
    )
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"data": {"partners": {"totalCount": 0}}}


@pytest.mark.django_db
def test_no_demo_token_outside_the_demo_server(client, demo, monkeypatch):
    monkeypatch.delenv("SALEOR_MLM_DEMO")

    assert client.post("/dashboard/demo-token").status_code == 404


@pytest.mark.django_db
def test_no_demo_token_without_a_demo_installation(client, demo):
    demo.is_demo = False
    demo.save(update_fields=["is_demo"])

    assert client.post("/dashboard/demo-token").status_code == 404
    assert client.get("/dashboard/demo-token").status_code == 405


def _token(client, user=None):
    body = {} if user is None else {"user": user}
    response = client.post("/dashboard/demo-token", body, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def _graphql(client, session, query, variables=None):
    answer = client.post(
        "/graphql/",
        {"query": query, "variables": variables or {}},
        content_type="application/json",
        headers={"authorization-bearer": session["token"], "saleor-api-url": session["saleorApiUrl"]},
    )
    assert answer.status_code == 200, answer.content
    return answer.json()["data"]


@pytest.mark.django_db
def test_the_demo_has_two_users_and_the_page_names_the_one_it_acts_as(client, demo):
    merchant = _token(client)
    approver = _token(client, "approver")

    assert merchant["user"] == {"key": "merchant", "name": "Demo merchant", "email": "demo@saleor-mlm.local"}
    assert approver["user"] == {"key": "approver", "name": "Demo approver", "email": "demo-approver@saleor-mlm.local"}
    assert approver["email"] == "demo-approver@saleor-mlm.local"
    assert [user["key"] for user in merchant["users"]] == ["merchant", "approver"]
    assert _graphql(client, approver, PARTNERS) == {"partners": {"totalCount": 0}}


@pytest.mark.django_db
def test_an_unknown_demo_user_is_refused(client, demo):
    response = client.post("/dashboard/demo-token", {"user": "root"}, content_type="application/json")

    assert response.status_code == 400
    assert "merchant, approver" in response.json()["error"]["message"]
    assert client.post("/dashboard/demo-token", "not json", content_type="application/json").status_code == 400


CLOSE = "mutation($id: ID!) { periodClose(id: $id) { errors { code } run { status } } }"
APPROVE = "mutation($id: ID!) { periodApprove(id: $id) { errors { field code } period { status approvedBy } } }"


@pytest.mark.django_db
def test_the_second_demo_user_approves_what_the_first_closed(client, demo, plan_version_factory, settings, django_capture_on_commit_callbacks):
    """Four eyes in the demo: the merchant closes, cannot approve its own close, the
    approver can."""
    from saleor_mlm.calendar.actions import get_period

    settings.MLM_PERIOD_RUNS_IN_THREAD = False  # the close finishes inside the request
    plan_version_factory(installation=demo)
    period_id = to_global_id("Period", get_period(demo, "2025-01", create=True).pk)
    merchant, approver = _token(client), _token(client, "approver")

    with django_capture_on_commit_callbacks(execute=True):
        closed = _graphql(client, merchant, CLOSE, {"id": period_id})["periodClose"]
    refused = _graphql(client, merchant, APPROVE, {"id": period_id})["periodApprove"]
    approved = _graphql(client, approver, APPROVE, {"id": period_id})["periodApprove"]

    assert closed == {"errors": [], "run": {"status": "PENDING"}}
    assert refused == {"errors": [{"field": None, "code": "SAME_USER"}], "period": None}
    assert approved == {"errors": [], "period": {"status": "APPROVED", "approvedBy": "demo-approver@saleor-mlm.local"}}
