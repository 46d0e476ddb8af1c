"""`/` (issue 15, item 6): the demo opens its pages; a deployment says what it is and how a
merchant installs it, and shows nothing of anyone's data."""

from __future__ import annotations

import pytest

import saleor_mlm


def test_the_demo_opens_the_dashboard(client, monkeypatch):
    monkeypatch.setenv("SALEOR_MLM_DEMO", "1")

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


@pytest.mark.django_db
def test_a_deployment_answers_the_manifest_url_and_no_data(client, settings, monkeypatch, installation):
    monkeypatch.delenv("SALEOR_MLM_DEMO", raising=False)
    settings.APP_URL = "https://mlm.example.com"

    response = client.get("/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode()
    assert "<pre>https://mlm.example.com/api/manifest</pre>" in page
    assert installation.saleor_api_url not in page
    assert saleor_mlm.__version__ not in page


def test_without_app_url_the_manifest_url_is_the_requests(client, settings, monkeypatch):
    monkeypatch.delenv("SALEOR_MLM_DEMO", raising=False)
    settings.APP_URL = ""

    page = client.get("/", headers={"accept-language": "de"}).content.decode()

    assert "<pre>http://testserver/api/manifest</pre>" in page
    assert '<html lang="de">' in page


def test_only_get_and_head(client):
    assert client.post("/").status_code == 405
