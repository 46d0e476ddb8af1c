"""`saleor-mlm privacy export|erase` and `saleor-mlm installation export|delete`."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from saleor_mlm.installations.models import Installation
from saleor_mlm.network.models import Customer

from .conftest import OTTILIE

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_privacy_export_and_erase(shop, tmp_path):
    target = tmp_path / "ottilie.json"
    shop_ = ("--installation", shop["installation"].saleor_api_url)

    assert run("privacy", "export", "--customer", OTTILIE["email"].upper(), str(target), *shop_) == f"{target} written.\n"
    assert json.loads(target.read_text(encoding="utf-8"))["record"]["email"] == OTTILIE["email"]

    with pytest.raises(CommandError, match="terminate the partner first"):
        run("privacy", "erase", "--partner", "ANNA", "--yes", *shop_)
    assert run("privacy", "erase", "--customer", OTTILIE["email"], "--yes", "--by", "dpo", *shop_).startswith("Erased: ")
    ottilie = Customer.objects.get(pk=shop["ottilie"].pk)
    assert ottilie.email == f"erased-customer-{ottilie.pk}@erased.invalid"
    with pytest.raises(CommandError, match="No customer"):
        run("privacy", "export", "--customer", OTTILIE["email"], "-", *shop_)
    with pytest.raises(CommandError, match="No partner with the code NOBODY"):
        run("privacy", "erase", "--partner", "NOBODY", "--yes", *shop_)


def test_installation_export_and_delete(shop, tmp_path):
    url = shop["installation"].saleor_api_url

    shop_ = ("--installation", url)
    out = run("installation", "export", str(tmp_path / "out"), "--no-progress", *shop_)
    assert out.startswith(f"{tmp_path / 'out'}: ") and (tmp_path / "out" / "data.jsonl").exists()
    with pytest.raises(CommandError, match="is not empty"):
        run("installation", "export", str(tmp_path / "out"), "--no-progress", *shop_)

    with pytest.raises(CommandError, match="Confirm with the installation's API URL"):
        run("installation", "delete", "--confirm", "https://wrong.example.com/graphql/", *shop_)
    assert run("installation", "delete", "--confirm", url, *shop_).startswith(f"{url} deleted: ")
    assert not Installation.objects.filter(saleor_api_url=url).exists()
