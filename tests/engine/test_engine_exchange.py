"""Exchange files: reading partners.csv and volumes.csv, errors at file:line:column, the JSON."""

import io
import json

import pytest

from saleor_mlm.engine import ExchangeFileError, compute, parse_plan, row_chunks, simulate
from saleor_mlm.engine.exchange import (
    PARTNER_COLUMNS,
    VOLUME_COLUMNS,
    read_chunks,
    read_partners,
    read_volumes,
    write_result,
)

PLAN = {
    "currency": "EUR",
    "active_min_pv": 10,
    "bonuses": {"customer_rate": "0.05", "level_rates": ["0.05", "0.03"]},
    "ranks": [{"code": "partner", "difference_rate": "0.03"}, {"code": "manager", "min_gv": 200, "difference_rate": "0.06"}],
}

PARTNERS = """id,kind,sponsor_id,care_id,care_share,status,career_rank
A,partner,,,,active,manager
B,partner,A,,,active,
C,partner,B,A,0.3,inactive,
c1,customer,C,B,0.5,,
c2,customer,,,,,
"""

VOLUMES = """node_id,pv,bv
A,100,100.00
B,60.5,60.50
C,70,70
c1,12.50,12.50
c1,-2.5,-2.50
c2,5,5
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def load(tmp_path, partners=PARTNERS, volumes=VOLUMES):
    plan = parse_plan(PLAN)
    network, career = read_partners(read_chunks(write(tmp_path, "partners.csv", partners), PARTNER_COLUMNS), plan)
    volume = read_volumes(read_chunks(write(tmp_path, "volumes.csv", volumes), VOLUME_COLUMNS), network)
    return plan, network, career, volume


def error_of(tmp_path, partners=PARTNERS, volumes=VOLUMES) -> str:
    with pytest.raises(ExchangeFileError) as info:
        load(tmp_path, partners, volumes)
    return str(info.value)


def test_files_are_read(tmp_path):
    plan, network, career, volumes = load(tmp_path)
    assert list(network.partner_ids) == ["A", "B", "C"]
    assert career.tolist() == [1, -1, -1]
    assert volumes.own_pv.tolist() == [1_000_000, 605_000, 700_000, 100_000, 50_000]
    result = compute(plan, network, volumes, career).to_dict()
    assert result["partners"]["C"]["qualified"] is False
    assert result["totals"]["pv"] == "245.50"


def rows_of(text):
    lines = text.strip().split("\n")
    header = lines[0].split(",")
    return [dict(zip(header, line.split(","))) for line in lines[1:]]


def test_files_and_rows_give_the_same_result(tmp_path):
    plan, network, career, volumes = load(tmp_path)
    from_files = compute(plan, network, volumes, career).to_dict()
    assert from_files == simulate(PLAN, rows_of(PARTNERS), rows_of(VOLUMES))


def test_quoted_crlf_bom_and_extra_columns(tmp_path):
    partners = (
        "\ufeffnote,id,kind,sponsor_id,care_id,care_share,status,career_rank\r\n"
        '"a, b",A,partner,,,,active,manager\r\n'
        '"x",B,partner,A,,,active,\r\n'
        '"",C,partner,B,A,0.3,inactive,\r\n'
        '"multi\r\nline",c1,customer,C,B,0.5,,\r\n'
        ",c2,customer,,,,,\r\n"
    )
    plan, network, career, volumes = load(tmp_path, partners=partners)
    quoted = compute(plan, network, volumes, career).to_dict()
    plan, network, career, volumes = load(tmp_path)
    assert quoted == compute(plan, network, volumes, career).to_dict()


@pytest.mark.parametrize(
    "replace, expected",
    [
        (("B,partner,A,,", "B,partner,X,,"), "partners.csv:3:3: sponsor_id 'X' is not a partner"),
        (("C,partner,B,A,0.3", "C,partner,B,c2,0.3"), "partners.csv:4:4: care_id 'c2' is not a partner (it is a customer)"),
        (("C,partner,B,A,0.3", "C,partner,B,A,1.5"), "partners.csv:4:5: care_share '1.5' is outside [0, 1]"),
        (("C,partner,B,A,0.3", "C,partner,B,A,-0.1"), "partners.csv:4:5: care_share '-0.1' is outside [0, 1]"),
        (("C,partner,B,A,0.3", "C,partner,B,A,0.1234567"), "partners.csv:4:5: care_share '0.1234567' has more than 6 decimal places"),
        (("C,partner,B,A,0.3", "C,partner,B,A,abc"), "partners.csv:4:5: care_share 'abc' is not a decimal number"),
        (("C,partner,B,A,0.3", "C,partner,B,,0.3"), "partners.csv:4:5: care_share without care_id"),
        (("B,partner,A", "A,partner,A"), "partners.csv:3:1: duplicate id 'A'"),
        (("B,partner,A", ",partner,A"), "partners.csv:3:1: empty id"),
        (("B,partner,A", "B,seller,A"), "partners.csv:3:2: kind 'seller' is neither partner nor customer"),
        ((",active,\nC", ",retired,\nC"), "partners.csv:3:6: status 'retired' is not one of active, inactive, terminated"),
        (("active,manager", "active,boss"), "partners.csv:2:7: career_rank 'boss' is not a rank of the plan"),
        (("c2,customer,,,,,", "c2,customer,,,,active,"), "partners.csv:6:6: status must be empty for a customer"),
        (("c2,customer,,,,,", "c2,customer,,,,"), "partners.csv:6:1: expected 7 fields, found 6"),
        (("A,partner,,,,active", "A,partner,C,,,active"), "partners.csv:4:3: sponsor_id 'B' closes a cycle: C -> B -> A -> C"),
        (("C,partner,B,A,0.3", "C,partner,B,C,0.3"), "partners.csv:4:4: care_id 'C' closes a cycle: C -> C"),
    ],
)
def test_partner_errors_name_file_line_and_column(tmp_path, replace, expected):
    assert error_of(tmp_path, partners=PARTNERS.replace(*replace, 1)) == expected


@pytest.mark.parametrize(
    "replace, expected",
    [
        (("c1,-2.5", "x9,-2.5"), "volumes.csv:6:1: node_id 'x9' is not in partners.csv"),
        (("B,60.5,", "B,60.5.1,"), "volumes.csv:3:2: pv '60.5.1' is not a decimal number"),
        (("A,100,100.00", "A,100,100.00001"), "volumes.csv:2:3: bv '100.00001' has more than 4 decimal places"),
        (("A,100,", "A,1e5,"), "volumes.csv:2:2: pv '1e5' is not a decimal number"),
        (("A,100,", "A,,"), "volumes.csv:2:2: pv '' is not a decimal number"),
        (("A,100,", "A,123456789012,"), "volumes.csv:2:2: pv '123456789012' is out of range"),
        (("node_id,pv,bv", "node,pv,bv"), "volumes.csv:1:1: missing column 'node_id' in the header"),
    ],
)
def test_volume_errors_name_file_line_and_column(tmp_path, replace, expected):
    assert error_of(tmp_path, volumes=VOLUMES.replace(*replace, 1)) == expected


def test_error_lines_count_blank_lines(tmp_path):
    volumes = VOLUMES.replace("C,70,70\n", "C,70,70\n\n\n").replace("c2,5", "zz,5")
    assert error_of(tmp_path, volumes=volumes) == "volumes.csv:9:1: node_id 'zz' is not in partners.csv"


def test_rows_errors_count_lines_as_in_a_file():
    rows = rows_of(PARTNERS)
    rows[3]["sponsor_id"] = "nobody"
    with pytest.raises(ExchangeFileError) as info:
        simulate(PLAN, rows, [])
    assert str(info.value) == "partners.csv:5:3: sponsor_id 'nobody' is not a partner"
    assert (info.value.file, info.value.line, info.value.column) == ("partners.csv", 5, 3)


def test_written_json_equals_the_dict(tmp_path):
    plan, network, career, volumes = load(tmp_path)
    result = compute(plan, network, volumes, career)
    out = io.StringIO()
    write_result(result, out)
    assert json.loads(out.getvalue()) == result.to_dict()


def test_written_json_escapes_ids():
    rows = rows_of(PARTNERS.replace("B", 'B"\\ü'))
    plan = parse_plan(PLAN)
    network, career = read_partners(row_chunks(rows, "partners.csv", PARTNER_COLUMNS), plan)
    volumes = read_volumes(row_chunks([], "volumes.csv", VOLUME_COLUMNS), network)
    result = compute(plan, network, volumes, career)
    out = io.StringIO()
    write_result(result, out)
    assert json.loads(out.getvalue())["partners"].keys() == {"A", 'B"\\ü', "C"}


def test_quoted_file_errors_point_at_the_first_line_of_a_record(tmp_path):
    partners = PARTNERS.replace("A,partner,,,,active,manager", '"A",partner,,,,active,manager')
    partners = partners.replace("jonas", "x").replace("c1,customer,C,B,0.5,,", 'c1,customer,C,B,"0.5",,"\n",x')
    assert error_of(tmp_path, partners=partners) == "partners.csv:5:1: expected 7 fields, found 8"


def test_collected_errors_are_every_error_of_the_file_at_most_one_per_field(tmp_path):
    from saleor_mlm.engine.exchange import ExchangeErrors, parse_partner_rows

    partners = (
        "id,kind,sponsor_id,care_id,care_share,status,career_rank\n"
        "A,partner,,,,active,manager\n"
        "B,partner,A,,,retired,boss\n"  # two fields wrong
        "A,partner,B,,,active,\n"  # duplicate id
        "C,partner,B,A,abc,active,\n"  # not a number (and no second error for the same field)
        "c1,customer,C,,0.5,active,\n"  # share without care_id, status of a customer
        "too,few\n"  # dropped, reported
        ",customer,X,,,,\n"  # empty id; X is no id of the file: left to the caller
    )
    path = tmp_path / "partners.csv"
    path.write_text(partners)
    errors = ExchangeErrors(collect=True)
    careers = {"partner": 0, "manager": 1, "": -1}

    rows = parse_partner_rows(read_chunks(str(path), PARTNER_COLUMNS, errors=errors), careers, errors)

    assert [str(error) for error in errors.sorted()] == [
        "partners.csv:3:6: status 'retired' is not one of active, inactive, terminated",
        "partners.csv:3:7: career_rank 'boss' is not a rank of the plan",
        "partners.csv:4:1: duplicate id 'A'",
        "partners.csv:5:5: care_share 'abc' is not a decimal number",
        "partners.csv:6:5: care_share without care_id",
        "partners.csv:6:6: status must be empty for a customer",
        "partners.csv:7:1: expected 7 fields, found 2",
        "partners.csv:8:1: empty id",
    ]
    assert rows.index == {"A": 0, "B": 1, "C": 3, "c1": 4}  # a repeated id keeps its first row
    assert rows.unresolved == [("sponsor_id", 5, "X")]
    assert rows.sponsor.tolist() == [-1, 0, 1, 1, 3, -2]
    assert rows.lines.tolist() == [2, 3, 4, 5, 6, 8]


def test_optional_columns_are_read_when_the_header_has_them(tmp_path):
    path = tmp_path / "partners.csv"
    path.write_text("email,id,kind,sponsor_id,care_id,care_share,status,career_rank\na@example.com,A,partner,,,,active,\n")
    (chunk,) = read_chunks(str(path), PARTNER_COLUMNS, optional=("email", "balance"))
    assert chunk.columns["email"] == ["a@example.com"] and "balance" not in chunk.columns
    assert chunk.column_numbers["email"] == 1 and chunk.column_numbers["id"] == 2
