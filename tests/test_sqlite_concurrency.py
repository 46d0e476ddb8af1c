"""The embedded default (SQLite) holds concurrent writers: the demo serves requests in
threads while tasks run in-process. Before WAL, the busy timeout and IMMEDIATE transactions,
writers met "database is locked" at once (a DEFERRED transaction that read first cannot wait
for the write lock), and a voucher code task that met it lost the code (issue 12)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.sqlite_writers import LOST_CODES, PARTNERS_PER_WRITER, WRITERS

REPOSITORY = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_threads_write_while_a_task_runs_without_database_is_locked(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL")}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", SALEOR_MLM_DATA_DIR=str(tmp_path), LOG_LEVEL="CRITICAL")

    run = subprocess.run(
        [sys.executable, "-W", "ignore", "-m", "tests.fixtures.sqlite_writers"],
        cwd=REPOSITORY, env=env, capture_output=True, text=True, timeout=600,
    )

    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["errors"] == {}
    assert result["journal_mode"] == "wal"
    assert result["partners"] == LOST_CODES + WRITERS * PARTNERS_PER_WRITER
    assert result["without_code"] == 0  # every new code issued, every lost one swept
    assert result["sweep"] == {"issued": LOST_CODES, "failed": 0, "last_id": LOST_CODES, "more": False}
