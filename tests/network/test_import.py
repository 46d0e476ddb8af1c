"""`saleor-mlm network import` / `export`: every error at once, idempotent, updates with
history, dry runs, a 100,000-row round trip (real PostgreSQL, the real command)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from saleor_mlm.calendar.models import PeriodEvent
from saleor_mlm.network import ChangeKind, PartnerStatus
from saleor_mlm.network.models import CareAssignment, Customer, NetworkChange, NetworkImport, Partner
from saleor_mlm.payouts.import_settlement import OPENING_BALANCE_REASON
from saleor_mlm.payouts.models import BalanceAdjustment

pytestmark = pytest.mark.django_db

HEADER = "id,kind,sponsor_id,care_id,care_share,status,career_rank,email,first_name,last_name,referral_code,saleor_user_id,country,language,balance"
IMPORTER, APPROVER = "importer@example.com", "approver@example.com"


def write(tmp_path, text: str, name: str = "import.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(*args, stderr=None) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=stderr or io.StringIO())
    return out.getvalue()


def network_import(path: str, *options: str) -> str:
    return run("network", "import", path, "--by", IMPORTER, "--approved-by", APPROVER, *options)


def refused(path: str, *options: str) -> list[str]:
    """The error lines of a refused import."""
    with pytest.raises(CommandError) as info:
        network_import(path, *options)
    head, *lines = str(info.value).splitlines()
    assert head == f"{len(lines)} error(s), nothing imported:"
    return lines


def stored_counts(installation) -> dict[str, int]:
    return {
        "partners": Partner.objects.filter(installation=installation).count(),
        "customers": Customer.objects.filter(installation=installation).count(),
        "care": CareAssignment.objects.filter(installation=installation).count(),
        "changes": NetworkChange.objects.filter(installation=installation).count(),
        "imports": NetworkImport.objects.filter(installation=installation).count(),
        "adjustments": BalanceAdjustment.objects.filter(installation=installation).count(),
        "period_events": PeriodEvent.objects.filter(installation=installation).count(),
    }


# ---------------------------------------------------------------------- every error


def test_every_kind_of_error_is_reported_at_once_with_line_and_column(installation, partner_factory, active_plan, tmp_path):
    root = partner_factory(referral_code="ROOT", email="root@example.com")
    partner_factory(root, referral_code="GONE", status=PartnerStatus.TERMINATED)
    partner_factory(root, referral_code="OLD1", status=PartnerStatus.TERMINATED)
    partner_factory(root, referral_code="MOVE1")
    partner_factory(root, referral_code="VOUCH1", voucher_code="TAKEN1")
    rows = [
        "A,partner,ROOT,,,active,star,a@example.com,Ada,,ADA1,u1,DE,de,10.00",  # 2: fine
        "B,partner,A,,,active,,b@example.com,Bo,,BO1,,AT,,",  # 3: fine
        "C,seller,A,,,active,,c@example.com,,,CY1,,,,",  # 4
        ",partner,A,,,active,,d@example.com,,,,,,,",  # 5
        "B,partner,A,,,active,,b2@example.com,,,BO2,,,,",  # 6
        "E,partner,A,,,retired,,e@example.com,,,,,,,",  # 7
        "F,partner,A,,,active,boss,f@example.com,,,,,,,",  # 8
        "G,partner,A,B,1.5,active,,g@example.com,,,,,,,",  # 9
        "H,partner,A,B,0.12345,active,,h@example.com,,,,,,,",  # 10
        "I,partner,A,,0.3,active,,i@example.com,,,,,,,",  # 11
        "J,partner,A,B,,active,,j@example.com,,,,,,,",  # 12
        "K,partner,NOBODY,,,active,,k@example.com,,,,,,,",  # 13
        "k1,customer,A,,,,,kunde1@example.com,,,,,,,",  # 14: fine
        "L,partner,k1,,,active,,l@example.com,,,,,,,",  # 15
        "M,partner,A,A,0.3,active,,m@example.com,,,,,,,",  # 16
        "N1,partner,N2,,,active,,n1@example.com,,,,,,,",  # 17
        "N2,partner,N1,,,active,,n2@example.com,,,,,,,",  # 18
        "P,partner,A,P,0.2,active,,p@example.com,,,,,,,",  # 19
        "Q,partner,A,,,active,,q@example.com,,,ada1,,,,",  # 20
        "R,partner,A,,,active,,A@Example.COM,,,,,,,",  # 21
        "S,partner,A,,,active,,root@EXAMPLE.com,,,SSS1,,,,",  # 22
        "T,partner,A,,,active,,not-an-email,,,,,,,",  # 23
        "U,partner,A,,,active,,u@example.com,,,x!,,,,",  # 24
        "V,partner,A,,,active,,v@example.com,,,,,XX,,",  # 25
        "W,partner,A,,,active,,w@example.com,,,,,,english,",  # 26
        "X,partner,A,,,active,,x@example.com,,,,,,,1.234",  # 27
        "Y,partner,A,,,active,,y@example.com,,,,,,,lots",  # 28
        "k2,customer,A,,,,,kunde2@example.com,,,K2CODE,,,,",  # 29
        "k3,customer,A,,,,,,,,,,,,",  # 30
        "Z,partner,A,,,active,,z@example.com,,,,u1,,,",  # 31
        "OLD,partner,ROOT,,,active,,,,,OLD1,,,,",  # 32
        "MV,partner,GONE,,,active,,,,,MOVE1,,,,",  # 33
        "VV,partner,A,,,active,,vv@example.com,,,TAKEN1,,,,",  # 34
        "k4,customer,A,,,active,,kunde4@example.com,,,,,,,",  # 35
        "too,few,fields",  # 36
        "NE,partner,A,,,active,,,,,,,,,",  # 37
        "RT,partner,A,,,active,,,,,ROOT,,,,",  # 38
    ]
    before = stored_counts(installation)

    errors = refused(write(tmp_path, "\n".join([HEADER, *rows]) + "\n"))

    expected = [
        (4, 2, "kind 'seller' is neither partner nor customer"),
        (5, 1, "empty id"),
        (6, 1, "duplicate id 'B'"),
        (7, 6, "status 'retired' is not one of active, inactive, terminated"),
        (8, 7, "career_rank 'boss' is not a rank of the plan"),
        (9, 5, "care_share '1.5' is outside [0, 1]"),
        (10, 5, "A share has at most 4 decimals"),
        (11, 5, "care_share without care_id"),
        (12, 5, "No share given and the sponsor Ada (ADA1) has no split agreement in force"),
        (13, 3, "sponsor_id 'NOBODY' is not an id of this file. No partner has the referral code 'NOBODY'."),
        (15, 3, "sponsor_id 'k1' is not a partner (it is a customer)"),
        (16, 4, "Ada (ADA1) is the sponsor of m@example.com (M): a sponsor as Betreuer would get its own share back"),
        (18, 3, "sponsor_id 'N1' closes a cycle: N2 -> N1 -> N2"),
        (19, 4, "care_id 'P' closes a cycle: P -> P"),
        (20, 11, "the referral code ADA1 is in line 2 already"),
        (21, 8, "the e-mail address A@Example.COM is in line 2 already"),
        (22, 8, "Another partner has this e-mail address."),
        (23, 8, "'not-an-email' is not an e-mail address."),
        (24, 11, "'x!' is not a valid referral code"),
        (25, 13, "'XX' is not an ISO 3166 country code."),
        (26, 14, "'english' is not a language code such as 'de'."),
        (27, 15, "'1.234' has more than 2 decimal places."),
        (28, 15, "'lots' is not an amount."),
        (29, 11, "referral_code must be empty for a customer"),
        (30, 8, "a customer needs an e-mail address or a saleor_user_id"),
        (31, 12, "the Saleor user u1 is in line 2 already"),
        (32, 6, "is terminated; reactivating a terminated partner must be asked for explicitly."),
        (33, 3, "GONE) is terminated and cannot become a sponsor."),
        (34, 11, "The referral code 'TAKEN1' is taken."),
        (35, 6, "status must be empty for a customer"),
        (36, 1, "expected 15 fields, found 3"),
        (37, 8, "a new partner needs an e-mail address"),
        (38, 3, "sponsor_id 'A' closes a cycle: RT -> A -> RT"),
    ]
    assert len(errors) == len(expected), "\n".join(errors)
    for error, (line, column, text) in zip(errors, expected, strict=True):
        assert error.startswith(f"import.csv:{line}:{column}: "), error
        assert text in error, (error, text)
    assert stored_counts(installation) == before  # nothing written


def test_a_file_that_cannot_be_read_says_why(installation, tmp_path):
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(f"{HEADER}\nA,partner,,,,active,,a@example.com,J\xfcrgen,,,,,,\n".encode("latin-1"))
    assert refused(str(latin1)) == [
        "latin1.csv:2:9: not UTF-8 (byte 0xFC; Excel's CSV is Windows-1252): save the file as CSV UTF-8"
    ]

    missing = write(tmp_path, "id,kind,sponsor_id\nA,partner,\n", "missing.csv")
    assert refused(missing) == ["missing.csv:1:1: missing column 'care_id' in the header"]
    assert not Partner.objects.exists()


def test_a_german_excel_file_is_read(installation, tmp_path):
    """`;` between fields and decimal commas, as German Excel saves CSV (the engine's reader)."""
    semicolons = write(
        tmp_path,
        "id;kind;sponsor_id;care_id;care_share;status;career_rank;email\n"
        "A;partner;;;;active;;a@example.com\nB;partner;;;;active;;b@example.com\nC;partner;A;B;0,25;active;;c@example.com\n",
        "semi.csv",
    )
    network_import(semicolons)
    c = Partner.objects.get(email="c@example.com")
    assert c.sponsor.email == "a@example.com"
    assert CareAssignment.objects.get(partner=c).share == Decimal("0.25")


# ---------------------------------------------------------------------- import, again, update

NETWORK = "\n".join(
    [
        HEADER,
        "n3,partner,n2,n1,0.3,inactive,,cy@example.com,Cy,Cole,CY1,,,,",  # a sponsor may come later in the file
        "n1,partner,,,,active,star,ada@example.com,Ada,Root,ADA,VXNlcjox,DE,de,150.00",
        "n2,partner,n1,,,active,,bo@example.com,Bo,,BO1,,AT,en,-20.50",
        "c1,customer,n3,n2,0.5,,,kunde@example.com,Kim,Kunde,,,,,",
        "c2,customer,,,,,,haus@example.com,,,,VXNlcjo5,,,",
    ]
) + "\n"


def test_import_creates_the_network_with_history_and_again_changes_nothing(installation, active_plan, tmp_path, settings):
    settings.SALEOR_WRITE_BACK = False  # no Saleor to write voucher codes to: the codes are the voucher codes
    path = write(tmp_path, NETWORK)

    output = network_import(path, "--no-progress")
    record = NetworkImport.objects.get(installation=installation)
    reason = f"import #{record.pk} of import.csv"

    assert "import.csv: 5 rows" in output
    assert "partners: 3 created, 0 updated, 0 unchanged" in output
    assert "customers: 2 created, 0 updated, 0 unchanged" in output
    ada, bo, cy = (Partner.objects.get(installation=installation, referral_code=code) for code in ("ADA", "BO1", "CY1"))
    assert (ada.sponsor, bo.sponsor, cy.sponsor) == (None, ada, bo)
    assert (ada.first_name, ada.last_name, ada.email, ada.saleor_user_id, ada.country.code, ada.language) == (
        "Ada", "Root", "ada@example.com", "VXNlcjox", "DE", "de"
    )
    assert (bo.country.code, bo.language, cy.language) == ("AT", "en", "de")  # "de" by default
    assert (ada.status, cy.status, cy.status_reason) == (PartnerStatus.ACTIVE, PartnerStatus.INACTIVE, reason)
    assert ada.imported_career_rank == "star" and bo.imported_career_rank == ""
    assert ada.voucher_code == "ADA"
    care = CareAssignment.objects.get(partner=cy, valid_to__isnull=True)
    assert (care.care_partner, care.share, care.set_by) == (ada, Decimal("0.3000"), IMPORTER)
    kim = Customer.objects.get(installation=installation, email="kunde@example.com")
    assert (kim.sponsor, kim.first_name, kim.attribution_source) == (cy, "Kim", "manual")
    assert CareAssignment.objects.get(customer=kim).care_partner == bo
    house = Customer.objects.get(installation=installation, saleor_user_id="VXNlcjo5")
    assert house.sponsor is None and house.is_house_customer

    assert (record.file_name, record.rows, record.imported_by) == ("import.csv", 5, IMPORTER)
    assert record.summary["partners"] == {"created": 3, "updated": 0, "unchanged": 0}
    # New people are one line of history: the import and how many it created.
    created = NetworkChange.objects.get(installation=installation)
    assert (created.kind, created.partner, created.customer, created.changed_by, created.reason) == (
        ChangeKind.CREATED, None, None, IMPORTER, reason
    )
    assert created.new_value == {"source": "import", "import_id": record.pk, "file": "import.csv", "partners": 3, "customers": 2}
    assert (care.reason, CareAssignment.objects.get(customer=kim).set_by) == (reason, IMPORTER)

    balances = {a.partner.referral_code: a for a in BalanceAdjustment.objects.filter(installation=installation).select_related("partner")}
    assert {code: a.amount for code, a in balances.items()} == {"ADA": Decimal("150.00"), "BO1": Decimal("-20.50")}
    assert balances["ADA"].reason == f"{OPENING_BALANCE_REASON}: {reason}"
    assert (balances["ADA"].created_by, balances["ADA"].approved_by) == (IMPORTER, APPROVER)
    assert balances["ADA"].period.is_open

    before = stored_counts(installation)
    again = network_import(path, "--no-progress")
    assert "partners: 0 created, 0 updated, 3 unchanged" in again
    assert "customers: 0 created, 0 updated, 2 unchanged" in again
    assert stored_counts(installation) == before


def test_a_later_file_updates_by_referral_code_with_history(installation, active_plan, tmp_path):
    network_import(write(tmp_path, NETWORK), "--no-progress")
    ada, bo, cy = (Partner.objects.get(installation=installation, referral_code=code) for code in ("ADA", "BO1", "CY1"))
    later = "\n".join(
        [
            HEADER,
            # Cy moves under Ada and is active again; Bo becomes Cy's Betreuer instead of Ada.
            "x3,partner,x1,x2,0.25,active,,,,,CY1,,,,",
            # Ada: another e-mail (and Ada's balance grows by 50).
            "x1,partner,,,,active,star,ada.root@example.com,,,ADA,,,,200.00",
            # Bo: a career rank, the same balance.
            "x2,partner,x1,,,active,member,,,,BO1,,,,-20.50",
            # Kim leaves Cy for Bo and no longer has a Betreuer.
            "k,customer,BO1,,,,,kunde@example.com,,,,,,,",
        ]
    ) + "\n"

    output = network_import(write(tmp_path, later, "later.csv"), "--no-progress", "--by", "office@example.com")

    assert "partners: 0 created, 3 updated, 0 unchanged" in output
    assert "customers: 0 created, 1 updated, 0 unchanged" in output
    ada.refresh_from_db(), bo.refresh_from_db(), cy.refresh_from_db()
    assert (cy.sponsor, cy.status, ada.email, bo.imported_career_rank) == (ada, PartnerStatus.ACTIVE, "ada.root@example.com", "member")
    care = CareAssignment.objects.get(partner=cy, valid_to__isnull=True)
    assert (care.care_partner, care.share) == (bo, Decimal("0.2500"))
    kim = Customer.objects.get(installation=installation, email="kunde@example.com")
    assert kim.sponsor == bo and not CareAssignment.objects.filter(customer=kim, valid_to__isnull=True).exists()

    reason = f"import #{NetworkImport.objects.latest('id').pk} of later.csv"
    changes = NetworkChange.objects.filter(installation=installation, reason=reason)
    assert {c.changed_by for c in changes} == {"office@example.com"}
    by_kind = {(c.partner_id or c.customer_id, c.kind): c for c in changes}
    assert by_kind[(cy.pk, ChangeKind.SPONSOR)].old_value == {"sponsor": {"id": bo.pk, "referral_code": "BO1", "name": "Bo"}}
    assert by_kind[(cy.pk, ChangeKind.SPONSOR)].new_value["sponsor"]["id"] == ada.pk
    assert (by_kind[(cy.pk, ChangeKind.STATUS)].old_value, by_kind[(cy.pk, ChangeKind.STATUS)].new_value) == (
        {"status": "inactive"}, {"status": "active"}
    )
    cy_care = by_kind[(cy.pk, ChangeKind.CARE)]
    assert cy_care.old_value["care"]["care_partner"]["id"] == ada.pk and cy_care.old_value["care"]["valid_to"] is not None
    assert cy_care.new_value["care"]["care_partner"]["id"] == bo.pk and cy_care.new_value["care"]["share"] == "0.2500"
    assert by_kind[(ada.pk, ChangeKind.DETAILS)].old_value == {"email": "ada@example.com"}
    assert by_kind[(ada.pk, ChangeKind.DETAILS)].new_value == {"email": "ada.root@example.com"}
    assert by_kind[(bo.pk, ChangeKind.DETAILS)].new_value == {"imported_career_rank": "member"}
    assert by_kind[(kim.pk, ChangeKind.SPONSOR)].new_value["sponsor"]["id"] == bo.pk
    assert by_kind[(kim.pk, ChangeKind.CARE)].new_value["care"] is None
    assert len(changes) == 7

    opening = BalanceAdjustment.objects.filter(installation=installation, partner=ada).order_by("id")
    assert [a.amount for a in opening] == [Decimal("150.00"), Decimal("50.00")]  # the difference, once
    assert opening[1].reason == f"{OPENING_BALANCE_REASON}: {reason}"
    assert BalanceAdjustment.objects.filter(partner=bo).count() == 1  # the same balance: nothing added


def test_dry_run_checks_everything_and_writes_nothing(installation, active_plan, tmp_path):
    before = stored_counts(installation)

    output = network_import(write(tmp_path, NETWORK), "--dry-run", "--no-progress")

    assert "partners: 3 created, 0 updated, 0 unchanged" in output
    assert "dry run: nothing was written" in output
    assert stored_counts(installation) == before
    # Problems are found as in a real import.
    assert refused(write(tmp_path, NETWORK.replace("n3,partner,n2", "n3,partner,nobody"), "bad.csv"), "--dry-run")[0].startswith(
        "bad.csv:2:3: sponsor_id 'nobody'"
    )


def test_opening_balances_need_a_second_person(installation, active_plan, tmp_path):
    with pytest.raises(CommandError) as info:
        run("network", "import", write(tmp_path, NETWORK), "--by", IMPORTER, "--no-progress")
    assert "import.csv:3:15: Approved by is required." in str(info.value)
    with pytest.raises(CommandError) as info:
        run("network", "import", write(tmp_path, NETWORK), "--by", IMPORTER, "--approved-by", IMPORTER.upper(), "--no-progress")
    assert "import.csv:3:15: An adjustment is approved by someone other than the person who enters it." in str(info.value)
    assert not Partner.objects.exists()


def test_progress_goes_to_standard_error_as_lines_when_it_is_no_terminal(installation, active_plan, tmp_path):
    errors = io.StringIO()
    run("network", "import", write(tmp_path, NETWORK), "--by", IMPORTER, "--approved-by", APPROVER, stderr=errors)
    phases = [line.split()[0] for line in errors.getvalue().splitlines()]
    assert phases == ["reading", "checking", "writing"]


def test_help_explains_every_option(capsys):
    with pytest.raises(SystemExit):
        call_command("network", "import", "--help")
    text = " ".join(capsys.readouterr().out.split())
    for option in ("--installation API_URL", "--dry-run", "--by USER", "--approved-by USER", "--no-progress"):
        assert option in text
    assert "without writing anything" in text and "email,first_name,last_name,referral_code" in text


def test_an_empty_cell_leaves_the_stored_value(installation, active_plan, tmp_path):
    network_import(write(tmp_path, NETWORK), "--no-progress")
    bare = "\n".join([HEADER, "a,partner,,,,active,,,,,ADA,,,,"]) + "\n"

    output = network_import(write(tmp_path, bare, "bare.csv"), "--no-progress")

    assert "partners: 0 created, 0 updated, 1 unchanged" in output
    ada = Partner.objects.get(installation=installation, referral_code="ADA")
    assert (ada.email, ada.first_name, ada.country.code, ada.imported_career_rank) == ("ada@example.com", "Ada", "DE", "star")


# ---------------------------------------------------------------------- export and the round trip


def _large_network(partners: int, customers: int) -> str:
    """Partners under earlier partners (every 7th with a Betreuer), customers under
    partners (every 5th with a Betreuer), statuses and details of every kind."""
    lines = [HEADER]
    statuses = ("active", "active", "active", "inactive", "terminated")
    for n in range(partners):
        sponsor = f"p{(n * 7919) % n}" if n else ""
        care = f"p{(n * 104729) % n}" if n > 2 and n % 7 == 0 else ""
        if care == sponsor:
            care = ""
        share = "0.25" if care else ""
        career = "star" if n % 11 == 0 else ""
        lines.append(
            f"p{n},partner,{sponsor},{care},{share},{statuses[n % 5]},{career},partner{n}@example.com,Vorname{n % 97},"
            f"Nachname {n},CODE{n:06d},VXNlcjo{n},{('DE', 'AT', 'CH')[n % 3]},{('de', 'en')[n % 2]},"
        )
    for c in range(customers):
        care = f"p{(c * 31) % partners}" if c % 5 == 0 else ""
        sponsor = f"p{c % partners}" if c % 10 else ""
        if care == sponsor:
            care = ""
        lines.append(f"c{c},customer,{sponsor},{care},{'0.5' if care else ''},,,kunde{c}@example.com,Kunde,\"Nr, {c}\",,,,,")
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_a_100000_row_network_round_trips_import_export_import_without_a_change(installation, active_plan, tmp_path, settings):
    settings.SALEOR_WRITE_BACK = False
    text = _large_network(60_000, 40_000)
    path = write(tmp_path, text, "big.csv")
    with_care = sum(1 for row in csv.DictReader(io.StringIO(text)) if row["care_id"])

    first = network_import(path, "--no-progress")

    assert "big.csv: 100000 rows" in first
    assert "partners: 60000 created, 0 updated, 0 unchanged" in first
    assert "customers: 40000 created, 0 updated, 0 unchanged" in first
    assert CareAssignment.objects.filter(installation=installation).count() == with_care
    exported = str(tmp_path / "exported.csv")
    assert run("network", "export", exported, "--no-progress") == f"{exported}: 60000 partners, 40000 customers\n"
    before = stored_counts(installation)

    again = network_import(exported, "--no-progress")

    assert "partners: 0 created, 0 updated, 60000 unchanged" in again
    assert "customers: 0 created, 0 updated, 40000 unchanged" in again
    assert stored_counts(installation) == before
    # The export is the same network: exporting it again gives the same file.
    second = tmp_path / "second.csv"
    run("network", "export", str(second), "--no-progress")
    assert second.read_text() == (tmp_path / "exported.csv").read_text()
    assert "partners: 0 created, 0 updated, 60000 unchanged" in network_import(path, "--no-progress")


def test_the_console_script_maps_two_words_to_a_command_and_its_subcommand(installation, partner_factory, tmp_path, capsys):
    from saleor_mlm.cli import main

    anna = partner_factory(referral_code="ANNA1", email="anna@example.com", first_name="Anna")
    path = tmp_path / "out.csv"

    assert main(["network", "export", str(path), "--no-progress"]) == 0

    assert capsys.readouterr().out == f"{path}: 1 partners, 0 customers\n"
    assert path.read_text().splitlines()[1] == f"p{anna.pk},partner,,,,active,,anna@example.com,Anna,,ANNA1,,,de"
