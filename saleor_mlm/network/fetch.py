"""The network as plain arrays, for the engine and for exports.

Nodes are numbered: partners first (by id), then customers (by id). Node ids are
"p<pk>" for partners and "c<pk>" for customers. Every list has one entry per node:

- `ids`, `pks`, `kinds` ("partner" / "customer"), `statuses` ("" for customers),
- `sponsor`, `care`: the index of the sponsor / Betreuer node, -1 for none,
- `care_share`: the effective share (see `shares`) as a decimal string, "" without care.

`at` chooses the care assignments and split agreements in force (default now). The
sponsor edges are those stored now: the genealogy is not versioned by time (its history
is in `NetworkChange`), so a period run loads the network when it runs.

Built for a million nodes: a few bulk `values_list` queries, streamed in chunks, no
per-node query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from .models import CareAssignment, Customer, Partner, SplitAgreement, TaxProfile
from .shares import in_force_at, resolve_share

PARTNER = "partner"
CUSTOMER = "customer"

# Rows per round trip when streaming (server-side cursor on PostgreSQL).
CHUNK = 20_000


def partner_node_id(pk: int) -> str:
    return f"p{pk}"


def customer_node_id(pk: int) -> str:
    return f"c{pk}"


def format_share(share: Decimal) -> str:
    """"0.25" rather than "0.2500"; "1" and "0" as such."""
    return format(share.normalize(), "f")


@dataclass
class NetworkArrays:
    ids: list[str] = field(default_factory=list)
    pks: list[int] = field(default_factory=list)  # the Partner / Customer primary key
    kinds: list[str] = field(default_factory=list)
    sponsor: list[int] = field(default_factory=list)
    care: list[int] = field(default_factory=list)
    care_share: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    at: datetime | None = None

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def partner_count(self) -> int:
        return self.kinds.count(PARTNER)


def load_network_arrays(installation, at: datetime | None = None) -> NetworkArrays:
    at = at or timezone.now()
    arrays = NetworkArrays(at=at)
    partner_index: dict[int, int] = {}
    partner_sponsor: list[int | None] = []

    partners = Partner.objects.filter(installation=installation).order_by("id").values_list("id", "sponsor_id", "status")
    for pk, sponsor_id, status in partners.iterator(chunk_size=CHUNK):
        partner_index[pk] = len(arrays.ids)
        arrays.ids.append(partner_node_id(pk))
        arrays.pks.append(pk)
        arrays.kinds.append(PARTNER)
        arrays.statuses.append(status)
        partner_sponsor.append(sponsor_id)

    customer_index: dict[int, int] = {}
    customer_sponsor: list[int | None] = []
    customers = Customer.objects.filter(installation=installation).order_by("id").values_list("id", "sponsor_id")
    for pk, sponsor_id in customers.iterator(chunk_size=CHUNK):
        customer_index[pk] = len(arrays.ids)
        arrays.ids.append(customer_node_id(pk))
        arrays.pks.append(pk)
        arrays.kinds.append(CUSTOMER)
        arrays.statuses.append("")
        customer_sponsor.append(sponsor_id)

    arrays.sponsor = [partner_index[s] if s is not None else -1 for s in partner_sponsor]
    arrays.sponsor += [partner_index[s] if s is not None else -1 for s in customer_sponsor]
    del partner_sponsor, customer_sponsor

    agreements: dict[int, Decimal] = {}
    in_force = SplitAgreement.objects.filter(in_force_at(at), installation=installation).order_by("valid_from", "id")
    for partner_id, share in in_force.values_list("partner_id", "share").iterator(chunk_size=CHUNK):
        agreements[partner_id] = share  # non-overlapping; the latest start wins if not

    arrays.care = [-1] * len(arrays.ids)
    arrays.care_share = [""] * len(arrays.ids)
    assignments = CareAssignment.objects.filter(in_force_at(at), installation=installation).order_by("valid_from", "id")
    rows = assignments.values_list("partner_id", "customer_id", "care_partner_id", "share")
    for partner_id, customer_id, care_partner_id, care_share in rows.iterator(chunk_size=CHUNK):
        node = partner_index[partner_id] if partner_id is not None else customer_index[customer_id]
        sponsor = arrays.sponsor[node]
        agreement = agreements.get(arrays.pks[sponsor]) if sponsor >= 0 else None
        effective, _source = resolve_share(care_share, agreement)
        arrays.care[node] = partner_index[care_partner_id]
        arrays.care_share[node] = format_share(effective)
    return arrays


def network_partner_rows(installation, at: datetime | None = None) -> list[dict[str, str]]:
    """The network as `partners.csv` rows: `id,kind,sponsor_id,care_id,care_share,status,
    career_rank` (docs/compensation.md, section 6). `career_rank` is "" here: ranks are
    the periods' business."""
    arrays = load_network_arrays(installation, at)
    ids = arrays.ids
    return [
        {
            "id": ids[i],
            "kind": arrays.kinds[i],
            "sponsor_id": ids[arrays.sponsor[i]] if arrays.sponsor[i] >= 0 else "",
            "care_id": ids[arrays.care[i]] if arrays.care[i] >= 0 else "",
            "care_share": arrays.care_share[i],
            "status": arrays.statuses[i],
            "career_rank": "",
        }
        for i in range(len(ids))
    ]


def tax_profiles_in_force(partner_ids, on) -> dict[int, TaxProfile]:
    """The version of each partner's tax profile in force on the day `on`: the newest
    created one whose `valid_from` is not after it. Partners without one are left out."""
    found: dict[int, TaxProfile] = {}
    ids = list(partner_ids)
    for start in range(0, len(ids), CHUNK):
        versions = TaxProfile.objects.filter(partner_id__in=ids[start : start + CHUNK], valid_from__lte=on)
        for profile in versions.order_by("partner_id", "-valid_from", "-id").iterator(chunk_size=CHUNK):
            found.setdefault(profile.partner_id, profile)
    return found


def highest_ids(installation_id: int, models) -> tuple[int, ...]:
    """The highest primary key of each model's rows of an installation (0 for none), in one
    query: whether the network changed since a reader last looked (ids only grow)."""
    parts = ", ".join(f"(SELECT MAX(id) FROM {model._meta.db_table} WHERE installation_id = %s)" for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}", [installation_id] * len(models))
        return tuple(value or 0 for value in cursor.fetchone())
