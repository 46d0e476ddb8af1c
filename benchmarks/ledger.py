"""Ledger end to end (issue 3): signed webhooks to ledger entries, and live volumes.

The production setup: the app under gunicorn, PostgreSQL (a dedicated database,
`saleor_mlm_bench_ledger`, wiped), a Celery worker on Redis (db 13, flushed), installed
through `POST /api/register` from a fake Saleor that serves the JWKS of an RSA key
generated here. The fake Saleor, process handling and the HTTP load come from the
intake benchmark (`benchmarks/webhook_intake.py`).

The network: one founder X with 100,000 people below it (`--partners` partners and
`--customers` customers, all in X's genealogy: a quarter recruited by a few Zipf-weighted
top recruiters, the others by a uniformly chosen earlier partner; 15 % of partners and
customers with a Betreuer, shares 0.3 to 0.7), written with the ORM in bulk.

Each run:

1. **Throughput**: `-n` ORDER_FULLY_PAID deliveries (each a different order: a quarter
   partners' own orders, more than half known customers, a fifth new customers with a
   partner's voucher code, who are attributed and created on the way), signed beforehand,
   posted from `-c` client threads; orders/s = orders / (first post to the moment the last
   order event is credited in the ledger).
2. **Freshness under load**: `--steady-seconds` of orders at `--steady-rate` per second
   (below the throughput, so the queue stays short), with a probe every
   `--probe-every` seconds: an order of partner M (X's frontline, no Betreuer, nothing
   else buys for M) with a PV no other order has. From the probe's 2xx, this process
   polls `live.volumes.live_volumes_bulk(X, M)` (as a dashboard request in a web worker
   would) until M's PV shows the probe; X's GV comes from the same rollup. Reported:
   2xx -> visible, and credited (the ledger transaction's commit) -> visible.
3. **Freshness idle**: `--probes` probes one after the other on an idle system.

At the end the live GV of X is checked against a fresh rebuild of the state.

    .venv/bin/python benchmarks/ledger.py                       # 100,000 orders, one run
    .venv/bin/python benchmarks/ledger.py -n 20000 --runs 3     # shorter runs
    .venv/bin/python benchmarks/ledger.py --write-back          # Saleor metadata written too

Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust) and Redis at 127.0.0.1:6379.
Results: benchmarks/out/ledger.json.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import multiprocessing
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "benchmarks"))

import webhook_intake as intake  # noqa: E402  (the intake benchmark's harness)

from saleor_mlm.saleor.signing import DetachedSigner  # noqa: E402

APP_ID = intake.APP_ID
SAMPLE = intake.SAMPLE


# --- the network ------------------------------------------------------------------------------


def user_id(number: int) -> str:
    return base64.b64encode(f"User:{number}".encode()).decode()


def seed_network(installation, partners: int, customers: int, seed: int = 3) -> dict:
    """X (a founder), M (X's frontline probe partner) and the people below X."""
    import datetime

    from django.utils import timezone

    from saleor_mlm.network.models import CareAssignment, Customer, Partner

    rng = random.Random(seed)
    now = timezone.now()
    enrolled = now - datetime.timedelta(days=365)
    rows = [
        Partner(
            installation=installation,
            saleor_user_id=user_id(1_000_000 + i),
            email=f"partner{i}@bench.example.com",
            referral_code=f"BENCH{i}",
            voucher_code=f"BENCH{i}",
            status="active" if rng.random() < 0.9 else "inactive",
            enrolled_at=enrolled,
        )
        for i in range(partners + 1)  # index 0: X, index `partners`: M
    ]
    Partner.objects.bulk_create(rows, batch_size=5000)
    tops = max(10, partners // 10_000)
    zipf = [1 / (k + 1) for k in range(tops)]
    sponsor = [-1]
    for i in range(1, partners):
        if rng.random() < 0.25:
            sponsor.append(min(rng.choices(range(tops), zipf)[0], i - 1))
        else:
            sponsor.append(rng.randrange(i))
    sponsor.append(0)  # M, right below X
    for i, row in enumerate(rows):
        row.sponsor = rows[sponsor[i]] if sponsor[i] >= 0 else None
    from django.db import connection

    pairs = [(row.pk, row.sponsor.pk) for row in rows if row.sponsor is not None]
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), 10_000):
            chunk = pairs[start : start + 10_000]
            values = ",".join(["(%s::bigint, %s::bigint)"] * len(chunk))
            cursor.execute(
                f"UPDATE network_partner AS p SET sponsor_id = v.s FROM (VALUES {values}) AS v(id, s) WHERE p.id = v.id",
                [value for pair in chunk for value in pair],
            )
    buyers = rows[:partners]  # everybody but M
    people = [
        Customer(
            installation=installation,
            saleor_user_id=user_id(2_000_000 + j),
            email=f"customer{j}@bench.example.com",
            sponsor=rng.choice(buyers),
            attribution_source="voucher",
            attributed_at=enrolled,
        )
        for j in range(customers)
    ]
    Customer.objects.bulk_create(people, batch_size=5000)
    care = []
    shares = [Decimal(f"0.{n}") for n in ("3", "4", "5", "6", "7")]
    for i in range(2, partners):
        if rng.random() < 0.15:
            target = rng.randrange(i)
            if target != sponsor[i]:
                care.append(CareAssignment(installation=installation, partner=rows[i], care_partner=rows[target], share=rng.choice(shares), valid_from=enrolled, set_by="bench"))
    for person in people:
        if rng.random() < 0.15:
            target = rng.choice(buyers)
            if target.pk != person.sponsor_id:
                care.append(CareAssignment(installation=installation, customer=person, care_partner=target, share=rng.choice(shares), valid_from=enrolled, set_by="bench"))
    CareAssignment.objects.bulk_create(care, batch_size=5000)
    return {"x": rows[0], "m": rows[-1], "partners": buyers, "customers": people, "care": len(care)}


# --- deliveries -------------------------------------------------------------------------------


def _line(number: str, pv: str, bv: str, net: float, quantity: int = 1) -> dict:
    money = {"amount": net, "currency": "EUR"}
    total = {"amount": round(net * quantity, 2), "currency": "EUR"}
    return {
        "id": base64.b64encode(f"OrderLine:{number}".encode()).decode(),
        "productSku": f"SKU-{pv}",
        "quantity": quantity,
        "unitPrice": {"net": money, "gross": money},
        "totalPrice": {"net": total, "gross": total},
        "variant": {
            "id": "UHJvZHVjdFZhcmlhbnQ6MQ==",
            "metadata": [],
            "product": {"id": "UHJvZHVjdDox", "metadata": [{"key": "mlm.pv", "value": pv}, {"key": "mlm.bv", "value": bv}]},
        },
    }


def order_body(template: dict, order_key: str, buyer: dict, lines: list[dict], issued_at: str) -> bytes:
    data = json.loads(json.dumps(template))
    data["recipient"] = {"id": APP_ID}
    data["issuedAt"] = issued_at
    order = data["order"]
    order["id"] = base64.b64encode(f"Order:{order_key}".encode()).decode()
    order["number"] = order_key
    order["created"] = issued_at
    order["userEmail"] = buyer["email"]
    order["user"] = {"id": buyer["user_id"], "email": buyer["email"], "metadata": []} if buyer.get("user_id") else None
    order["voucherCode"] = buyer.get("voucher")
    order["lines"] = lines
    total = round(sum(line["totalPrice"]["net"]["amount"] for line in lines), 2)
    order["total"] = {"net": {"amount": total, "currency": "EUR"}, "gross": {"amount": total, "currency": "EUR"}}
    order["totalCharged"] = {"amount": total, "currency": "EUR"}
    order["totalRefunded"] = {"amount": 0.0, "currency": "EUR"}
    order["metadata"] = []
    order["privateMetadata"] = []
    return json.dumps(data, separators=(",", ":")).encode()


def plan_bodies(network: dict, count: int, prefix: str, seed: int) -> list[bytes]:
    """`count` order bodies: partners' own orders, known and new customers."""
    import datetime

    rng = random.Random(seed)
    template = json.loads(SAMPLE.read_bytes())
    issued = datetime.datetime.now(datetime.UTC).isoformat()
    partners, customers = network["partners"], network["customers"]
    bodies = []
    for i in range(count):
        roll = rng.random()
        if roll < 0.25:
            partner = rng.choice(partners)
            buyer = {"email": partner.email, "user_id": partner.saleor_user_id}
        elif roll < 0.8:
            customer = rng.choice(customers)
            buyer = {"email": customer.email, "user_id": customer.saleor_user_id}
        else:
            buyer = {
                "email": f"new-{prefix}-{i}@bench.example.com",
                "user_id": user_id(50_000_000 + seed * 1_000_000 + i) if rng.random() < 0.6 else "",
                "voucher": rng.choice(partners).referral_code,
            }
        lines = [
            _line(f"{prefix}-{i}-{k}", str(rng.choice((5, 10, 12.5, 20, 25))), f"{rng.choice((4.5, 9.9, 19.9)):.2f}", rng.choice((9.9, 19.9, 29.9)), rng.randint(1, 3))
            for k in range(rng.choice((1, 1, 2, 3)))
        ]
        bodies.append(order_body(template, f"{prefix}-{i}", buyer, lines, issued))
    return bodies


_signer = None


def _init_signer(pem: bytes, api_url: str) -> None:
    global _signer
    _signer = (DetachedSigner.from_pem(pem), api_url)


def _sign(body: bytes) -> tuple[bytes, dict]:
    signer, api_url = _signer
    return body, signer.headers("order_fully_paid", body, api_url)


def sign_all(signer: DetachedSigner, api_url: str, bodies: list[bytes]) -> list[tuple[bytes, dict]]:
    """RSA signatures take a millisecond each: done in a process pool, before timing."""
    from django.db import connections

    connections.close_all()  # the forked children must not share this process's connection
    with multiprocessing.get_context("fork").Pool(os.cpu_count(), _init_signer, (signer.private_pem(), api_url)) as pool:
        return pool.map(_sign, bodies, chunksize=500)


def post(conn_holder: list, port: int, body: bytes, headers: dict) -> int:
    for attempt in range(2):
        try:
            conn_holder[0].request("POST", "/api/webhooks/order_fully_paid", body=body, headers=headers)
            response = conn_holder[0].getresponse()
            response.read()
            return response.status
        except (http.client.HTTPException, OSError):
            conn_holder[0].close()
            conn_holder[0] = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            if attempt:
                raise
    raise AssertionError("unreachable")


# --- measuring ----------------------------------------------------------------------------------


def credited_count() -> int:
    from saleor_mlm.orders.models import OrderEvent

    return OrderEvent.objects.filter(credited_at__isnull=False).count()


def pipeline_counts() -> dict:
    from django.db.models import Count

    from saleor_mlm.ledger.models import ParkedOrderEvent
    from saleor_mlm.webhooks.models import WebhookDelivery

    statuses = dict(WebhookDelivery.objects.values_list("status").annotate(n=Count("id")).order_by())
    return {"deliveries": statuses, "parked": ParkedOrderEvent.objects.filter(resolved_at__isnull=True).count()}


def wait_credited(expected: int, timeout: float) -> float:
    """Seconds until `expected` order events are credited (polled every 0.25 s)."""
    started = time.monotonic()
    while credited_count() < expected:
        if time.monotonic() - started > timeout:
            raise RuntimeError(f"only {credited_count()} of {expected} order events credited after {timeout} s")
        time.sleep(0.25)
    return time.monotonic()


class Prober:
    """Probe orders of M, each with a PV nobody else's order has, and the wait until
    M's live PV (and with it X's GV, from the same rollup) shows it."""

    def __init__(self, installation, network, signer, api_url, port):
        self.installation, self.network = installation, network
        self.signer, self.api_url, self.port = signer, api_url, port
        self.template = json.loads(SAMPLE.read_bytes())
        self.count = 0
        self.refresh_seconds: list[float] = []

    def live(self):
        from saleor_mlm.live.volumes import live_volumes_bulk

        started = time.perf_counter()
        figures = live_volumes_bulk(self.installation, [self.network["x"].pk, self.network["m"].pk], with_ov=False)
        self.refresh_seconds.append(time.perf_counter() - started)
        return figures[self.network["x"].pk], figures[self.network["m"].pk]

    def probe(self, conn_holder: list, poll: float = 0.02, timeout: float = 300) -> dict:
        import datetime

        from saleor_mlm.orders.models import OrderEvent

        self.count += 1
        pv = Decimal("0.01") * (100 + self.count)  # 1.01, 1.02 ...: unique
        key = f"probe-{os.getpid()}-{self.count}-{time.time_ns()}"
        issued = datetime.datetime.now(datetime.UTC).isoformat()
        m = self.network["m"]
        body = order_body(self.template, key, {"email": m.email, "user_id": m.saleor_user_id}, [_line(key, str(pv), "1.00", 1.0)], issued)
        headers = self.signer.headers("order_fully_paid", body, self.api_url)
        x_before, m_before = self.live()
        order_id = base64.b64encode(f"Order:{key}".encode()).decode()
        credited_at = OrderEvent.objects.filter(
            order__installation=self.installation, order__saleor_order_id=order_id, credited_at__isnull=False
        ).values_list("credited_at", flat=True)
        status = post(conn_holder, self.port, body, headers)
        answered = time.time()
        deadline = time.monotonic() + timeout
        # Until the ledger has it, a cheap query; from then on the live volumes, as a
        # dashboard would ask (a live call with new entries costs a rollup: polling it
        # in a tight loop would take a CPU from the pipeline being measured).
        while (credited := credited_at.first()) is None:
            if time.monotonic() > deadline:
                raise RuntimeError(f"probe {key} not credited after {timeout} s")
            time.sleep(0.01)
        while True:
            x_now, m_now = self.live()
            if m_now.pv >= m_before.pv + pv:
                seen = time.time()
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"probe {key} not visible after {timeout} s")
            time.sleep(poll)
        return {
            "status": status,
            "answer_to_visible_ms": round(1000 * (seen - answered), 1),
            "answer_to_credited_ms": round(1000 * (credited.timestamp() - answered), 1),
            "credited_to_visible_ms": round(1000 * (seen - credited.timestamp()), 1),
            "x_gv_grew": str(x_now.gv - x_before.gv),
        }


def cpu_seconds(args, gunicorn, worker) -> dict[str, float]:
    """CPU seconds so far of the web server, the Celery worker and the database backends."""
    return {
        "gunicorn": intake.process_tree_cpu(gunicorn.pid),
        "celery": intake.process_tree_cpu(worker.pid),
        "postgres": intake.postgres_backend_cpu(args),
    }


def summary(values: list[float]) -> dict:
    values = sorted(values)
    if not values:
        return {}
    return {
        "n": len(values),
        "p50": round(statistics.median(values), 1),
        "p90": round(values[min(len(values) - 1, int(0.9 * len(values)))], 1),
        "max": round(values[-1], 1),
    }


def steady_load(port: int, deliveries: list[tuple[bytes, dict]], rate: float, prober: Prober, probe_every: float) -> dict:
    """Send at a fixed rate from a few threads while probing."""
    stop = threading.Event()
    sent = [0]
    lock = threading.Lock()
    cursor = iter(deliveries)
    started = time.monotonic()

    def sender():
        conn = [http.client.HTTPConnection("127.0.0.1", port, timeout=30)]
        while not stop.is_set():
            with lock:
                due = started + sent[0] / rate
                item = next(cursor, None)
                if item is None:
                    return
                sent[0] += 1
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            post(conn, port, *item)

    threads = [threading.Thread(target=sender) for _ in range(4)]
    for thread in threads:
        thread.start()
    probes = []
    conn = [http.client.HTTPConnection("127.0.0.1", port, timeout=30)]
    while any(thread.is_alive() for thread in threads):
        time.sleep(probe_every)
        probes.append(prober.probe(conn))
    stop.set()
    for thread in threads:
        thread.join()
    return {"sent": sent[0], "seconds": round(time.monotonic() - started, 1), "rate": rate, "probes": probes}


# --- main ---------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--orders", type=int, default=100_000)
    parser.add_argument("-c", "--concurrency", type=int, default=16)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--partners", type=int, default=30_000)
    parser.add_argument("--customers", type=int, default=70_000)
    parser.add_argument("--worker-class", default="gthread", help="gunicorn worker class (gthread, sync)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker (gthread)")
    parser.add_argument("--celery-concurrency", type=int, default=2)
    parser.add_argument("--worker-nice", type=int, default=0)
    parser.add_argument(
        "--steady-rate", type=float, default=0,
        help="orders/s while freshness is probed under load (default: half the run's throughput)",
    )  # fmt: skip
    parser.add_argument("--steady-seconds", type=float, default=60)
    parser.add_argument("--probe-every", type=float, default=2.0)
    parser.add_argument("--probes", type=int, default=30, help="probes on an idle system")
    parser.add_argument("--write-back", action="store_true", help="write mlm.credited / mlm.sponsor to the fake Saleor")
    parser.add_argument("--conn-max-age", type=int, default=600)
    parser.add_argument("--log-level", default="WARNING")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/saleor_mlm_bench_ledger")
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--json", default=str(OUT / "ledger.json"))
    args = parser.parse_args(argv)
    # SIGTERM ends the run through the `finally` below: the server and the worker stop too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    env = intake.bench_env(args)
    env["SALEOR_WRITE_BACK"] = "1" if args.write_back else "0"
    intake.reset_database(args)
    intake.reset_broker(args)
    subprocess.run([intake.bin_path("saleor-mlm"), "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
    maintenance = intake.OwnTableMaintenance(args.database_url)
    maintenance.start()
    os.environ.update(env)  # this process reads the same database (live volumes, counts)
    import django

    django.setup()
    from django.db import connection

    from saleor_mlm.installations.models import Installation
    from saleor_mlm.live import volumes as live

    signer = DetachedSigner.generate()
    fake, api_url = intake.start_fake_saleor(signer)
    port = intake.free_port()
    OUT.mkdir(parents=True, exist_ok=True)
    logs = [open(OUT / "ledger.gunicorn.log", "w"), open(OUT / "ledger.worker.log", "w")]
    gunicorn = subprocess.Popen(
        [
            intake.bin_path("gunicorn"), "saleor_mlm.wsgi:application", "--bind", f"127.0.0.1:{port}",
            "--worker-class", args.worker_class, "--workers", str(args.workers), "--threads", str(args.threads),
            "--keep-alive", "30", "--log-level", "warning",
        ],
        env=env, cwd=ROOT, stdout=logs[0], stderr=subprocess.STDOUT,
    )  # fmt: skip
    worker = subprocess.Popen(
        [
            "nice", "-n", str(args.worker_nice),
            intake.bin_path("celery"), "-A", "saleor_mlm", "worker", "--loglevel", "WARNING",
            "--concurrency", str(args.celery_concurrency), "--pool", "prefork",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ],
        env=env, cwd=ROOT, stdout=logs[1], stderr=subprocess.STDOUT,
    )  # fmt: skip
    results: dict = {
        "machine": {"cpus": os.cpu_count(), "loadavg_before": os.getloadavg(), "python": platform.python_version(), "platform": platform.platform()},
        "settings": {k: v for k, v in vars(args).items() if k != "json"},
        "runs": [],
    }
    try:
        intake.wait_for(f"http://127.0.0.1:{port}/healthz")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request(
            "POST", "/api/register", body=json.dumps({"auth_token": "bench-token"}),
            headers={"Content-Type": "application/json", "Saleor-Api-Url": api_url, "Saleor-Domain": "bench"},
        )  # fmt: skip
        response = conn.getresponse()
        if response.status != 200:
            raise RuntimeError(f"register failed: {response.status} {response.read()!r}")
        installation = Installation.objects.get()

        started = time.perf_counter()
        network = seed_network(installation, args.partners, args.customers)
        with connection.cursor() as cursor:
            # Statistics for the freshly loaded tables, as autovacuum would gather them a
            # minute later on a production server.
            cursor.execute("ANALYZE")
        below = args.partners - 1 + 1 + args.customers  # partners under X, M, customers
        results["network"] = {"below_x": below, "care_assignments": network["care"], "seed_seconds": round(time.perf_counter() - started, 1)}
        print(f"network: {below} people below X, {network['care']} Betreuer ({results['network']['seed_seconds']} s)", flush=True)

        prober = Prober(installation, network, signer, api_url, port)
        warm = sign_all(signer, api_url, plan_bodies(network, 500, "warm", seed=99))
        intake.send_all(port, warm, args.concurrency)
        wait_credited(len(warm), timeout=600)
        started = time.perf_counter()
        prober.live()
        results["network"]["live_state_build_seconds"] = round(time.perf_counter() - started, 2)
        print(f"warmed up; live state built in {results['network']['live_state_build_seconds']} s", flush=True)

        for run in range(1, args.runs + 1):
            print(f"run {run}: signing {args.orders} orders ...", flush=True)
            batch = sign_all(signer, api_url, plan_bodies(network, args.orders, f"r{run}", seed=run))
            baseline = credited_count()
            cpu_before = cpu_seconds(args, gunicorn, worker)
            load_before = os.getloadavg()[0]
            load = intake.send_all(port, batch, args.concurrency)
            first_post = time.monotonic() - load["seconds"]
            done = wait_credited(baseline + len(batch), timeout=6 * 3600)
            cpu_after = cpu_seconds(args, gunicorn, worker)
            cpu = {name: round(1000 * (cpu_after[name] - cpu_before[name]) / len(batch), 2) for name in cpu_after}
            figures = {
                "orders": len(batch),
                "seconds": round(done - first_post, 1),
                "orders_per_second": round(len(batch) / (done - first_post), 1),
                "intake_per_second": load["per_second"],
                "intake_p50_ms": load["p50_ms"],
                "intake_p99_ms": load["p99_ms"],
                "statuses": load["statuses"],
                # CPU milliseconds per order of each part: what the orders/s would be on
                # machines of their own, whatever else runs here.
                "cpu_ms_per_order": cpu,
                "cpu_ms_per_order_total": round(sum(cpu.values()), 2),
                "orders_per_cpu_second": round(1000 / max(sum(cpu.values()), 0.001), 1),
                "loadavg_1min": [load_before, os.getloadavg()[0]],
            }
            print(
                f"run {run}: {figures['orders_per_second']} orders/s end to end ({figures['seconds']} s; intake "
                f"{figures['intake_per_second']}/s); CPU per order {cpu} ms = {figures['orders_per_cpu_second']} orders per CPU second; "
                f"load {figures['loadavg_1min']}",
                flush=True,
            )

            prober.refresh_seconds.clear()
            before = credited_count()
            rate = args.steady_rate or max(1.0, round(figures["orders_per_second"] / 2, 1))
            steady = sign_all(signer, api_url, plan_bodies(network, int(rate * args.steady_seconds), f"s{run}", seed=1000 + run))
            steady_result = steady_load(port, steady, rate, prober, args.probe_every)
            wait_credited(before + steady_result["sent"] + len(steady_result["probes"]), timeout=600)
            figures["under_load"] = {
                "rate": rate,
                "answer_to_visible_ms": summary([p["answer_to_visible_ms"] for p in steady_result["probes"]]),
                "answer_to_credited_ms": summary([p["answer_to_credited_ms"] for p in steady_result["probes"]]),
                "credited_to_visible_ms": summary([p["credited_to_visible_ms"] for p in steady_result["probes"]]),
                "live_call_ms": summary([1000 * s for s in prober.refresh_seconds]),
            }
            time.sleep(2)
            prober.refresh_seconds.clear()
            conn_holder = [http.client.HTTPConnection("127.0.0.1", port, timeout=30)]
            idle = [prober.probe(conn_holder) for _ in range(args.probes)]
            figures["idle"] = {
                "answer_to_visible_ms": summary([p["answer_to_visible_ms"] for p in idle]),
                "answer_to_credited_ms": summary([p["answer_to_credited_ms"] for p in idle]),
                "credited_to_visible_ms": summary([p["credited_to_visible_ms"] for p in idle]),
                "live_call_ms": summary([1000 * s for s in prober.refresh_seconds]),
            }
            print(
                f"run {run}: fresh under load ({rate}/s) p50 {figures['under_load']['answer_to_visible_ms'].get('p50')} ms "
                f"(credited -> visible p50 {figures['under_load']['credited_to_visible_ms'].get('p50')} ms); "
                f"idle p50 {figures['idle']['answer_to_visible_ms'].get('p50')} ms, p90 {figures['idle']['answer_to_visible_ms'].get('p90')} ms",
                flush=True,
            )
            results["runs"].append(figures)

        # The incremental state against a fresh build from the database.
        x = network["x"].pk
        incremental = live.live_volumes(installation, x)
        live.invalidate()
        started = time.perf_counter()
        rebuilt = live.live_volumes(installation, x)
        results["check"] = {
            "x_gv_incremental": str(incremental.gv),
            "x_gv_rebuilt": str(rebuilt.gv),
            "equal": incremental.gv == rebuilt.gv,
            "rebuild_seconds": round(time.perf_counter() - started, 2),
        }
        results["pipeline"] = pipeline_counts()
        connection.close()
    finally:
        intake.stop(gunicorn)
        intake.stop(worker)
        fake.shutdown()
        maintenance.stop()

    runs = results["runs"]
    if runs:
        results["median"] = {
            "orders_per_second": statistics.median(run["orders_per_second"] for run in runs),
            "fresh_idle_p50_ms": statistics.median(run["idle"]["answer_to_visible_ms"]["p50"] for run in runs),
            "fresh_under_load_p50_ms": statistics.median(run["under_load"]["answer_to_visible_ms"]["p50"] for run in runs),
        }
        print(f"median of {len(runs)} runs: {results['median']}; check {results['check']}; {results['pipeline']}")
    Path(args.json).write_text(json.dumps(results, indent=2))
    ok = bool(runs) and results["check"]["equal"] and all(set(run["statuses"]) == {202} for run in runs)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
