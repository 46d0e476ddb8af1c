"""The `saleor-mlm` console script.

`saleor-mlm --help` lists the app's own commands by what they are for (`COMMAND_GROUPS`),
with the first sentence of each command's help; `saleor-mlm COMMAND --help` explains a
command and every one of its options. Django's own commands are not listed: `saleor-mlm
django help` lists them and `saleor-mlm django COMMAND` runs one (they also run as
`saleor-mlm COMMAND`, unlisted). The Django commands a deployment needs (`migrate`,
`collectstatic`, `check`) are listed under "setup".

Database-free commands (`simulate`, `plan`) go straight to the engine; everything else is
a Django management command, so `saleor-mlm demo` is `manage.py demo` with settings set.
Hyphenated command names map to module names: `reprocess-webhooks` -> `reprocess_webhooks`.
Two-word commands are a command with subcommands: `saleor-mlm period close` runs the
`period` command's `close`, `saleor-mlm network import FILE` the `network` command's
`import`.

Before a command runs, its process must be fit to (core/startup.py), else it prints one
line and exits 1:

- the settings load: production keys, a `DATABASE_URL` the app runs on (`demo` is the
  exception for keys, and says so before the settings load: SALEOR_MLM_DEMO=1);
- the app's commands, which work on its data, need a database that answers and is
  migrated; `migrate` and its kin need one that answers; a database error of any other
  command that one of those checks explains is told in one line too.
"""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path

import saleor_mlm

PROGRAM = "saleor-mlm"
PACKAGE_DIR = Path(saleor_mlm.__file__).resolve().parent
ENGINE_COMMANDS = ("simulate", "plan")

# Django's commands a deployment runs, listed with the app's (one line each, in the app's
# words); Django's other commands stay out of the list.
DJANGO_COMMANDS_LISTED = {
    "migrate": "Create or update the database tables: after installing and after every upgrade.",
    "collectstatic": "Copy the static files into STATIC_ROOT for the web server (after every upgrade).",
    "check": "Check the configuration; `--deploy` checks it for production.",
}
# What `saleor-mlm --help` shows, in this order; a group shows only the commands that exist,
# and a group without any is left out.
COMMAND_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("setup", ("demo", "migrate", "collectstatic", "check", "api-key", "rotate-encryption-key", "export-schema")),
    ("network", ("network", "customers")),
    ("orders", ("reprocess-webhooks", "retry-parked", "rates", "orders")),
    ("periods", ("period",)),
    ("payouts", ("payouts", "credit-notes")),
    ("privacy", ("privacy", "installation")),
    ("engine", ENGINE_COMMANDS),
)

# What a command needs of the database before it runs (the app's other commands need it
# migrated). Commands not named here and not the app's get no check before they run.
NO_DATABASE = {"demo", "export_schema", "check", "collectstatic", "makemigrations", "makemessages", "compilemessages"}
DATABASE_ANSWERS = {"migrate", "showmigrations", "sqlmigrate", "dbshell", "createcachetable"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ENGINE_COMMANDS:
        from saleor_mlm.engine.cli import main as engine_main

        return engine_main(argv) or 0
    if argv[:1] == ["--version"]:
        print(f"{PROGRAM} {saleor_mlm.__version__}")
        return 0
    program = PROGRAM
    if argv[:1] == ["django"]:
        program, argv = f"{PROGRAM} django", argv[1:] or ["help"]
    elif not argv or argv[0] in {"-h", "--help"} or argv == ["help"]:
        print(command_list(), end="")
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_mlm.settings")
    if argv[0] == "demo":
        os.environ.setdefault("SALEOR_MLM_DEMO", "1")
    if not argv[0].startswith("-"):
        argv[0] = argv[0].replace("-", "_")
    from saleor_mlm.core.startup import refused_start

    # Help runs anywhere: Django lists its own commands then, with the refusal as a note.
    asks_for_help = argv[0] in {"help", "-h", "--help"}
    refusal = None if asks_for_help else refused_start()
    if refusal is not None:
        return _refuse(refusal)
    if not asks_for_help and not {"-h", "--help"} & set(argv):
        problem = _database_problem_before(argv[0])
        if problem is not None:
            return _refuse(problem)
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    try:
        execute_from_command_line([program, *argv])
    except DatabaseError:
        # Say it in one line when the database is what failed (gone, or not migrated);
        # any other database error is a bug, with its traceback.
        problem = _explained_database_error()
        if problem is None:
            raise
        return _refuse(problem)
    return 0


def _refuse(message) -> int:
    print(f"{PROGRAM}: {message}", file=sys.stderr)
    return 1


def _database_problem_before(command: str) -> str | None:
    """The problem of the database for this command, checked before it runs."""
    import django
    from django.core.management import get_commands

    from saleor_mlm.core.startup import database_problem

    if command in NO_DATABASE:
        return None
    if command in DATABASE_ANSWERS:
        django.setup()
        return database_problem(migrated=False)
    django.setup()
    if get_commands().get(command, "").startswith("saleor_mlm."):
        return database_problem()
    return None


def _explained_database_error() -> str | None:
    from django.db import DatabaseError, connections

    from saleor_mlm.core.startup import database_problem

    try:
        connections.close_all()  # a broken connection is not reused by the check
        return database_problem()
    except DatabaseError:
        return None


# ------------------------------------------------------------------------------ the list


def command_list() -> str:
    """`saleor-mlm --help`: the app's commands by group, one line each."""
    helps = {**app_command_helps(), **DJANGO_COMMANDS_LISTED, **engine_command_helps()}
    lines = [
        f"usage: {PROGRAM} COMMAND [OPTIONS]",
        "",
        f"saleor-mlm {saleor_mlm.__version__}: network marketing for Saleor, as a Saleor App.",
        f"`{PROGRAM} COMMAND --help` explains a command and each of its options.",
    ]
    width = max(len(name) for _, names in COMMAND_GROUPS for name in names) + 2
    for group, names in COMMAND_GROUPS:
        present = [name for name in names if name in helps]
        if present:
            lines += ["", f"{group}:"]
            lines += [f"  {name:<{width}}{helps[name]}" for name in present]
    lines += [
        "",
        f"Django's own commands: `{PROGRAM} django help`, run as `{PROGRAM} django COMMAND`.",
        f"Version: `{PROGRAM} --version`.",
    ]
    refusal = _refusal_here()
    if refusal is not None:
        lines += ["", f"Note: here the commands refuse to start: {refusal}"]
    return "\n".join(lines) + "\n"


def _refusal_here():
    """Why commands would refuse to start in this environment (no keys, a bad DATABASE_URL)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_mlm.settings")
    from saleor_mlm.core.startup import refused_start

    return refused_start()


def app_command_helps() -> dict[str, str]:
    """The first sentence of the `help` of every management command of the app, by the name
    it is typed with (`reprocess-webhooks`).

    Read from the source, so that the list needs no settings (the settings refuse to load
    without production keys, and the list is what a newcomer asks for first).
    """
    helps = {}
    for path in sorted(PACKAGE_DIR.glob("*/management/commands/[!_]*.py")):
        helps[path.stem.replace("_", "-")] = first_sentence(command_help_text(path.read_text(encoding="utf-8")))
    return helps


def engine_command_helps() -> dict[str, str]:
    from saleor_mlm.engine.cli import PLAN_HELP, SIMULATE_HELP

    return {"simulate": first_sentence(SIMULATE_HELP), "plan": first_sentence(PLAN_HELP)}


def command_help_text(source: str) -> str:
    """The literal `help` of `class Command` in a command's source (`help = "..."` or
    `help = _("...")`); empty when it is not a literal."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef) and node.name == "Command":
            for statement in node.body:
                if (
                    isinstance(statement, ast.Assign)
                    and any(isinstance(target, ast.Name) and target.id == "help" for target in statement.targets)
                ):
                    value = statement.value
                    if isinstance(value, ast.Call) and value.args:
                        value = value.args[0]
                    if isinstance(value, ast.Constant) and isinstance(value.value, str):
                        return value.value
    return ""


def first_sentence(text: str) -> str:
    text = " ".join(text.split())
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


if __name__ == "__main__":
    sys.exit(main())
