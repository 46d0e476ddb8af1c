"""Engine benchmarks on networks shaped like real ones (issue 4).

A network of N partners:

- sponsors: a quarter of the partners were recruited by one of a few top recruiters
  (N / 10,000, at least 10, Zipf-weighted: the first has a frontline of about 5 % of
  everyone), the others by a uniformly chosen earlier partner, which gives a random
  recursive tree of depth about 2.7 ln N (37 at 1M);
- 15 % of partners and of customers have a Betreuer, an earlier partner, with a share
  of 0.2, 0.25, 0.3, 0.4 or 0.5;
- two customers per partner; 88 % of partners active, 8 % inactive, 4 % terminated;
  a fifth with a career rank from earlier periods;
- five volume rows per partner: one of its own, two for each customer; 3 % refunds;
- the full plan below: six ranks with every kind of requirement, five levels, three
  generations, breakaways at manager.

Usage::

    python benchmarks/engine.py engine --partners 1000000 --runs 5
    python benchmarks/engine.py engine --partners 1000000 --runs 3 --numpy  # the numpy sweep
    python benchmarks/engine.py simulate --partners 1000000 --runs 3   # CSV end to end

Each run is a fresh process (so peak memory is its own); the engine is timed from the
arrays to the ``PeriodResult`` (network build, volumes, compute); generation is not timed.
Before the timed part, each run imports the engine and computes a two-partner network:
``first_call_s`` is that cost (loading the compiled kernel, the volume limbs included, from
numba's cache, or compiling it on the first run after an install), paid once per process.
``exact_partners`` counts the partners whose figures the fast path left open,
``exact_downline`` the partners the exact path (Python integers) computed again for them.
The load average of the machine (1 minute) is taken before and after each run.
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
sys.path.insert(0, os.path.dirname(HERE))

PLAN = {
    "name": "Benchmark plan",
    "currency": "EUR",
    "active_min_pv": 50,
    "compression": "dynamic",
    "breakaway_rank": "manager",
    "bonuses": {
        "customer_rate": "0.05",
        "level_rates": ["0.05", "0.04", "0.03", "0.02", "0.01"],
        "generation_rates": ["0.03", "0.02", "0.01"],
    },
    "ranks": [
        {"code": "partner", "difference_rate": "0.03", "level_depth": 1},
        {"code": "consultant", "min_pv": 50, "min_gv": 500, "difference_rate": "0.06",
         "level_depth": 2, "advancement_bonus": "50.00"},
        {"code": "senior", "min_pv": 80, "min_gv": 2000, "max_leg_share": "0.6",
         "difference_rate": "0.09", "level_depth": 3, "advancement_bonus": "100.00"},
        {"code": "manager", "min_pv": 100, "min_gv": 6000, "max_leg_share": "0.5",
         "min_ov": 2000, "min_legs": {"count": 2, "rank": "consultant"},
         "difference_rate": "0.12", "level_depth": 4, "generation_depth": 1,
         "advancement_bonus": "250.00"},
        {"code": "director", "min_pv": 100, "min_gv": 20000, "max_leg_share": "0.4",
         "min_ov": 4000, "min_legs": {"count": 3, "rank": "manager"},
         "difference_rate": "0.15", "level_depth": 5, "generation_depth": 2,
         "advancement_bonus": "1000.00"},
        {"code": "executive", "min_pv": 100, "min_gv": 80000, "max_leg_share": "0.3",
         "min_ov": 6000, "min_legs": {"count": 3, "rank": "director"},
         "difference_rate": "0.18", "level_depth": 5, "generation_depth": 3,
         "advancement_bonus": "5000.00"},
    ],
}  # fmt: skip

SHARES = np.array([200_000, 250_000, 300_000, 400_000, 500_000])


class Ids:
    """Node ids ``p0 .. p(N-1)`` then ``c0 ..`` without building the strings up front."""

    def __init__(self, partners: int, customers: int):
        self.partners, self.customers = partners, customers

    def __len__(self):
        return self.partners + self.customers

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if not 0 <= index < len(self):
            raise IndexError(index)
        if index < self.partners:
            return f"p{index}"
        return f"c{index - self.partners}"


def generate(partners: int, seed: int = 4) -> dict[str, np.ndarray]:
    """Arrays of one benchmark network (node index: partners first, then customers)."""
    rng = np.random.default_rng(seed)
    n = partners
    index = np.arange(n)
    recruiters = max(10, n // 10_000)
    zipf = 1.0 / np.arange(1, recruiters + 1)
    top = rng.choice(recruiters, size=n, p=zipf / zipf.sum())
    sponsor = np.floor(rng.random(n) * index).astype(np.int64)
    by_top = (rng.random(n) < 0.25) & (index > top)
    sponsor[by_top] = top[by_top]
    sponsor[0] = -1

    def cares(count, limit):
        care = np.full(count, -1, np.int64)
        share = np.zeros(count, np.int64)
        chosen = (rng.random(count) < 0.15) & (limit > 1)
        care[chosen] = np.floor(rng.random(chosen.sum()) * limit[chosen]).astype(np.int64)
        share[chosen] = rng.choice(SHARES, size=chosen.sum())
        return care, share

    care, share = cares(n, index)
    customers = 2 * n
    customer_sponsor = np.repeat(index, 2)
    customer_care, customer_share = cares(customers, np.full(customers, n))
    status = rng.choice(3, size=n, p=[0.88, 0.08, 0.04]).astype(np.int8)
    career = np.where(rng.random(n) < 0.2, rng.choice(3, size=n), -1)

    def cents(count, low, high):
        value = rng.integers(low * 100, high * 100, size=count)
        refund = rng.random(count) < 0.03
        return np.where(refund, -value // 4, value)

    own_pv = np.where(rng.random(n) < 0.3, 0, cents(n, 20, 200))
    customer_pv = cents(2 * customers, 10, 60)  # two rows per customer
    rows_node = np.concatenate([index, np.repeat(np.arange(n, n + customers), 2)])
    rows_pv = np.concatenate([own_pv, customer_pv])
    rows_bv = rows_pv * 8 // 10
    return dict(
        is_partner=np.concatenate([np.ones(n, bool), np.zeros(customers, bool)]),
        sponsor=np.concatenate([sponsor, customer_sponsor]),
        care=np.concatenate([care, customer_care]),
        share=np.concatenate([share, customer_share]),
        status=np.concatenate([status, np.zeros(customers, np.int8)]),
        career=career,
        rows_node=rows_node,
        rows_pv=rows_pv,  # cents
        rows_bv=rows_bv,
    )


def data_path(partners: int) -> str:
    return os.path.join(OUT, f"network-{partners}.npz")


def ensure_data(partners: int) -> str:
    path = data_path(partners)
    if not os.path.exists(path):
        os.makedirs(OUT, exist_ok=True)
        np.savez(path, **generate(partners))
    return path


def run_engine(partners: int, compiled: bool = True) -> dict:
    """One run in this process: load the arrays, time the engine, report."""
    load_before = os.getloadavg()[0]
    first = time.perf_counter()
    from saleor_mlm.engine import Network, Volumes, compute, parse_plan

    plan = parse_plan(PLAN)
    tiny = Network.from_arrays(["a", "b"], [True, True], [-1, 0])
    compute(plan, tiny, Volumes.zeros(tiny), compiled=compiled)
    _load_limbs()
    first_call = time.perf_counter() - first
    data = dict(np.load(data_path(partners)))
    baseline = _peak_rss()
    ids = Ids(partners, data["is_partner"].size - partners)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = [time.process_time()]
    start = time.perf_counter()
    network = Network.from_arrays(
        ids, data["is_partner"], data["sponsor"], data["care"], data["share"], data["status"]
    )
    built = time.perf_counter()
    cpu.append(time.process_time())
    volumes = Volumes.from_rows(network, data["rows_node"], data["rows_pv"] * 100, data["rows_bv"] * 100)
    summed = time.perf_counter()
    cpu.append(time.process_time())
    result = compute(plan, network, volumes, data["career"], compiled=compiled)
    done = time.perf_counter()
    cpu.append(time.process_time())
    used = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "partners": partners,
        "nodes": network.n_nodes,
        "layers": network.n_layers,
        "build_s": built - start,
        "volumes_s": summed - built,
        "compute_s": done - summed,
        "engine_s": done - start,
        "engine_cpu_s": cpu[3] - cpu[0],
        "build_cpu_s": cpu[1] - cpu[0],
        "volumes_cpu_s": cpu[2] - cpu[1],
        "compute_cpu_s": cpu[3] - cpu[2],
        "engine_user_s": used.ru_utime - usage.ru_utime,  # CPU in the program
        "engine_system_s": used.ru_stime - usage.ru_stime,  # CPU in the kernel: page faults
        "first_call_s": first_call,
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "baseline_rss_mb": baseline,
        "peak_rss_mb": _peak_rss(),
        "qualified": int(result.qualified.sum()),
        "ranked": int((result.rank >= 0).sum()),
        "breakaways": int((result.rank >= 3).sum()),
        "exact_partners": result.exact_partners,
        "exact_downline": result.exact_downline,
        "total_bonus": int(result.total.sum()) / 100,
    }


def _load_limbs() -> None:
    """Load the compiled volume limbs too (part of the kernel, used only when a volume
    figure is undecided): an empty call with the types ``compute`` passes."""
    from saleor_mlm.engine.limbs import volume_limbs

    empty = np.zeros(0, np.int64)
    volume_limbs(empty, empty, 0, *[empty] * 6, np.zeros(0, bool), np.arange(2), 10, 4)


def _peak_rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_csv(partners: int) -> tuple[str, str, str]:
    """partners.csv, volumes.csv and the plan for the end-to-end run."""
    base = os.path.join(OUT, f"csv-{partners}")
    paths = tuple(os.path.join(base, name) for name in ("partners.csv", "volumes.csv", "plan.json"))
    if all(os.path.exists(path) for path in paths):
        return paths
    os.makedirs(base, exist_ok=True)
    data = np.load(ensure_data(partners))
    n = data["is_partner"].size
    ids = np.array([f"p{i}" for i in range(partners)] + [f"c{i}" for i in range(n - partners)])
    none = np.array([""])

    def ref(index):
        return np.where(index >= 0, ids[np.maximum(index, 0)], none)

    share = data["share"]
    share_text = np.where(share > 0, np.char.mod("0.%06d", share), "")
    is_partner = data["is_partner"]
    status = np.where(is_partner, np.array(["active", "inactive", "terminated"])[data["status"]], "")
    codes = np.array([rank["code"] for rank in PLAN["ranks"]])
    career = np.full(n, "", dtype=object)
    career[:partners] = np.where(data["career"] >= 0, codes[np.maximum(data["career"], 0)], "")
    kind = np.where(is_partner, "partner", "customer")
    columns = [ids, kind, ref(data["sponsor"]), ref(data["care"]), share_text, status, career]
    with open(paths[0], "w") as handle:
        handle.write("id,kind,sponsor_id,care_id,care_share,status,career_rank\n")
        for start in range(0, n, 1 << 20):
            rows = zip(*(column[start : start + (1 << 20)].tolist() for column in columns))
            handle.write("".join(",".join(row) + "\n" for row in rows))
    with open(paths[1], "w") as handle:
        handle.write("node_id,pv,bv\n")
        for start in range(0, data["rows_node"].size, 1 << 20):
            part = slice(start, start + (1 << 20))
            nodes = ids[data["rows_node"][part]].tolist()
            pv, bv = data["rows_pv"][part].tolist(), data["rows_bv"][part].tolist()
            handle.write("".join(f"{node},{_cents(p)},{_cents(b)}\n" for node, p, b in zip(nodes, pv, bv)))
    with open(paths[2], "w") as handle:
        json.dump(PLAN, handle, indent=2)
    return paths


def _cents(value: int) -> str:
    sign = "-" if value < 0 else ""
    value = abs(value)
    return f"{sign}{value // 100}.{value % 100:02d}"


def run_simulate(partners: int) -> dict:
    partners_csv, volumes_csv, plan = write_csv(partners)
    out = os.path.join(OUT, f"result-{partners}.json")
    command = [sys.executable, "-m", "saleor_mlm.engine.cli", "simulate", "--plan", plan,
               "--partners", partners_csv, "--volumes", volumes_csv, "--out", out, "--timings"]  # fmt: skip
    load_before = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, check=True, cwd=os.path.dirname(HERE), stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)  # fmt: skip
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    # The phases as the command measured them (wall and CPU seconds); reading is both files.
    phases = json.loads(done.stderr.strip().splitlines()[-1])
    for key in ("s", "cpu_s"):
        phases[f"reading_{key}"] = round(phases[f"partners_{key}"] + phases[f"volumes_{key}"], 3)
    return {"partners": partners, "simulate_s": elapsed, "simulate_cpu_s": cpu,
            "user_s": after.ru_utime - before.ru_utime, "system_s": after.ru_stime - before.ru_stime,
            **phases, "peak_rss_mb": after.ru_maxrss / 1024,
            "load_before": load_before, "load_after": os.getloadavg()[0]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["engine", "simulate", "one-engine"])
    parser.add_argument("--partners", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--numpy", action="store_true", help="the numpy sweep instead of the kernel")
    args = parser.parse_args()
    if args.what == "one-engine":  # child process of "engine"
        print(json.dumps(run_engine(args.partners[0], compiled=not args.numpy)))
        return
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, numpy {np.__version__}")  # fmt: skip
    for partners in args.partners:
        runs = []
        for _ in range(args.runs):
            if args.what == "engine":
                ensure_data(partners)
                output = subprocess.run(
                    [sys.executable, __file__, "one-engine", "--partners", str(partners)]
                    + (["--numpy"] if args.numpy else []),
                    check=True, capture_output=True, text=True,
                ).stdout  # fmt: skip
                runs.append(json.loads(output))
            else:
                runs.append(run_simulate(partners))
            print(json.dumps(runs[-1]), flush=True)
        keys = [key for key, value in runs[0].items() if isinstance(value, float)]
        median = {key: round(statistics.median(run[key] for run in runs), 3) for key in keys}
        print(json.dumps({"partners": partners, "runs": len(runs), "median": median}), flush=True)


if __name__ == "__main__":
    main()
