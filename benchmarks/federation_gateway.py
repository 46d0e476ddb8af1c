"""Latency a federation gateway adds to the storefront's one request (issue 21).

The request: a partner's token asks for Saleor's `me { email }` and the app's partner
figures on the same user in one document,

    me { email mlmPartner { paidAsRank { code } volumes { pv gv } nextRank { ... } } }

through Hive Gateway (tests/federation/js/gateway.mjs) in front of the app (gunicorn, the
database of benchmarks/graphql.py: a partner with 100,000 people below it) and the
stand-in Saleor of the gateway test (tests/federation/js/saleor-standin.mjs: Saleor's
subgraph SDL, `me` from the verified token; it answers in about a millisecond, so what the
gateway adds is not hidden behind a slow Saleor). For comparison, the same figures are
asked of the app directly (`me { partner { ... } }`) and `me { email }` of the stand-in.

Usage (needs `npm ci` in tests/federation/js)::

    python benchmarks/graphql.py generate                           # once (~1 min)
    python benchmarks/federation_gateway.py --runs 5 -n 300

Each run sends `-n` requests of each of the three, one at a time over a kept-alive
connection, and reports p50 and p99; the summary gives the medians of the runs and the
gateway's addition (gateway minus app minus Saleor, at p50 and at p99). Results go to
benchmarks/out/federation_gateway.json.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import os
import platform
import selectors
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "tests" / "federation" / "js"
OUT = ROOT / "benchmarks" / "out"

# benchmarks/graphql.py: its database, key, token, gunicorn and percentiles (its file name
# is the graphql-core package's, so it is loaded by path).
_spec = importlib.util.spec_from_file_location("bench_graphql", ROOT / "benchmarks" / "graphql.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

FIGURES = "paidAsRank { code } volumes { pv gv } nextRank { nextRank { code } requirements { kind needed actual missing } }"
THROUGH_GATEWAY = f"query {{ me {{ email mlmPartner {{ {FIGURES} }} }} }}"
APP_DIRECT = f"query {{ me {{ partner {{ {FIGURES} }} }} }}"
SALEOR_DIRECT = "query { me { email } }"


def start_node(script: str, *args: str, timeout: float = 180) -> tuple[subprocess.Popen, int]:
    process = subprocess.Popen(["node", script, *args], cwd=JS, stdout=subprocess.PIPE, text=True)
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if selector.select(timeout=1):
            line = process.stdout.readline()
            if line.startswith("listening "):
                return process, int(line.split()[1])
    process.kill()
    raise RuntimeError(f"{script} did not start")


def timed_posts(port: int, path: str, query: str, token: str, count: int) -> tuple[list[float], dict]:
    """`count` POSTs of `query`, one at a time on one connection; (latencies, last answer)."""
    body = json.dumps({"query": query}).encode()
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies, answer = [], {}
    for _ in range(count):
        started = time.perf_counter()
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        latencies.append(time.perf_counter() - started)
        answer = json.loads(payload)
        if response.status != 200 or "errors" in answer:
            raise RuntimeError(f"{path} on {port} answered {response.status}: {payload[:500]!r}")
    conn.close()
    return latencies, answer


def run(args) -> dict:
    env = bench.bench_env(args)
    key = bench.signer()
    token = bench.access_token(key)
    app_port = bench.free_port()
    gunicorn = subprocess.Popen(
        [
            bench.bin_path("gunicorn"), "saleor_mlm.wsgi:application",
            "--bind", f"127.0.0.1:{app_port}",
            "--worker-class", "gthread", "--workers", str(args.workers), "--threads", str(args.threads),
            "--keep-alive", "30", "--timeout", "120", "--log-level", "warning",
        ],
        env=env, cwd=ROOT,
    )  # fmt: skip
    data = Path(tempfile.mkdtemp()) / "saleor.json"
    data.write_text(json.dumps({"jwks": key.jwks(), "users": [{"id": bench.VIEWER_USER, "email": "viewer@bench.example.com", "orders": []}]}))
    processes = [gunicorn]
    results: dict = {
        "machine": {"cpus": os.cpu_count(), "loadavg_before": os.getloadavg(), "python": platform.python_version(), "platform": platform.platform()},
        "settings": {k: v for k, v in vars(args).items() if k != "json"},
        "runs": [],
    }
    try:
        bench.wait_for(app_port)
        saleor, saleor_port = start_node("saleor-standin.mjs", str(data))
        processes.append(saleor)
        gateway, gateway_port = start_node("gateway.mjs", f"http://127.0.0.1:{saleor_port}/graphql/", f"http://127.0.0.1:{app_port}/graphql/")
        processes.append(gateway)
        targets = {
            "gateway": (gateway_port, "/graphql", THROUGH_GATEWAY),
            "app": (app_port, "/graphql/", APP_DIRECT),
            "saleor": (saleor_port, "/graphql/", SALEOR_DIRECT),
        }
        # Warm-up: every gunicorn worker loads the live network and runs the engine once.
        for port, path, query in targets.values():
            timed_posts(port, path, query, token, args.workers * args.threads * 4)
        _, through = timed_posts(gateway_port, "/graphql", THROUGH_GATEWAY, token, 1)
        _, direct = timed_posts(app_port, "/graphql/", APP_DIRECT, token, 1)
        if through["data"]["me"]["mlmPartner"] != direct["data"]["me"]["partner"]:
            raise RuntimeError("the gateway's answer differs from the app's")
        results["sample"] = through["data"]
        for number in range(args.runs):
            figures = {name: bench.percentiles(timed_posts(port, path, query, token, args.requests)[0]) for name, (port, path, query) in targets.items()}
            figures["added"] = {
                q: round(figures["gateway"][q] - figures["app"][q] - figures["saleor"][q], 2) for q in ("p50_ms", "p99_ms")
            }
            results["runs"].append(figures)
            print(json.dumps({"run": number + 1, **figures}), flush=True)
    finally:
        for process in reversed(processes):
            bench.stop(process)
    results["median"] = {
        name: {q: statistics.median(run[name][q] for run in results["runs"]) for q in ("p50_ms", "p99_ms")}
        for name in ("gateway", "app", "saleor", "added")
    }
    results["machine"]["loadavg_after"] = os.getloadavg()
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--requests", type=int, default=300, help="requests of each of the three per run")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="gunicorn threads per worker (gthread)")
    parser.add_argument("--log-level", default="WARNING", help="the app's LOG_LEVEL")
    parser.add_argument("--json", default=str(OUT / "federation_gateway.json"), help="write the results here")
    args = parser.parse_args(argv)
    if not (JS / "node_modules").is_dir():
        sys.exit("tests/federation/js has no node_modules: run `npm ci` there first.")
    results = run(args)
    print(json.dumps({"median": results["median"]}, indent=2))
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
