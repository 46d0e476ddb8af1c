"""The partner office's server side: the build served at /office/, the configuration the page
asks for before sign-in, and the demo's partner tokens the GraphQL API takes like a shop's."""

from __future__ import annotations

import pytest
from graphql_relay import to_global_id

from saleor_mlm.installations.demo import DEMO_API_URL, ensure_demo_installation

ME = "{ me { partner { displayName referralCode frontline { totalCount } } } }"


@pytest.fixture
def dist(settings, tmp_path):
    """An office build in a temporary folder: the page and a hashed asset."""
    root = tmp_path / "office-dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text('<!doctype html><div id="root"></div>')
    (root / "assets" / "index-abc123.js").write_text("console.log(1)")
    settings.OFFICE_DIST_DIR = str(root)
    return root


@pytest.fixture
def demo(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path / "var"
    monkeypatch.setenv("SALEOR_MLM_DEMO", "1")
    installation, _ = ensure_demo_installation()
    return installation


def ask(client, token, query=ME):
    return client.post("/graphql/", {"query": query}, content_type="application/json", headers={"Authorization": f"Bearer {token}"})


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/office/", "/office/team", "/office/join/ANNA1"])
def test_every_office_path_answers_the_built_page(client, dist, path):
    response = client.get(path)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert b'<div id="root">' in response.content
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_assets_are_cached_and_office_without_slash_redirects(client, dist):
    asset = client.get("/office/assets/index-abc123.js")
    assert (asset.status_code, asset["Content-Type"]) == (200, "text/javascript")
    assert "immutable" in asset["Cache-Control"]
    assert client.get("/office/assets/missing.js").status_code == 404
    redirect = client.get("/office", {"locale": "de"})
    assert (redirect.status_code, redirect["Location"]) == (302, "/office/?locale=de")


def test_without_a_build_the_answer_says_how_to_build(client, settings, tmp_path, db):
    settings.OFFICE_DIST_DIR = str(tmp_path / "nothing")

    response = client.get("/office/")

    assert response.status_code == 503
    assert b"cd office" in response.content


@pytest.mark.django_db
def test_the_page_may_talk_to_its_shops_saleor_for_the_sign_in(client, dist, installation_factory):
    shop = installation_factory(saleor_api_url="https://shop.example.com/graphql/")

    policy = client.get("/office/")["Content-Security-Policy"]
    config = client.get("/office/config.json").json()

    assert "connect-src 'self' https://shop.example.com;" in policy
    assert config == {"saleorApiUrl": shop.saleor_api_url, "accountsUrl": shop.saleor_api_url, "demo": False, "demoPartners": []}


@pytest.mark.django_db
def test_with_several_shops_the_link_names_the_shop(client, dist, installation_factory):
    installation_factory(saleor_api_url="https://one.example.com/graphql/")
    installation_factory(saleor_api_url="https://two.example.com/graphql/")

    assert client.get("/office/config.json").json()["saleorApiUrl"] is None
    named = client.get("/office/config.json", {"saleorApiUrl": "https://two.example.com/graphql/"}).json()
    assert named["saleorApiUrl"] == "https://two.example.com/graphql/"
    policy = client.get("/office/team", {"saleorApiUrl": "https://two.example.com/graphql/"})["Content-Security-Policy"]
    assert "https://two.example.com" in policy and "https://one.example.com" not in policy
    assert client.get("/office/config.json", {"saleorApiUrl": "https://evil.example.com/graphql/"}).json()["saleorApiUrl"] is None


@pytest.mark.django_db
def test_the_demo_signs_a_partner_in_by_e_mail_and_the_api_knows_them(client, demo, partner_factory):
    anna = partner_factory(installation=demo, first_name="Anna", email="anna@example.com", saleor_user_id="VXNlcjoxMDA=")
    partner_factory(sponsor=anna, saleor_user_id="VXNlcjoxMDE=")

    config = client.get("/office/config.json").json()
    response = client.post("/office/demo-token", {"email": "ANNA@example.com"}, content_type="application/json")

    assert config["demo"] is True and config["saleorApiUrl"] == DEMO_API_URL
    assert config["demoPartners"][0] == {"email": "anna@example.com", "name": anna.display_name}
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert (body["saleorApiUrl"], body["email"]) == (DEMO_API_URL, "anna@example.com")
    answer = ask(client, body["token"])
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"data": {"me": {"partner": {"displayName": anna.display_name, "referralCode": anna.referral_code, "frontline": {"totalCount": 1}}}}}


@pytest.mark.django_db
def test_the_dashboard_opens_the_office_for_a_partner_by_id(client, demo, partner_factory):
    bernd = partner_factory(installation=demo, first_name="Bernd", saleor_user_id="VXNlcjoxMDI=")

    body = client.post("/office/demo-token", {"partnerId": to_global_id("Partner", bernd.pk)}, content_type="application/json").json()

    assert ask(client, body["token"]).json()["data"]["me"]["partner"]["displayName"] == bernd.display_name


@pytest.mark.django_db
def test_a_partner_token_is_not_a_merchants(client, demo, partner_factory):
    partner_factory(installation=demo, email="anna@example.com", saleor_user_id="VXNlcjoxMDA=")
    token = client.post("/office/demo-token", {"email": "anna@example.com"}, content_type="application/json").json()["token"]

    answer = ask(client, token, "{ partners(first: 1) { totalCount } }").json()

    assert answer["data"] == {"partners": None}
    assert answer["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


@pytest.mark.django_db
def test_only_partners_with_a_shop_account_of_the_demo_sign_in(client, demo, partner_factory, installation_factory):
    partner_factory(installation=demo, email="nouser@example.com", saleor_user_id="")
    other = installation_factory(saleor_api_url="https://shop.example.com/graphql/")
    stranger = partner_factory(installation=other, email="stranger@example.com", saleor_user_id="VXNlcjo5")

    for body in ({"email": "nouser@example.com"}, {"email": "stranger@example.com"}, {"partnerId": to_global_id("Partner", stranger.pk)}, {}, {"partnerId": "bm9wZQ=="}):
        response = client.post("/office/demo-token", body, content_type="application/json")
        assert response.status_code == 404, body
        assert response.json()["error"]["code"] == "UNKNOWN_PARTNER"
    assert client.post("/office/demo-token", "[1]", content_type="application/json").status_code == 400


@pytest.mark.django_db
def test_no_partner_tokens_outside_the_demo(client, demo, partner_factory, monkeypatch):
    partner_factory(installation=demo, email="anna@example.com", saleor_user_id="VXNlcjoxMDA=")
    monkeypatch.delenv("SALEOR_MLM_DEMO")

    assert client.post("/office/demo-token", {"email": "anna@example.com"}, content_type="application/json").status_code == 404
    assert client.get("/office/demo-token").status_code == 405
    assert client.get("/office/config.json").json()["demo"] is False
