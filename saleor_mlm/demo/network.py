"""The demo genealogy: partners, customers, Betreuer with splits, split agreements.

Written in bulk (a few statements per table) so that thousands of nodes load in seconds
on SQLite, with the rows the network's actions would write: upper-case referral codes
that are also the voucher codes, statuses with reasons, care assignments with or
without their own share, and a `NetworkChange` per partner, attribution, Betreuer and
agreement. Every edge points to a partner created earlier, so the graph is acyclic by
construction; `tests/ledger/test_demo_data.py` checks it with the engine.
"""

from __future__ import annotations

import base64
import bisect
import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from stdnum.at import uid as at_uid
from stdnum.ch import uid as ch_uid

from saleor_mlm.network import AttributionSource, ChangeKind, PartnerStatus, TaxStatus
from saleor_mlm.network.events import care_ref, partner_ref, split_ref
from saleor_mlm.network.models import CareAssignment, Customer, NetworkChange, Partner, SplitAgreement, TaxProfile

from .names import COUNTRIES, FIRST_NAMES, LAST_NAMES, ascii_name

CHANGED_BY = "demo"
MAX_DEPTH = 12  # levels below a founder
FOUNDERS = 3
CARE_RATE = 0.15  # nodes with a Betreuer
SHARES = [Decimal(f"0.{n}") for n in ("3", "35", "4", "45", "5", "55", "6", "65", "7")]
AGREEMENT_SHARES = [Decimal("0.3"), Decimal("0.4"), Decimal("0.5")]
BATCH = 2000  # rows per INSERT


def user_id(number: int) -> str:
    """A Saleor global id of a user, as Saleor writes it."""
    return base64.b64encode(f"User:{number}".encode()).decode()


@dataclass
class DemoNetwork:
    partners: list[Partner] = field(default_factory=list)  # in enrollment order
    customers: list[Customer] = field(default_factory=list)
    top_recruiters: list[Partner] = field(default_factory=list)
    agreements: dict[int, SplitAgreement] = field(default_factory=dict)  # by partner pk
    care: list[CareAssignment] = field(default_factory=list)


def _country(rng: random.Random):
    roll, total = rng.random(), 0.0
    for entry in COUNTRIES:
        total += entry[1]
        if roll < total:
            return entry
    return COUNTRIES[0]


# The first partners (who earn every month) have one tax status each, so that every
# committed month's credit notes show all of them.
FIRST_TAX_STATUSES = (("AT", TaxStatus.REVERSE_CHARGE), ("CH", TaxStatus.NON_EU), ("DE", TaxStatus.PRIVATE))


def _tax(rng: random.Random, country: str, number: int) -> tuple[str, str]:
    """A mix of every tax status (docs/credit-notes.md): Swiss partners outside the EU,
    Austrians with a VAT id under reverse charge or small businesses, Germans regular, small
    businesses or private persons. VAT ids carry valid check digits."""
    if country == "CH":
        return TaxStatus.NON_EU, _ch_vat_id(number)
    roll = rng.random()
    if country == "AT":
        return (TaxStatus.REVERSE_CHARGE, _at_vat_id(number)) if roll < 0.5 else (TaxStatus.SMALL_BUSINESS, "")
    if roll < 0.4:
        return TaxStatus.SMALL_BUSINESS, ""
    if roll < 0.5:
        return TaxStatus.PRIVATE, ""
    return TaxStatus.REGULAR, ""


def _at_vat_id(number: int) -> str:
    digits = f"U{10_000_000 + number * 7919 % 89_999_999}"[:8]
    return f"AT{digits}{at_uid.calc_check_digit(digits)}"


def _ch_vat_id(number: int) -> str:
    """A Swiss MWST number: its documents are reverse charge, which names the supplier's id."""
    digits = f"{10_000_000 + number * 7919 % 89_999_999}"[:8]
    return f"CHE{digits}{ch_uid.calc_check_digit(digits)}MWST"


VAT_IDS = {TaxStatus.REVERSE_CHARGE: _at_vat_id, TaxStatus.NON_EU: _ch_vat_id}


STREETS = {
    "DE": ("Hauptstraße", "Bahnhofstraße", "Lindenweg", "Schillerstraße", "Gartenstraße"),
    "AT": ("Hauptplatz", "Mariahilfer Straße", "Kirchengasse", "Ringstraße"),
    "CH": ("Bahnhofstrasse", "Dorfstrasse", "Seestrasse", "Kirchweg"),
}
CITIES = {
    "DE": (("10115", "Berlin"), ("80331", "München"), ("50667", "Köln"), ("20095", "Hamburg"), ("04109", "Leipzig")),
    "AT": (("1010", "Wien"), ("8010", "Graz"), ("5020", "Salzburg"), ("6020", "Innsbruck")),
    "CH": (("8001", "Zürich"), ("3011", "Bern"), ("4051", "Basel"), ("6003", "Luzern")),
}


def _tax_profiles(installation, partners: list[Partner]) -> None:
    """Every demo partner's tax profile as it entered it at enrollment: legal name,
    address, a tax number (a German Steuernummer for Germans) or VAT id."""
    rows = []
    for index, partner in enumerate(partners):
        country = partner.country.code
        postal_code, city = CITIES[country][index % len(CITIES[country])]
        needs_number = partner.tax_status in (TaxStatus.REGULAR, TaxStatus.SMALL_BUSINESS)
        tax_number = (f"21815{index % 100_000:05d}" if country == "DE" else f"{10 + index % 89} {index % 1000:03d}/{index % 10_000:04d}") if needs_number else ""
        rows.append(
            TaxProfile(
                installation=installation,
                partner=partner,
                legal_name=partner.display_name,
                street=f"{STREETS[country][index % len(STREETS[country])]} {1 + index % 120}",
                postal_code=postal_code,
                city=city,
                country=country,
                tax_number=tax_number,
                vat_id=partner.vat_id,
                tax_status=partner.tax_status,
                valid_from=partner.enrolled_at.date(),
                changed_by=CHANGED_BY,
            )
        )
    TaxProfile.objects.bulk_create(rows, batch_size=BATCH)


def _pick_sponsor(rng: random.Random, index: int, depth: list[int], sponsor: list[int], tops: int) -> int:
    roll = rng.random()
    if roll < 0.3:
        # A few top recruiters with big frontlines (Zipf: the first recruits most).
        weights = [1 / (k + 1) for k in range(min(tops, index))]
        choice = rng.choices(range(len(weights)), weights)[0]
    elif roll < 0.75:
        choice = rng.randrange(max(0, index - 60), index)  # recruited by someone who just joined
    else:
        choice = rng.randrange(index)
    while depth[choice] >= MAX_DEPTH:
        choice = sponsor[choice]
    return choice


def build_network(installation, rng: random.Random, partners: int, customers: int, now: datetime.datetime) -> DemoNetwork:
    tops = max(5, partners // 400)
    start = now - datetime.timedelta(days=3 * 365)
    # Enrollment moments, increasing: the network grew over three years, faster lately.
    moments = sorted(start + (now - start) * (rng.random() ** 0.6) for _ in range(partners))
    moments = [min(moment, now - datetime.timedelta(hours=2)) for moment in moments]

    sponsor: list[int] = []
    depth: list[int] = []
    rows: list[Partner] = []
    codes: set[str] = set()
    for index in range(partners):
        if index < FOUNDERS:
            sponsor.append(-1)
            depth.append(0)
        else:
            chosen = _pick_sponsor(rng, index, depth, sponsor, tops)
            sponsor.append(chosen)
            depth.append(depth[chosen] + 1)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        country, _share, currency, domains = _country(rng)
        if index < len(FIRST_TAX_STATUSES):  # the founders and first top recruiters earn every month
            country, _share, currency, domains = next(entry for entry in COUNTRIES if entry[0] == FIRST_TAX_STATUSES[index][0])
        code = f"{ascii_name(first)}{ascii_name(last)[:1]}{index + 1}".upper()
        codes.add(code)
        roll = rng.random()
        status, reason, changed = PartnerStatus.ACTIVE, "", None
        if index >= tops and roll < 0.05:
            status, reason = PartnerStatus.TERMINATED, "Vertrag zum Monatsende gekündigt"
        elif index >= tops and roll < 0.15:
            status, reason = PartnerStatus.INACTIVE, "seit sechs Monaten ohne Umsatz"
        if status != PartnerStatus.ACTIVE:
            changed = moments[index] + (now - moments[index]) * rng.random()
        tax_status, vat_id = _tax(rng, country, index)
        if index < len(FIRST_TAX_STATUSES):
            tax_status = FIRST_TAX_STATUSES[index][1]
            vat_id = VAT_IDS[tax_status](index) if tax_status in VAT_IDS else ""
        rows.append(
            Partner(
                installation=installation,
                saleor_user_id=user_id(1000 + index),
                email=f"{ascii_name(first)}.{ascii_name(last)}{index + 1}@{rng.choice(domains)}",
                first_name=first,
                last_name=last,
                referral_code=code,
                voucher_code=code,
                status=status,
                status_reason=reason,
                status_changed_at=changed,
                country=country,
                language="de",
                payout_currency=currency,
                tax_status=tax_status,
                vat_id=vat_id,
                enrolled_at=moments[index],
            )
        )
    Partner.objects.bulk_create(rows, batch_size=BATCH)
    for index, row in enumerate(rows):
        row.sponsor = rows[sponsor[index]] if sponsor[index] >= 0 else None
    Partner.objects.bulk_update(rows, ["sponsor"], batch_size=BATCH)
    _tax_profiles(installation, rows)
    network = DemoNetwork(partners=rows, top_recruiters=rows[:tops])

    network.customers = _customers(installation, rng, rows, customers, moments, now)
    _agreements(installation, rng, network, now)
    _care(installation, rng, network, sponsor, now)
    _changes(installation, network, now)
    return network


def _customers(installation, rng, partners: list[Partner], count: int, moments, now) -> list[Customer]:
    """Customers of partners (more for active partners and top recruiters), some house
    customers, registered Saleor users and guest checkouts."""
    weights = []
    for index, partner in enumerate(partners):
        weight = {PartnerStatus.ACTIVE: 3.0, PartnerStatus.INACTIVE: 1.0}.get(partner.status, 0.2)
        weights.append(weight * (4 if index < 10 else 1))
    cumulative = []
    total = 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    sources = (
        [AttributionSource.VOUCHER] * 50
        + [AttributionSource.REFERRAL_METADATA] * 25
        + [AttributionSource.CUSTOMER_METADATA] * 10
        + [AttributionSource.ENROLLMENT] * 15
    )
    rows = []
    for number in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        _, _, _, domains = _country(rng)
        house = rng.random() < 0.05
        sponsor = None if house else partners[bisect.bisect_left(cumulative, rng.random() * total)]
        registered = rng.random() < 0.7
        since = max(sponsor.enrolled_at if sponsor else moments[0], now - datetime.timedelta(days=700))
        attributed = since + (now - since) * rng.random() if sponsor else None
        rows.append(
            Customer(
                installation=installation,
                saleor_user_id=user_id(100_000 + number) if registered else "",
                email=f"{ascii_name(first)}.{ascii_name(last)}.{number + 1}@{rng.choice(domains)}",
                first_name=first,
                last_name=last,
                sponsor=sponsor,
                attribution_source=rng.choice(sources) if sponsor else AttributionSource.NONE,
                attributed_at=attributed,
            )
        )
    Customer.objects.bulk_create(rows, batch_size=BATCH)
    return rows


def _agreements(installation, rng, network: DemoNetwork, now) -> None:
    """Split agreements for the top recruiters: they hand part of their recruits'
    volume to the local partners who look after them."""
    rows = [
        SplitAgreement(
            installation=installation,
            partner=partner,
            share=rng.choice(AGREEMENT_SHARES),
            valid_from=now - datetime.timedelta(days=400),
            set_by=CHANGED_BY,
            note="Rahmenvereinbarung Betreuung vor Ort",
        )
        for partner in network.top_recruiters
    ]
    SplitAgreement.objects.bulk_create(rows)
    network.agreements = {row.partner_id: row for row in rows}


def _care(installation, rng, network: DemoNetwork, sponsor: list[int], now) -> None:
    """About 15 % of partners and customers get a Betreuer: a partner created earlier
    than the node (so no cycle can form), not its sponsor, not terminated."""
    partners = network.partners
    eligible = [i for i, p in enumerate(partners) if p.status != PartnerStatus.TERMINATED]
    rows = []

    def assignment(node: Partner | Customer, candidates_below: int, sponsor_pk: int | None):
        for _ in range(10):
            pool_end = bisect.bisect_left(eligible, candidates_below)
            if pool_end == 0:
                return None
            care_partner = partners[eligible[rng.randrange(pool_end)]]
            if care_partner.pk != sponsor_pk:
                break
        else:
            return None
        by_agreement = sponsor_pk in network.agreements and rng.random() < 0.7
        since = max(node.enrolled_at if isinstance(node, Partner) else now - datetime.timedelta(days=500), now - datetime.timedelta(days=500))
        return CareAssignment(
            installation=installation,
            partner=node if isinstance(node, Partner) else None,
            customer=node if isinstance(node, Customer) else None,
            care_partner=care_partner,
            share=None if by_agreement else rng.choice(SHARES),
            valid_from=since + (now - since) * rng.random() * 0.5,
            set_by=CHANGED_BY,
            reason="Betreuung vor Ort",
        )

    for index, partner in enumerate(partners):
        if index >= FOUNDERS and rng.random() < CARE_RATE:
            row = assignment(partner, index, partner.sponsor_id)
            if row is not None:
                rows.append(row)
    for customer in network.customers:
        if rng.random() < CARE_RATE:
            row = assignment(customer, len(partners), customer.sponsor_id)
            if row is not None:
                rows.append(row)
    CareAssignment.objects.bulk_create(rows, batch_size=BATCH)
    network.care = rows


def _changes(installation, network: DemoNetwork, now) -> None:
    """The audit trail the network's actions would have written."""
    rows = []
    for partner in network.partners:
        rows.append(
            NetworkChange(
                installation=installation,
                kind=ChangeKind.CREATED,
                partner=partner,
                new_value={
                    "source": "merchant",
                    "sponsor": partner_ref(partner.sponsor),
                    "status": PartnerStatus.ACTIVE,
                    "referral_code": partner.referral_code,
                    "from_customer_id": None,
                },
                changed_by=CHANGED_BY,
                reason="Demo-Daten",
            )
        )
        if partner.status != PartnerStatus.ACTIVE:
            rows.append(
                NetworkChange(
                    installation=installation,
                    kind=ChangeKind.STATUS,
                    partner=partner,
                    old_value={"status": PartnerStatus.ACTIVE},
                    new_value={"status": partner.status},
                    changed_by=CHANGED_BY,
                    reason=partner.status_reason,
                )
            )
    for customer in network.customers:
        if customer.sponsor_id:
            rows.append(
                NetworkChange(
                    installation=installation,
                    kind=ChangeKind.SPONSOR,
                    customer=customer,
                    old_value={"sponsor": None},
                    new_value={"sponsor": partner_ref(customer.sponsor), "source": customer.attribution_source},
                    changed_by=CHANGED_BY,
                )
            )
    for agreement in network.agreements.values():
        rows.append(
            NetworkChange(
                installation=installation,
                kind=ChangeKind.SPLIT_AGREEMENT,
                partner=agreement.partner,
                old_value={"ended": []},
                new_value={"agreement": split_ref(agreement)},
                changed_by=CHANGED_BY,
                reason=agreement.note,
            )
        )
    for assignment in network.care:
        rows.append(
            NetworkChange(
                installation=installation,
                kind=ChangeKind.CARE,
                partner=assignment.partner,
                customer=assignment.customer,
                old_value={"care": None},
                new_value={"care": care_ref(assignment)},
                changed_by=CHANGED_BY,
                reason=assignment.reason,
            )
        )
    NetworkChange.objects.bulk_create(rows, batch_size=BATCH)
