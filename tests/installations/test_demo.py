"""saleor-mlm demo: embedded setup, demo installation with its own key, served by gunicorn."""

from __future__ import annotations

import datetime
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.core.management import CommandError, call_command

from saleor_mlm.installations.demo import DEMO_API_URL, DEMO_APP_ID, demo_key_path, demo_webhook_headers
from saleor_mlm.installations.models import Installation
from saleor_mlm.saleor.signing import DetachedSigner
from saleor_mlm.webhooks.verification import verify_detached
from tests.fixtures.webhooks import order_body

# The demo (a gunicorn server, the demo installation's keys): `-m "not slow"` leaves it out.
pytestmark = pytest.mark.slow


@pytest.fixture
def demo_dirs(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "var"
    settings.STATIC_ROOT = tmp_path / "var" / "static"
    settings.CELERY_BROKER_URL = ""
    return tmp_path / "var"


@pytest.mark.django_db
def test_setup_creates_the_demo_installation_once(demo_dirs, capsys):
    call_command("demo", "--no-serve", "--no-data")
    call_command("demo", "--no-serve", "--no-data")

    installation = Installation.objects.get()
    assert (installation.saleor_api_url, installation.app_id, installation.is_demo) == (DEMO_API_URL, DEMO_APP_ID, True)
    key_file = demo_key_path(demo_dirs)
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert installation.jwks == DetachedSigner.from_pem(key_file.read_bytes()).jwks()
    out = capsys.readouterr().out
    assert "manifest: http://127.0.0.1:8000/api/manifest" in out
    assert "health:   http://127.0.0.1:8000/healthz" in out
    assert (demo_dirs / "static").is_dir()


@pytest.mark.django_db
def test_the_demo_signs_webhooks_its_installation_verifies(demo_dirs):
    call_command("demo", "--no-serve", "--no-data", stdout=open(os.devnull, "w"))
    body = order_body(app_id=DEMO_APP_ID)

    headers = demo_webhook_headers("order_fully_paid", body)

    assert headers["Saleor-Api-Url"] == DEMO_API_URL
    verify_detached(headers["Saleor-Signature"], body, Installation.objects.get().jwks)


@pytest.mark.django_db
def test_the_demo_refuses_a_broker(demo_dirs, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"

    with pytest.raises(CommandError, match="unset CELERY_BROKER_URL"):
        call_command("demo", "--no-serve", "--no-data")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_saleor_mlm_demo_serves_the_app_on_sqlite(tmp_path):
    """The real command in a fresh directory: SQLite in ./var, eager tasks, gunicorn; no keys."""
    port = free_port()
    not_inherited = ("DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "FIELD_ENCRYPTION_KEY")
    env = {k: v for k, v in os.environ.items() if k not in not_inherited}
    # A small company (200 partners) seeds in a few seconds; the demo of 3,000 is the newcomer
    # check's and the e2e's (scripts/test.sh).
    env.update(SALEOR_MLM_DATA_DIR=str(tmp_path / "var"), LOG_LEVEL="WARNING", SALEOR_MLM_DEMO_PARTNERS="200")
    command = [str(Path(sys.executable).with_name("saleor-mlm")), "demo", "--port", str(port)]
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # a hang guard: minutes on a loaded machine
        while True:
            assert process.poll() is None, process.stdout.read()
            try:
                health = requests.get(f"{base}/healthz", timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "the demo did not start"
                time.sleep(0.3)
        assert health.json()["status"] == "ok"
        assert health.json()["checks"] == {"database": "ok", "broker": "eager", "migrations": "ok", "webhooks": "ok", "installations": "ok"}
        # The README's demo URL, /, opens the app's pages.
        home = requests.get(f"{base}/", timeout=5, allow_redirects=False)
        assert (home.status_code, home.headers["Location"]) == (302, "/dashboard/")
        manifest = requests.get(f"{base}/api/manifest", timeout=5).json()
        assert manifest["tokenTargetUrl"] == f"{base}/api/register"
        assert (tmp_path / "var" / "saleor-mlm.sqlite3").exists()

        # A webhook signed with the demo's key is verified and processed in-process.
        signer = DetachedSigner.from_pem((tmp_path / "var" / "demo-signing-key.pem").read_bytes())
        # Issued now: the server checks issuedAt against the time of receipt (7 days).
        body = order_body(app_id=DEMO_APP_ID, issued_at=datetime.datetime.now(datetime.UTC).isoformat())
        headers = signer.headers("order_fully_paid", body, DEMO_API_URL)
        response = requests.post(f"{base}/api/webhooks/order_fully_paid", data=body, headers=headers, timeout=10)
        assert response.status_code == 202, response.text
        forged = requests.post(
            f"{base}/api/webhooks/order_fully_paid", data=body.replace(b"49.88", b"1.00", 1), headers=headers, timeout=10
        )
        assert forged.status_code == 401
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
    assert f"serving on http://127.0.0.1:{port}" in output
    assert "manifest:" in output


def test_demo_webhook_headers_shape(tmp_path):
    headers = demo_webhook_headers("customer_created", b"{}", data_dir=tmp_path)

    assert headers["Saleor-Event"] == "customer_created"
    assert headers["Saleor-Domain"] == "demo.saleor-mlm.local"
    assert json.loads(__import__("base64").urlsafe_b64decode(headers["Saleor-Signature"].split(".")[0] + "=="))["b64"] is False


@pytest.mark.django_db
def test_the_demo_data_hook_gets_the_installation(demo_dirs, monkeypatch, capsys):
    from saleor_mlm.installations.management.commands import demo as demo_command
    from tests.installations import demo_data_stub

    monkeypatch.setattr(demo_command, "DEMO_DATA_MODULE", "tests.installations.demo_data_stub")
    demo_data_stub.calls.clear()

    call_command("demo", "--no-serve")
    call_command("demo", "--no-serve", "--no-data")

    assert demo_data_stub.calls == [DEMO_API_URL]
    assert "stub demo data loaded" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_demo_server_runs_period_runs_in_a_thread(demo_dirs, settings, monkeypatch):
    """The server, not the setup: the demo data's months were closed in-process, in order."""
    from saleor_mlm.installations.management.commands import demo as demo_command

    settings.MLM_PERIOD_RUNS_IN_THREAD = False
    monkeypatch.delenv("MLM_PERIOD_RUNS_IN_THREAD", raising=False)
    served = []
    monkeypatch.setattr(demo_command.Command, "_serve", lambda self, *args: served.append(settings.MLM_PERIOD_RUNS_IN_THREAD))

    call_command("demo", "--no-serve", "--no-data", stdout=open(os.devnull, "w"))
    assert settings.MLM_PERIOD_RUNS_IN_THREAD is False
    call_command("demo", "--no-data", stdout=open(os.devnull, "w"))
    assert served == [True]


@pytest.mark.django_db
def test_the_demo_server_keeps_runs_in_the_request_when_told(demo_dirs, settings, monkeypatch):
    from saleor_mlm.installations.management.commands import demo as demo_command

    settings.MLM_PERIOD_RUNS_IN_THREAD = False
    monkeypatch.setenv("MLM_PERIOD_RUNS_IN_THREAD", "0")
    served = []
    monkeypatch.setattr(demo_command.Command, "_serve", lambda self, *args: served.append(settings.MLM_PERIOD_RUNS_IN_THREAD))

    call_command("demo", "--no-data", stdout=open(os.devnull, "w"))

    assert served == [False]
