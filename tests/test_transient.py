"""Transient database errors: which errors count, each produced by a real database
(core/transient.py). That a task meeting one is retried: tests/network/test_lost_voucher_codes.py."""

from __future__ import annotations

import sqlite3
import threading

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction

from saleor_mlm.core.transient import is_transient_database_error
from saleor_mlm.network.models import Partner


def _error_of(run) -> BaseException:
    try:
        run()
    except Exception as error:  # the error under test
        return error
    raise AssertionError("no error")


def test_sqlite_database_is_locked_is_transient_and_a_missing_table_is_not(tmp_path):
    path = tmp_path / "db.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)

    locked = _error_of(lambda: other.execute("INSERT INTO t VALUES (1)"))
    missing = _error_of(lambda: other.execute("SELECT * FROM nothing"))

    assert str(locked) == "database is locked"
    assert is_transient_database_error(locked)
    assert not is_transient_database_error(missing)
    holder.execute("ROLLBACK")


def _raw_connection():
    params = connection.get_connection_params()
    return psycopg.connect(**params, autocommit=True)


@pytest.fixture
def counter_table(transactional_db):
    with _raw_connection() as raw:
        raw.execute("CREATE TABLE IF NOT EXISTS transient_test (id int PRIMARY KEY, n int)")
        raw.execute("TRUNCATE transient_test")
        raw.execute("INSERT INTO transient_test VALUES (1, 0), (2, 0)")
    yield
    with _raw_connection() as raw:
        raw.execute("DROP TABLE transient_test")


def test_postgresql_serialization_failure_deadlock_and_lock_timeout_are_transient(counter_table):
    first, second = _raw_connection(), _raw_connection()
    # Serialization failure (40001): a REPEATABLE READ transaction updates a row changed since its snapshot.
    first.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
    first.execute("SELECT n FROM transient_test WHERE id = 1")
    second.execute("UPDATE transient_test SET n = n + 1 WHERE id = 1")
    serialization = _error_of(lambda: first.execute("UPDATE transient_test SET n = n + 1 WHERE id = 1"))
    first.execute("ROLLBACK")
    # Lock not available (55P03): NOWAIT on a row another transaction holds.
    second.execute("BEGIN")
    second.execute("SELECT * FROM transient_test WHERE id = 1 FOR UPDATE")
    nowait = _error_of(lambda: first.execute("SELECT * FROM transient_test WHERE id = 1 FOR UPDATE NOWAIT"))
    # Deadlock (40P01): each holds the row the other wants.
    first.execute("BEGIN")
    first.execute("SELECT * FROM transient_test WHERE id = 2 FOR UPDATE")
    errors = []
    blocked = threading.Thread(target=lambda: errors.append(_catch(first, "SELECT * FROM transient_test WHERE id = 1 FOR UPDATE")))
    blocked.start()
    errors.append(_catch(second, "SELECT * FROM transient_test WHERE id = 2 FOR UPDATE"))
    blocked.join()
    deadlock = next(error for error in errors if error is not None)
    first.close(), second.close()

    assert (serialization.sqlstate, nowait.sqlstate, deadlock.sqlstate) == ("40001", "55P03", "40P01")
    assert all(is_transient_database_error(error) for error in (serialization, nowait, deadlock))


def _catch(raw, sql):
    try:
        raw.execute(sql)
    except psycopg.Error as error:
        raw.execute("ROLLBACK")
        return error
    raw.execute("ROLLBACK")
    return None


def test_a_lost_connection_is_transient_and_a_constraint_is_not(partner_factory):
    refused = _error_of(lambda: psycopg.connect("postgresql://postgres@127.0.0.1:1/none", connect_timeout=2))
    partner = partner_factory()
    with transaction.atomic():
        duplicate = _error_of(lambda: Partner.objects.create(installation=partner.installation, referral_code=partner.referral_code, email="x@example.com", enrolled_at=partner.enrolled_at))

    assert is_transient_database_error(refused)
    assert isinstance(duplicate, IntegrityError) and not is_transient_database_error(duplicate)
    assert not is_transient_database_error(ValueError("database is locked"))
