"""Network migration 0006 maps the four former tax statuses to the five of `TaxStatus`."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from saleor_mlm.network import TaxStatus
from saleor_mlm.network.models import Partner

BEFORE = [("network", "0005_network_import")]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


@pytest.mark.django_db(transaction=True)
def test_former_values_are_mapped(installation):
    executor = migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE[0]).apps.get_model("network", "Partner")
        for n, status in enumerate(["regular_vat", "small_business", "eu_reverse_charge", "outside_eu"]):
            old.objects.create(
                installation_id=installation.pk, email=f"p{n}@example.com", referral_code=f"M{n}", tax_status=status, enrolled_at="2026-01-01T00:00Z"
            )
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert list(Partner.objects.order_by("referral_code").values_list("tax_status", flat=True)) == [
        TaxStatus.REGULAR, TaxStatus.SMALL_BUSINESS, TaxStatus.REVERSE_CHARGE, TaxStatus.NON_EU
    ]
