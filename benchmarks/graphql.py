"""The storefront's heavy reads under the production server (issue 6).

A partner with 100,000 people below asks for

- `downline(depth: 3, first: 100)`: one page of its first three levels (with the total
  count), paging on with the cursors, and
- `me { partner { nextRank } }`: its next-rank report of the open month,

with a storefront access token (RS256, signed with a key generated here whose JWK is the
installation's JWKS). The app runs under gunicorn with production settings against a
dedicated PostgreSQL database, `saleor_mlm_bench_graphql`, filled with COPY.

The network: the viewer (a Saleor user) sits under a short upline; below it 100,000
partners, a quarter recruited by a few Zipf-weighted top recruiters (the viewer first, so
its frontline is large), the others by a uniformly chosen earlier partner; next to it
another line of `--others` partners. One customer per partner; 15 % of partners and
customers with a Betreuer (share 0.2 to 0.5, any earlier partner); 92 % active. Every
partner and customer has an order this month (the open period), so the live volumes and
the engine's ranks cover everybody. The plan is docs/plan-example.yaml; the viewer's own
PV keeps it at "senior", so its next rank ("manager") has every kind of requirement.

Usage::

    python benchmarks/graphql.py generate               # once (~1 min)
    python benchmarks/graphql.py run --runs 3 -n 500    # gunicorn + the two queries

`run` starts gunicorn (`--workers`, gthread `--threads`), warms every worker up (each
process loads the live network once), then sends `-n` requests of each query per run from
`--concurrency` client threads with kept-alive connections, and reports p50 and p99 per
run and their medians. Results go to benchmarks/out/graphql.json.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
# This file is named like the `graphql` package graphene imports: run as a script, its
# folder must not shadow the package.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

DATABASE = os.environ.get("BENCH_DATABASE", "saleor_mlm_bench_graphql")
SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres:postgres@127.0.0.1:5432")
API_URL = "https://bench-graphql.example.com/graphql/"
APP_ID = "QXBwOmJlbmNo"
VIEWER_USER = "VXNlcjo5OTk5OTk5"  # base64("User:9999999")
KEY_FILE = OUT / "graphql-bench-key.pem"
BATCH = 250_000  # rows per COPY write

DOWNLINE = """
query Downline($after: String) {
  me {
    partner {
      downline(depth: 3, first: 100, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { level node { id displayName email status referralCode } }
      }
    }
  }
}
"""

NEXT_RANK = """
query NextRank {
  me {
    partner {
      nextRank {
        currentRank { code name }
        nextRank { code name }
        requirements { kind needed actual missing met legRank { code } }
      }
    }
  }
}
"""


# ---------------------------------------------------------------------------- generate


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


def setup_django() -> None:
    os.environ["DATABASE_URL"] = f"{SERVER}/{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_mlm.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # The keys of bench_env: the server then reads what this process writes.
    os.environ.setdefault("SECRET_KEY", "benchmark-secret-key-not-for-production-0123456789")
    os.environ.setdefault("FIELD_ENCRYPTION_KEY", "benchmark-field-encryption-key-not-for-production")
    import django

    django.setup()


def signer():
    """The benchmark's Saleor key (kept in benchmarks/out, so `run` signs with the key
    `generate` published)."""
    from saleor_mlm.saleor.signing import DetachedSigner

    if KEY_FILE.exists():
        return DetachedSigner.from_pem(KEY_FILE.read_bytes())
    generated = DetachedSigner.generate()
    OUT.mkdir(parents=True, exist_ok=True)
    KEY_FILE.write_bytes(generated.private_pem())
    return generated


def generate(below: int, others: int, seed: int = 6) -> dict:
    import psycopg
    import yaml

    if KEY_FILE.exists():
        KEY_FILE.unlink()
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{DATABASE}"')
    setup_django()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from saleor_mlm.calendar.actions import get_period
    from saleor_mlm.installations.models import Installation
    from saleor_mlm.ledger.models import VolumeSettings
    from saleor_mlm.plans.actions import activate_plan_version, create_plan_version

    started = time.perf_counter()
    key = signer()
    installation = Installation(saleor_api_url=API_URL, app_id=APP_ID, jwks=key.jwks())
    installation.auth_token = "bench"
    installation.save()
    VolumeSettings.objects.create(installation=installation, plan_currency="EUR")
    plan = yaml.safe_load((ROOT / "docs" / "plan-example.yaml").read_text())
    version = create_plan_version(installation, "Benchmark plan", plan, "bench")
    activate_plan_version(version, "2020-01", "bench")
    today = datetime.date.today()
    period = get_period(installation, f"{today:%Y-%m}", create=True)

    # Partner numbers: 0, 1 the upline; 2 the viewer; 3 .. 2+below its downline; then the
    # other line under partner 0.
    rng = np.random.default_rng(seed)
    upline = 2
    n = upline + 1 + below + others
    sponsor = np.full(n, -1, np.int64)
    sponsor[1], sponsor[2] = 0, 1
    viewer = 2
    first, last = viewer + 1, viewer + 1 + below  # the downline: first .. last-1
    index = np.arange(first, last)
    earlier = np.floor(rng.random(below) * (index - viewer)).astype(np.int64) + viewer  # viewer .. i-1
    recruiters = 12
    zipf = 1.0 / np.arange(1, recruiters + 1)
    top = viewer + np.concatenate([[0], np.arange(recruiters - 1)])[rng.choice(recruiters, size=below, p=zipf / zipf.sum())]
    by_top = (rng.random(below) < 0.25) & (index > top)
    sponsor[first:last] = np.where(by_top, top, earlier)
    other = np.arange(last, n)
    sponsor[last:n] = np.where(other == last, 0, last + np.floor(rng.random(others) * (other - last)).astype(np.int64))
    status = np.where(rng.random(n) < 0.92, "active", np.where(rng.random(n) < 0.5, "inactive", "terminated"))
    status[viewer] = "active"

    now = f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M:%S}+00"
    long_ago = "2024-01-01 00:00:00+00"
    iid = str(installation.pk)
    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        cursor.execute("SET session_replication_role = replica")  # consistent by construction
        _copy(
            cursor,
            "network_partner",
            ["id", "installation_id", "saleor_user_id", "email", "first_name", "last_name", "referral_code", "sponsor_id", "status",
             "status_reason", "country", "language", "payout_currency", "tax_status", "vat_id", "voucher_code", "enrolled_at",
             "imported_career_rank", "tax_profile_locked_by", "created_at", "updated_at"],  # fmt: skip
            (
                (str(i + 1), iid, VIEWER_USER if i == viewer else "", f"p{i + 1}@bench.example.com", "Partner", f"Nummer {i + 1}",
                 f"G{i + 1:07d}", str(s + 1) if s >= 0 else "\\N", st, "", "DE", "de", "EUR", "regular", "", f"G{i + 1:07d}",
                 long_ago, "", "", now, now)
                for i, s, st in zip(range(n), sponsor.tolist(), status.tolist())
            ),  # fmt: skip
        )
        _copy(
            cursor,
            "network_customer",
            ["id", "installation_id", "saleor_user_id", "email", "first_name", "last_name", "sponsor_id", "attribution_source", "created_at", "updated_at"],
            ((str(c + 1), iid, "", f"c{c + 1}@bench.example.com", "Kunde", str(c + 1), str(c + 1), "enrollment", now, now) for c in range(n)),
        )
        shares = np.array(["0.2", "0.25", "0.3", "0.4", "0.5"])
        rows = []
        for kind, count in (("partner", n), ("customer", n)):
            chosen = np.flatnonzero((rng.random(count) < 0.15) & (np.arange(count) > 3))
            care = np.floor(rng.random(chosen.size) * (chosen if kind == "partner" else n)).astype(np.int64)
            own_sponsor = sponsor[chosen] if kind == "partner" else chosen
            keep = care != own_sponsor  # a Betreuer is never the node's sponsor
            for node, betreuer, share in zip(chosen[keep].tolist(), care[keep].tolist(), shares[rng.choice(5, size=int(keep.sum()))].tolist()):
                node_ids = (str(node + 1), "\\N") if kind == "partner" else ("\\N", str(node + 1))
                rows.append((iid, *node_ids, str(betreuer + 1), share, long_ago, "bench", "", now))
        _copy(
            cursor,
            "network_careassignment",
            ["installation_id", "partner_id", "customer_id", "care_partner_id", "share", "valid_from", "set_by", "reason", "created_at"],
            rows,
        )
        pv = rng.integers(2000, 20000, size=n)
        customer_pv = rng.integers(1000, 6000, size=n)
        # The viewer's own PV (60 + its customer's 20) is enough for "senior" but not for
        # "manager" (min_pv 100): its next-rank report lists every kind of requirement.
        pv[viewer], customer_pv[viewer] = 6000, 2000
        pid = str(period.pk)

        def entries():
            for i, value in enumerate(pv.tolist()):
                yield (iid, pid, str(i + 1), "\\N", "order", "", f"{value}e-2", f"{value * 8 // 10}e-2", "", "", "", long_ago)
            for c, value in enumerate(customer_pv.tolist()):
                yield (iid, pid, "\\N", str(c + 1), "order", "", f"{value}e-2", f"{value * 8 // 10}e-2", "", "", "", long_ago)

        _copy(
            cursor,
            "ledger_ledgerentry",
            ["installation_id", "period_id", "partner_id", "customer_id", "kind", "order_line_id", "pv", "bv", "reason", "approved_by", "created_by", "created_at"],
            entries(),
        )
        for table in ("network_partner", "network_customer", "network_careassignment", "ledger_ledgerentry"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        cursor.execute("SET session_replication_role = DEFAULT")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    summary = {"generated_s": round(time.perf_counter() - started, 1), "partners": n, "below_viewer": below, "care_assignments": len(rows)}
    print(json.dumps(summary))
    return summary


# ---------------------------------------------------------------------------- run


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bin_path(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def bench_env(args) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SALEOR_MLM_")}
    env.update(
        DATABASE_URL=f"{SERVER}/{DATABASE}",
        DEBUG="0",
        SECRET_KEY="benchmark-secret-key-not-for-production-0123456789",
        FIELD_ENCRYPTION_KEY="benchmark-field-encryption-key-not-for-production",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL=args.log_level,
        LOG_FORMAT="json",
        DJANGO_SETTINGS_MODULE="saleor_mlm.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not become healthy")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its live children (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(child) for child in (task / "children").read_text().split())
        except (OSError, IndexError, ValueError):
            continue
    return total


def postgres_cpu() -> dict[int, float]:
    """CPU seconds used so far by each PostgreSQL backend of the benchmark database."""
    import psycopg

    with psycopg.connect(f"{SERVER}/{DATABASE}", autocommit=True) as conn:
        pids = [row[0] for row in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [DATABASE])]
    return {pid: process_tree_cpu(pid) for pid in pids}


def postgres_cpu_since(before: dict[int, float]) -> float:
    """CPU seconds of the benchmark database's backends since `before`: backends opened
    since count whole; one closed in between (the app closes a connection after
    DATABASE_CONN_MAX_AGE, 60 s by default) loses its last part."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in postgres_cpu().items())


def access_token(key, minutes: int = 120) -> str:
    import jwt

    now = datetime.datetime.now(datetime.UTC)
    claims = {
        "iat": now,
        "exp": now + datetime.timedelta(minutes=minutes),
        "iss": API_URL,
        "owner": "saleor",
        "type": "access",
        "token": "bench",
        "user_id": VIEWER_USER,
        "email": "viewer@bench.example.com",
        "is_staff": False,
    }
    return jwt.encode(claims, key.private_key, algorithm="RS256", headers={"kid": key.kid})


def send(port: int, bodies: list[bytes], token: str, concurrency: int, keep_alive: bool = True) -> tuple[list[float], dict[int, int], list[dict]]:
    """Post every body once from `concurrency` threads; (latencies, statuses, a few answers).

    `keep_alive=False`: a new connection per request, as nginx with the production config
    (docs/installing.md: `proxy_pass` without upstream keep-alive) opens one to gunicorn
    for every request; gunicorn's workers then take each request as it comes. Kept-alive
    connections stay with the worker that accepted them, however busy it is."""
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}", **({} if keep_alive else {"Connection": "close"})}
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    samples: list[dict] = []
    lock = threading.Lock()
    cursor = iter(range(len(bodies)))

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        while True:
            with lock:
                index = next(cursor, None)
            if index is None:
                break
            started = time.perf_counter()
            for attempt in range(2):
                try:
                    conn.request("POST", "/graphql/", body=bodies[index], headers=headers)
                    response = conn.getresponse()
                    payload = response.read()
                    break
                except (http.client.HTTPException, OSError):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    if attempt:
                        raise
            mine.append(time.perf_counter() - started)
            if not keep_alive:
                conn.close()
            with lock:
                statuses[response.status] = statuses.get(response.status, 0) + 1
                if len(samples) < 3 or response.status != 200:
                    samples.append(json.loads(payload))
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, statuses, samples


def percentiles(latencies: list[float]) -> dict:
    values = sorted(latencies)
    at = lambda q: values[min(len(values) - 1, int(len(values) * q))]  # noqa: E731
    return {
        "requests": len(values),
        "p50_ms": round(1000 * at(0.50), 2),
        "p99_ms": round(1000 * at(0.99), 2),
        "max_ms": round(1000 * values[-1], 2),
    }


def downline_bodies(port: int, token: str, count: int) -> list[bytes]:
    """`count` bodies: the first page and pages after cursors met while paging on (so the
    requests read different pages, as a partner scrolling its downline does)."""
    cursors: list[str | None] = [None]
    after = None
    while len(cursors) < 20:
        _, _, answers = send(port, [json.dumps({"query": DOWNLINE, "variables": {"after": after}}).encode()], token, 1)
        page = answers[0]["data"]["me"]["partner"]["downline"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
        cursors.append(after)
    return [json.dumps({"query": DOWNLINE, "variables": {"after": cursors[i % len(cursors)]}}).encode() for i in range(count)]


def run(args) -> dict:
    env = bench_env(args)
    key = signer()
    token = access_token(key)
    port = free_port()
    OUT.mkdir(parents=True, exist_ok=True)
    log = open(OUT / "graphql.gunicorn.log", "w")  # the app's JSON request log (LOG_LEVEL INFO: a line per request)
    gunicorn = subprocess.Popen(
        [
            bin_path("gunicorn"), "saleor_mlm.wsgi:application",
            "--bind", f"127.0.0.1:{port}",
            "--worker-class", "gthread", "--workers", str(args.workers), "--threads", str(args.threads),
            "--keep-alive", "30", "--timeout", "60", "--log-level", "warning",
        ],
        env=env, cwd=ROOT, stderr=log,
    )  # fmt: skip
    results: dict = {
        "machine": {"cpus": os.cpu_count(), "loadavg_before": os.getloadavg(), "python": platform.python_version(), "platform": platform.platform()},
        "settings": {k: v for k, v in vars(args).items() if k not in ("json", "command")},
        "runs": [],
    }
    try:
        wait_for(port)
        next_rank_body = json.dumps({"query": NEXT_RANK}).encode()
        # Warm-up: every worker process loads the live network and runs the engine once
        # (more requests than threads in all workers, in parallel, so each worker gets some).
        warm_started = time.perf_counter()
        warm = args.workers * args.threads * 4
        _, statuses, answers = send(port, [next_rank_body] * warm, token, args.workers * args.threads)
        if set(statuses) != {200} or "errors" in answers[0]:
            raise RuntimeError(f"warm-up failed: {statuses} {answers[:1]}")
        results["warmup_s"] = round(time.perf_counter() - warm_started, 2)
        bodies = downline_bodies(port, token, args.requests)
        send(port, bodies[: warm], token, args.workers * args.threads)
        probe = send(port, [bodies[0], next_rank_body], token, 1)[2]
        results["downline_total_count"] = probe[0]["data"]["me"]["partner"]["downline"]["totalCount"]
        results["next_rank_sample"] = probe[1]["data"]["me"]["partner"]["nextRank"]
        for number in range(args.runs):
            figures = {}
            for name, batch in (("downline", bodies), ("next_rank", [next_rank_body] * args.requests)):
                load_before = os.getloadavg()[0]
                app_before, db_before = process_tree_cpu(gunicorn.pid), postgres_cpu()
                latencies, statuses, answers = send(port, batch, token, args.concurrency, keep_alive=args.keep_alive)
                app_cpu, db_cpu = process_tree_cpu(gunicorn.pid) - app_before, postgres_cpu_since(db_before)
                if set(statuses) != {200} or any("errors" in answer for answer in answers):
                    raise RuntimeError(f"{name} failed: {statuses} {answers[:1]}")
                # CPU per request whatever else runs on the machine: the app (gunicorn and its
                # workers) and PostgreSQL (the backends serving the app).
                figures[name] = {
                    **percentiles(latencies),
                    "loadavg_before": round(load_before, 2),
                    "app_cpu_ms": round(1000 * app_cpu / len(batch), 2),
                    "db_cpu_ms": round(1000 * db_cpu / len(batch), 2),
                }
            results["runs"].append(figures)
            print(json.dumps({"run": number + 1, **figures}), flush=True)
    finally:
        stop(gunicorn)
        log.close()
    results["median"] = {
        name: {key: statistics.median(run[name][key] for run in results["runs"]) for key in ("p50_ms", "p99_ms", "app_cpu_ms", "db_cpu_ms")}
        for name in ("downline", "next_rank")
    }
    results["machine"]["loadavg_after"] = os.getloadavg()
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="build the database")
    gen.add_argument("--below", type=int, default=100_000, help="partners below the viewer")
    gen.add_argument("--others", type=int, default=20_000, help="partners in another line")
    bench = commands.add_parser("run", help="gunicorn and the two queries")
    bench.add_argument("-n", "--requests", type=int, default=500, help="requests of each query per run")
    bench.add_argument("--runs", type=int, default=3)
    bench.add_argument("-c", "--concurrency", type=int, default=1, help="client threads (1: one request at a time)")
    # The production server of docs/installing.md (the unit's ExecStart): 2 workers, gthread,
    # 8 threads each; the app's default LOG_LEVEL (INFO: a JSON line per request).
    bench.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (production: 2)")
    bench.add_argument("--threads", type=int, default=8, help="gunicorn threads per worker, gthread (production: 8)")
    bench.add_argument(
        "--keep-alive",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="kept-alive client connections straight to gunicorn (default: a connection per request, as nginx opens them)",
    )
    bench.add_argument("--log-level", default="INFO", help="the app's LOG_LEVEL (production default INFO: a line per request)")
    bench.add_argument("--json", default=str(OUT / "graphql.json"), help="write the results here")
    args = parser.parse_args(argv)
    if args.command == "generate":
        generate(args.below, args.others)
        return 0
    results = run(args)
    print(json.dumps({"median": results["median"], "downline_total_count": results["downline_total_count"]}, indent=2))
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
