"""The run's inputs: the packed PostgreSQL fetch equals `network.fetch` (the rules' home),
and the period's own volumes are one aggregate."""

import datetime

import numpy as np
import pytest

from saleor_mlm.network.models import SplitAgreement
from saleor_mlm.periods.fetch import CUSTOMER_ARRAYS, PARTNER_ARRAYS, _network_inputs, _network_inputs_sql, own_volume_rows

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
AT = datetime.datetime(2026, 10, 31, 23, 59, tzinfo=datetime.UTC)


def test_the_packed_fetch_equals_the_networks_arrays(installation, installation_factory, partner_factory, customer_factory, care_assignment_factory):
    root = partner_factory()
    other_root = partner_factory(status="terminated")
    anna = partner_factory(root, status="inactive")
    bernd = partner_factory(anna)
    clara = partner_factory(anna)
    SplitAgreement.objects.create(installation=installation, partner=anna, share="0.1", valid_from=T0, valid_to=T0 + datetime.timedelta(days=30), set_by="t")
    SplitAgreement.objects.create(installation=installation, partner=anna, share="0.35", valid_from=T0 + datetime.timedelta(days=30), set_by="t")
    SplitAgreement.objects.create(installation=installation, partner=root, share="0.2", valid_from=T0, valid_to=AT - datetime.timedelta(days=1), set_by="t")
    care_assignment_factory(bernd, root, "0.25")  # explicit share
    care_assignment_factory(clara, other_root)  # anna's agreement in force: 0.35
    k1 = customer_factory(anna)
    care_assignment_factory(k1, root)  # anna's agreement: 0.35
    k2 = customer_factory(root)
    care_assignment_factory(k2, anna)  # root's agreement ended: 0
    k3 = customer_factory(bernd)
    care_assignment_factory(k3, root, "0.5", valid_to=T0 + datetime.timedelta(days=10))  # ended
    care_assignment_factory(k3, clara, "0.15", valid_from=T0 + datetime.timedelta(days=10))  # the current one
    k4 = customer_factory(bernd)
    care_assignment_factory(k4, root, "0.3", valid_from=AT + datetime.timedelta(days=1))  # not yet
    house = customer_factory()
    care_assignment_factory(house, clara, "0.4")
    customer_factory(partner_factory(installation=installation_factory()))  # another shop

    fast = _network_inputs_sql(installation.pk, AT)
    slow = _network_inputs(installation, AT)

    for name in (*PARTNER_ARRAYS, *CUSTOMER_ARRAYS):
        assert np.array_equal(getattr(fast, name), getattr(slow, name)), name
    assert fast.partner_share.tolist() == [0, 0, 0, 250_000, 350_000]
    assert fast.customer_share.tolist() == [350_000, 0, 150_000, 0, 400_000]
    assert fast.partner_status.tolist() == [0, 2, 1, 0, 0]


def test_own_volumes_are_summed_per_node(installation, active_plan, partner_factory, customer_factory, month, volume):
    anna = partner_factory()
    kunde = customer_factory(anna)
    october = month("2026-10")
    volume(anna, october, "10.25", "8")
    volume(anna, october, "-2.5", "-2")
    volume(kunde, october, "100.0001", "90")
    volume(anna, month("2026-11"), 999)

    rows = own_volume_rows(installation.pk, october.pk)

    found = sorted(zip(rows["partner_id"].tolist(), rows["customer_id"].tolist(), rows["pv"].tolist(), rows["bv"].tolist()))
    assert found == sorted([(anna.pk, -1, 77_500, 60_000), (-1, kunde.pk, 1_000_001, 900_000)])
