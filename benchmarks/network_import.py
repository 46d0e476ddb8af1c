"""`saleor-mlm network import` of a million partners into PostgreSQL (issue 15).

The file follows benchmarks/engine.py's network: a quarter of the partners recruited by
a few Zipf-weighted top recruiters, the others by a uniformly chosen earlier partner
(depth about 37 at 1M); 15 % with a Betreuer (an earlier partner other than the sponsor)
and a share of 0.2 to 0.5; 88 % active, 8 % inactive, 4 % terminated; a fifth with a
career rank; every partner with e-mail, names, referral code, Saleor user id, country
and language; a tenth with an opening balance. No customers (`--customers N` adds N per
partner). Ids are the old system's (`old-<n>`), sponsors in a random order of rows (a
sponsor may come after its downline in the file).

Each run is a fresh database (`mlm_imp_bench`, dropped, created, migrated, an
installation and the engine benchmark's plan), then the import in a fresh process (the
`network import` command as the console script runs it, `--by ... --approved-by ...`),
timed end to end with its CPU and that of its PostgreSQL backend, then the same file
again (nothing changes: "0 created, 0 updated, N unchanged"), timed too.

Usage::

    python benchmarks/network_import.py generate --partners 1000000   # benchmarks/out/network-1000000.csv
    python benchmarks/network_import.py run --partners 1000000 --repeat 3

Results go to benchmarks/out/network_import-<partners>.json, with `uptime` before and
after each run (the machine may be shared).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "out")
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres:postgres@127.0.0.1:5432")
DATABASE = os.environ.get("BENCH_DATABASE", "mlm_imp_bench")
API_URL = "https://bench.example.com/graphql/"
STATUSES = np.array(["active", "inactive", "terminated"])
COUNTRIES = np.array(["DE", "AT", "CH", "NL", "FR", "IT", "PL"])
LANGUAGES = np.array(["de", "de", "de", "nl", "fr", "it", "pl"])
FIRST_NAMES = np.array(["Anna", "Ben", "Cem", "Dana", "Emil", "Frida", "Gül", "Hans", "Ida", "Jonas"])
COLUMNS = "id,kind,sponsor_id,care_id,care_share,status,career_rank,email,first_name,last_name,referral_code,saleor_user_id,country,language,balance"


def file_path(partners: int) -> str:
    return os.path.join(OUT, f"network-{partners}.csv")


def generate(partners: int, customers_per_partner: int = 0, seed: int = 15) -> str:
    sys.path.insert(0, HERE)
    from engine import PLAN  # the engine benchmark's network and plan
    from engine import generate as engine_network

    rng = np.random.default_rng(seed)
    n = partners
    index = np.arange(n)
    network = engine_network(n, seed=seed)
    sponsor, care = network["sponsor"][:n], network["care"][:n]
    care = np.where(care == sponsor, -1, care)  # the network refuses a sponsor as Betreuer
    share = np.where(care >= 0, np.char.mod("%g", network["share"][:n] / 1_000_000), "")
    status = STATUSES[network["status"][:n]]
    ranks = np.array([rank["code"] for rank in PLAN["ranks"]] + [""])
    career = ranks[network["career"]]  # -1 (none) is the last: ""
    balance = np.where(rng.random(n) < 0.1, np.char.mod("%.2f", rng.integers(-2000, 50000, size=n) / 100), "")
    ids = np.char.add("old-", index.astype(str))
    parent = lambda target: np.where(target >= 0, ids[np.maximum(target, 0)], "")  # noqa: E731
    number = index.astype(str)
    rows = np.column_stack(
        [
            ids, np.full(n, "partner"), parent(sponsor), parent(care), share, status, career,
            np.char.add(np.char.add("partner", number), "@bench.example.com"),
            FIRST_NAMES[index % FIRST_NAMES.size], np.char.add("Nachname", number),
            np.char.add("B", np.char.zfill(number, 7)), np.char.add("VXNlcjo", number),
            COUNTRIES[index % COUNTRIES.size], LANGUAGES[index % LANGUAGES.size], balance,
        ]
    )  # fmt: skip
    order = rng.permutation(n)  # sponsors may come after their downline
    os.makedirs(OUT, exist_ok=True)
    path = file_path(partners)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(COLUMNS + "\n")
        for start in range(0, n, 100_000):
            block = rows[order[start : start + 100_000]]
            handle.write("\n".join(",".join(row) for row in block.tolist()) + "\n")
        for c in range(n * customers_per_partner):
            handle.write(f"cust-{c},customer,{ids[c % n]},,,,,customer{c}@bench.example.com,Kunde,{c},,,,,\n")
    return path


def setup_database() -> None:
    """A fresh, migrated database with an installation and an active plan."""
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    os.environ["DATABASE_URL"] = f"{SERVER}/{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_mlm.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    sys.path.insert(0, HERE)
    from engine import PLAN

    from saleor_mlm.installations.models import Installation
    from saleor_mlm.plans.actions import activate_plan_version, create_plan_version

    installation = Installation(saleor_api_url=API_URL, app_id="QXBwOjE=")
    installation.auth_token = "bench"
    installation.save()
    version = create_plan_version(installation, "Benchmark plan", PLAN, "bench")
    activate_plan_version(version, "2026-01", "bench")


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def _process_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process of this machine, from /proc."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_import(path: str) -> dict:
    """`saleor-mlm network import` in this process (as the console script runs it), timed:
    wall, this process's CPU and that of its PostgreSQL backend (same machine)."""
    os.environ.update(DATABASE_URL=f"{SERVER}/{DATABASE}", LOG_LEVEL="WARNING", SALEOR_WRITE_BACK="0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_mlm.settings")
    import io

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    server_before, client_before, started = _process_cpu(backend), time.process_time(), time.perf_counter()
    out = io.StringIO()
    call_command("network", "import", path, "--by", "importer@bench.example.com", "--approved-by", "approver@bench.example.com",
                 "--no-progress", stdout=out)  # fmt: skip
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 1),
        "cpu_s": round(time.process_time() - client_before, 1),
        "server_cpu_s": round(_process_cpu(backend) - server_before, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "output": out.getvalue().strip().splitlines(),
    }


def timed_import(path: str) -> dict:
    """One import in a fresh process (its peak memory is its own)."""
    output = subprocess.run([sys.executable, __file__, "one", path], capture_output=True, text=True)
    if output.returncode != 0:
        raise SystemExit(f"import failed:\n{output.stdout}\n{output.stderr[-4000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def run(partners: int, repeat: int) -> None:
    path = file_path(partners)
    if not os.path.exists(path):
        generate(partners)
    runs = []
    for attempt in range(repeat):
        subprocess.run([sys.executable, __file__, "setup"], check=True)
        load_before = uptime()
        first = timed_import(path)
        again = timed_import(path)
        runs.append({"import": first, "again": again, "uptime_before": load_before, "uptime_after": uptime()})
        print(f"run {attempt + 1}/{repeat}: import {first['seconds']} s (CPU {first['cpu_s']} s + server {first['server_cpu_s']} s), "
              f"again {again['seconds']} s (CPU {again['cpu_s']} + {again['server_cpu_s']} s); "
              f"{load_before} -> {runs[-1]['uptime_after']}", flush=True)  # fmt: skip
        print("  " + " | ".join(first["output"]) + "  //  " + " | ".join(again["output"]), flush=True)
    summary = {
        "partners": partners,
        "file_mb": round(os.path.getsize(path) / 1e6, 1),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs",
        "python": platform.python_version(),
        "median_import_s": statistics.median(r["import"]["seconds"] for r in runs),
        "median_import_cpu_s": statistics.median(r["import"]["cpu_s"] + r["import"]["server_cpu_s"] for r in runs),
        "median_again_s": statistics.median(r["again"]["seconds"] for r in runs),
        "runs": runs,
    }
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, f"network_import-{partners}.json"), "w") as handle:
        json.dump(summary, handle, indent=2)
    print(json.dumps({key: summary[key] for key in ("partners", "file_mb", "median_import_s", "median_import_cpu_s", "median_again_s")}))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="write the import file")
    gen.add_argument("--partners", type=int, default=1_000_000)
    gen.add_argument("--customers", type=int, default=0, help="customers per partner")
    sub.add_parser("setup", help="a fresh benchmark database (used by run)")
    one = sub.add_parser("one", help="one timed import in this process (used by run)")
    one.add_argument("file")
    r = sub.add_parser("run", help="fresh database, import, import again; --repeat times")
    r.add_argument("--partners", type=int, default=1_000_000)
    r.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if args.command == "generate":
        print(generate(args.partners, args.customers))
    elif args.command == "setup":
        setup_database()
    elif args.command == "one":
        print(json.dumps(one_import(args.file)))
    else:
        run(args.partners, args.repeat)


if __name__ == "__main__":
    main()
