"""A month closed over two partner programs in PostgreSQL (issue 19).

The shop of benchmarks/period_close.py (1,000,000 partners, 2,000,000 customers, 5,000,000
ledger entries in the month) with a second program, "wellness": every other partner a
member (half of them), its sponsor there the nearest member above it in the default
genealogy, its own plan (the same six ranks); the members' own entries and their
customers' entries count in it too (one more ledger entry each, 2.5 million). Closing the
month runs the engine once per program and writes the month's balances once, over both
programs' totals (docs/programs.md), the way `saleor-mlm period close` does it.

Usage::

    BENCH_DATABASE=saleor_mlm_bench_programs python benchmarks/program_close.py generate [--partners 1000000]
    BENCH_DATABASE=saleor_mlm_bench_programs python benchmarks/program_close.py run --repeat 3

`run` closes the month `--repeat` times, each in a fresh process, re-opening it in between
(not timed). Results go to benchmarks/out/program_close-<partners>.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from period_close import (  # noqa: E402
    API_URL,
    CLOSER,
    MONTH,
    OUT,
    _copy,
    _cpu_seconds,
    _plan,
    backend_pid,
    generate,
    open_month,
    peak_rss_mb,
    setup_django,
)

PROGRAM = "wellness"


def add_second_program() -> dict:
    """The second program of the shop `period_close.generate` wrote: see the module doc."""
    setup_django()
    from django.db import connection, transaction

    from saleor_mlm.calendar.actions import get_period
    from saleor_mlm.installations.models import Installation
    from saleor_mlm.plans.actions import activate_plan_version, create_plan_version
    from saleor_mlm.programs.models import Program

    started = time.perf_counter()
    installation = Installation.objects.get(saleor_api_url=API_URL)
    program = Program.objects.create(installation=installation, code=PROGRAM, name="Wellness")
    version = create_plan_version(installation, "Wellness plan", _plan(), "bench", program=program)
    activate_plan_version(version, MONTH, "bench")  # the month before is committed already
    period = get_period(installation, MONTH)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, COALESCE(sponsor_id, 0) FROM network_partner WHERE installation_id = %s ORDER BY id", [installation.pk])
        rows = np.array(cursor.fetchall(), np.int64)
    # Ids are 1..n (generated so): index = id - 1.
    sponsor = rows[:, 1] - 1
    n = sponsor.size
    member = np.arange(n) % 2 == 0
    above = sponsor.copy()
    climbing = (above >= 0) & ~member[np.maximum(above, 0)]
    while climbing.any():
        above[climbing] = sponsor[above[climbing]]
        climbing = (above >= 0) & ~member[np.maximum(above, 0)]
    members = np.flatnonzero(member)
    now = "2026-11-02 08:00:00+00"
    iid, pid = str(installation.pk), str(program.pk)
    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        _copy(
            cursor,
            "network_programenrollment",
            ["installation_id", "program_id", "partner_id", "sponsor_id", "enrolled_at", "created_by", "created_at", "updated_at"],
            (
                (iid, pid, str(i + 1), str(s + 1) if s >= 0 else "\\N", "2025-01-01 00:00:00+00", "bench", now, now)
                for i, s in zip(members.tolist(), above[members].tolist())
            ),
        )
        # Members have odd ids (index even); a customer counts where its sponsor is a member.
        cursor.execute(
            "INSERT INTO ledger_ledgerentry (installation_id, period_id, partner_id, customer_id, kind, program_id, order_line_id, pv, bv, "
            "reason, approved_by, created_by, created_at) "
            "SELECT e.installation_id, e.period_id, e.partner_id, e.customer_id, e.kind, %s, e.order_line_id, e.pv, e.bv, e.reason, "
            "e.approved_by, e.created_by, e.created_at FROM ledger_ledgerentry e LEFT JOIN network_customer c ON c.id = e.customer_id "
            "WHERE e.period_id = %s AND e.program_id IS NULL AND (e.partner_id %% 2 = 1 OR c.sponsor_id %% 2 = 1)",
            [program.pk, period.pk],
        )
        entries = cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"second_program_s": round(time.perf_counter() - started, 1), "members": int(members.size), "program_entries": entries}


def close_once() -> dict:
    """Close the month over both programs in this process (re-open it first if closed)."""
    installation, period = open_month()
    from saleor_mlm.payouts.models import PartnerBalance
    from saleor_mlm.periods.actions import close_period
    from saleor_mlm.periods.runs import execute_close_runs

    backend = backend_pid()
    cpu_before = _cpu_seconds(os.getpid()), _cpu_seconds(backend)
    load = os.getloadavg()[0]
    start = time.perf_counter()
    close_period(installation, period, CLOSER, now=datetime.datetime(2026, 11, 3, tzinfo=datetime.UTC), enqueue=False)
    runs = execute_close_runs(period.pk)
    end = time.perf_counter()
    cpu = (_cpu_seconds(os.getpid()) - cpu_before[0], _cpu_seconds(backend) - cpu_before[1])
    default = runs[0]
    return {
        "statuses": [run.status for run in runs],
        "seconds": round(end - start, 2),
        "runs": [
            {
                "program": run.program.code if run.program else "main",
                "seconds": round((run.finished_at - run.started_at).total_seconds(), 2),
                "total": run.summary["totals"]["total"],
                "earning_partners": run.summary["statistics"]["earning_partners"],
            }
            for run in runs
        ],
        "cpu_client_s": round(cpu[0], 1),
        "cpu_server_s": round(cpu[1], 1),
        "load_average_1m": round(load, 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "balances": default.summary.get("balances"),
        "balance_rows": PartnerBalance.objects.filter(period=period).count(),
    }


def run(repeat: int, partners: int) -> None:
    closes = []
    for attempt in range(repeat):
        output = subprocess.run([sys.executable, __file__, "close"], check=True, capture_output=True, text=True)
        result = json.loads(output.stdout.strip().splitlines()[-1])
        closes.append(result)
        print(f"close {attempt + 1}/{repeat}: {result['seconds']} s, runs {result['runs']}, peak {result['peak_rss_mb']} MB, load {result['load_average_1m']}", flush=True)
    summary = {
        "partners": partners,
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs",
        "python": platform.python_version(),
        "closes": closes,
        "median_close_s": statistics.median(c["seconds"] for c in closes),
        "median_cpu_s": statistics.median(c["cpu_client_s"] + c["cpu_server_s"] for c in closes),
    }
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, f"program_close-{partners}.json"), "w") as handle:
        json.dump(summary, handle, indent=2)
    print(json.dumps({k: summary[k] for k in ("median_close_s", "median_cpu_s")}))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate")
    gen.add_argument("--partners", type=int, default=1_000_000)
    sub.add_parser("close")
    r = sub.add_parser("run")
    r.add_argument("--repeat", type=int, default=3)
    r.add_argument("--partners", type=int, default=1_000_000, help="for the output file name")
    args = parser.parse_args(argv)
    if args.command == "generate":
        generate(args.partners)
        print(json.dumps(add_second_program()))
    elif args.command == "close":
        print(json.dumps(close_once()))
    else:
        run(args.repeat, args.partners)


if __name__ == "__main__":
    main()
