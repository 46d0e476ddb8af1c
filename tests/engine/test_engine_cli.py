"""The database-free commands: ``simulate`` and ``plan validate``."""

import json
import os
import subprocess
import sys

import yaml

from saleor_mlm.engine import simulate
from saleor_mlm.engine.cli import main
from tests.engine.test_engine_exchange import PARTNERS, PLAN, VOLUMES, rows_of

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def files(tmp_path, partners=PARTNERS, volumes=VOLUMES, plan=PLAN):
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(plan) if isinstance(plan, dict) else plan)
    (tmp_path / "partners.csv").write_text(partners)
    (tmp_path / "volumes.csv").write_text(volumes)
    return [
        "simulate",
        "--plan", str(tmp_path / "plan.yaml"),
        "--partners", str(tmp_path / "partners.csv"),
        "--volumes", str(tmp_path / "volumes.csv"),
        "--out", str(tmp_path / "result.json"),
    ]  # fmt: skip


def test_simulate_writes_the_result(tmp_path, capsys):
    assert main(files(tmp_path)) == 0
    written = json.loads((tmp_path / "result.json").read_text())
    assert written == simulate(PLAN, rows_of(PARTNERS), rows_of(VOLUMES))
    out, err = capsys.readouterr()
    assert out.startswith(f"{tmp_path / 'result.json'}: 3 partners, 2 qualified, bonuses ")
    assert err == ""  # no progress when stderr is no terminal
    assert not (tmp_path / "result.json.partial").exists()


def test_progress_on_request(tmp_path, capsys):
    assert main(files(tmp_path) + ["--progress"]) == 0
    err = capsys.readouterr().err
    for phase in ("reading partners", "reading volumes", "ranks and volumes", "bonuses", "writing result"):
        assert phase in err
    assert "100%" in err


def test_bad_input_is_one_line_and_exit_code_2(tmp_path, capsys):
    arguments = files(tmp_path, partners=PARTNERS.replace("B,partner,A,,", "B,partner,X,,"))
    assert main(arguments) == 2
    out, err = capsys.readouterr()
    assert err == f"{tmp_path / 'partners.csv'}:3:3: sponsor_id 'X' is not a partner\n"
    assert not (tmp_path / "result.json").exists()


def test_simulate_reports_every_error_of_a_file_at_once(tmp_path, capsys):
    """All problems of partners.csv in one run, one line each by position; then those of
    volumes.csv (which needs the partners) in the next."""
    partners = PARTNERS.replace("B,partner,A,,", "B,partner,X,,").replace("0.3,inactive", "0.3,sleeping")
    assert main(files(tmp_path, partners=partners)) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        f"{tmp_path / 'partners.csv'}:3:3: sponsor_id 'X' is not a partner",
        f"{tmp_path / 'partners.csv'}:4:6: status 'sleeping' is not one of active, inactive, terminated",
    ]

    volumes = VOLUMES.replace("A,100,", "A,1O0,") + "Z,1,1\n"
    assert main(files(tmp_path, volumes=volumes)) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == f"{tmp_path / 'volumes.csv'}:2:2: pv '1O0' is not a decimal number"
    assert lines[-1].startswith(f"{tmp_path / 'volumes.csv'}:") and "node_id 'Z' is not in partners.csv" in lines[-1]
    assert len(lines) == 2
    assert not (tmp_path / "result.json").exists()


def test_bad_volumes_and_missing_files(tmp_path, capsys):
    assert main(files(tmp_path, volumes=VOLUMES.replace("A,100,", "A,1O0,"))) == 2
    assert capsys.readouterr().err == f"{tmp_path / 'volumes.csv'}:2:2: pv '1O0' is not a decimal number\n"
    arguments = files(tmp_path)
    arguments[arguments.index("--volumes") + 1] = str(tmp_path / "missing.csv")
    assert main(arguments) == 2
    assert capsys.readouterr().err == f"{tmp_path / 'missing.csv'}: No such file or directory\n"


def test_invalid_plan_in_simulate(tmp_path, capsys):
    plan = dict(PLAN, compression="static")
    assert main(files(tmp_path, plan=plan)) == 2
    err = capsys.readouterr().err
    assert err == f"{tmp_path / 'plan.yaml'}: compression: unknown compression 'static'; expected dynamic or none\n"


def test_plan_validate(tmp_path, capsys):
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(PLAN))
    assert main(["plan", "validate", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: valid plan '' in EUR, ranks partner, manager\n"

    broken = dict(PLAN, ranks=[{"code": "a", "difference_rate": "0.1"}, {"code": "b", "difference_rate": "0.05"}])
    broken["bonuses"] = {"level_rates": ["-0.1"]}
    path.write_text(yaml.safe_dump(broken))
    assert main(["plan", "validate", str(path)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{path}: bonuses.level_rates[0]: negative rate -0.1",
        f"{path}: ranks[1].difference_rate: falls from 0.1 (ranks[0]) to 0.05; "
        "difference rates must not fall from one rank to the next",
    ]


def test_plan_yaml_syntax_error_has_a_position(tmp_path, capsys):
    path = tmp_path / "plan.yaml"
    path.write_text("currency: EUR\nranks: [\n  {code: a\n")
    assert main(["plan", "validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}:4:1: ")


def test_documented_example_plan_validates(capsys):
    assert main(["plan", "validate", os.path.join(ROOT, "docs", "plan-example.yaml")]) == 0


def test_unknown_command(capsys):
    assert main(["frobnicate"]) == 2
    assert "usage" in capsys.readouterr().err


def test_module_entry_point(tmp_path):
    arguments = files(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "saleor_mlm.engine.cli", *arguments],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "result.json").read_text())["totals"]["partners"] == 3


def test_simulate_reads_german_excel_csv_separated_by_semicolons(tmp_path, capsys):
    """Excel in a German locale writes `;` between fields and decimals with a comma."""
    expected = simulate(PLAN, rows_of(PARTNERS), rows_of(VOLUMES))
    german_partners = PARTNERS.replace(",", ";").replace("0.3", "0,3").replace("0.5", "0,5")
    german_volumes = VOLUMES.replace(",", ";").replace(".", ",")

    assert main(files(tmp_path, partners=german_partners, volumes=german_volumes)) == 0, capsys.readouterr().err

    assert json.loads((tmp_path / "result.json").read_text()) == expected


def test_simulate_says_which_line_is_not_utf8(tmp_path, capsys):
    """A Latin-1 (Windows-1252) file is one line naming the line, the field and the byte."""
    arguments = files(tmp_path)
    latin1 = PARTNERS.replace("C,partner,B,A", "Jörg,partner,B,A").replace("c1,customer,C,", "c1,customer,Jörg,")
    (tmp_path / "partners.csv").write_bytes(latin1.encode("latin-1"))

    assert main(arguments) == 2

    assert capsys.readouterr().err == (
        f"{tmp_path / 'partners.csv'}:4:1: not UTF-8 (byte 0xF6; Excel's CSV is Windows-1252): save the file as CSV UTF-8\n"
    )
    assert not (tmp_path / "result.json").exists()


def test_a_latin1_semicolon_file_names_the_field(tmp_path, capsys):
    arguments = files(tmp_path)
    (tmp_path / "volumes.csv").write_bytes("node_id;pv;bv\nA;100;100\nB;60,5;60,5 \xa4\n".encode("latin-1"))

    assert main(arguments) == 2

    assert capsys.readouterr().err.startswith(f"{tmp_path / 'volumes.csv'}:3:3: not UTF-8 (byte 0xA4;")
