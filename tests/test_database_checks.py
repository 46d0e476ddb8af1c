"""A database that cannot serve is one line, never a traceback (issue 15, item 6).

Every process is started for real, in a subprocess, on the machine's PostgreSQL: a
`DATABASE_URL` of another scheme, a port nobody listens on, a database that does not
exist, one that was never migrated, and one migrated to an earlier state. The commands
that work on the data refuse with one line naming what to do; the web process starts,
logs that line, and `/healthz` answers 503 until `saleor-mlm migrate` has run.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import requests

BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = [
    pytest.mark.skipif(not DATABASE_URL.startswith("postgres"), reason="needs the PostgreSQL of DATABASE_URL"),
    # The scratch databases are named after the run's database: one worker creates them.
    pytest.mark.xdist_group("database_checks"),
]
# The suite's settings module and broker stay out: the processes load the app's settings.
NOT_INHERITED = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"}


def database_url(name: str, *, port: int | None = None) -> str:
    parts = urlsplit(DATABASE_URL)
    netloc = parts.netloc if port is None else f"{parts.netloc.rsplit(':', 1)[0]}:{port}"
    return urlunsplit((parts.scheme, netloc, f"/{name}", "", ""))


def scratch_name(what: str) -> str:
    return f"{urlsplit(DATABASE_URL).path.lstrip('/')}_{what}"


def server_connection() -> psycopg.Connection:
    return psycopg.connect(database_url("postgres"), autocommit=True)


@pytest.fixture
def scratch_database():
    """A new, empty database on the real server, dropped afterwards. Named per process: the
    xdist group above does not keep these tests on one worker, and two workers dropping one
    database WITH (FORCE) under each other's feet failed both."""
    name = scratch_name(f"scratch_{os.getpid()}")
    with server_connection() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')
    yield name
    with server_connection() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def environment(tmp_path: Path, url: str, **variables: str) -> dict[str, str]:
    # The suite's keys (tests/settings.py) are inherited: only the database is wrong here.
    env = {name: value for name, value in os.environ.items() if name not in NOT_INHERITED}
    env.update(DATABASE_URL=url, SALEOR_MLM_DATA_DIR=str(tmp_path / "var"), LOG_FORMAT="text", **variables)
    return env


def saleor_mlm(*arguments: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "saleor-mlm"), *arguments], env=env, cwd=cwd, capture_output=True, text=True, timeout=300)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def assert_one_line(done: subprocess.CompletedProcess, line: str) -> None:
    assert done.returncode == 1, done.stderr
    assert done.stderr == f"saleor-mlm: {line}\n"
    assert done.stdout == ""


def test_a_database_url_of_another_scheme_is_one_line(tmp_path):
    done = saleor_mlm("period", "status", env=environment(tmp_path, "mysql://mlm:secret@db.internal/mlm"), cwd=tmp_path)

    assert_one_line(
        done,
        "DATABASE_URL has the scheme 'mysql', which saleor-mlm does not run on: use "
        "postgres://USER:PASSWORD@HOST:5432/NAME (or sqlite:///PATH for the demo)",
    )
    assert "secret" not in done.stderr


def test_an_empty_database_url_is_one_line_not_the_demos_sqlite(tmp_path):
    done = saleor_mlm("migrate", env=environment(tmp_path, ""), cwd=tmp_path)

    assert_one_line(
        done,
        "DATABASE_URL is empty: set it to postgres://USER:PASSWORD@HOST:5432/NAME (unset, the demo runs on a SQLite file)",
    )
    assert not (tmp_path / "var").exists()


def test_gunicorn_refuses_a_database_url_of_another_scheme(tmp_path):
    command = [str(BIN / "gunicorn"), "saleor_mlm.wsgi", "--bind", "127.0.0.1:0", "--workers", "1"]

    done = subprocess.run(
        command, env=environment(tmp_path, "mysql://mlm@db/mlm"), cwd=tmp_path, capture_output=True, text=True, timeout=60
    )

    assert done.returncode == 4  # gunicorn: "App failed to load", no worker booted again
    assert [line for line in done.stderr.splitlines() if "DATABASE_URL" in line] == [
        "DATABASE_URL has the scheme 'mysql', which saleor-mlm does not run on: use "
        "postgres://USER:PASSWORD@HOST:5432/NAME (or sqlite:///PATH for the demo)"
    ]
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("command", [("retry-parked",), ("migrate",)])
def test_a_port_nobody_listens_on_is_one_line(tmp_path, command):
    port = free_port()

    done = saleor_mlm(*command, env=environment(tmp_path, database_url("mlm", port=port)), cwd=tmp_path)

    host = urlsplit(DATABASE_URL).hostname
    assert_one_line(
        done,
        f"cannot connect to the database at {host}:{port} (Connection refused): start PostgreSQL, "
        "or correct the host and port in DATABASE_URL",
    )


def test_a_database_that_does_not_exist_is_one_line(tmp_path):
    name = scratch_name("never_created")
    parts = urlsplit(DATABASE_URL)

    done = saleor_mlm("period", "status", env=environment(tmp_path, database_url(name)), cwd=tmp_path)

    assert_one_line(
        done,
        f"the database '{name}' does not exist on {parts.hostname}:{parts.port or 5432}: create it "
        f"(createdb {name}), then run `saleor-mlm migrate`",
    )


@pytest.mark.slow
def test_an_unmigrated_database_is_one_line_until_migrate_ran(tmp_path, scratch_database):
    env = environment(tmp_path, database_url(scratch_database))

    refused = saleor_mlm("retry-parked", env=env, cwd=tmp_path)
    migrated = saleor_mlm("migrate", env=env, cwd=tmp_path)
    after = saleor_mlm("retry-parked", env=env, cwd=tmp_path)

    assert refused.returncode == 1
    assert refused.stderr.startswith("saleor-mlm: the database lacks ")
    assert refused.stderr.endswith(" migrations (the first is contenttypes.0001_initial): run `saleor-mlm migrate`\n")
    assert refused.stderr.count("\n") == 1 and refused.stdout == ""
    assert migrated.returncode == 0, migrated.stderr
    assert after.returncode == 0, after.stderr
    assert "saleor-mlm:" not in after.stderr  # ran: no installation yet, nothing parked


@pytest.mark.slow
def test_a_database_error_of_a_django_command_is_explained_in_one_line(tmp_path, scratch_database):
    """Django's own commands get no check before they run; what fails is explained after."""
    code = "from saleor_mlm.installations.models import Installation; Installation.objects.count()"

    done = saleor_mlm("django", "shell", "-c", code, env=environment(tmp_path, database_url(scratch_database)), cwd=tmp_path)

    assert done.returncode == 1
    assert done.stderr.splitlines()[-1].startswith("saleor-mlm: the database lacks ")
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_healthz_answers_503_while_migrations_are_pending(tmp_path, scratch_database):
    """The database migrated to an earlier state (a deploy that restarted the web process
    before `saleor-mlm migrate`): the web process starts and logs one line, /healthz names
    what is missing, and turns healthy once migrate ran, without a restart."""
    env = environment(tmp_path, database_url(scratch_database), LOG_LEVEL="INFO")
    last, before_last = last_migration_of("webhooks")
    assert saleor_mlm("migrate", env=env, cwd=tmp_path).returncode == 0
    rolled_back = saleor_mlm("migrate", "webhooks", before_last, env=env, cwd=tmp_path)
    assert rolled_back.returncode == 0, rolled_back.stderr
    port = free_port()
    command = [str(BIN / "gunicorn"), "saleor_mlm.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    web = subprocess.Popen(command, env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(web.stderr), daemon=True).start()
    try:
        pending = _healthz(web, port, log)
        assert saleor_mlm("migrate", env=env, cwd=tmp_path).returncode == 0
        healthy = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=90)
    finally:
        web.terminate()
        web.wait(30)

    assert pending.status_code == 503
    body = pending.json()
    assert body["status"] == "error"
    assert body["checks"] == {"database": "ok", "broker": "eager", "migrations": "pending: 1"}
    assert body["details"]["migrations"] == {"pending": 1, "first": f"webhooks.{last}", "command": "saleor-mlm migrate"}
    assert healthy.status_code == 200, healthy.text
    assert healthy.json()["checks"]["migrations"] == "ok"
    start_lines = [line for line in log if "saleor_mlm.core.startup" in line and "ERROR" in line]
    assert len(start_lines) == 1, "".join(log)
    assert start_lines[0].rstrip().endswith(
        f"the database lacks 1 migration (webhooks.{last}): run `saleor-mlm migrate` check=database"
    )
    assert not any("Traceback" in line for line in log), "".join(log)


def last_migration_of(app: str) -> tuple[str, str]:
    """The app's last migration, which no other depends on, and the one before it."""
    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    (leaf,) = [node for node in graph.leaf_nodes() if node[0] == app]
    assert not graph.node_map[leaf].children, f"{leaf} has dependents: roll back another migration"
    (parent,) = [node.key for node in graph.node_map[leaf].parents if node.key[0] == app]
    return leaf[1], parent[1]


def _healthz(web: subprocess.Popen, port: int, log: list[str]) -> requests.Response:
    deadline = time.monotonic() + 120  # a hang guard for a loaded machine, not a measurement
    while True:
        assert web.poll() is None, "".join(log)
        try:
            # A hang guard, not a measurement: the first request loads Django in the worker,
            # which takes more than 10 s when other test runs share the two cores.
            return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=90)
        except requests.ConnectionError:
            assert time.monotonic() < deadline, "the web process did not start: " + "".join(log)
            time.sleep(0.3)
