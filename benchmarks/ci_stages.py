"""The CI's stages, timed: a clean clone's `CI=true bash .ci/run`, with each stage's wall time and CPU.

    python3 benchmarks/ci_stages.py [--source /work/main] [--clone /tmp/ci-clone] [--log var/ci-stages]

Clones `--source` (HEAD, committed files only) into `--clone` (removed first), runs `bash .ci/run`
there with CI=true in a cpuacct cgroup of its own (cgroup v1, needs root), and samples every
second: which command each stage runs (the processes under the run: `scripts/test.sh`'s steps,
and the steps of the scripts it calls), the CPU of the run's processes (the cgroup: every
process the run starts, also those in a session of their own, such as the demo servers), the
CPU of the PostgreSQL backends of the test databases (moved into the cgroup as they appear:
the queries the tests make count too), the machine's load and its whole CPU. Prints the stages
with their wall time, CPU seconds and the machine's load; the samples and the run's output stay
in `--log`.

Why CPU seconds: the machine is shared (other engineers' tests run beside it), wall times vary
with that load; CPU seconds of the run's own processes vary much less. TEST_DATABASE_URL,
TEST_REDIS_URL, E2E_PORT and NEWCOMER_PORT are passed through (a shared machine: each engineer
their own).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup/cpuacct")
TICK = os.sysconf("SC_CLK_TCK")


def read_proc_stat(pid: str) -> tuple[int, str] | None:
    """(ppid, command line) of a process; None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return None
    ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
    return ppid, cmdline


def machine_busy_seconds() -> float:
    """All CPUs' busy time since boot (user, nice, system, irq, softirq, steal)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(value) for value in fields[:8])
    return (user + nice + system + irq + softirq + steal) / TICK


def database_backends(names: tuple[str, ...]) -> list[str]:
    """PostgreSQL backends serving one of the run's databases (their titles name the database)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres: ") and any(f" {name}" in title for name in names):
            found.append(pid)
    return found


def stage_chain(pid: str, processes: dict[str, tuple[int, str]], root: str) -> list[str]:
    """The command lines from the run's root down to `pid`."""
    chain = []
    while pid in processes and pid != root:
        chain.append(processes[pid][1])
        pid = str(processes[pid][0])
    return list(reversed(chain)) if pid == root else []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--source", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--clone", default="/tmp/ci-clone")
    parser.add_argument("--log", default="var/ci-stages")
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--report", metavar="LOG", help="only print the stages of a run logged before")
    args = parser.parse_args()
    if args.report:
        report(Path(args.report))
        return 0

    log = Path(args.log).resolve()
    log.mkdir(parents=True, exist_ok=True)
    clone = Path(args.clone)
    if clone.exists():
        shutil.rmtree(clone)
    subprocess.run(["git", "clone", "-q", args.source, str(clone)], check=True)
    head = subprocess.run(["git", "-C", str(clone), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()

    database = os.environ.get("TEST_DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/saleor_mlm").rsplit("/", 1)[1]
    # pytest-django's databases: test_<name>, test_<name>_gw0, ...
    names = (f"test_{database}",)

    group = CGROUP_ROOT / f"ci-stages-{os.getpid()}"
    group.mkdir()
    env = {**os.environ, "CI": "true"}
    started = time.time()
    busy_before = machine_busy_seconds()
    with open(log / "output.log", "w") as output:
        run = subprocess.Popen(
            ["bash", ".ci/run"], cwd=clone, env=env, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=lambda: (group / "cgroup.procs").write_text(str(os.getpid())),
        )
        root = str(run.pid)
        with open(log / "samples.jsonl", "w") as samples:
            while run.poll() is None:
                for pid in database_backends(names):
                    try:
                        (group / "cgroup.procs").write_text(pid)
                    except OSError:
                        pass
                processes = {}
                for pid in (group / "cgroup.procs").read_text().split():
                    found = read_proc_stat(pid)
                    if found:
                        processes[pid] = found
                chains = [stage_chain(pid, processes, root) for pid in processes]
                samples.write(json.dumps({
                    "t": round(time.time() - started, 2),
                    "cpu": int((group / "cpuacct.usage").read_text()) / 1e9,
                    "machine": round(machine_busy_seconds() - busy_before, 2),
                    "load": Path("/proc/loadavg").read_text().split()[0],
                    "chains": [chain for chain in chains if chain],
                }) + "\n")
                samples.flush()
                time.sleep(args.interval)
    wall = time.time() - started
    cpu = int((group / "cpuacct.usage").read_text()) / 1e9
    # Whatever the run left (it should have stopped everything itself).
    for pid in (group / "cgroup.procs").read_text().split():
        try:
            os.kill(int(pid), signal.SIGTERM)
        except ProcessLookupError:
            pass
    time.sleep(1)
    try:
        group.rmdir()
    except OSError:
        pass
    summary = {"head": head, "exit": run.returncode, "wall": round(wall, 1), "cpu": round(cpu, 1),
               "machine_busy": round(machine_busy_seconds() - busy_before, 1)}
    (log / "summary.json").write_text(json.dumps(summary) + "\n")
    print(json.dumps(summary))
    report(log)
    return run.returncode


def label(command: str) -> str:
    """A stage's short name: the script or program run (past its interpreter), with the subcommand of npm, npx and git."""
    words = [word.rsplit("/", 1)[-1] for word in command.split()]
    while words and (words[0] in ("bash", "sh", "env", "setsid", "node", "-m", "exec") or words[0].startswith("python") or "=" in words[0]):
        words = words[1:]
    if not words:
        return command.rsplit("/", 1)[-1][:40]
    if words[0] in ("npm", "npx", "git") and len(words) > 1:
        return " ".join(words[:2])
    return words[0]


def report(log: Path) -> None:
    """Each stage (a step of scripts/test.sh, and the steps of the scripts it calls): from the first to the last
    sample it was seen in, its wall time, the run's CPU seconds in that window (the cgroup: all the run's
    processes and the test databases' backends), the machine's busy seconds and its mean load."""
    samples = [json.loads(line) for line in (log / "samples.jsonl").read_text().splitlines()]
    windows: dict[tuple[str, ...], list[int]] = {}
    for index, sample in enumerate(samples):
        for chain in sample["chains"]:
            # A step of test.sh; within a script it ran, that script's step; and so on down.
            names = [label(command) for command in chain if command]
            for depth in range(1, len(names) + 1):
                key = tuple(names[:depth])
                if depth > 1 and (not key[-2].endswith(".sh") or key[-1] == key[-2]):
                    break
                window = windows.setdefault(key, [index, index])
                window[1] = index
    print(f"{'stage':<48} {'from':>6} {'wall':>6} {'cpu':>7} {'machine':>8} {'load':>5}")
    for key, (first, last) in sorted(windows.items(), key=lambda item: (item[1][0], len(item[0]))):
        begin = samples[max(first - 1, 0)]
        end = samples[min(last + 1, len(samples) - 1)]
        loads = [float(sample["load"]) for sample in samples[first : last + 1]]
        name = ("  " * (len(key) - 1) + key[-1])[:48]
        print(f"{name:<48} {begin['t']:>6.0f} {end['t'] - begin['t']:>6.0f} {end['cpu'] - begin['cpu']:>7.0f} "
              f"{end['machine'] - begin['machine']:>8.0f} {sum(loads) / len(loads):>5.1f}")


if __name__ == "__main__":
    sys.exit(main())
