"""No production start without keys of its own; the demo and DEBUG=1 still start without.

Each process is started for real, in a subprocess, in an environment without the test
suite's keys (tests/settings.py sets them for everything else).
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from saleor_mlm.core.startup import DEVELOPMENT_SECRET_KEY

BIN = Path(sys.executable).parent
# Nothing of the test run's own configuration reaches the processes started here.
NOT_INHERITED = {
    "SECRET_KEY",
    "SECRET_KEY_FALLBACKS",
    "FIELD_ENCRYPTION_KEY",
    "FIELD_ENCRYPTION_KEYS_OLD",
    "DEBUG",
    "SALEOR_MLM_DEMO",
    "SALEOR_ALLOWED_API_URLS",
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CACHE_URL",
}
STRONG_SECRET_KEY = secrets.token_urlsafe(50)
# The production environment of docs/installing.md ("Production environment"), with fresh keys.
PRODUCTION_ENVIRONMENT = {
    "SECRET_KEY": STRONG_SECRET_KEY,
    "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
    "ALLOWED_HOSTS": "mlm.example.com",
    "APP_URL": "https://mlm.example.com",
    "SALEOR_ALLOWED_API_URLS": "https://shop.example.com/graphql/",
    "SECURE_SSL_REDIRECT": "1",
    "DATABASE_URL": "postgres://mlm:secret@db.internal:5432/mlm",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "CACHE_URL": "redis://redis.internal:6379/1",
    "EMAIL_HOST": "smtp.internal",
}


def environment(tmp_path: Path, **variables: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in NOT_INHERITED}
    env.update(SALEOR_MLM_DATA_DIR=str(tmp_path / "var"), LOG_FORMAT="text", **variables)
    return env


def run(command: list[str], tmp_path: Path, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize(
    "variables, line",
    [
        pytest.param({}, "SECRET_KEY is not set: set it to a random string of at least 50 characters", id="no key"),
        pytest.param(
            {"SECRET_KEY": DEVELOPMENT_SECRET_KEY, "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode()},
            "SECRET_KEY is the public development key",
            id="the development key",
        ),
        pytest.param(
            {"SECRET_KEY": "s3cret-but-short", "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode()},
            "SECRET_KEY is too weak: it needs at least 50 characters",
            id="a short key",
        ),
        pytest.param(
            {"SECRET_KEY": STRONG_SECRET_KEY},
            "FIELD_ENCRYPTION_KEY is not set: set a key of its own, separate from SECRET_KEY",
            id="no encryption key",
        ),
        pytest.param(
            {"SECRET_KEY": STRONG_SECRET_KEY, "FIELD_ENCRYPTION_KEY": STRONG_SECRET_KEY},
            "FIELD_ENCRYPTION_KEY is the same as SECRET_KEY",
            id="one key for both",
        ),
        pytest.param(
            {"SECRET_KEY": STRONG_SECRET_KEY, "FIELD_ENCRYPTION_KEY": "too-short"},
            "FIELD_ENCRYPTION_KEY is too short",
            id="a short encryption key",
        ),
    ],
)
def test_a_command_refuses_to_start_with_one_line(tmp_path, variables, line):
    done = run([str(BIN / "saleor-mlm"), "migrate"], tmp_path, environment(tmp_path, **variables))

    assert done.returncode == 1
    assert done.stderr.startswith(f"saleor-mlm: {line}")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stdout == ""
    assert not (tmp_path / "var").exists()  # nothing migrated: no SQLite file


def test_gunicorn_refuses_to_boot_without_secret_key(tmp_path):
    command = [str(BIN / "gunicorn"), "saleor_mlm.wsgi", "--bind", "127.0.0.1:0", "--workers", "1"]

    done = run(command, tmp_path, environment(tmp_path), timeout=60)

    assert done.returncode == 4  # gunicorn: "App failed to load", no worker booted again
    refusals = [line for line in done.stderr.splitlines() if "SECRET_KEY" in line]
    assert refusals == [
        "SECRET_KEY is not set: set it to a random string of at least 50 characters "
        "(only `saleor-mlm demo` and DEBUG=1 run without it, see docs/installing.md)"
    ]
    assert "Traceback" not in done.stderr


def test_gunicorn_starts_in_production_and_warns_without_allow_list(tmp_path):
    env = environment(tmp_path, **PRODUCTION_ENVIRONMENT)
    del env["SALEOR_ALLOWED_API_URLS"]
    command = [str(BIN / "gunicorn"), "saleor_mlm.wsgi", "--bind", "127.0.0.1:0", "--workers", "1"]
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    booted = threading.Event()

    def read():  # the worker loads the app, and runs its checks, when it boots
        for line in process.stderr:
            lines.append(line)
            if "saleor_mlm.W001" in line or "Shutting down" in line:
                booted.set()
        booted.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        booted.wait(60)
        assert process.poll() is None, "".join(lines)  # serving
    finally:
        process.terminate()
        process.wait(30)

    assert any(
        "WARNING saleor_mlm.core.startup saleor_mlm.W001: SALEOR_ALLOWED_API_URLS is empty" in line for line in lines
    ), "".join(lines)


def test_a_celery_worker_refuses_to_start_without_secret_key(tmp_path):
    env = environment(tmp_path, CELERY_BROKER_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"))

    done = run([str(BIN / "celery"), "-A", "saleor_mlm", "worker", "--pool", "solo"], tmp_path, env, timeout=60)

    assert done.returncode == 1
    assert done.stderr.startswith("celery: SECRET_KEY is not set")
    assert done.stderr.count("\n") == 1


def test_the_asgi_application_refuses_to_load_without_secret_key(tmp_path):
    done = run([sys.executable, "-c", "import saleor_mlm.asgi"], tmp_path, environment(tmp_path), timeout=60)

    assert done.returncode == 1
    assert done.stderr.splitlines()[-1].endswith("RefusedStart: SECRET_KEY is not set: set it to a random string "
                                                 "of at least 50 characters (only `saleor-mlm demo` and DEBUG=1 run "
                                                 "without it, see docs/installing.md)")  # fmt: skip


@pytest.mark.slow
def test_the_demo_sets_up_without_keys(tmp_path):
    done = run([str(BIN / "saleor-mlm"), "demo", "--no-serve", "--no-data"], tmp_path, environment(tmp_path))

    assert done.returncode == 0, done.stderr
    assert "demo installation created" in done.stdout
    assert "saleor_mlm.W" not in done.stderr  # no warning about keys or the allow-list in the demo


def test_debug_runs_on_the_development_key_with_a_warning(tmp_path):
    done = run([str(BIN / "saleor-mlm"), "check"], tmp_path, environment(tmp_path, DEBUG="1"))

    assert done.returncode == 0
    assert "(saleor_mlm.W002) SECRET_KEY is not set: this process runs on the public development key because DEBUG=1" in done.stderr


def test_check_deploy_in_the_documented_production_environment_prints_no_warning(tmp_path):
    done = run([str(BIN / "saleor-mlm"), "check", "--deploy"], tmp_path, environment(tmp_path, **PRODUCTION_ENVIRONMENT))

    assert done.returncode == 0
    assert done.stderr == ""
    assert done.stdout.startswith("System check identified no issues")


def test_check_deploy_warns_without_allow_list(tmp_path):
    env = environment(tmp_path, **PRODUCTION_ENVIRONMENT)
    del env["SALEOR_ALLOWED_API_URLS"]

    done = run([str(BIN / "saleor-mlm"), "check", "--deploy"], tmp_path, env)

    assert "(saleor_mlm.W001) SALEOR_ALLOWED_API_URLS is empty" in done.stderr
    assert "System check identified 1 issue" in done.stdout + done.stderr


def test_help_runs_without_keys_and_notes_the_refusal(tmp_path):
    done = run([str(BIN / "saleor-mlm"), "help"], tmp_path, environment(tmp_path))

    assert done.returncode == 0
    assert "\nNote: here the commands refuse to start: SECRET_KEY is not set" in done.stdout
