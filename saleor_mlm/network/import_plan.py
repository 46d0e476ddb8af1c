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
from itertools import repeat
from operator import attrgetter

import numpy as np
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from saleor_mlm.core.errors import DomainError
from saleor_mlm.engine.exchange import ExchangeErrors
from saleor_mlm.engine.network import find_cycles

from . import PartnerStatus
from .actions.care import care_is_sponsor_error, no_split_agreement_error, overlapping_assignment_error
from .actions.common import refuse_terminated, unknown_sponsor_error
from .actions.partners import email_taken_error, partner_user_taken_error, reactivation_refused_error, referral_code_taken_error
from .codes import normalize_code
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
STATUS_NAMES = (PartnerStatus.ACTIVE, PartnerStatus.INACTIVE, PartnerStatus.TERMINATED)  # the engine's Status codes


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass
class ImportPlan:
    """The import's changes. Per node (arrays): the stored partner or customer it is (0:
    a new one), and its sponsor and Betreuer as a row of the file (`*_node`, -1: none)
    or as a stored partner outside the file (`*_pk`, 0: none). A matched partner is
    always named by its row, so two targets are the same exactly when they are equal."""

    file: ImportFile
    installation_id: int
    now: datetime
    stored_partners: dict[int, StoredPartner]
    stored_customers: dict[int, StoredCustomer]
    partner_pk: np.ndarray
    customer_pk: np.ndarray
    sponsor_node: np.ndarray
    sponsor_pk: np.ndarray
    care_node: np.ndarray
    care_pk: np.ndarray
    shares: dict[int, Decimal] = field(default_factory=dict)  # millionths -> the share as the network stores it
    care_start: np.ndarray | None = None  # a new care assignment from now (bool per node)
    care_end: dict[int, StoredCare] = field(default_factory=dict)  # node -> its assignment that ends now
    details: dict[int, dict[str, tuple]] = field(default_factory=dict)  # node -> field -> (old, new)
    sponsor_changed: set[int] = field(default_factory=set)
    status_changed: set[int] = field(default_factory=set)
    balances: dict[int, Decimal] = field(default_factory=dict)  # node -> amount to add to the opening balance
    partners: Counts = field(default_factory=Counts)
    customers: Counts = field(default_factory=Counts)

    @property
    def changes_anything(self) -> bool:
        return bool(self.partners.created or self.partners.updated or self.customers.created or self.customers.updated)

    def stored_pk(self, node: int) -> int:
        return int(self.partner_pk[node] if self.file.rows.is_partner[node] else self.customer_pk[node])

    def share(self, node: int) -> Decimal | None:
        """The row's care share (None: the sponsor's split agreement decides)."""
        millionths = int(self.file.rows.share[node])
        return None if millionths < 0 else self.shares[millionths]


def _load_partners(installation_id: int) -> dict[int, StoredPartner]:
    rows = Partner.objects.filter(installation_id=installation_id).values_list(*STORED_PARTNER_FIELDS)
    return {row[0]: StoredPartner(*row) for row in rows.iterator(chunk_size=20_000)}


def _load_customers(installation_id: int, file: ImportFile) -> dict[int, StoredCustomer]:
    """The customers the file's customers could be: by Saleor user or e-mail."""
    customer_nodes = np.flatnonzero(~file.rows.is_partner).tolist()
    if not customer_nodes:
        return {}
    users = sorted({file.saleor_user_id[n] for n in customer_nodes if file.saleor_user_id[n]})
    emails = sorted({file.email_key[n] for n in customer_nodes if file.email_key[n]})
    customers = Customer.objects.filter(installation_id=installation_id).annotate(email_ci=Upper("email"))
    found: dict[int, StoredCustomer] = {}
    for start in range(0, max(len(users), len(emails)), LOOKUP_BATCH):
        batch = Q(saleor_user_id__in=users[start : start + LOOKUP_BATCH]) | Q(email_ci__in=emails[start : start + LOOKUP_BATCH])
        rows = customers.filter(batch).values_list(*STORED_CUSTOMER_FIELDS)
        found.update((row[0], StoredCustomer(*row)) for row in rows)
    return found


def _load_care(installation_id: int, now: datetime) -> list[StoredCare]:
    """Assignments in force now or later: the ones that carry volume or will."""
    rows = CareAssignment.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=now), installation_id=installation_id)
    return [StoredCare(*row) for row in rows.values_list(*StoredCare._fields).iterator(chunk_size=20_000)]


def _lookup(mapping: dict, keys: list, missing: int = 0) -> np.ndarray:
    return np.fromiter(map(mapping.get, keys, repeat(missing)), np.int64, count=len(keys))


def _stored_label(stored: StoredPartner, status: str = "") -> Partner:
    return Partner(
        first_name=stored.first_name, last_name=stored.last_name, email=stored.email, referral_code=stored.referral_code, status=status
    )


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
            partner_pk=np.zeros(count, np.int64),
            customer_pk=np.zeros(count, np.int64),
            sponsor_node=np.full(count, -1, np.int64),
            sponsor_pk=np.zeros(count, np.int64),
            care_node=np.full(count, -1, np.int64),
            care_pk=np.zeros(count, np.int64),
            care_start=np.zeros(count, bool),
        )
        stored = sorted(self.plan.stored_partners.values(), key=lambda row: row.id)
        self.by_code = {row.referral_code.upper(): row.id for row in stored}
        self.by_voucher = {row.voucher_code.upper(): row.id for row in stored if row.voucher_code}
        self.partner_by_user = {row.saleor_user_id: row.id for row in stored if row.saleor_user_id}
        self.partner_by_email: dict[str, int] = {}
        for row in stored:
            self.partner_by_email.setdefault(row.email.upper(), row.id)
        care_rows = _load_care(installation_id, now)
        self.care_of: dict[tuple[bool, int], list[StoredCare]] = {}
        self.current_of: dict[bool, dict[int, StoredCare]] = {True: {}, False: {}}  # in force now, by kind and key
        for row in care_rows:
            key = (True, row.partner_id) if row.partner_id is not None else (False, row.customer_id)
            self.care_of.setdefault(key, []).append(row)
            if row.valid_from <= now:
                self.current_of[key[0]][key[1]] = row
        in_force = SplitAgreement.objects.filter(installation_id=installation_id, valid_from__lte=now).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=now)
        )
        self.agreements = dict(in_force.order_by("valid_from", "id").values_list("partner_id", "share"))

    def report(self, node: int, column: str, error: DomainError | str) -> None:
        message = error.message if isinstance(error, DomainError) else error
        self.errors.add(self.rows.error(node, column, message))

    # ------------------------------------------------------------------ labels and lookups

    def label(self, node: int, status: str = ""):
        """How the network's messages name a row: as the partner (or customer) it will be."""
        file, rows = self.file, self.rows
        if not rows.is_partner[node]:
            return Customer(email=file.email[node] or rows.ids[node])
        stored = self.plan.stored_partners.get(int(self.plan.partner_pk[node]))
        return Partner(
            first_name=file.first_name[node] or (stored.first_name if stored else ""),
            last_name=file.last_name[node] or (stored.last_name if stored else ""),
            email=file.email[node] or (stored.email if stored else rows.ids[node]),
            referral_code=file.referral_code[node] or (stored.referral_code if stored else rows.ids[node]),
            status=status,
        )

    def target_label(self, node: int, pk: int, status: str = ""):
        return self.label(node, status) if node >= 0 else _stored_label(self.plan.stored_partners[pk], status)

    def target_status(self, node: int, pk: int) -> str:
        if node >= 0:
            return self.file_status(node)
        return self.plan.stored_partners[pk].status

    def file_status(self, node: int) -> str:
        status = int(self.rows.status[node])
        return STATUS_NAMES[status] if status >= 0 else ""

    def target_pks(self, nodes: np.ndarray, pks: np.ndarray) -> np.ndarray:
        """The stored partner each target is (0: none, or a partner new in this file)."""
        return np.where(nodes >= 0, self.plan.partner_pk[np.maximum(nodes, 0)], pks)

    def stored_view(self) -> tuple[np.ndarray, list]:
        """The stored people of the file (nodes) with their stored rows, in node order."""
        if not hasattr(self, "_stored_view"):
            plan = self.plan
            nodes = np.flatnonzero((plan.partner_pk > 0) | (plan.customer_pk > 0))
            stored = [
                plan.stored_partners[pk] if pk else plan.stored_customers[customer]
                for pk, customer in zip(plan.partner_pk[nodes].tolist(), plan.customer_pk[nodes].tolist())
            ]
            self._stored_view = nodes, stored
        return self._stored_view

    def later_boundary(self, node: int) -> datetime | None:
        """A start or end after now among the node's assignments: one from now would overlap it."""
        key = (bool(self.rows.is_partner[node]), self.plan.stored_pk(node))
        later = [
            moment
            for row in self.care_of.get(key, ())
            for moment in (row.valid_from, row.valid_to)
            if moment is not None and moment > self.plan.now
        ]
        return max(later) if later else None

    # ------------------------------------------------------------------ steps

    def run(self) -> ImportPlan:
        self.match_partners()
        self.match_customers()
        self.resolve_targets()
        self.check_partners()
        self.check_sponsors()
        self.check_care()
        self.check_cycles()
        self.check_balances()
        self.count()
        return self.plan

    def _report_repeated_matches(self, nodes: np.ndarray, pks: np.ndarray, what: str, column) -> np.ndarray:
        """A stored person matched by two rows: the later rows are errors (and unmatched)."""
        matched = pks > 0
        _unique, first = np.unique(pks[matched], return_index=True)
        later = np.ones(int(matched.sum()), bool)
        later[first] = False
        if later.any():
            firsts = dict(zip(pks[matched][first].tolist(), nodes[matched][first].tolist()))
            for node, pk in zip(nodes[matched][later].tolist(), pks[matched][later].tolist()):
                message = what % {"line": int(self.rows.lines[firsts[pk]])}
                self.report(node, column(node), message)
            pks = pks.copy()
            pks[np.flatnonzero(matched)[later]] = 0
        return pks

    def match_partners(self) -> None:
        file, plan = self.file, self.plan
        nodes = np.flatnonzero(self.rows.is_partner)
        if not plan.stored_partners or not nodes.size:
            return
        codes = [file.referral_code[n] for n in nodes.tolist()]
        pks = _lookup(self.by_code, codes)
        for node, code in zip(nodes.tolist(), codes):
            if code and code not in self.by_code and code in self.by_voucher:
                self.report(node, "referral_code", referral_code_taken_error(code))
        without_code = np.fromiter(map(len, codes), np.int64, count=len(codes)) == 0
        if without_code.any():
            rest = nodes[without_code].tolist()
            by_user = _lookup(self.partner_by_user, [file.saleor_user_id[n] or None for n in rest])
            by_email = _lookup(self.partner_by_email, [file.email_key[n] or None for n in rest])
            pks[without_code] = np.where(by_user > 0, by_user, by_email)
        column = lambda node: "referral_code" if file.referral_code[node] else "id"  # noqa: E731
        plan.partner_pk[nodes] = self._report_repeated_matches(nodes, pks, _("this is the partner of line %(line)d already"), column)

    def match_customers(self) -> None:
        file, plan = self.file, self.plan
        nodes = np.flatnonzero(~self.rows.is_partner)
        if not plan.stored_customers or not nodes.size:
            return
        by_user: dict[str, int] = {}
        by_email: dict[str, list[StoredCustomer]] = {}
        for row in sorted(plan.stored_customers.values(), key=lambda row: row.id):
            if row.saleor_user_id:
                by_user[row.saleor_user_id] = row.id
            by_email.setdefault(row.email.upper(), []).append(row)
        pks = np.zeros(nodes.size, np.int64)
        for at, node in enumerate(nodes.tolist()):
            user, email = file.saleor_user_id[node], file.email_key[node]
            pk = by_user.get(user) if user else None
            if pk is None and email:
                candidates = by_email.get(email, [])
                guest = next((row for row in candidates if not row.saleor_user_id), None)
                if guest is not None:
                    pk = guest.id  # a guest record of the address, linked to the user if given
                elif not user and candidates:
                    pk = candidates[0].id
            pks[at] = pk or 0
        column = lambda node: "email" if file.email_key[node] else "saleor_user_id"  # noqa: E731
        # A row with a Saleor user is that user's customer, or a guest's record (without a
        # user), or new: never another user's customer, so no user changes hands.
        plan.customer_pk[nodes] = self._report_repeated_matches(nodes, pks, _("this is the customer of line %(line)d already"), column)

    def resolve_targets(self) -> None:
        rows, plan = self.rows, self.plan
        targets = {"sponsor_id": (rows.sponsor, plan.sponsor_node, plan.sponsor_pk), "care_id": (rows.care, plan.care_node, plan.care_pk)}
        for column, (links, nodes, _pks) in targets.items():
            in_file = links >= 0
            to_customer = in_file & ~rows.is_partner[np.maximum(links, 0)]
            for node in np.flatnonzero(to_customer).tolist():
                message = _("%(column)s %(id)r is not a partner (it is a customer)") % {"column": column, "id": rows.ids[links[node]]}
                self.report(node, column, message)
            nodes[in_file & ~to_customer] = links[in_file & ~to_customer]
        node_of_pk = {int(pk): node for node, pk in enumerate(plan.partner_pk.tolist()) if pk}
        for column, node, text in rows.unresolved:
            code = normalize_code(text)
            pk = self.by_code.get(code) or self.by_voucher.get(code)
            if pk is None:
                error = unknown_sponsor_error(text, field=column)
                prefix = _("%(column)s %(id)r is not an id of this file.") % {"column": column, "id": text}
                self.report(node, column, f"{prefix} {error.message}")
                continue
            _links, nodes, pks = targets[column]
            if pk in node_of_pk:  # a partner of the file: named by its row
                nodes[node] = node_of_pk[pk]
            else:
                pks[node] = pk

    def check_partners(self) -> None:
        """E-mails and Saleor users of other partners, new partners' e-mails, the status."""
        file, plan, rows = self.file, self.plan, self.rows
        nodes = np.flatnonzero(rows.is_partner)
        own = plan.partner_pk[nodes]
        if plan.stored_partners:
            for keys, owners, error in (
                (file.email_key, self.partner_by_email, email_taken_error),
                (file.saleor_user_id, self.partner_by_user, partner_user_taken_error),
            ):
                found = _lookup(owners, [keys[n] or None for n in nodes.tolist()])
                for node in nodes[(found > 0) & (found != own)].tolist():
                    self.report(node, "email" if keys is file.email_key else "saleor_user_id", error())
        for node in nodes[own == 0].tolist():
            if not file.email[node]:
                self.report(node, "email", _("a new partner needs an e-mail address"))
        for node in nodes[own > 0].tolist():
            stored = plan.stored_partners[int(plan.partner_pk[node])]
            user = file.saleor_user_id[node]
            if stored.saleor_user_id and user and stored.saleor_user_id != user:
                message = _("%(partner)s is the partner of Saleor user %(user)s and cannot become another user's.")
                self.report(node, "saleor_user_id", message % {"partner": _stored_label(stored), "user": stored.saleor_user_id})
            status = self.file_status(node)
            if stored.status == PartnerStatus.TERMINATED and status and status != PartnerStatus.TERMINATED:
                self.report(node, "status", reactivation_refused_error(_stored_label(stored)))

    def check_sponsors(self) -> None:
        """A stored node is moved under another sponsor (not a terminated one). A new node
        comes with the genealogy it has, terminated sponsors included: the app keeps people
        under a sponsor who terminates."""
        plan = self.plan
        nodes, stored = self.stored_view()
        stored_sponsor = np.array([row.sponsor_id or 0 for row in stored], np.int64)
        target_node, target_pk = plan.sponsor_node[nodes], plan.sponsor_pk[nodes]
        new_pk = self.target_pks(target_node, target_pk)
        moved = (new_pk != stored_sponsor) | ((target_node >= 0) & (new_pk == 0))  # or under a partner new in the file
        plan.sponsor_changed = set(nodes[moved].tolist())
        for node in nodes[moved].tolist():
            target_node, target_pk = int(plan.sponsor_node[node]), int(plan.sponsor_pk[node])
            if (target_node >= 0 or target_pk) and self.target_status(target_node, target_pk) == PartnerStatus.TERMINATED:
                self._report_terminated(node, "sponsor_id", target_node, target_pk, _("sponsor"))

    def _report_terminated(self, node: int, column: str, target_node: int, target_pk: int, role: str) -> None:
        try:
            refuse_terminated(self.target_label(target_node, target_pk, PartnerStatus.TERMINATED), role, field=column)
        except DomainError as error:
            self.report(node, column, error)

    def check_care(self) -> None:
        """Betreuer and shares: not the sponsor, a share of at most 4 decimals or the
        sponsor's split agreement; a stored node's Betreuer that changes ends now."""
        rows, plan = self.rows, self.plan
        has_care = (plan.care_node >= 0) | (plan.care_pk > 0)
        same = has_care & (plan.care_node == plan.sponsor_node) & (plan.care_pk == plan.sponsor_pk)
        for node in np.flatnonzero(same).tolist():
            care = self.target_label(int(plan.care_node[node]), int(plan.care_pk[node]))
            self.report(node, "care_id", care_is_sponsor_error(self.label(node), care, field="care_id"))
        valid = has_care & ~same
        for millionths in np.unique(rows.share[valid & (rows.share >= 0)]).tolist():
            try:
                plan.shares[millionths] = clean_share(format(Decimal(millionths).scaleb(-6).normalize(), "f"), field="care_share")
            except DomainError as error:
                bad = valid & (rows.share == millionths)
                for node in np.flatnonzero(bad).tolist():
                    self.report(node, "care_share", error)
                valid &= ~bad
        sponsor_pks = self.target_pks(plan.sponsor_node, plan.sponsor_pk)
        with_agreement = np.isin(sponsor_pks, np.fromiter(self.agreements, np.int64, count=len(self.agreements)))
        without = valid & (rows.share < 0) & ~with_agreement
        for node in np.flatnonzero(without).tolist():
            sponsor_node, sponsor_pk = int(plan.sponsor_node[node]), int(plan.sponsor_pk[node])
            recruiter = self.target_label(sponsor_node, sponsor_pk) if sponsor_node >= 0 or sponsor_pk else None
            self.report(node, "care_share", no_split_agreement_error(recruiter, plan.now, field="care_share"))
        valid &= ~without
        is_new = (plan.partner_pk == 0) & (plan.customer_pk == 0)
        plan.care_start[:] = valid & is_new
        self._check_stored_care(valid, has_care)

    def _check_stored_care(self, valid: np.ndarray, has_care: np.ndarray) -> None:
        """A stored person's Betreuer stays when the row names it with its effective share
        now (`shares.resolve_share`), ends when the row names none, else changes."""
        plan, rows = self.plan, self.rows
        nodes, stored = self.stored_view()
        currents = [self.current_of[kind].get(pk) for kind, pk in zip(rows.is_partner[nodes].tolist(), map(int, self._stored_pks(nodes)))]
        carer_now = np.array([row.care_partner_id if row else 0 for row in currents], np.int64)
        effective = np.zeros(nodes.size, np.int64)  # millionths of the share in force now
        explicit = np.zeros(nodes.size, bool)  # the stored assignment names its share
        for at, (row, person) in enumerate(zip(currents, stored)):
            if row is not None:
                agreement = self.agreements.get(person.sponsor_id) if person.sponsor_id else None
                effective[at] = int(resolve_share(row.share, agreement)[0] * 1_000_000)
                explicit[at] = row.share is not None
        carer = self.target_pks(plan.care_node[nodes], plan.care_pk[nodes])
        share = rows.share[nodes]
        same_share = np.where(share < 0, ~explicit, share == effective)  # no share in the row: the agreement decides
        kept = has_care[nodes] & valid[nodes] & (carer > 0) & (carer == carer_now) & same_share
        for at in np.flatnonzero(~has_care[nodes] & (rows.care[nodes] == -1) & (carer_now > 0)).tolist():
            plan.care_end[int(nodes[at])] = currents[at]  # no Betreuer in the file: the stored one ends
        for at in np.flatnonzero(has_care[nodes] & valid[nodes] & ~kept).tolist():
            self._change_stored_care(int(nodes[at]), currents[at])

    def _stored_pks(self, nodes: np.ndarray) -> np.ndarray:
        return np.where(self.plan.partner_pk[nodes] > 0, self.plan.partner_pk[nodes], self.plan.customer_pk[nodes])

    def _change_stored_care(self, node: int, current: StoredCare | None) -> None:
        plan = self.plan
        care_node, care_pk = int(plan.care_node[node]), int(plan.care_pk[node])
        if self.target_status(care_node, care_pk) == PartnerStatus.TERMINATED:
            self._report_terminated(node, "care_id", care_node, care_pk, _("Betreuer"))
            return
        later = self.later_boundary(node)
        if later is not None:
            self.report(node, "care_id", overlapping_assignment_error(self.label(node), later, field="care_id"))
            return
        plan.care_start[node] = True
        if current is not None:
            plan.care_end[node] = current

    def check_cycles(self) -> None:
        """Sponsor and care edges of the network after the import, partners outside the
        file included: every cycle, reported at the row whose edge closes it."""
        rows, plan = self.rows, self.plan
        partner_nodes = np.flatnonzero(rows.is_partner)
        matched = set(plan.partner_pk[partner_nodes].tolist()) - {0}
        outside = [pk for pk in plan.stored_partners if pk not in matched]
        first_row = len(outside)
        graph_of_pk = {pk: index for index, pk in enumerate(outside)}
        graph_of_node = np.full(len(rows), -1, np.int64)
        graph_of_node[partner_nodes] = np.arange(first_row, first_row + partner_nodes.size)
        count = first_row + partner_nodes.size
        sponsor = np.full(count, -1, np.int64)
        care = np.full(count, -1, np.int64)
        for index, pk in enumerate(outside):
            sponsor_id = plan.stored_partners[pk].sponsor_id
            sponsor[index] = graph_of_pk.get(sponsor_id, -1) if sponsor_id else -1
            for row in self.care_of.get((True, pk), ()):
                care[index] = graph_of_pk.get(row.care_partner_id, -1)
        for targets, nodes, pks in ((sponsor, plan.sponsor_node, plan.sponsor_pk), (care, plan.care_node, plan.care_pk)):
            by_node = graph_of_node[np.maximum(nodes[partner_nodes], 0)]
            by_pk = _lookup(graph_of_pk, pks[partner_nodes].tolist(), -1)
            targets[first_row:] = np.where(nodes[partner_nodes] >= 0, by_node, by_pk)
        # A stored partner outside the file whose sponsor or Betreuer is a row of the file.
        for index, pk in enumerate(outside):
            stored = plan.stored_partners[pk]
            if stored.sponsor_id in matched:
                sponsor[index] = int(graph_of_node[self._node_of(stored.sponsor_id)])
            for row in self.care_of.get((True, pk), ()):
                if row.care_partner_id in matched:
                    care[index] = int(graph_of_node[self._node_of(row.care_partner_id)])
        ids = [plan.stored_partners[pk].referral_code for pk in outside] + [rows.ids[node] for node in partner_nodes.tolist()]
        for error in find_cycles(ids, sponsor, care):
            if error.node < first_row:  # stored data that is cyclic already
                self.errors.add(self.rows.error(0, "id", str(error)))
                continue
            node = int(partner_nodes[error.node - first_row])
            target = sponsor[error.node] if error.field == "sponsor" else care[error.node]
            self.errors.add(rows.cycle_error(error, node, ids[target]))

    def _node_of(self, pk: int) -> int:
        if not hasattr(self, "_node_of_pk"):
            self._node_of_pk = {int(pk): node for node, pk in enumerate(self.plan.partner_pk.tolist()) if pk}
        return self._node_of_pk[pk]

    def check_balances(self) -> None:
        given = self.file.balance
        if not given:
            return
        stored = self.settlement.opening_balances()
        for node, amount in given.items():
            pk = int(self.plan.partner_pk[node])
            difference = amount - stored.get(pk, Decimal(0)) if pk else amount
            if difference:
                self.plan.balances[node] = difference
        if self.plan.balances:
            refused = self.settlement.approval_error()
            if refused is not None:
                self.report(min(self.plan.balances), "balance", "; ".join(refused.messages))

    def count(self) -> None:
        """Compare stored people's details with their rows; count created, updated, unchanged.
        Field by field over all stored people (a later file names a million of them)."""
        file, plan, rows = self.file, self.plan, self.rows
        new = (plan.partner_pk == 0) & (plan.customer_pk == 0)
        plan.partners.created = int((new & rows.is_partner).sum())
        plan.customers.created = int((new & ~rows.is_partner).sum())
        nodes, stored = self.stored_view()
        is_partner = rows.is_partner[nodes]
        changed: dict[str, np.ndarray] = {}
        for name in PARTNER_DETAILS + ("imported_career_rank",):
            values = file.career_rank if name == "imported_career_rank" else getattr(file, name)
            given = list(map(values.__getitem__, nodes.tolist()))
            old = [getattr(row, name, "") for row in stored] if not is_partner.all() else list(map(attrgetter(name), stored))
            if given == old:
                continue  # the whole column as stored (a file imported again)
            # An empty cell leaves the stored value: only a given, other value is a change.
            has_value = np.fromiter(map(len, given), np.int64, count=nodes.size) > 0
            differs = has_value & (np.array(given, dtype=object) != np.array(old, dtype=object))
            if name not in CUSTOMER_DETAILS:
                differs &= is_partner
            if differs.any():
                changed[name] = differs
                for at in np.flatnonzero(differs).tolist():
                    plan.details.setdefault(int(nodes[at]), {})[name] = (old[at], given[at])
        stored_status = _lookup(STATUS_CODES, [getattr(row, "status", "") for row in stored], -1)
        file_status = rows.status[nodes]
        plan.status_changed = set(nodes[is_partner & (file_status >= 0) & (file_status != stored_status)].tolist())
        touched = np.zeros(nodes.size, bool)
        for differs in changed.values():
            touched |= differs
        others = plan.sponsor_changed | plan.status_changed | set(plan.care_end) | set(plan.balances)
        touched |= plan.care_start[nodes] | np.isin(nodes, np.fromiter(others, np.int64, count=len(others)))
        plan.partners.updated = int((touched & is_partner).sum())
        plan.partners.unchanged = int((~touched & is_partner).sum())
        plan.customers.updated = int((touched & ~is_partner).sum())
        plan.customers.unchanged = int((~touched & ~is_partner).sum())


STATUS_CODES = {name: code for code, name in enumerate(STATUS_NAMES)}


def plan_import(file: ImportFile, installation_id: int, now: datetime, errors: ExchangeErrors, settlement=None) -> ImportPlan:
    """Match and check `file` against the stored network; problems go to `errors`."""
    return _Planner(file, installation_id, now, errors, settlement).run()
