"""Database-free commands: ``simulate`` and ``plan validate``.

``python -m saleor_mlm.engine.cli simulate --plan PLAN --partners partners.csv
--volumes volumes.csv --out result.json`` runs a period on exchange files (spec section 6);
``python -m saleor_mlm.engine.cli plan validate PLAN`` checks a plan document. Bad input
ends with exit code 2 and one line ``file:line:column: message`` on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from .exchange import ExchangeErrors, ExchangeFileError, write_result
from .money import units_text
from .period import compute
from .plan import Plan, PlanValidationError, parse_plan

__all__ = ["main", "plan_main", "simulate_main", "load_plan"]

EXIT_INPUT = 2  # bad input: a plan or exchange file to fix
# What `saleor-mlm --help` and each command's own help say (saleor_mlm/cli.py).
SIMULATE_HELP = "Run one period of a compensation plan on exchange files, without a database."
PLAN_HELP = "Check a plan document (YAML or JSON), without a database."


class InputError(Exception):
    """A problem with an input file, already formatted as ``file[:line:column]: message``."""


class Progress:
    """A one-line bar on stderr: ``phase [#####.....]  42%``, redrawn when the percent moves."""

    WIDTH = 30

    def __init__(self, stream, enabled: bool):
        self.stream, self.enabled = stream, enabled
        self.phase: str | None = None
        self.percent = -1
        self.started = time.monotonic()

    def __call__(self, phase: str, fraction: float) -> None:
        if not self.enabled:
            return
        percent = int(max(0.0, min(fraction, 1.0)) * 100)
        if phase == self.phase and percent == self.percent:
            return
        if phase != self.phase and self.phase is not None:
            self.stream.write("\n")
        self.phase, self.percent = phase, percent
        filled = percent * self.WIDTH // 100
        bar = "#" * filled + "." * (self.WIDTH - filled)
        elapsed = time.monotonic() - self.started
        self.stream.write(f"\r{phase:<20} [{bar}] {percent:3d}%  {elapsed:6.1f}s")
        self.stream.flush()

    def phase_reporter(self, phase: str):
        return lambda fraction: self(phase, fraction)

    def close(self) -> None:
        if self.enabled and self.phase is not None:
            self.stream.write("\n")
            self.stream.flush()


class Timings:
    """Wall and CPU seconds (every thread of the process) of phases: ``timings("name")``
    ends the phase ``name``, begun where the previous one ended."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.last = (time.perf_counter(), time.process_time())

    def __call__(self, phase: str) -> None:
        now = (time.perf_counter(), time.process_time())
        self.seconds[f"{phase}_s"] = round(now[0] - self.last[0], 3)
        self.seconds[f"{phase}_cpu_s"] = round(now[1] - self.last[1], 3)
        self.last = now


def load_plan(path: str) -> Plan:
    """Read and validate a plan file (YAML or JSON); ``InputError`` names what is wrong."""
    import yaml

    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except OSError as error:
        raise InputError(f"{path}: {error.strerror}") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        raise InputError(f"{path}:{where}: {error.problem}") from None
    except yaml.YAMLError as error:
        raise InputError(f"{path}: {error}") from None
    try:
        return parse_plan(data)
    except PlanValidationError as error:
        lines = "\n".join(f"{path}: {key}: {message}" for key, message in error.errors)
        raise InputError(lines) from None


def simulate_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="saleor-mlm simulate",
        description=SIMULATE_HELP,
    )
    parser.add_argument("--plan", required=True, help="plan document (YAML or JSON)")
    parser.add_argument("--partners", required=True, help="partners.csv")
    parser.add_argument("--volumes", required=True, help="volumes.csv")
    parser.add_argument("--out", required=True, help="result JSON to write")
    parser.add_argument(
        "--progress", action="store_true", help="show progress on stderr even if it is no terminal"
    )
    parser.add_argument(
        "--timings", action="store_true",
        help="at the end, print the wall and CPU seconds of each phase on stderr (one JSON object)",
    )  # fmt: skip
    return parser


def simulate_main(argv: list[str] | None = None) -> int:
    """``simulate --plan PLAN --partners FILE --volumes FILE --out FILE [--progress]``."""
    args = simulate_parser().parse_args(argv)
    progress = Progress(sys.stderr, args.progress or sys.stderr.isatty())
    timings = Timings()
    try:
        from .columnar import read_partners_file, read_volumes_file  # pyarrow: only here

        plan = load_plan(args.plan)
        timings("plan")
        # Every error of a file at once (one per line); a file's errors are all reported
        # before the next file is read (volumes need the partners).
        errors = ExchangeErrors(collect=True)
        network, career = read_partners_file(
            args.partners, plan, args.partners, progress.phase_reporter("reading partners"), errors
        )
        timings("partners")
        errors = ExchangeErrors(collect=True)
        volumes = read_volumes_file(args.volumes, network, args.volumes, progress.phase_reporter("reading volumes"), errors)
        timings("volumes")
        result = compute(plan, network, volumes, career, progress=progress)
        timings("compute")
        temporary = f"{args.out}.partial"
        with open(temporary, "wb") as handle:  # UTF-8, written as bytes
            write_result(result, handle, progress.phase_reporter("writing result"))
        os.replace(temporary, args.out)
        timings("writing")
    except (InputError, ExchangeFileError) as error:
        progress.close()
        print(error, file=sys.stderr)
        return EXIT_INPUT
    except OSError as error:
        progress.close()
        print(f"{error.filename}: {error.strerror}", file=sys.stderr)
        return EXIT_INPUT
    progress.close()
    if args.timings:
        print(json.dumps(timings.seconds), file=sys.stderr)
    total = units_text(int(result.total.sum()), result.minor_digits)
    print(
        f"{args.out}: {len(result.partner_ids)} partners, {int(result.qualified.sum())} "
        f"qualified, bonuses {total} {result.currency}"
    )
    return 0


def plan_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="saleor-mlm plan", description=PLAN_HELP)
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check a plan document")
    validate.add_argument("plan", help="plan document (YAML or JSON)")
    return parser


def plan_main(argv: list[str] | None = None) -> int:
    """``plan validate PLAN``."""
    args = plan_parser().parse_args(argv)
    try:
        plan = load_plan(args.plan)
    except InputError as error:
        print(error, file=sys.stderr)
        return EXIT_INPUT
    ranks = ", ".join(rank.code for rank in plan.ranks)
    print(f"{args.plan}: valid plan {plan.name!r} in {plan.currency}, ranks {ranks}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Dispatch ``simulate ...`` and ``plan ...``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = {"simulate": simulate_main, "plan": plan_main}
    if not argv or argv[0] not in commands:
        print("usage: saleor-mlm {simulate,plan} ...", file=sys.stderr)
        return EXIT_INPUT
    return commands[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main())
