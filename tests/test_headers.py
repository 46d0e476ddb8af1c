"""Security headers: nosniff and the referrer policy everywhere, HSTS only over HTTPS when
the deployment says so, and the CSP of the app's pages (the dashboard extension may be
framed by its Saleor only; GraphiQL by nobody, and it loads nothing from a CDN)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from saleor_mlm.core.csp import content_security_policy


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.fixture
def dist(settings, tmp_path):
    """A dashboard build with GraphiQL's vendored files, as `npm run build` writes it."""
    root = tmp_path / "dist"
    vendor = root / "vendor"
    (vendor / "graphiql@3.9.0").mkdir(parents=True)
    (root / "index.html").write_text('<!doctype html><div id="root"></div>')
    (vendor / "graphiql@3.9.0" / "graphiql.min.js").write_text("window.GraphiQL = {};")
    (vendor / "graphiql@3.9.0" / "graphiql.min.css").write_text(".graphiql-container {}")
    (vendor / "graphiql.json").write_text(
        json.dumps({"scripts": ["vendor/graphiql@3.9.0/graphiql.min.js"], "styles": ["vendor/graphiql@3.9.0/graphiql.min.css"]})
    )
    settings.DASHBOARD_DIST_DIR = str(root)
    return root


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/dashboard/", "/api/manifest"])
def test_every_answer_has_nosniff_and_the_referrer_policy(client, dist, path):
    response = client.get(path)

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.django_db
def test_hsts_only_on_https_answers_when_configured(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = False

    over_https = client.get("/healthz", secure=True)
    behind_proxy = client.get("/healthz", headers={"x-forwarded-proto": "https"})
    over_http = client.get("/healthz")

    assert over_https["Strict-Transport-Security"] == "max-age=31536000"
    assert behind_proxy["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in over_http


def _settings_in_a_fresh_process(**env) -> dict:
    code = "import json, saleor_mlm.settings as s; print(json.dumps([s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS]))"
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("SECURE_HSTS", "APP_URL"))}
    output = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def test_hsts_is_on_when_the_app_url_is_https_and_off_otherwise():
    assert _settings_in_a_fresh_process(APP_URL="https://mlm.example.com") == [31536000, True]
    assert _settings_in_a_fresh_process(APP_URL="http://127.0.0.1:8000") == [0, True]
    assert _settings_in_a_fresh_process() == [0, True]
    assert _settings_in_a_fresh_process(APP_URL="https://mlm.example.com", SECURE_HSTS_SECONDS="300", SECURE_HSTS_INCLUDE_SUBDOMAINS="0") == [300, False]


@pytest.mark.django_db
def test_the_extension_may_be_framed_by_the_saleor_it_is_opened_for(client, dist, installation_factory):
    shop = installation_factory(saleor_api_url="https://shop.example.com:8443/graphql/")
    installation_factory(saleor_api_url="https://other-shop.example.com/graphql/")

    response = client.get("/dashboard", {"saleorApiUrl": shop.saleor_api_url, "id": shop.app_id})

    policy = directives(response)
    assert policy["frame-ancestors"] == ["'self'", "https://shop.example.com:8443"]
    assert policy["connect-src"] == ["'self'", "https://shop.example.com:8443"]  # the customer widget asks Saleor
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert "X-Frame-Options" not in response


@pytest.mark.django_db
def test_a_saleor_that_did_not_install_the_app_may_not_frame_it(client, dist, installation):
    response = client.get("/dashboard/widgets/customer", {"saleorApiUrl": "https://evil.example.com/graphql/"})

    assert directives(response)["frame-ancestors"] == ["'self'"]
    assert directives(response)["connect-src"] == ["'self'"]


@pytest.mark.django_db
def test_dashboards_served_apart_from_their_api_are_configured(client, dist, settings):
    settings.SALEOR_DASHBOARD_ORIGINS = ["https://dashboard.example.com", "https://x.example.com; script-src *", "javascript:alert(1)"]

    response = client.get("/dashboard/")

    # Only well-formed origins: nothing in the setting can add a directive.
    assert directives(response)["frame-ancestors"] == ["'self'", "https://dashboard.example.com"]
    assert directives(response)["script-src"] == ["'self'"]


def test_a_page_nobody_may_frame():
    assert "frame-ancestors 'none'" in content_security_policy(frame_ancestors=[])


@pytest.mark.django_db
def test_graphiql_loads_its_files_from_the_app_with_a_strict_policy(client, dist):
    response = client.get("/graphql/", HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'<script src="([^"]+)"', html) + re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert sources == ["/dashboard/vendor/graphiql@3.9.0/graphiql.min.js", "/dashboard/vendor/graphiql@3.9.0/graphiql.min.css"]
    for source in sources:
        served = client.get(source)
        assert served.status_code == 200 and "immutable" in served["Cache-Control"]
    assert "unpkg" not in html and "cdn" not in html.lower()
    policy = directives(response)
    nonce = re.search(r'<script nonce="([^"]+)">', html).group(1)
    assert policy["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert client.get("/graphql/", HTTP_ACCEPT="text/html").content.decode().count(nonce) == 0  # a nonce per answer


def test_graphiql_without_a_build_says_how_to_build(client, settings, tmp_path):
    settings.DASHBOARD_DIST_DIR = str(tmp_path / "nothing")

    response = client.get("/graphql/", HTTP_ACCEPT="text/html")

    assert response.status_code == 503
    assert b"npm run build" in response.content
    assert b"<script" not in response.content
