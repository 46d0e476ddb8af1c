"""`saleor-mlm customers import`: customers under partners found by referral code; and
the voucher codes of imported partners issued against a local Saleor."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from saleor_mlm.network import ChangeKind
from saleor_mlm.network.models import CareAssignment, Customer, NetworkChange, NetworkImport, Partner, PartnerVoucher

pytestmark = pytest.mark.django_db

IMPORTER = "importer@example.com"
HEADER = "id,sponsor_id,care_id,care_share,email,first_name,last_name,saleor_user_id"


def write(tmp_path, text: str, name: str = "customers.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def customers_import(path: str, *options: str) -> str:
    out = io.StringIO()
    call_command("customers", "import", path, "--by", IMPORTER, "--no-progress", *options, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_customers_are_imported_under_partners_by_referral_code_and_found_again(installation, partner_factory, customer_factory, tmp_path):
    anna = partner_factory(referral_code="ANNA1", first_name="Anna")
    ben = partner_factory(referral_code="BEN1", first_name="Ben")
    guest = customer_factory(email="guest@example.com")  # a guest checkout before the import
    text = "\n".join(
        [
            HEADER,
            "1,ANNA1,,,kim@example.com,Kim,Kunde,",
            "2,ben1,ANNA1,0.3,lea@example.com,Lea,,VXNlcjoy",  # codes ignore case
            "3,,,,haus@example.com,,,",  # a house customer
            "4,BEN1,,,GUEST@example.com,,,VXNlcjo4",  # the guest, now a registered user
        ]
    ) + "\n"
    path = write(tmp_path, text)

    output = customers_import(path)

    assert output.splitlines() == [
        "customers.csv: 4 rows",
        "customers: 3 created, 1 updated, 0 unchanged",
        f"recorded as import #{NetworkImport.objects.get().pk}",
    ]
    kim, lea, house = (Customer.objects.get(email=email) for email in ("kim@example.com", "lea@example.com", "haus@example.com"))
    assert (kim.sponsor, kim.first_name, kim.last_name, lea.sponsor, lea.saleor_user_id, house.sponsor) == (
        anna, "Kim", "Kunde", ben, "VXNlcjoy", None
    )
    assert CareAssignment.objects.get(customer=lea).care_partner == anna
    guest.refresh_from_db()
    assert (guest.saleor_user_id, guest.email, guest.sponsor) == ("VXNlcjo4", "GUEST@example.com", ben)
    linked = NetworkChange.objects.get(customer=guest, kind=ChangeKind.DETAILS)
    assert linked.old_value == {"email": "guest@example.com", "saleor_user_id": ""}
    assert linked.new_value == {"email": "GUEST@example.com", "saleor_user_id": "VXNlcjo4"}
    assert NetworkChange.objects.get(customer=guest, kind=ChangeKind.SPONSOR).new_value["sponsor"]["id"] == ben.pk
    assert NetworkImport.objects.get().kind == NetworkImport.CUSTOMERS

    changes = NetworkChange.objects.count()
    assert customers_import(path).splitlines()[1] == "customers: 0 created, 0 updated, 4 unchanged"
    assert NetworkChange.objects.count() == changes

    moved = customers_import(write(tmp_path, f"{HEADER}\nx,BEN1,,,kim@example.com,,,\n", "moved.csv"))
    assert moved.splitlines()[1] == "customers: 0 created, 1 updated, 0 unchanged"
    kim.refresh_from_db()
    assert kim.sponsor == ben
    change = NetworkChange.objects.filter(customer=kim, kind=ChangeKind.SPONSOR).latest("id")
    assert (change.old_value["sponsor"]["id"], change.new_value["sponsor"]["id"], change.changed_by) == (anna.pk, ben.pk, IMPORTER)


def test_a_customers_file_with_errors_writes_nothing(installation, partner_factory, customer_factory, tmp_path):
    partner_factory(referral_code="ANNA1")
    customer_factory(email="known@example.com", saleor_user_id="VXNlcjo3")
    text = "\n".join(
        [
            "id,kind,sponsor_id,email,saleor_user_id,country",
            "1,partner,ANNA1,p@example.com,,",  # 2: partners belong in a network file
            "2,customer,NOBODY,a@example.com,,",  # 3: no partner has that code
            "3,customer,ANNA1,,,",  # 4: cannot be found again
            "4,customer,ANNA1,a@EXAMPLE.com,,",  # 5: the same e-mail twice
            "5,customer,ANNA1,new@example.com,VXNlcjo3,",  # 6: fine (the customer of that user, with a new e-mail)
            "6,customer,ANNA1,c@example.com,,DE",  # 7: customers have no country
            "7,customer,2,d@example.com,,",  # 8: a row of the file that is no partner
        ]
    ) + "\n"
    before = (Customer.objects.count(), NetworkChange.objects.count())

    with pytest.raises(CommandError) as info:
        customers_import(write(tmp_path, text))

    assert str(info.value).splitlines() == [
        "6 error(s), nothing imported:",
        "customers.csv:2:2: a customers file holds customers only: import partners with 'network import'",
        "customers.csv:3:3: sponsor_id 'NOBODY' is not an id of this file. No partner has the referral code 'NOBODY'.",
        "customers.csv:4:4: a customer needs an e-mail address or a saleor_user_id",
        "customers.csv:5:4: the e-mail address a@EXAMPLE.com is in line 3 already (e-mail addresses are compared ignoring case)",
        "customers.csv:7:6: country must be empty for a customer",
        "customers.csv:8:3: sponsor_id '2' is not a partner (it is a customer)",
    ]
    assert (Customer.objects.count(), NetworkChange.objects.count()) == before
    assert Customer.objects.get(saleor_user_id="VXNlcjo3").email == "known@example.com"


def test_imported_partners_get_their_voucher_codes_in_saleor(voucher_installation, voucher_saleor, tmp_path, django_capture_on_commit_callbacks):
    text = "\n".join(
        [
            "id,kind,sponsor_id,care_id,care_share,status,career_rank,email,referral_code",
            "a,partner,,,,active,,a@example.com,ANNA2025",
            "b,partner,a,,,active,,b@example.com,BEN2025",
        ]
    ) + "\n"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("network", "import", write(tmp_path, text, "network.csv"), "--by", IMPORTER, "--no-progress", stdout=io.StringIO())

    assert dict(Partner.objects.values_list("referral_code", "voucher_code")) == {"ANNA2025": "ANNA2025", "BEN2025": "BEN2025"}
    voucher = PartnerVoucher.objects.get(installation=voucher_installation)
    assert voucher_saleor.vouchers[voucher.saleor_voucher_id]["codes"] == ["ANNA2025", "BEN2025"]
