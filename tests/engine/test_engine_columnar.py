"""The columnar reading of plain exchange files and the columnar result JSON (issue 22):
the same networks, volumes and errors as the reading by rows, the same bytes as the writer
before it (``reference_json``)."""

import io

import numpy as np
import pytest

from saleor_mlm.engine import compute, parse_plan
from saleor_mlm.engine.columnar import partner_rows, plain_columns, read_partners_file, read_volumes_file
from saleor_mlm.engine.exchange import (
    PARTNER_COLUMNS,
    VOLUME_COLUMNS,
    ExchangeErrors,
    ExchangeFileError,
    parse_partner_rows,
    plan_careers,
    read_chunks,
    read_partners,
    read_volumes,
)
from saleor_mlm.engine.result_json import write_result
from tests.engine.reference_json import write_result_reference
from tests.engine.test_engine_exchange import PARTNERS, PLAN, VOLUMES

# Ids a CSV reader might take for something else (null, NaN, a number), one not ASCII.
ODD_IDS = ["NA", "null", "nan", "N/A", "-", "1.5", "true", "Jörg", "x y"]
# Decimals as they may be written: signs, leading zeros, at the limits of digits and places.
ODD_VOLUMES = ["+5", "-0.5", "007.1234", "12345678901.9999", "-12345678901", "0", "-0", "0.0001"]


def network_csv(partners: int, seed: int) -> tuple[str, str]:
    """partners.csv and volumes.csv of a random network: sponsors and Betreuer before or
    after in the file, shares, customers, and the odd ids and decimals above."""
    rng = np.random.default_rng(seed)
    ids = [f"p{i}" for i in range(partners - len(ODD_IDS))] + ODD_IDS
    order = rng.permutation(partners)  # references point forward and backward in the file
    lines = ["id,kind,sponsor_id,care_id,care_share,status,career_rank"]
    for position, node in enumerate(order.tolist()):
        sponsor = ids[int(rng.integers(node))] if node else ""
        care, share = "", ""
        if node > 1 and rng.random() < 0.3:
            care = ids[int(rng.integers(node))]
            share = str(rng.choice(["0.5", "0.25", "1", "0", "0.000001", "+0.3", "1.000000"]))
        status = str(rng.choice(["active", "inactive", "terminated"]))
        career = str(rng.choice(["", "partner", "manager"]))
        lines.append(f"{ids[node]},partner,{sponsor},{care},{share},{status},{career}")
        if position % 3 == 0:
            lines.append(f"c{position},customer,{ids[node]},,,,")
    volume_lines = ["node_id,pv,bv"]
    for i in range(3 * partners):
        node = ids[int(rng.integers(partners))]
        pv = str(rng.choice(ODD_VOLUMES)) if i % 7 == 0 else f"{rng.integers(-500, 5000) / 100:.2f}"
        volume_lines.append(f"{node},{pv},{rng.integers(0, 300)}")
    return "\n".join(lines) + "\n", "\n".join(volume_lines) + "\n"


def write(tmp_path, name, text: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return str(path)


def by_rows(path, plan, file="partners.csv"):
    errors = ExchangeErrors(collect=True)
    return read_partners(read_chunks(path, PARTNER_COLUMNS, file, errors=errors), plan, errors)


def by_columns(path, plan, file="partners.csv"):
    return read_partners_file(path, plan, file, errors=ExchangeErrors(collect=True))


def outcome(read, path, plan):
    """Every error message of a reading, or the network it gave (ids, relations, careers)."""
    try:
        network, career = read(path, plan)
    except ExchangeFileError as error:
        return str(error)
    relations = ("is_partner", "status", "sponsor_position", "sponsor_weight", "care_child", "care_parent",
                 "care_weight", "customer_node", "customer_parent", "customer_weight")  # fmt: skip
    return list(network.ids), [getattr(network, name).tolist() for name in relations], career.tolist()


def test_a_plain_file_is_read_by_columns_as_by_rows(tmp_path):
    plan = parse_plan(PLAN)
    partners, volumes = network_csv(300, seed=1)
    partners_path, volumes_path = write(tmp_path, "partners.csv", partners), write(tmp_path, "volumes.csv", volumes)
    careers = plan_careers(plan)

    columnar = partner_rows(plain_columns(partners_path, PARTNER_COLUMNS), careers, "partners.csv")
    rows = parse_partner_rows(read_chunks(partners_path, PARTNER_COLUMNS), careers)

    assert columnar is not None  # judged by columns: no second reading
    assert list(columnar.ids) == rows.ids
    for key in ("is_partner", "sponsor", "care", "share", "status", "career", "lines"):
        assert getattr(columnar, key).tolist() == getattr(rows, key).tolist(), key
    network, career = by_columns(partners_path, plan)
    network_by_rows, career_by_rows = by_rows(partners_path, plan)
    volumes_by_columns = read_volumes_file(volumes_path, network)
    volumes_by_rows = read_volumes(read_chunks(volumes_path, VOLUME_COLUMNS), network_by_rows)
    assert volumes_by_columns.own_pv.tolist() == volumes_by_rows.own_pv.tolist()
    assert volumes_by_columns.own_bv.tolist() == volumes_by_rows.own_bv.tolist()
    assert (
        compute(plan, network, volumes_by_columns, career).to_dict()
        == compute(plan, network_by_rows, volumes_by_rows, career_by_rows).to_dict()
    )


@pytest.mark.parametrize(
    "replace",
    [
        ("B,partner,A,,", "B,partner,X,,"),  # no such id: reported after the rows' checks
        ("C,partner,B,A,0.3", "C,partner,B,c2,0.3"),  # a customer as Betreuer
        ("A,partner,,,,active", "A,partner,C,,,active"),  # a cycle
        ("C,partner,B,A,0.3", "C,partner,B,A,1.5"),
        ("C,partner,B,A,0.3", "C,partner,B,A,-0.1"),
        ("C,partner,B,A,0.3", "C,partner,B,A,0.1234567"),
        ("C,partner,B,A,0.3", "C,partner,B,A,abc"),
        ("C,partner,B,A,0.3", "C,partner,B,,0.3"),
        ("C,partner,B,A,0.3", "C,partner,B,A,٠.٣"),  # Arabic-Indic digits: Python's \\d, not RE2's
        ("B,partner,A", "A,partner,A"),
        ("B,partner,A", ",partner,A"),
        ("B,partner,A", "B,seller,A"),
        (",active,\nC", ",retired,\nC"),
        (",active,\nC", ",,\nC"),  # a partner without a status
        ("active,manager", "active,boss"),
        ("c2,customer,,,,,", "c2,customer,,,,active,"),
        ("c2,customer,,,,,", "c2,customer,,,,,partner"),
        ("c2,customer,,,,,", "c2,customer,,,,"),
        ("c2,customer,,,,,", "c2,customer,,,,,,"),
        ("C,partner", "C,partner,B,A,0.3,inactive,\nD,partner"),  # too many fields, then a duplicate
    ],
)
def test_errors_are_those_of_the_reading_by_rows(tmp_path, replace):
    plan = parse_plan(PLAN)
    path = write(tmp_path, "partners.csv", PARTNERS.replace(*replace, 1))
    assert outcome(by_columns, path, plan) == outcome(by_rows, path, plan)


@pytest.mark.parametrize(
    "replace",
    [
        ("c1,-2.5", "x9,-2.5"),
        ("B,60.5,", "B,60.5.1,"),
        ("A,100,100.00", "A,100,100.00001"),
        ("A,100,", "A,1e5,"),
        ("A,100,", "A,,"),
        ("A,100,", "A,123456789012,"),
        ("A,100,", "A, 100,"),
        ("A,100,", "A,5.,"),
        ("A,100,", "A,.5,"),
        ("c2,5,5", "c2,5,5,5"),
    ],
)
def test_volume_errors_are_those_of_the_reading_by_rows(tmp_path, replace):
    plan = parse_plan(PLAN)
    network, _ = by_columns(write(tmp_path, "partners.csv", PARTNERS), plan)
    path = write(tmp_path, "volumes.csv", VOLUMES.replace(*replace, 1))
    errors = ExchangeErrors(collect=True)
    with pytest.raises(ExchangeFileError) as expected:
        read_volumes(read_chunks(path, VOLUME_COLUMNS, errors=errors), network, errors)
    with pytest.raises(ExchangeFileError) as found:
        read_volumes_file(path, network, errors=ExchangeErrors(collect=True))
    assert str(found.value) == str(expected.value)


@pytest.mark.parametrize(
    "text",
    [
        PARTNERS.replace("A,partner,,,,active,manager", '"A",partner,,,,active,manager'),  # quotes
        PARTNERS.replace(",", ";").replace("0.3", "0,3").replace("0.5", "0,5"),  # German Excel
        PARTNERS.replace("\n", "\r\n"),
        PARTNERS.replace("C,partner", "\nC,partner"),  # a blank line
        PARTNERS.replace("C,partner,B,A", "Jörg,partner,B,A").encode("latin-1"),
        PARTNERS.split("\n")[0] + "\n",  # no rows
        PARTNERS.replace("career_rank", "career"),  # a column missing
    ],
)
def test_files_that_are_not_plain_are_read_by_rows(tmp_path, text):
    """Not judged by columns: the reading by rows reads them, with its errors."""
    plan = parse_plan(PLAN)
    path = write(tmp_path, "partners.csv", text)
    assert plain_columns(path, PARTNER_COLUMNS) is None
    assert outcome(by_columns, path, plan) == outcome(by_rows, path, plan)


def test_a_byte_order_mark_and_extra_columns_are_plain(tmp_path):
    plan = parse_plan(PLAN)
    text = "\ufeffnote,id,kind,sponsor_id,care_id,care_share,status,career_rank\n" + "\n".join(
        f"n{i},{line}" for i, line in enumerate(PARTNERS.split("\n")[1:-1])
    )
    path = write(tmp_path, "partners.csv", text)
    columns = plain_columns(path, PARTNER_COLUMNS)
    assert columns is not None and columns[1]["id"] == 2
    network, career = by_columns(path, plan)
    assert list(network.partner_ids) == ["A", "B", "C"] and career.tolist() == [1, -1, -1]


@pytest.mark.parametrize("currency", ["EUR", "JPY", "KWD"])
def test_the_json_is_byte_for_byte_the_reference_writers(tmp_path, currency):
    """On a generated network, in blocks of 50 partners, to a text and to a binary file;
    one block has ids that JSON escapes."""
    plan = parse_plan(dict(PLAN, currency=currency))
    partners, volumes = network_csv(400, seed=2)
    odd = 'p"17\\\x01'
    partners = partners.replace("\np17,", f"\n{odd},").replace(",p17,", f",{odd},")
    volumes = volumes.replace("\np17,", f"\n{odd},")
    network, career = by_columns(write(tmp_path, "partners.csv", partners), plan)
    result = compute(plan, network, read_volumes_file(write(tmp_path, "volumes.csv", volumes), network), career)
    expected = io.StringIO()
    write_result_reference(result, expected)
    assert '"p\\"17\\\\\\u0001"' in expected.getvalue() and "Jörg" not in expected.getvalue()

    text, binary = io.StringIO(), io.BytesIO()
    write_result(result, text, block=50)
    write_result(result, binary)

    assert text.getvalue() == expected.getvalue()
    assert binary.getvalue() == expected.getvalue().encode("utf-8")
