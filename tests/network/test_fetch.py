import datetime
from decimal import Decimal

from saleor_mlm.network import PartnerStatus
from saleor_mlm.network.fetch import format_share, load_network_arrays, network_partner_rows
from saleor_mlm.network.models import Customer, Partner

UTC = datetime.UTC
JAN = datetime.datetime(2025, 1, 1, tzinfo=UTC)
MAR = datetime.datetime(2025, 3, 1, tzinfo=UTC)
APR = datetime.datetime(2025, 4, 1, tzinfo=UTC)


def test_arrays_and_rows(installation, partner_factory, customer_factory, care_assignment_factory, split_agreement_factory):
    root = partner_factory()
    anna = partner_factory(root)
    bea = partner_factory(root, status=PartnerStatus.INACTIVE)
    kim = customer_factory(sponsor=anna)
    house = customer_factory()
    split_agreement_factory(anna, "0.3", valid_from=JAN, valid_to=APR)
    care_assignment_factory(kim, bea, valid_from=JAN)  # share from Anna's agreement
    care_assignment_factory(anna, bea, "0.25", valid_from=JAN, valid_to=MAR)  # ended in March

    arrays = load_network_arrays(installation, at=datetime.datetime(2025, 2, 1, tzinfo=UTC))

    p, c = "p{}".format, "c{}".format
    assert arrays.ids == [p(root.pk), p(anna.pk), p(bea.pk), c(kim.pk), c(house.pk)]
    assert arrays.pks == [root.pk, anna.pk, bea.pk, kim.pk, house.pk]
    assert arrays.kinds == ["partner", "partner", "partner", "customer", "customer"]
    assert arrays.sponsor == [-1, 0, 0, 1, -1]
    assert arrays.care == [-1, 2, -1, 2, -1]
    assert arrays.care_share == ["", "0.25", "", "0.3", ""]
    assert arrays.statuses == ["active", "active", "inactive", "", ""]

    rows = network_partner_rows(installation, at=datetime.datetime(2025, 5, 1, tzinfo=UTC))
    assert rows == [
        {"id": p(root.pk), "kind": "partner", "sponsor_id": "", "care_id": "", "care_share": "", "status": "active", "career_rank": ""},
        {"id": p(anna.pk), "kind": "partner", "sponsor_id": p(root.pk), "care_id": "", "care_share": "", "status": "active", "career_rank": ""},
        {"id": p(bea.pk), "kind": "partner", "sponsor_id": p(root.pk), "care_id": "", "care_share": "", "status": "inactive", "career_rank": ""},
        # Anna's agreement ended in April: the Betreuer stays, with share 0.
        {"id": c(kim.pk), "kind": "customer", "sponsor_id": p(anna.pk), "care_id": p(bea.pk), "care_share": "0", "status": "", "career_rank": ""},
        {"id": c(house.pk), "kind": "customer", "sponsor_id": "", "care_id": "", "care_share": "", "status": "", "career_rank": ""},
    ]


def test_only_the_installations_nodes(installation_factory, partner_factory, customer_factory):
    mine = installation_factory()
    other = installation_factory()
    partner_factory(installation=other)
    customer_factory(installation=other)
    partner = partner_factory(installation=mine)

    assert load_network_arrays(mine).ids == [f"p{partner.pk}"]


def test_empty_network(installation):
    arrays = load_network_arrays(installation)

    assert len(arrays) == 0
    assert network_partner_rows(installation) == []


def test_share_formatting():
    assert [format_share(Decimal(v)) for v in ("0.2500", "1.0000", "0.0000", "0.1234", "0E-4")] == ["0.25", "1", "0", "0.1234", "0"]


def test_query_count_does_not_grow_with_the_network(installation, partner_factory, django_assert_num_queries):
    root = partner_factory()
    enrolled = root.enrolled_at
    partners = Partner.objects.bulk_create(
        Partner(installation=installation, sponsor=root, email=f"x{i}@example.com", referral_code=f"X{i:05d}", enrolled_at=enrolled)
        for i in range(3000)
    )
    Customer.objects.bulk_create(
        Customer(installation=installation, sponsor=partners[i % 3000], email=f"k{i}@example.com") for i in range(5000)
    )

    # partners, customers, split agreements, care assignments (server-side cursors on PostgreSQL)
    with django_assert_num_queries(4):
        rows = network_partner_rows(installation)

    assert len(rows) == 8001
    assert rows[-1]["sponsor_id"] == f"p{partners[4999 % 3000].pk}"
