"""The dashboard extension's serving: SPA fallback, assets, the missing-build page, and
the demo token the GraphQL API accepts like a Dashboard token."""

from __future__ import annotations

import pytest

from saleor_mlm.installations.demo import DEMO_API_URL, DEMO_APP_ID, ensure_demo_installation

PARTNERS = "{ partners(first: 1) { totalCount } }"


@pytest.fixture
def dist(settings, tmp_path):
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text('<!doctype html><div id="root"></div>')
    (root / "assets" / "index-abc123.js").write_text("console.log(1)")
    (root / "favicon.svg").write_text("<svg/>")
    settings.DASHBOARD_DIST_DIR = str(root)
    return root


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
