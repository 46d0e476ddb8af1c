"""`saleor-mlm --help` lists the app's commands by what they are for; every option of
every app command says what it does; Django's own commands live under `saleor-mlm django`
(issue 15, item 6)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

import saleor_mlm
from saleor_mlm.cli import COMMAND_GROUPS, DJANGO_COMMANDS_LISTED, ENGINE_COMMANDS, app_command_helps, first_sentence
from saleor_mlm.engine.cli import PLAN_HELP, SIMULATE_HELP, plan_parser, simulate_parser

BIN = Path(sys.executable).parent
GROUP_ORDER = [group for group, _ in COMMAND_GROUPS]


def saleor_mlm_command(*arguments: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if name not in ("DJANGO_SETTINGS_MODULE", "CELERY_BROKER_URL")}
    env.update(SALEOR_MLM_DATA_DIR=str(tmp_path / "var"))
    return subprocess.run(
        [str(BIN / "saleor-mlm"), *arguments], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )


def app_commands() -> dict[str, str]:
    """The app's management commands as typed (`reprocess-webhooks`) -> their module name."""
    return {
        name.replace("_", "-"): name for name, app in get_commands().items() if app.startswith("saleor_mlm.")
    }


def listed_groups(text: str) -> dict[str, list[str]]:
    """The groups of `--help` and the commands under each."""
    groups: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if line.endswith(":") and not line.startswith(" ") and line[:-1] in GROUP_ORDER:
            current = groups.setdefault(line[:-1], [])
        elif current is not None and line.startswith("  "):
            current.append(line.split()[0])
        elif not line:
            current = None
    return groups


def test_help_lists_the_app_commands_by_group_and_not_djangos(tmp_path):
    done = saleor_mlm_command("--help", tmp_path=tmp_path)

    assert done.returncode == 0, done.stderr
    groups = listed_groups(done.stdout)
    assert list(groups) == [group for group in GROUP_ORDER if group in groups]  # in the table's order
    assert groups["setup"][:4] == ["demo", "migrate", "collectstatic", "check"]
    assert groups["periods"] == ["period"]
    assert groups["engine"] == ["simulate", "plan"]
    assert {"reprocess-webhooks", "retry-parked", "rates"} <= set(groups["orders"])
    assert groups["payouts"] == ["payouts", "credit-notes"]
    listed = [name for names in groups.values() for name in names]
    assert sorted(listed) == sorted({*app_commands(), *DJANGO_COMMANDS_LISTED, *ENGINE_COMMANDS})
    for django_command in ("runserver", "shell", "dumpdata", "flush", "startapp", "sendtestemail"):
        assert f"  {django_command} " not in done.stdout
    assert "  simulate               Run one period of a compensation plan on exchange files, without a database." in done.stdout
    assert "saleor-mlm django help" in done.stdout


def test_every_app_command_is_in_a_group():
    grouped = {name for _, names in COMMAND_GROUPS for name in names}

    assert set(app_commands()) <= grouped


def test_the_listed_help_is_the_commands_own():
    """The list reads the help from the source (no settings needed); it is the same text."""
    helps = app_command_helps()

    for typed, module in app_commands().items():
        command = load_command_class(get_commands()[module], module)
        assert helps[typed] == first_sentence(str(command.help)), typed
        assert helps[typed]
    assert first_sentence(SIMULATE_HELP) and first_sentence(PLAN_HELP)


def _options(parser: argparse.ArgumentParser, path: str):
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, subparser in action.choices.items():
                yield f"{path} {name}", helps.get(name)
                yield from _options(subparser, f"{path} {name}")
            continue
        yield f"{path} {'/'.join(action.option_strings) or action.dest}", action.help


@pytest.mark.parametrize("typed", sorted(app_commands()))
def test_every_option_of_an_app_command_has_help(typed):
    module = app_commands()[typed]
    command = load_command_class(get_commands()[module], module)
    parser = command.create_parser("saleor-mlm", typed)

    without_help = [where for where, text in _options(parser, typed) if not text or text == argparse.SUPPRESS]

    assert without_help == []


@pytest.mark.parametrize("typed", ENGINE_COMMANDS)
def test_every_option_of_an_engine_command_has_help(typed):
    parser = {"simulate": simulate_parser, "plan": plan_parser}[typed]()

    assert [where for where, text in _options(parser, typed) if not text] == []


def test_version(tmp_path):
    done = saleor_mlm_command("--version", tmp_path=tmp_path)

    assert (done.returncode, done.stdout) == (0, f"saleor-mlm {saleor_mlm.__version__}\n")


def test_djangos_commands_run_under_django_and_migrate_stays_where_it_was(tmp_path):
    listing = saleor_mlm_command("django", "help", tmp_path=tmp_path)
    check = saleor_mlm_command("django", "check", tmp_path=tmp_path)
    migrate_help = saleor_mlm_command("migrate", "--help", tmp_path=tmp_path)

    assert listing.returncode == 0 and "dumpdata" in listing.stdout and "saleor-mlm django help <subcommand>" in listing.stdout
    assert check.returncode == 0 and "System check identified" in check.stdout + check.stderr
    assert migrate_help.returncode == 0 and "usage: saleor-mlm migrate" in migrate_help.stdout
