"""Webhook intake throughput: signed ORDER_FULLY_PAID deliveries against the production setup.

Starts the app under gunicorn (production settings, PostgreSQL database `saleor_mlm_bench`,
Redis broker db 14) plus a Celery worker, installs it through `POST /api/register` from a
tiny local fake Saleor that serves `{ app { id } }` and the JWKS of a key generated here,
then posts N deliveries (each a different order, signed as Saleor signs) from C client
threads with keep-alive connections. Reports deliveries/s, p50/p99 latency, and waits
until the worker has processed every delivery.

    .venv/bin/python benchmarks/webhook_intake.py                      # defaults below
    .venv/bin/python benchmarks/webhook_intake.py -n 5000 -c 32 --runs 5 --json out.json

Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust) and Redis at 127.0.0.1:6379
(`bash scripts/services.sh`). The database `saleor_mlm_bench` and Redis db 14 are wiped.
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
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from saleor_mlm.saleor.signing import DetachedSigner  # noqa: E402

APP_ID = "QXBwOmJlbmNo"  # base64("App:bench")
SAMPLE = ROOT / "tests" / "webhooks" / "samples" / "order_fully_paid.body.json"


# --- the fake Saleor ------------------------------------------------------------------------


def start_fake_saleor(signer: DetachedSigner) -> tuple[ThreadingHTTPServer, str]:
    jwks = json.dumps(signer.jwks()).encode()
    # `{ app { id identifier } }` for the bearer token: this app, by its manifest id, or
    # /api/register refuses the token as another app's.
    app = json.dumps({"data": {"app": {"id": APP_ID, "identifier": os.environ.get("SALEOR_APP_ID", "saleor-mlm")}}}).encode()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = jwks if self.path == "/.well-known/jwks.json" else app
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/graphql/"


# --- processes --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(args) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SALEOR_MLM_")}
    env.update(
        DATABASE_URL=args.database_url,
        DATABASE_CONN_MAX_AGE=str(args.conn_max_age),
        CELERY_BROKER_URL=args.broker_url,
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


def reset_database(args) -> None:
    import psycopg

    name = args.database_url.rsplit("/", 1)[1]
    admin_url = args.database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


class OwnTableMaintenance:
    """Production PostgreSQL runs autovacuum; some development servers have it switched
    off, and then a table that every delivery updates (deliveries, order events) keeps
    every dead row and the planner has no statistics for freshly loaded tables, which
    measures the server's configuration instead of the app. The benchmark changes nothing
    server-wide (a shared server stays as it was): while it runs, a thread vacuums and
    analyzes the benchmark's own database every `every` seconds, as autovacuum would."""

    def __init__(self, database_url: str, every: float = 20.0):
        self.database_url = database_url
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="vacuum-own-tables", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.every * 3)

    def _run(self) -> None:
        import psycopg

        while not self._stop.wait(self.every):
            try:
                with psycopg.connect(self.database_url, autocommit=True) as conn:
                    conn.execute("VACUUM (ANALYZE)")  # this database's tables only
            except psycopg.Error as error:
                print(f"vacuum of the benchmark's tables failed: {error}", flush=True)


def reset_broker(args) -> None:
    import redis

    redis.Redis.from_url(args.broker_url).flushdb()


def bin_path(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    host, port = url.split("//")[1].split("/")[0].split(":")
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(host, int(port), timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not become healthy")


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
                children = (task / "children").read_text().split()
                pending.extend(int(child) for child in children)
        except (OSError, IndexError, ValueError):
            continue
    return total


def postgres_backend_cpu(args) -> float:
    """CPU seconds used so far by the PostgreSQL backends serving the benchmark database."""
    import psycopg

    name = args.database_url.rsplit("/", 1)[1]
    with psycopg.connect(args.database_url, autocommit=True) as conn:
        pids = [row[0] for row in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name]
        )]  # fmt: skip
    return sum(process_tree_cpu(pid) for pid in pids)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- the load ---------------------------------------------------------------------------------


def make_deliveries(signer: DetachedSigner, api_url: str, count: int, prefix: str) -> list[tuple[bytes, dict]]:
    template = json.loads(SAMPLE.read_bytes())
    template["recipient"] = {"id": APP_ID}
    # Issued now: intake refuses an issuedAt far from the time of receipt (WEBHOOK_MAX_CLOCK_SKEW).
    template["issuedAt"] = datetime.datetime.now(datetime.UTC).isoformat()
    deliveries = []
    for i in range(count):
        template["order"]["id"] = f"T3JkZXI6YmVuY2gt{prefix}-{i}"
        template["order"]["number"] = f"{prefix}{i}"
        body = json.dumps(template).encode()
        headers = signer.headers("order_fully_paid", body, api_url)
        deliveries.append((body, headers))
    return deliveries


def send_all(port: int, deliveries: list[tuple[bytes, dict]], concurrency: int) -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    cursor = iter(range(len(deliveries)))
    start_gate = threading.Barrier(concurrency + 1)

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        codes: dict[int, int] = {}
        start_gate.wait()
        while True:
            with lock:
                index = next(cursor, None)
            if index is None:
                break
            body, headers = deliveries[index]
            started = time.perf_counter()
            for attempt in range(2):
                try:
                    conn.request("POST", "/api/webhooks/order_fully_paid", body=body, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    break
                except (http.client.HTTPException, OSError):
                    conn.close()  # the server closed a kept-alive connection: reconnect once
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    if attempt:
                        raise
            mine.append(time.perf_counter() - started)
            codes[response.status] = codes.get(response.status, 0) + 1
        with lock:
            latencies.extend(mine)
            for code, n in codes.items():
                statuses[code] = statuses.get(code, 0) + n

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    start_gate.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "deliveries": len(deliveries),
        "seconds": round(elapsed, 3),
        "per_second": round(len(deliveries) / elapsed, 1),
        "p50_ms": round(1000 * latencies[len(latencies) // 2], 2),
        "p99_ms": round(1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 2),
        "max_ms": round(1000 * latencies[-1], 2),
        "statuses": statuses,
    }


def delivery_counts(args) -> dict[str, int]:
    import psycopg

    with psycopg.connect(args.database_url) as conn:
        rows = conn.execute("SELECT status, count(*) FROM webhooks_webhookdelivery GROUP BY status").fetchall()
    return dict(rows)


def wait_processed(args, expected: int, timeout: float) -> tuple[dict[str, int], float]:
    started = time.monotonic()
    while True:
        counts = delivery_counts(args)
        done = counts.get("processed", 0) + counts.get("skipped", 0) + counts.get("failed", 0)
        if done >= expected or time.monotonic() - started > timeout:
            return counts, time.monotonic() - started
        time.sleep(0.2)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--deliveries", type=int, default=3000)
    parser.add_argument("-c", "--concurrency", type=int, default=16)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--worker-class", default="gthread", help="gunicorn worker class (gthread, sync)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads per worker (gthread)")
    parser.add_argument("--celery-concurrency", type=int, default=1)
    parser.add_argument(
        "--worker-nice", type=int, default=10,
        help="niceness of the Celery worker: intake answers Saleor first, processing catches up",
    )  # fmt: skip
    parser.add_argument("--conn-max-age", type=int, default=600)
    parser.add_argument("--log-level", default="INFO", help="the app's LOG_LEVEL (INFO, the default, logs every request)")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/saleor_mlm_bench")
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--drain-timeout", type=float, default=1800, help="seconds to wait for the worker")
    parser.add_argument("--json", help="write the results to this file as well")
    args = parser.parse_args(argv)

    env = bench_env(args)
    reset_database(args)
    reset_broker(args)
    subprocess.run([bin_path("saleor-mlm"), "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
    maintenance = OwnTableMaintenance(args.database_url)
    maintenance.start()

    signer = DetachedSigner.generate()
    fake, api_url = start_fake_saleor(signer)
    port = free_port()
    # The app's JSON logs (one line per request at INFO) go to files, not the terminal.
    out_dir = ROOT / "benchmarks" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    gunicorn_log = open(out_dir / "webhook_intake.gunicorn.log", "w")
    worker_log = open(out_dir / "webhook_intake.worker.log", "w")
    gunicorn = subprocess.Popen(
        [
            bin_path("gunicorn"), "saleor_mlm.wsgi:application",
            "--bind", f"127.0.0.1:{port}",
            "--worker-class", args.worker_class, "--workers", str(args.workers), "--threads", str(args.threads),
            "--keep-alive", "30", "--log-level", "warning",
        ],
        env=env, cwd=ROOT, stdout=gunicorn_log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    worker = subprocess.Popen(
        [
            "nice", "-n", str(args.worker_nice),
            bin_path("celery"), "-A", "saleor_mlm", "worker", "--loglevel", "WARNING",
            "--concurrency", str(args.celery_concurrency), "--pool", "prefork",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ],
        env=env, cwd=ROOT, stdout=worker_log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    results: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "loadavg_before": os.getloadavg(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "settings": {k: v for k, v in vars(args).items() if k != "json"},
        "runs": [],
    }
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request(
            "POST", "/api/register", body=json.dumps({"auth_token": "bench-token"}),
            headers={"Content-Type": "application/json", "Saleor-Api-Url": api_url, "Saleor-Domain": "bench"},
        )  # fmt: skip
        registered = conn.getresponse()
        if registered.status != 200:
            raise RuntimeError(f"register failed: {registered.status} {registered.read()!r}")

        sent = 0
        print(f"signing {args.warmup + args.runs * args.deliveries} deliveries...", flush=True)
        warmup = make_deliveries(signer, api_url, args.warmup, "warm")
        batches = [make_deliveries(signer, api_url, args.deliveries, f"r{run}") for run in range(args.runs)]
        send_all(port, warmup, args.concurrency)
        sent += len(warmup)
        wait_processed(args, sent, timeout=args.drain_timeout)
        # Runs go back to back: the worker (niced) works through the backlog meanwhile and
        # afterwards; only the intake is timed per run.
        sending_started = time.monotonic()
        for run, batch in enumerate(batches, 1):
            cpu_before = process_tree_cpu(gunicorn.pid), process_tree_cpu(worker.pid), time.process_time()
            pg_before = postgres_backend_cpu(args)
            load_before = os.getloadavg()[0]
            figures = send_all(port, batch, args.concurrency)
            sent += len(batch)
            figures["gunicorn_cpu_ms_per_delivery"] = round(
                1000 * (process_tree_cpu(gunicorn.pid) - cpu_before[0]) / len(batch), 3
            )
            # Includes the worker's queries that ran meanwhile (it is niced, so few).
            figures["postgres_cpu_ms_per_delivery"] = round(1000 * (postgres_backend_cpu(args) - pg_before) / len(batch), 3)
            figures["client_cpu_ms_per_delivery"] = round(1000 * (time.process_time() - cpu_before[2]) / len(batch), 3)
            figures["worker_cpu_s_during_run"] = round(process_tree_cpu(worker.pid) - cpu_before[1], 2)
            figures["loadavg_1min_before"] = load_before
            results["runs"].append(figures)
            print(
                f"run {run}: {figures['per_second']:.0f} deliveries/s, p50 {figures['p50_ms']} ms, "
                f"p99 {figures['p99_ms']} ms, max {figures['max_ms']} ms, statuses {figures['statuses']}, "
                f"CPU ms/delivery: gunicorn {figures['gunicorn_cpu_ms_per_delivery']}, "
                f"postgres {figures['postgres_cpu_ms_per_delivery']}, client {figures['client_cpu_ms_per_delivery']}, "
                f"load before {figures['loadavg_1min_before']:.2f}",
                flush=True,
            )
        sending_done = time.monotonic()
        counts, _ = wait_processed(args, sent, timeout=args.drain_timeout)
        results["worker"] = {
            "deliveries": sent,
            "processed": counts.get("processed", 0),
            "all_processed": counts.get("processed", 0) == sent,
            "drained_s_after_last_response": round(time.monotonic() - sending_done, 1),
            "tasks_per_second_overall": round(counts.get("processed", 0) / (time.monotonic() - sending_started), 1),
        }
        print(f"worker: {results['worker']}", flush=True)
        results["final_delivery_statuses"] = delivery_counts(args)
    finally:
        stop(gunicorn)
        stop(worker)
        fake.shutdown()
        maintenance.stop()

    runs = results["runs"]
    if runs:
        results["median"] = {
            key: round(statistics.median([run[key] for run in runs]), 3)
            for key in (
                "per_second", "p50_ms", "p99_ms", "max_ms", "gunicorn_cpu_ms_per_delivery",
                "postgres_cpu_ms_per_delivery", "client_cpu_ms_per_delivery",
            )
        }  # fmt: skip
        median = results["median"]
        print(
            f"median of {len(runs)} runs: {median['per_second']:.0f} deliveries/s, "
            f"p50 {median['p50_ms']} ms, p99 {median['p99_ms']} ms; CPU ms/delivery gunicorn "
            f"{median['gunicorn_cpu_ms_per_delivery']}, postgres {median['postgres_cpu_ms_per_delivery']}; "
            f"final statuses {results['final_delivery_statuses']}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    ok = runs and results["worker"]["all_processed"] and all(set(run["statuses"]) == {202} for run in runs)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
