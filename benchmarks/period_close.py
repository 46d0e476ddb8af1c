"""Period close end to end in PostgreSQL (issue 5).

A shop with 1,000,000 partners, 2,000,000 customers and 5,000,000 ledger entries in one
month, closed the way `saleor-mlm period close` closes it: read the network and the
ledger, run the engine, write every partner's figures, balances, statistics and the
snapshot statements are recomputed from. Then single partners' statements are opened.

The data is written straight into a dedicated database (`saleor_mlm_bench_periods`,
migrated by this script) with COPY. Its shape follows benchmarks/engine.py: a quarter of
the partners recruited by a few Zipf-weighted top recruiters, the others by a uniformly
chosen earlier partner (depth about 37 at 1M); 15 % of partners and customers with a
Betreuer and a share of 0.2 to 0.5; two customers per partner (3 % house customers);
88 % of partners active, 8 % inactive, 4 % terminated; one own ledger entry per partner
and two per customer, 3 % of them refunds; the engine benchmark's six-rank plan. A
previous, committed month gives a fifth of the partners a career rank and a tenth a
carried-forward balance, so the close reads those too.

Usage::

    python benchmarks/period_close.py generate [--partners 1000000]   # once (~2 min)
    python benchmarks/period_close.py run --repeat 3                  # closes + statements
    python benchmarks/period_close.py close                           # one close, this process
    python benchmarks/period_close.py statements --samples 200 --top 20  # statements only

`run` closes the month `--repeat` times, each in a fresh process (peak RSS is its own),
re-opening it in between (not timed), then times statements. Results go to
benchmarks/out/period_close-<partners>.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "out")
sys.path.insert(0, os.path.dirname(HERE))

DATABASE = os.environ.get("BENCH_DATABASE", "saleor_mlm_bench_periods")
SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres:postgres@127.0.0.1:5432")
API_URL = "https://bench.example.com/graphql/"
MONTH = "2026-10"
PREVIOUS = "2026-09"
CLOSER, APPROVER = "closer@bench.example.com", "approver@bench.example.com"
SHARES = np.array(["0.2", "0.25", "0.3", "0.4", "0.5"])
STATUSES = np.array(["active", "inactive", "terminated"])
BATCH = 250_000  # rows per COPY write while generating


def setup_django(database: str = DATABASE) -> None:
    os.environ["DATABASE_URL"] = f"{SERVER}/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_mlm.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # The app refuses to start without keys of its own (saleor_mlm/core/startup.py).
    os.environ.setdefault("SECRET_KEY", "benchmark-secret-key-not-for-production-0123456789")
    os.environ.setdefault("FIELD_ENCRYPTION_KEY", "benchmark-field-encryption-key-not-for-production")
    import django

    django.setup()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------------- generate


def _plan() -> dict:
    sys.path.insert(0, HERE)
    from engine import PLAN  # the engine benchmark's plan: six ranks, every requirement

    return PLAN


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        block = []
        for row in rows:
            block.append("\t".join(row))
            if len(block) >= BATCH:
                copy.write("\n".join(block) + "\n")
                block = []
        if block:
            copy.write("\n".join(block) + "\n")


def generate(partners: int, seed: int = 5) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    setup_django()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from saleor_mlm.calendar.actions import get_period
    from saleor_mlm.installations.models import Installation
    from saleor_mlm.ledger.models import VolumeSettings
    from saleor_mlm.plans.actions import activate_plan_version, create_plan_version

    started = time.perf_counter()
    installation = Installation(saleor_api_url=API_URL, app_id="QXBwOjE=")
    installation.auth_token = "bench"
    installation.save()
    VolumeSettings.objects.create(installation=installation, plan_currency="EUR")
    version = create_plan_version(installation, "Benchmark plan", _plan(), "bench")
    activate_plan_version(version, "2026-01", "bench")
    previous = get_period(installation, PREVIOUS, create=True)
    period = get_period(installation, MONTH, create=True)

    rng = np.random.default_rng(seed)
    n = partners
    customers = 2 * n
    index = np.arange(n)
    recruiters = max(10, n // 10_000)
    zipf = 1.0 / np.arange(1, recruiters + 1)
    top = rng.choice(recruiters, size=n, p=zipf / zipf.sum())
    sponsor = np.floor(rng.random(n) * index).astype(np.int64)
    by_top = (rng.random(n) < 0.25) & (index > top)
    sponsor[by_top] = top[by_top]
    sponsor[0] = -1
    status = STATUSES[rng.choice(3, size=n, p=[0.88, 0.08, 0.04])]
    customer_sponsor = np.repeat(index, 2)
    customer_sponsor[rng.random(customers) < 0.03] = -1  # house customers
    enrolled = np.datetime64("2024-01-01T00:00:00") + (index * (1000 * 86400 // max(n, 1))).astype("timedelta64[s]")

    now = "2026-11-02 08:00:00+00"
    iid = str(installation.pk)
    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        # Bulk load: the data is consistent by construction, so foreign key and
        # append-only triggers are skipped for this session (superuser only).
        cursor.execute("SET session_replication_role = replica")
        enrolled_text = [str(t).replace("T", " ") + "+00" for t in enrolled.astype("datetime64[s]")]
        _copy(
            cursor,
            "network_partner",
            ["id", "installation_id", "saleor_user_id", "email", "first_name", "last_name", "referral_code", "sponsor_id", "status",
             "status_reason", "country", "language", "payout_currency", "tax_status", "vat_id", "voucher_code", "enrolled_at",
             "created_at", "updated_at", "imported_career_rank", "tax_profile_locked_by"],  # fmt: skip
            (
                (str(i + 1), iid, "", f"p{i + 1}@bench.example.com", "Partner", str(i + 1), f"B{i + 1:07d}",
                 str(s + 1) if s >= 0 else "\\N", st, "", "DE", "de", "EUR", "regular", "", f"B{i + 1:07d}", e, now, now, "", "")
                for i, s, st, e in zip(range(n), sponsor.tolist(), status.tolist(), enrolled_text)
            ),  # fmt: skip
        )
        _copy(
            cursor,
            "network_customer",
            ["id", "installation_id", "saleor_user_id", "email", "first_name", "last_name", "sponsor_id", "attribution_source", "created_at", "updated_at"],
            (
                (str(c + 1), iid, "", f"c{c + 1}@bench.example.com", "Kunde", str(c + 1), str(s + 1) if s >= 0 else "\\N",
                 "enrollment" if s >= 0 else "none", now, now)
                for c, s in zip(range(customers), customer_sponsor.tolist())
            ),  # fmt: skip
        )

        def cares(count, limit):
            chosen = np.flatnonzero((rng.random(count) < 0.15) & (limit > 1))
            care = np.floor(rng.random(chosen.size) * limit[chosen]).astype(np.int64)
            return chosen, care, SHARES[rng.choice(SHARES.size, size=chosen.size)]

        p_nodes, p_care, p_share = cares(n, index)
        c_nodes, c_care, c_share = cares(customers, np.full(customers, n))
        keep = c_care != customer_sponsor[c_nodes]  # a Betreuer is never the node's sponsor
        c_nodes, c_care, c_share = c_nodes[keep], c_care[keep], c_share[keep]
        keep = p_care != sponsor[p_nodes]
        p_nodes, p_care, p_share = p_nodes[keep], p_care[keep], p_share[keep]
        rows = [(str(node + 1), "\\N", str(care + 1), share) for node, care, share in zip(p_nodes.tolist(), p_care.tolist(), p_share.tolist())]
        rows += [("\\N", str(node + 1), str(care + 1), share) for node, care, share in zip(c_nodes.tolist(), c_care.tolist(), c_share.tolist())]
        _copy(
            cursor,
            "network_careassignment",
            ["installation_id", "partner_id", "customer_id", "care_partner_id", "share", "valid_from", "set_by", "reason", "created_at"],
            ((iid, p, c, care, share, "2025-01-01 00:00:00+00", "bench", "", now) for p, c, care, share in rows),
        )

        def volumes(count, low, high):
            value = rng.integers(low * 100, high * 100, size=count)
            refund = rng.random(count) < 0.03
            return np.where(refund, -value // 4, value), refund

        own_pv, own_refund = volumes(n, 20, 200)
        customer_pv, customer_refund = volumes(2 * customers, 10, 60)
        pid = str(period.pk)

        def entry_rows():
            for i, pv, refund in zip(range(n), own_pv.tolist(), own_refund.tolist()):
                yield (iid, pid, str(i + 1), "\\N", "refund" if refund else "order", "", f"{pv}e-2", f"{pv * 8 // 10}e-2", "", "", "", now)
            for j, pv, refund in zip(range(2 * customers), customer_pv.tolist(), customer_refund.tolist()):
                yield (iid, pid, "\\N", str(j // 2 + 1), "refund" if refund else "order", "", f"{pv}e-2", f"{pv * 8 // 10}e-2", "", "", "", now)

        _copy(
            cursor,
            "ledger_ledgerentry",
            ["installation_id", "period_id", "partner_id", "customer_id", "kind", "order_line_id", "pv", "bv", "reason", "approved_by", "created_by", "created_at"],
            entry_rows(),
        )
        for table, count in (("network_partner", n), ("network_customer", customers)):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {count})")
        cursor.execute("SET session_replication_role = DEFAULT")
    _previous_month(installation, previous, rng, n)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(json.dumps({"generated_s": round(time.perf_counter() - started, 1), "partners": n, "customers": customers, "entries": n + 2 * customers}))


def _previous_month(installation, previous, rng, n: int) -> None:
    """September, committed: career ranks for a fifth of the partners, carried-forward
    balances for a tenth (what the October close reads)."""
    from django.db import connection, transaction

    from saleor_mlm.calendar import PeriodStatus
    from saleor_mlm.calendar.models import Period
    from saleor_mlm.periods import RunKind, RunPhase, RunStatus
    from saleor_mlm.periods.models import PeriodRun
    from saleor_mlm.plans.fetch import plan_in_force

    version = plan_in_force(installation.pk, previous.starts_on)
    codes = ["partner", "consultant", "senior"]
    with transaction.atomic():
        run = PeriodRun.objects.create(
            installation=installation, period=previous, kind=RunKind.CLOSE, status=RunStatus.SUCCEEDED, phase=RunPhase.DONE, percent=100,
            plan_version=version, plan_document=version.document, currency="EUR", minor_digits=2, requested_by="bench",
            settings={"minimum_payout": "25.00"},
        )  # fmt: skip
        career = np.flatnonzero(rng.random(n) < 0.2)
        ranks = rng.choice(3, size=career.size)
        carried = np.flatnonzero(rng.random(n) < 0.1)
        cents = rng.integers(1, 2500, size=carried.size)
        with connection.cursor() as django_cursor:
            cursor = django_cursor.cursor
            zero = "0"
            _copy(
                cursor,
                "periods_partnerperiodresult",
                ["run_id", "partner_id", "pv", "gv", "ov", "pbv", "gbv", "obv", "qualified", "calculated_rank", "paid_as_rank", "career_rank",
                 "previous_career_rank", "rank_overridden", "customer_bonus", "level_bonus", "difference_bonus", "generation_bonus",
                 "advancement_bonus", "total"],  # fmt: skip
                (
                    (str(run.pk), str(p + 1), zero, zero, zero, zero, zero, zero, "f", "", "", codes[r], codes[r], "f", zero, zero, zero, zero, zero, zero)
                    for p, r in zip(career.tolist(), ranks.tolist())
                ),
            )
            _copy(
                cursor,
                "periods_partnerbalance",
                ["period_id", "partner_id", "run_id", "earned", "adjustments", "carried_in", "payable", "paid", "carried_forward", "reason"],
                (
                    (str(previous.pk), str(p + 1), str(run.pk), f"{c}e-2", zero, zero, f"{c}e-2", zero, f"{c}e-2", "below_minimum")
                    for p, c in zip(carried.tolist(), cents.tolist())
                ),
            )
        Period.objects.filter(pk=previous.pk).update(
            status=PeriodStatus.COMMITTED, close_run=run, closed_by="bench", approved_by="bench2", committed_by="bench"
        )


# ---------------------------------------------------------------------- measure


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process on this machine (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def open_month():
    """The benchmark shop's installation and its month, re-opened first when a run closed it."""
    setup_django()
    from saleor_mlm.calendar.actions import get_period
    from saleor_mlm.installations.models import Installation
    from saleor_mlm.periods.actions import reopen_period

    installation = Installation.objects.get(saleor_api_url=API_URL)
    period = get_period(installation, MONTH)
    if period.status != "open":
        reopen_period(installation, period, "bench", "benchmark rerun")
        period.refresh_from_db()
    return installation, period


def backend_pid() -> int:
    """The PostgreSQL backend of this process's connection (its CPU seconds are counted too)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def close_once() -> dict:
    """Close the month in this process (re-open it first if it is closed)."""
    installation, period = open_month()  # sets Django up: the imports below need it
    from saleor_mlm.periods.actions import close_period
    from saleor_mlm.periods.runs import execute_run

    baseline = peak_rss_mb()
    backend = backend_pid()
    cpu_before = _cpu_seconds(os.getpid()) , _cpu_seconds(backend)
    load = os.getloadavg()[0]
    marks: dict[str, float] = {}

    def progress(phase, percent, detail):
        marks.setdefault(phase, time.perf_counter())

    start = time.perf_counter()
    run = close_period(installation, period, CLOSER, now=datetime.datetime(2026, 11, 3, tzinfo=datetime.UTC), enqueue=False)
    run = execute_run(run.pk, progress=progress)
    end = time.perf_counter()
    cpu = (_cpu_seconds(os.getpid()) - cpu_before[0], _cpu_seconds(backend) - cpu_before[1])
    order = ["fetch", "snapshot", "compute", "persist"]
    phases = {}
    for i, phase in enumerate(order):
        if phase in marks:
            stop = marks.get(order[i + 1], end) if i + 1 < len(order) else end
            phases[phase] = round(stop - marks[phase], 2)
    stats = run.summary["statistics"]
    return {
        "status": run.status,
        "seconds": round(end - start, 2),
        "phases": phases,
        # CPU seconds of this process and of its PostgreSQL backend: what the close costs
        # whatever else the machine is doing (the wall time is not).
        "cpu_client_s": round(cpu[0], 1),
        "cpu_server_s": round(cpu[1], 1),
        "load_average_1m": round(load, 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "baseline_rss_mb": round(baseline, 1),
        "partners": stats["partners"],
        "qualified": stats["qualified"],
        "total": run.summary["totals"]["total"],
        "payout_ratio": stats["payout_ratio"],
        "exact_partners": run.summary.get("exact_partners"),
        "warnings": run.warnings,
    }


def statements(samples: int, seed: int = 11, top: int = 20, runs: int = 3) -> dict:
    """Open statements: the first (cold: unpacks the arrays, prepares the network and the
    largest leaders' openings), then warm ones of `samples` random partners and of the
    `top` partners with the largest sponsor subtrees (the root first), `runs` times.

    Opening a statement is what a page shows first: `partner_statement` (figures, groups
    per bonus and level, rate or generation, line counts, balance) plus the first page of
    20 lines, largest amount first. The process's memory of recent openings is cleared
    before each one, so each is computed (or read where the run stores it).
    """
    cache = tempfile.mkdtemp(prefix="bench-period-cache-")
    os.environ["MLM_PERIOD_CACHE_DIR"] = cache
    setup_django()
    from django.conf import settings

    settings.MLM_PERIOD_CACHE_DIR = cache
    from saleor_mlm.calendar.actions import get_period
    from saleor_mlm.installations.models import Installation
    from saleor_mlm.network.models import Partner
    from saleor_mlm.periods import statement_pages
    from saleor_mlm.periods.downline import downline
    from saleor_mlm.periods.runs import INPUT_ARRAYS
    from saleor_mlm.periods.snapshot import cached_arrays
    from saleor_mlm.statements.partner import partner_statement

    installation = Installation.objects.get(saleor_api_url=API_URL)
    period = get_period(installation, MONTH)
    run = period.close_run
    rng = np.random.default_rng(seed)
    count = Partner.objects.filter(installation=installation).count()
    picks = rng.integers(1, count + 1, size=samples).tolist()

    def open_statement(pk: int) -> tuple[float, float, int]:
        partner = Partner.objects.get(pk=pk)
        statement_pages._openings.clear()
        start = time.perf_counter()
        statement = partner_statement(installation, partner, period)
        opened = time.perf_counter()
        statement.lines.page(0, 20)
        return time.perf_counter() - start, opened - start, statement.lines.count

    start = time.perf_counter()
    partner_statement(installation, Partner.objects.get(pk=picks[0]), period).lines.page(0, 20)
    cold = time.perf_counter() - start
    arrays = cached_arrays(run, INPUT_ARRAYS)
    # The largest sponsor subtrees (their downline, care edges included, is reported).
    sponsor = np.asarray(arrays["partner_sponsor"]).tolist()
    subtree = [1] * len(sponsor)
    for i in range(len(sponsor) - 1, -1, -1):
        if sponsor[i] >= 0:
            subtree[sponsor[i]] += subtree[i]
    subtree = np.array(subtree)
    leaders = np.argsort(-subtree, kind="stable")[:top]
    random_runs, leader_runs, loads = [], [], []
    for _ in range(runs):
        loads.append(round(os.getloadavg()[0], 2))
        random_runs.append([open_statement(pk) for pk in picks])
        leader_runs.append([open_statement(int(arrays["partner_pk"][o])) for o in leaders])
    loads.append(round(os.getloadavg()[0], 2))

    def summary(timings: list[float]) -> dict:
        ms = sorted(t * 1000 for t in timings)
        return {"median_ms": round(statistics.median(ms), 1), "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1), "max_ms": round(ms[-1], 1)}

    # What the leaders' openings cost when computed (the run stores them: see above).
    from saleor_mlm.periods.statement_pages import prepared_network
    from saleor_mlm.statements.partner import run_plan

    prepared = prepared_network(run, run_plan(run))
    computed = {}
    for o in leaders.tolist():
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            prepared.opening(o)
            times.append(time.perf_counter() - start)
        computed[o] = round(1000 * statistics.median(times), 1)
    by_run = [summary([t for t, _, _ in timings]) for timings in random_runs]
    leaders_by_run = [summary([t for t, _, _ in timings]) for timings in leader_runs]
    per_leader = []
    for i, o in enumerate(leaders.tolist()):
        times = [timings[i][0] for timings in leader_runs]
        per_leader.append(
            {
                "partner": int(arrays["partner_pk"][o]),
                "sponsor_subtree": int(subtree[o]),
                "downline": int(downline(arrays, o).size),
                "lines": leader_runs[0][i][2],
                "median_ms": round(1000 * statistics.median(times), 1),
                "groups_ms": round(1000 * statistics.median(timings[i][1] for timings in leader_runs), 1),
                "opening_computed_ms": computed[o],
            }
        )
    sizes = [int(downline(arrays, pk - 1).size) for pk in picks]
    from saleor_mlm.statements.exports import write_statements_csv

    start = time.perf_counter()
    with open(os.devnull, "w") as handle:
        exported = write_statements_csv(installation, period, handle)
    export_s = time.perf_counter() - start
    return {
        "samples": samples,
        "runs": runs,
        "load_average_1m": loads,
        "first_cold_s": round(cold, 2),
        "random": {key: statistics.median(r[key] for r in by_run) for key in ("median_ms", "p95_ms", "max_ms")},
        "random_by_run": by_run,
        "top": {key: statistics.median(r[key] for r in leaders_by_run) for key in ("median_ms", "p95_ms", "max_ms")},
        "top_by_run": leaders_by_run,
        "leaders": per_leader,
        "median_downline": int(statistics.median(sizes)),
        "max_downline": max(sizes),
        "median_lines": int(statistics.median(n for _, _, n in random_runs[0])),
        "csv_export": {"partners": exported, "seconds": round(export_s, 1)},
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def _subprocess(command: list[str]) -> dict:
    output = subprocess.run([sys.executable, __file__, *command], check=True, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def run(repeat: int, samples: int, partners: int, top: int = 20) -> None:
    closes = []
    for attempt in range(repeat):
        result = _subprocess(["close"])
        closes.append(result)
        print(
            f"close {attempt + 1}/{repeat}: {result['seconds']} s, peak {result['peak_rss_mb']} MB, phases {result['phases']}, "
            f"CPU {result['cpu_client_s']} + {result['cpu_server_s']} s, load {result['load_average_1m']}",
            flush=True,
        )
    statement = _subprocess(["statements", "--samples", str(samples), "--top", str(top)])
    print(f"statements: {statement}", flush=True)
    summary = {
        "partners": partners,
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs",
        "python": platform.python_version(),
        "closes": closes,
        "median_close_s": statistics.median(c["seconds"] for c in closes),
        "median_cpu_s": statistics.median(c["cpu_client_s"] + c["cpu_server_s"] for c in closes),
        "max_peak_rss_mb": max(c["peak_rss_mb"] for c in closes),
        "statements": statement,
    }
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, f"period_close-{partners}.json"), "w") as handle:
        json.dump(summary, handle, indent=2)
    print(json.dumps({k: summary[k] for k in ("median_close_s", "median_cpu_s", "max_peak_rss_mb")}))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate")
    gen.add_argument("--partners", type=int, default=1_000_000)
    sub.add_parser("close")
    st = sub.add_parser("statements")
    st.add_argument("--samples", type=int, default=200)
    st.add_argument("--top", type=int, default=20, help="also the partners with the largest downlines, the root first")
    st.add_argument("--runs", type=int, default=3, help="times each statement is opened (medians are reported)")
    r = sub.add_parser("run")
    r.add_argument("--repeat", type=int, default=3)
    r.add_argument("--samples", type=int, default=200)
    r.add_argument("--partners", type=int, default=1_000_000, help="for the output file name")
    args = parser.parse_args(argv)
    if args.command == "generate":
        generate(args.partners)
    elif args.command == "close":
        print(json.dumps(close_once()))
    elif args.command == "statements":
        print(json.dumps(statements(args.samples, top=args.top, runs=args.runs)))
    else:
        run(args.repeat, args.samples, args.partners)


if __name__ == "__main__":
    main()
