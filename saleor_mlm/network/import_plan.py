"""What an import would change: the file's people matched with the stored ones, and the
network after the import checked as a whole.

Terms
-----
matching
    A partner row is the stored partner with its `referral_code`; a row without a code
    is the partner with its `saleor_user_id`, else with its e-mail (compared ignoring
    case). A customer row is the customer of its `saleor_user_id`, else the customer
    with its e-mail (a guest record first, as `get_or_create_customer` finds one).
    Unmatched rows are new people.
target
    What a `sponsor_id` or `care_id` names: a row of the file (`node`, which may be a
    stored partner or a new one), or a stored partner found by its referral code.
changed edge
    A sponsor or Betreuer that is not the stored one. The rules of a new edge apply to
    changed edges only (a stored partner under a sponsor terminated since stays there,
    as the app leaves it).

The checks are the network's (docs/network.md, "Rules"), on the whole network at once:
unknown sponsors, a sponsor or Betreuer that is terminated, a Betreuer that is the
sponsor, a share without split agreement, cycles through sponsor and care edges (also
through partners outside the file), e-mails, codes and Saleor users that belong to
someone else, leaving `terminated`. The caller holds the network tree lock.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import numpy as np
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from saleor_mlm.engine.exchange import UNRESOLVED, ExchangeErrors
from saleor_mlm.engine.network import find_cycles

from . import PartnerStatus
from .actions.care import care_is_sponsor_error, no_split_agreement_error, overlapping_assignment_error
from .actions.common import refuse_terminated, unknown_sponsor_error
from .actions.customers import customer_user_fixed_error, customer_user_taken_error
from .actions.partners import email_taken_error, partner_user_taken_error, reactivation_refused_error, referral_code_taken_error
from .codes import normalize_code
from .error_codes import NetworkError
from .import_file import ImportFile
from .models import CareAssignment, Customer, Partner, SplitAgreement
from .shares import clean_share, resolve_share

STORED_PARTNER_FIELDS = (
    "id", "referral_code", "voucher_code", "email", "saleor_user_id", "sponsor_id", "status",
    "first_name", "last_name", "country", "language", "imported_career_rank",
)  # fmt: skip
STORED_CUSTOMER_FIELDS = ("id", "email", "saleor_user_id", "sponsor_id", "first_name", "last_name")
StoredPartner = namedtuple("StoredPartner", STORED_PARTNER_FIELDS)
StoredCustomer = namedtuple("StoredCustomer", STORED_CUSTOMER_FIELDS)
StoredCare = namedtuple("StoredCare", "id partner_id customer_id care_partner_id share valid_from valid_to")

# Keys per lookup query: a parameter list of this size stays a few hundred kB.
LOOKUP_BATCH = 20_000

# Details a row may change, compared with what is stored (an empty cell changes nothing).
PARTNER_DETAILS = ("email", "first_name", "last_name", "saleor_user_id", "country", "language")
CUSTOMER_DETAILS = ("email", "first_name", "last_name", "saleor_user_id")


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass
class Target:
    """A sponsor or Betreuer: a row of the file, or a stored partner outside it."""

    node: int = -1
    pk: int | None = None  # the stored partner (outside the file, or the row's match)


@dataclass
class CareChange:
    """The node's Betreuer changes: `current` ends (if any), a new one starts (if `target`)."""

    current: StoredCare | None
    target: Target | None
    share: Decimal | None


@dataclass
class ImportPlan:
    file: ImportFile
    installation_id: int
    now: datetime
    stored_partners: dict[int, StoredPartner]
    stored_customers: dict[int, StoredCustomer]
    partner_pk: list[int | None]  # per node: the stored partner it is
    customer_pk: list[int | None]  # per node: the stored customer it is
    sponsor: list[Target | None]  # per node
    care: list[Target | None]
    care_share: dict[int, Decimal | None] = field(default_factory=dict)  # node -> explicit share (None: agreement)
    details: dict[int, dict[str, tuple]] = field(default_factory=dict)  # node -> field -> (old, new)
    sponsor_changed: set[int] = field(default_factory=set)
    status_changed: set[int] = field(default_factory=set)
    care_changes: dict[int, CareChange] = field(default_factory=dict)
    balances: dict[int, Decimal] = field(default_factory=dict)  # node -> amount to add to the opening balance
    partners: Counts = field(default_factory=Counts)
    customers: Counts = field(default_factory=Counts)

    @property
    def changes_anything(self) -> bool:
        return bool(self.partners.created or self.partners.updated or self.customers.created or self.customers.updated)

    def target_pk(self, target: Target | None) -> int | None:
        """The stored partner a target is now (None: none, or a partner not created yet)."""
        if target is None:
            return None
        if target.node >= 0:
            return self.partner_pk[target.node]
        return target.pk


def _load_partners(installation_id: int) -> dict[int, StoredPartner]:
    rows = Partner.objects.filter(installation_id=installation_id).values_list(*STORED_PARTNER_FIELDS)
    return {row[0]: StoredPartner(*row) for row in rows.iterator(chunk_size=20_000)}


def _load_customers(installation_id: int, file: ImportFile) -> dict[int, StoredCustomer]:
    """The customers the file's customers could be: by Saleor user or e-mail."""
    customer_nodes = np.flatnonzero(~file.rows.is_partner).tolist()
    if not customer_nodes:
        return {}
    users = {file.saleor_user_id[n] for n in customer_nodes if file.saleor_user_id[n]}
    emails = {file.email_key[n] for n in customer_nodes if file.email_key[n]}
    customers = Customer.objects.filter(installation_id=installation_id).annotate(email_ci=Upper("email"))
    found: dict[int, StoredCustomer] = {}
    users, emails = sorted(users), sorted(emails)
    for start in range(0, max(len(users), len(emails)), LOOKUP_BATCH):
        batch = Q(saleor_user_id__in=users[start : start + LOOKUP_BATCH]) | Q(email_ci__in=emails[start : start + LOOKUP_BATCH])
        rows = customers.filter(batch).values_list(*STORED_CUSTOMER_FIELDS)
        found.update((row[0], StoredCustomer(*row)) for row in rows)
    return found


def _load_care(installation_id: int, now: datetime) -> list[StoredCare]:
    """Assignments in force now or later: the ones that carry volume or will."""
    rows = CareAssignment.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=now), installation_id=installation_id)
    return [StoredCare(*row) for row in rows.values_list(*StoredCare._fields).iterator(chunk_size=20_000)]


def _label(file: ImportFile, node: int, stored: StoredPartner | None = None):
    """How the network's messages name a row: as the partner (or customer) it is or will be."""
    rows = file.rows
    if not rows.is_partner[node]:
        return Customer(email=file.email[node] or rows.ids[node])
    return Partner(
        first_name=file.first_name[node] or (stored.first_name if stored else ""),
        last_name=file.last_name[node] or (stored.last_name if stored else ""),
        email=file.email[node] or (stored.email if stored else rows.ids[node]),
        referral_code=file.referral_code[node] or (stored.referral_code if stored else rows.ids[node]),
    )


def _stored_label(stored: StoredPartner) -> Partner:
    return Partner(first_name=stored.first_name, last_name=stored.last_name, email=stored.email, referral_code=stored.referral_code)


class _Planner:
    def __init__(self, file: ImportFile, installation_id: int, now: datetime, errors: ExchangeErrors, settlement):
        self.file, self.rows, self.errors, self.settlement = file, file.rows, errors, settlement
        count = len(file.rows)
        self.plan = ImportPlan(
            file=file,
            installation_id=installation_id,
            now=now,
            stored_partners=_load_partners(installation_id),
            stored_customers=_load_customers(installation_id, file),
            partner_pk=[None] * count,
            customer_pk=[None] * count,
            sponsor=[None] * count,
            care=[None] * count,
        )
        stored = self.plan.stored_partners.values()
        self.by_code = {row.referral_code.upper(): row.id for row in stored}
        self.by_voucher = {row.voucher_code.upper(): row.id for row in stored if row.voucher_code}
        self.partner_by_user = {row.saleor_user_id: row.id for row in stored if row.saleor_user_id}
        self.partner_by_email: dict[str, int] = {}
        for row in sorted(stored, key=lambda row: row.id):
            self.partner_by_email.setdefault(row.email.upper(), row.id)
        self.care_rows = _load_care(installation_id, now)
        in_force = SplitAgreement.objects.filter(installation_id=installation_id, valid_from__lte=now).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=now)
        )
        self.agreements = dict(in_force.order_by("valid_from", "id").values_list("partner_id", "share"))

    def report(self, node: int, column: str, error: NetworkError | str) -> None:
        message = error.message if isinstance(error, NetworkError) else error
        self.errors.add(self.rows.error(node, column, message))

    def label(self, node: int):
        pk = self.plan.partner_pk[node]
        return _label(self.file, node, self.plan.stored_partners.get(pk) if pk else None)

    def target_label(self, target: Target):
        if target.node >= 0:
            return self.label(target.node)
        return _stored_label(self.plan.stored_partners[target.pk])

    def target_status(self, target: Target) -> str:
        if target.node >= 0:
            return self.file_status(target.node)
        return self.plan.stored_partners[target.pk].status

    def file_status(self, node: int) -> str:
        status = int(self.rows.status[node])
        return [PartnerStatus.ACTIVE, PartnerStatus.INACTIVE, PartnerStatus.TERMINATED][status] if status >= 0 else ""

    # ------------------------------------------------------------------ steps

    def run(self) -> ImportPlan:
        self.match_partners()
        self.match_customers()
        self.resolve_targets()
        self.check_partners()
        self.check_edges()
        self.check_cycles()
        self.check_balances()
        self.count()
        return self.plan

    def match_partners(self) -> None:
        file, plan = self.file, self.plan
        matched: dict[int, int] = {}
        for node in np.flatnonzero(self.rows.is_partner).tolist():
            code = file.referral_code[node]
            if code:
                pk = self.by_code.get(code)
                if pk is None and code in self.by_voucher:
                    self.report(node, "referral_code", referral_code_taken_error(code))
            else:
                pk = self.partner_by_user.get(file.saleor_user_id[node]) if file.saleor_user_id[node] else None
                if pk is None and file.email_key[node]:
                    pk = self.partner_by_email.get(file.email_key[node])
            if pk is None:
                continue
            earlier = matched.setdefault(pk, node)
            if earlier != node:
                message = _("this is the partner of line %(line)d already") % {"line": int(self.rows.lines[earlier])}
                self.report(node, "referral_code" if code else "id", message)
                continue
            plan.partner_pk[node] = pk

    @property
    def node_of_pk(self) -> dict[int, int]:
        """The row of each matched partner."""
        if not hasattr(self, "_node_of_pk"):
            self._node_of_pk = {pk: node for node, pk in enumerate(self.plan.partner_pk) if pk is not None}
        return self._node_of_pk

    def match_customers(self) -> None:
        file, plan = self.file, self.plan
        by_user: dict[str, int] = {}
        by_email: dict[str, list[StoredCustomer]] = {}
        for row in sorted(plan.stored_customers.values(), key=lambda row: row.id):
            if row.saleor_user_id:
                by_user[row.saleor_user_id] = row.id
            by_email.setdefault(row.email.upper(), []).append(row)
        matched: dict[int, int] = {}
        for node in np.flatnonzero(~self.rows.is_partner).tolist():
            user, email = file.saleor_user_id[node], file.email_key[node]
            pk = by_user.get(user) if user else None
            if pk is None and email:
                candidates = by_email.get(email, [])
                guest = next((row for row in candidates if not row.saleor_user_id), None)
                if guest is not None:
                    pk = guest.id  # a guest record of the address, linked to the user if given
                elif not user and candidates:
                    pk = candidates[0].id
            if pk is None:
                continue
            earlier = matched.setdefault(pk, node)
            if earlier != node:
                message = _("this is the customer of line %(line)d already") % {"line": int(self.rows.lines[earlier])}
                self.report(node, "email" if email else "saleor_user_id", message)
                continue
            plan.customer_pk[node] = pk
            stored = plan.stored_customers[pk]
            if user and stored.saleor_user_id and stored.saleor_user_id != user:
                self.report(node, "saleor_user_id", customer_user_fixed_error(Customer(email=stored.email, saleor_user_id=stored.saleor_user_id)))
        for node in np.flatnonzero(~self.rows.is_partner).tolist():
            user = file.saleor_user_id[node]
            owner = by_user.get(user) if user else None
            if owner is not None and owner != plan.customer_pk[node]:
                self.report(node, "saleor_user_id", customer_user_taken_error(user))

    def resolve_targets(self) -> None:
        rows, plan = self.rows, self.plan
        for column, targets, links in (("sponsor_id", plan.sponsor, rows.sponsor), ("care_id", plan.care, rows.care)):
            for node in np.flatnonzero(links >= 0).tolist():
                target = int(links[node])
                if rows.is_partner[target]:
                    targets[node] = Target(node=target)
                else:
                    rows_error = _("%(column)s %(id)r is not a partner (it is a customer)") % {"column": column, "id": rows.ids[target]}
                    self.report(node, column, rows_error)
        for column, node, text in rows.unresolved:
            code = normalize_code(text)
            pk = self.by_code.get(code) or self.by_voucher.get(code)
            if pk is None:
                error = unknown_sponsor_error(text, field=column)
                prefix = _("%(column)s %(id)r is not an id of this file.") % {"column": column, "id": text}
                self.report(node, column, f"{prefix} {error.message}")
                continue
            # A partner outside the file, unless a row of the file is that partner.
            row = self.node_of_pk.get(pk, -1)
            (plan.sponsor if column == "sponsor_id" else plan.care)[node] = Target(node=row, pk=pk if row < 0 else None)

    def check_partners(self) -> None:
        """E-mails, Saleor users, status and details of partner rows."""
        file, plan = self.file, self.plan
        for node in np.flatnonzero(self.rows.is_partner).tolist():
            pk = plan.partner_pk[node]
            stored = plan.stored_partners.get(pk) if pk else None
            key = file.email_key[node]
            owner = self.partner_by_email.get(key) if key else None
            if owner is not None and owner != pk:
                self.report(node, "email", email_taken_error())
            user = file.saleor_user_id[node]
            owner = self.partner_by_user.get(user) if user else None
            if owner is not None and owner != pk:
                self.report(node, "saleor_user_id", partner_user_taken_error())
            if stored is None:
                if not file.email[node]:
                    self.report(node, "email", _("a new partner needs an e-mail address"))
                continue
            if stored.saleor_user_id and user and stored.saleor_user_id != user:
                message = _("%(partner)s is the partner of Saleor user %(user)s and cannot become another user's.")
                self.report(node, "saleor_user_id", message % {"partner": _stored_label(stored), "user": stored.saleor_user_id})
            status = self.file_status(node)
            if stored.status == PartnerStatus.TERMINATED and status and status != PartnerStatus.TERMINATED:
                self.report(node, "status", reactivation_refused_error(_stored_label(stored)))

    def check_edges(self) -> None:
        """New and changed sponsors and Betreuer, and the care shares."""
        rows, plan = self.rows, self.plan
        for node in range(len(rows)):
            stored_sponsor = self._stored_sponsor(node)
            sponsor = plan.sponsor[node]
            sponsor_pk = plan.target_pk(sponsor)
            # A stored node is moved; a new one comes with the genealogy it has, terminated
            # sponsors included (the app keeps people under a sponsor who terminates).
            moved = self._is_stored(node) and (sponsor_pk != stored_sponsor or (sponsor is not None and sponsor_pk is None))
            if moved:
                plan.sponsor_changed.add(node)
            if moved and sponsor is not None and self.target_status(sponsor) == PartnerStatus.TERMINATED:
                self._report_terminated(node, "sponsor_id", sponsor, _("sponsor"))
            care = plan.care[node]
            if care is None:
                if rows.care[node] == -1:  # no Betreuer in the file: the stored one ends
                    current = self._current_care(node)
                    if current is not None:
                        plan.care_changes[node] = CareChange(current=current, target=None, share=None)
                continue
            if care == sponsor:  # targets are unique: a matched partner is always its row
                self.report(node, "care_id", care_is_sponsor_error(self.label(node), self.target_label(care), field="care_id"))
                continue
            share = self._share(node)
            if share is _INVALID:
                continue
            if share is None and (sponsor_pk is None or sponsor_pk not in self.agreements):
                recruiter = self.target_label(sponsor) if sponsor is not None else None
                self.report(node, "care_share", no_split_agreement_error(recruiter, plan.now, field="care_share"))
                continue
            plan.care_share[node] = share
            current = self._current_care(node)
            care_pk = plan.target_pk(care)
            if current is not None and care_pk is not None and current.care_partner_id == care_pk:
                agreement = self.agreements.get(stored_sponsor) if stored_sponsor else None
                effective, _source = resolve_share(current.share, agreement)
                if (share is None and current.share is None) or (share is not None and share == effective):
                    continue
            if self._is_stored(node) and self.target_status(care) == PartnerStatus.TERMINATED:
                self._report_terminated(node, "care_id", care, _("Betreuer"))
                continue
            later = self._latest_boundary(node)
            if later is not None:
                self.report(node, "care_id", overlapping_assignment_error(self.label(node), later, field="care_id"))
                continue
            plan.care_changes[node] = CareChange(current=current, target=care, share=share)

    def _share(self, node: int):
        """The row's explicit share (the network's rule: at most 4 decimals), None for none."""
        millionths = int(self.rows.share[node])
        if millionths < 0:
            return None
        try:
            return clean_share(format(Decimal(millionths).scaleb(-6).normalize(), "f"), field="care_share")
        except NetworkError as error:
            self.report(node, "care_share", error)
            return _INVALID

    def _report_terminated(self, node: int, column: str, target: Target, role: str) -> None:
        label = self.target_label(target)
        label.status = PartnerStatus.TERMINATED
        try:
            refuse_terminated(label, role, field=column)
        except NetworkError as error:
            self.report(node, column, error)

    def _is_stored(self, node: int) -> bool:
        return (self.plan.partner_pk[node] if self.rows.is_partner[node] else self.plan.customer_pk[node]) is not None

    def _stored_sponsor(self, node: int) -> int | None:
        if self.rows.is_partner[node]:
            pk = self.plan.partner_pk[node]
            return self.plan.stored_partners[pk].sponsor_id if pk else None
        pk = self.plan.customer_pk[node]
        return self.plan.stored_customers[pk].sponsor_id if pk else None

    def _care_of(self):
        if not hasattr(self, "_care_index"):
            index: dict[tuple[str, int], list[StoredCare]] = {}
            for row in self.care_rows:
                key = ("p", row.partner_id) if row.partner_id is not None else ("c", row.customer_id)
                index.setdefault(key, []).append(row)
            self._care_index = index
        return self._care_index

    def _node_key(self, node: int) -> tuple[str, int] | None:
        if self.rows.is_partner[node]:
            pk = self.plan.partner_pk[node]
            return ("p", pk) if pk else None
        pk = self.plan.customer_pk[node]
        return ("c", pk) if pk else None

    def _current_care(self, node: int) -> StoredCare | None:
        key = self._node_key(node)
        now = self.plan.now
        for row in self._care_of().get(key, []) if key else []:
            if row.valid_from <= now and (row.valid_to is None or row.valid_to > now):
                return row
        return None

    def _latest_boundary(self, node: int) -> datetime | None:
        """A start or end after now among the node's assignments: a new one from now would overlap it."""
        key = self._node_key(node)
        now = self.plan.now
        later = [
            moment
            for row in (self._care_of().get(key, []) if key else [])
            for moment in (row.valid_from, row.valid_to)
            if moment is not None and moment > now
        ]
        return max(later) if later else None

    def check_cycles(self) -> None:
        """Sponsor and care edges of the network after the import, partners outside the
        file included: every cycle, reported at the row whose edge closes it."""
        rows, plan = self.rows, self.plan
        partner_nodes = np.flatnonzero(rows.is_partner)
        outside = [pk for pk in plan.stored_partners if pk not in self.node_of_pk]
        graph_of_pk = {pk: index for index, pk in enumerate(outside)}
        first_row = len(outside)
        graph_of_node = np.full(len(rows), -1, np.int64)
        graph_of_node[partner_nodes] = np.arange(first_row, first_row + partner_nodes.size)
        for node in partner_nodes.tolist():
            if plan.partner_pk[node] is not None:
                graph_of_pk[plan.partner_pk[node]] = int(graph_of_node[node])
        count = first_row + partner_nodes.size
        sponsor = np.full(count, -1, np.int64)
        care = np.full(count, -1, np.int64)
        for index, pk in enumerate(outside):
            sponsor_id = plan.stored_partners[pk].sponsor_id
            sponsor[index] = graph_of_pk.get(sponsor_id, -1) if sponsor_id else -1
        for row in self.care_rows:
            if row.partner_id is not None and row.partner_id in graph_of_pk and graph_of_pk[row.partner_id] < first_row:
                care[graph_of_pk[row.partner_id]] = graph_of_pk.get(row.care_partner_id, -1)

        def graph_index(target: Target | None) -> int:
            if target is None:
                return -1
            return int(graph_of_node[target.node]) if target.node >= 0 else graph_of_pk.get(target.pk, -1)

        for node in partner_nodes.tolist():
            index = int(graph_of_node[node])
            sponsor[index] = graph_index(plan.sponsor[node])
            if node in plan.care_changes or node in plan.care_share:
                care[index] = graph_index(plan.care[node])
            else:  # the stored Betreuer stays (or the row's care was refused above)
                current = self._current_care(node)
                care[index] = graph_of_pk.get(current.care_partner_id, -1) if current else -1
        ids = [plan.stored_partners[pk].referral_code for pk in outside] + [rows.ids[node] for node in partner_nodes.tolist()]
        node_of_graph = partner_nodes
        for error in find_cycles(ids, sponsor, care):
            if error.node < first_row:  # stored data that is cyclic already: named by its first row
                self.errors.add(self.rows.error(0, "id", str(error)))
                continue
            node = int(node_of_graph[error.node - first_row])
            target = sponsor[error.node] if error.field == "sponsor" else care[error.node]
            self.errors.add(rows.cycle_error(error, node, ids[target]))

    def check_balances(self) -> None:
        given = self.file.balance
        if not given:
            return
        stored = self.settlement.opening_balances()
        for node, amount in given.items():
            pk = self.plan.partner_pk[node]
            difference = amount - stored.get(pk, Decimal(0)) if pk else amount
            if difference:
                self.plan.balances[node] = difference
        if self.plan.balances:
            refused = self.settlement.approval_error()
            if refused is not None:
                self.report(min(self.plan.balances), "balance", "; ".join(refused.messages))

    def count(self) -> None:
        """Compare the rows' details with what is stored; count created, updated, unchanged."""
        file, plan, rows = self.file, self.plan, self.rows
        for node in range(len(rows)):
            is_partner = bool(rows.is_partner[node])
            pk = plan.partner_pk[node] if is_partner else plan.customer_pk[node]
            counts = plan.partners if is_partner else plan.customers
            if pk is None:
                counts.created += 1
                continue
            stored = plan.stored_partners[pk] if is_partner else plan.stored_customers[pk]
            changed = {}
            for name in PARTNER_DETAILS if is_partner else CUSTOMER_DETAILS:
                new = getattr(file, name)[node]
                old = getattr(stored, name)
                if new and new != old:
                    changed[name] = (old, new)
            if is_partner:
                career = file.career_rank[node]
                if career and career != stored.imported_career_rank:
                    changed["imported_career_rank"] = (stored.imported_career_rank, career)
                status = self.file_status(node)
                if status and status != stored.status:
                    plan.status_changed.add(node)
            if changed:
                plan.details[node] = changed
            if changed or node in plan.sponsor_changed or node in plan.status_changed or node in plan.care_changes or node in plan.balances:
                counts.updated += 1
            else:
                counts.unchanged += 1


_INVALID = object()


def plan_import(file: ImportFile, installation_id: int, now: datetime, errors: ExchangeErrors, settlement=None) -> ImportPlan:
    """Match and check `file` against the stored network; problems go to `errors`."""
    return _Planner(file, installation_id, now, errors, settlement).run()


__all__ = ["Counts", "ImportPlan", "Target", "UNRESOLVED", "plan_import"]
