"""Binary COPY from arrays: what PostgreSQL reads back is exactly the arrays' values."""

from decimal import Decimal

import numpy as np
import pytest
from django.db import connection

from saleor_mlm.periods.pgcopy import COPY_BATCH_ROWS, Bool, Int8, Numeric, Text, copy_binary

pytestmark = pytest.mark.django_db

EDGES = [0, 1, -1, 99, -99, 9_999, 10_000, -10_000, 123_456_789_012_345, 10**16 - 1, -(10**16 - 1)]


def test_every_value_reads_back_as_written_across_batches():
    rng = np.random.default_rng(7)
    count = COPY_BATCH_ROWS + 17  # two batches, the second short
    hundredths = np.concatenate([EDGES, rng.integers(-(10**12), 10**12, count - len(EDGES))]).astype(np.int64)
    minor = np.concatenate([EDGES, rng.integers(-(10**9), 10**9, count - len(EDGES))]).astype(np.int64)
    whole = rng.integers(-(10**6), 10**6, count)
    ranks, reasons = rng.integers(0, 4, count), rng.integers(0, 3, count)
    rank_codes, reason_codes = ["", "Führung", "consultant", "x"], ["paid", "", "below_minimum"]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE copied (id bigserial, run bigint, partner bigint, volume numeric(20, 2), money numeric(20, 4),"
            " whole numeric(20, 4), flag boolean, rank varchar(64), reason varchar(16))"
        )
        copy_binary(
            "copied",
            {
                "run": Int8(42),
                "partner": Int8(np.arange(count)),
                "volume": Numeric(hundredths, 2),
                "money": Numeric(minor, 4),
                "whole": Numeric(whole, 0),
                "flag": Bool(ranks == 1),
                "rank": Text(ranks, rank_codes),
                "reason": Text(reasons, reason_codes),
            },
            count,
        )
        cursor.execute("SELECT run, partner, volume, money, whole, flag, rank, reason FROM copied ORDER BY id")
        rows = cursor.fetchall()

    expected = [
        (42, i, Decimal(int(hundredths[i])).scaleb(-2), Decimal(int(minor[i])).scaleb(-4), Decimal(int(whole[i])), bool(ranks[i] == 1), rank_codes[ranks[i]], reason_codes[reasons[i]])
        for i in range(count)
    ]  # fmt: skip
    assert rows == expected


def test_no_rows_is_an_empty_copy():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE copied (run bigint, rank varchar(8))")
        assert copy_binary("copied", {"run": Int8(np.zeros(0, np.int64)), "rank": Text(np.zeros(0, np.int64), [""])}, 0) == 0
        cursor.execute("SELECT count(*) FROM copied")
        assert cursor.fetchone() == (0,)
