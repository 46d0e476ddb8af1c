"""CPU of the webhook intake per delivery, in one process, without the HTTP server.

The same request as `webhook_intake.py` posts (a signed ORDER_FULLY_PAID, each for another
order), handed to Django's WSGI handler directly: the middleware, the view, the signature
check, the INSERT, the drain flag in Redis and the JSON request log (to a file). What this
leaves out is gunicorn and the client. Reports the CPU seconds of this process and of its
PostgreSQL backend per delivery: on a shared machine the CPU time moves much less with the
load than the wall time, so it is the figure to compare code by. `--profile` prints a
profile (by CPU time) instead.

    .venv/bin/python benchmarks/webhook_intake_cpu.py -n 2000 --runs 3
    .venv/bin/python benchmarks/webhook_intake_cpu.py -n 1000 --profile

The database (`--database-url`, default `BENCH_DATABASE_SERVER` + `saleor_mlm_bench_intake_cpu`)
is dropped and created; the Redis database of `--broker-url` gets the drain flag only.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # not benchmarks/, whose graphql.py would hide the graphql package
SAMPLE = ROOT / "tests" / "webhooks" / "samples" / "order_fully_paid.body.json"
APP_ID = "QXBwOmJlbmNo"  # base64("App:bench")
API_URL = "https://bench.example.com/graphql/"


def setup(args) -> None:
    import psycopg

    os.environ.update(
        DATABASE_URL=args.database_url, CELERY_BROKER_URL=args.broker_url, DEBUG="0",
        SECRET_KEY="benchmark-secret-key-not-for-production-0123456789",
        FIELD_ENCRYPTION_KEY="benchmark-field-encryption-key-not-for-production",
        ALLOWED_HOSTS="127.0.0.1,localhost", LOG_LEVEL="INFO", LOG_FORMAT="json",
        DJANGO_SETTINGS_MODULE="saleor_mlm.settings", DATABASE_CONN_MAX_AGE="600",
    )
    name = args.database_url.rsplit("/", 1)[1]
    with psycopg.connect(args.database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # the request log as in production, to a file
    log = open(os.devnull, "w")
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(log)


def backend_cpu() -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    server = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres:postgres@127.0.0.1:5432")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--deliveries", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--database-url", default=f"{server}/saleor_mlm_bench_intake_cpu")
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    setup(args)

    from django.core.handlers.wsgi import WSGIHandler

    from saleor_mlm.installations.models import Installation
    from saleor_mlm.saleor.signing import DetachedSigner

    signer = DetachedSigner.generate()
    installation = Installation(saleor_api_url=API_URL, app_id=APP_ID, jwks=signer.jwks())
    installation.auth_token = "bench-token"
    installation.save()
    template = json.loads(SAMPLE.read_bytes())
    template["recipient"] = {"id": APP_ID}
    template["issuedAt"] = datetime.datetime.now(datetime.UTC).isoformat()

    def deliveries(prefix: str, count: int) -> list[dict]:
        environs = []
        for i in range(count):
            template["order"]["id"] = f"T3JkZXI6YmVuY2gt{prefix}-{i}"
            template["order"]["number"] = f"{prefix}{i}"
            body = json.dumps(template).encode()
            environ = {
                "REQUEST_METHOD": "POST", "PATH_INFO": "/api/webhooks/order_fully_paid", "SERVER_NAME": "127.0.0.1",
                "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "127.0.0.1", "REMOTE_ADDR": "127.0.0.1",
                "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr, "wsgi.input": io.BytesIO(body),
                "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": "application/json",
            }
            for name, value in signer.headers("order_fully_paid", body, API_URL).items():
                if name.lower() != "content-type":
                    environ["HTTP_" + name.upper().replace("-", "_")] = value
            environs.append(environ)
        return environs

    app = WSGIHandler()
    statuses: dict[str, int] = {}

    def post(environs: list[dict]) -> None:
        for environ in environs:
            answer = []
            response = app(environ, lambda status, headers, answer=answer: answer.append(status))
            b"".join(response)
            response.close()
            statuses[answer[0]] = statuses.get(answer[0], 0) + 1

    post(deliveries("warmup", args.warmup))
    results = []
    for run in range(args.runs):
        batch = deliveries(f"r{run}", args.deliveries)
        load = os.getloadavg()[0]
        pg, cpu, wall = backend_cpu(), time.process_time(), time.perf_counter()
        if args.profile:
            import cProfile
            import pstats

            profile = cProfile.Profile(time.process_time)
            profile.runcall(post, batch)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(int(os.environ.get("PROFILE_LINES", "60")))
        else:
            post(batch)
        cpu, wall, pg = time.process_time() - cpu, time.perf_counter() - wall, backend_cpu() - pg
        result = {
            "run": run + 1, "deliveries": args.deliveries, "python_cpu_ms": round(cpu * 1000 / args.deliveries, 3),
            "postgres_cpu_ms": round(pg * 1000 / args.deliveries, 3), "wall_ms": round(wall * 1000 / args.deliveries, 2),
            "load_before": round(load, 1), "load_after": round(os.getloadavg()[0], 1),
        }
        results.append(result)
        print(json.dumps(result), flush=True)
    print(json.dumps({"statuses": statuses, "median_python_cpu_ms": statistics.median(r["python_cpu_ms"] for r in results),
                      "median_postgres_cpu_ms": statistics.median(r["postgres_cpu_ms"] for r in results)}))


if __name__ == "__main__":
    main()
