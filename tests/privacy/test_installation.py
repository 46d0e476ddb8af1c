"""An installation's export (everything, JSON lines and CSV) and deletion (everything of it
and nothing of another shop; refused while a period is approved and not committed)."""

import csv
import datetime
import json

import pytest
from django.db import IntegrityError, connection, transaction

from saleor_mlm.calendar import PeriodStatus
from saleor_mlm.calendar.models import Period
from saleor_mlm.core.errors import DomainError
from saleor_mlm.installations.models import Installation
from saleor_mlm.ledger.models import LedgerEntry
from saleor_mlm.privacy.installation_delete import delete_installation
from saleor_mlm.privacy.installation_export import export_installation
from saleor_mlm.privacy.inventory import installation_models, rows_of, unscoped_models

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_shop(installation_factory, ledger_partner, order_event_factory):
    """A second installation with a partner who bought: what deleting the first must keep."""
    from saleor_mlm.ledger.crediting import credit_order_event

    other = installation_factory(saleor_api_url="https://other.example.com/graphql/")
    ledger_partner("OTTO", installation=other, saleor_user_id="VXNlcjo4")
    credit_order_event(order_event_factory(installation=other, user_id="VXNlcjo4"))
    assert LedgerEntry.objects.filter(installation=other).exists()
    return other


def test_every_model_belongs_to_an_installation():
    assert unscoped_models() == []


def test_export_writes_every_row_as_json_lines_and_csv(shop, other_shop, tmp_path):
    installation = shop["installation"]
    seen = []

    result = export_installation(installation, tmp_path / "export", lambda phase, percent, detail="": seen.append(percent))

    lines = (tmp_path / "export" / "data.jsonl").read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    assert header["format"] == "saleor-mlm installation export 1" and header["shop"] == installation.saleor_api_url
    by_model = {}
    for line in lines[1:]:
        record = json.loads(line)
        by_model.setdefault(record["model"], []).append(record["row"])
    expected = {model._meta.label: rows_of(model, installation).count() for model in installation_models()}
    assert {label: len(rows) for label, rows in by_model.items()} == {label: n for label, n in expected.items() if n}
    assert result.rows == expected == header["rows"]
    assert seen[-1] == 100
    # Exact values; the other shop and the app token are not in it.
    assert {row["pv"] for row in by_model["ledger.LedgerEntry"]} == {
        str(pv) for pv in LedgerEntry.objects.filter(installation=installation).values_list("pv", flat=True)
    }
    assert "encrypted_auth_token" not in by_model["installations.Installation"][0]
    assert "other.example.com" not in "\n".join(lines)
    with open(tmp_path / "export" / "csv" / "network.Partner.csv", encoding="utf-8", newline="") as handle:
        partners = list(csv.DictReader(handle))
    assert sorted(p["email"] for p in partners) == sorted(r["email"] for r in by_model["network.Partner"])
    with pytest.raises(FileExistsError):
        export_installation(installation, tmp_path / "export")


def test_delete_removes_the_installation_and_nothing_else(shop, other_shop):
    installation = shop["installation"]
    before_other = {model._meta.label: rows_of(model, other_shop).count() for model in installation_models()}

    with pytest.raises(DomainError) as unconfirmed:
        delete_installation(installation, confirmation="https://other.example.com/graphql/")
    assert unconfirmed.value.code == "CONFIRMATION"

    result = delete_installation(installation, confirmation=installation.saleor_api_url)

    assert result.rows["ledger.LedgerEntry"] > 0 and result.rows["webhooks.WebhookDelivery"] > 0
    assert not Installation.objects.filter(pk=installation.pk).exists()
    assert {model._meta.label: rows_of(model, installation).count() for model in installation_models()} == {
        model._meta.label: 0 for model in installation_models()
    }
    assert {model._meta.label: rows_of(model, other_shop).count() for model in installation_models()} == before_other
    # The ledger is append-only again outside that transaction.
    entry = LedgerEntry.objects.filter(installation=other_shop).first()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_ledgerentry WHERE id = %s", [entry.pk])


def test_delete_is_refused_while_a_period_is_approved(shop):
    installation = shop["installation"]
    Period.objects.create(
        installation=installation, starts_on=datetime.date(2026, 10, 1), ends_on=datetime.date(2026, 10, 31), status=PeriodStatus.APPROVED
    )

    with pytest.raises(DomainError) as refused:
        delete_installation(installation, confirmation=installation.saleor_api_url)

    assert refused.value.code == "PERIOD_APPROVED"
    assert "2026-10" in refused.value.messages[0]
    assert LedgerEntry.objects.filter(installation=installation).exists()
