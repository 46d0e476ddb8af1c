"""Writing a checked import plan: bulk inserts and updates, with the history.

Every row is written column by column (`core.bulk`): new partners and customers get their
keys first (`allocate_ids`), so a sponsor in the same file is a plain foreign key and one
INSERT per block writes the whole genealogy. Each change is recorded as the actions
record it (`NetworkChange` of kind created, sponsor, status, details, care, with the
JSON of `events`), by the person who imports and with the import named as the reason.
The caller runs this in the transaction that holds the network tree lock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

import numpy as np

from saleor_mlm.core.bulk import allocate_ids, insert_columns, update_columns

from . import AttributionSource, ChangeKind, PartnerStatus, TaxStatus, events
from .codes import generate_code
from .import_plan import ImportPlan
from .models import CareAssignment, Customer, NetworkChange, Partner, display_name

IMPORT_SOURCE = "import"  # `source` of the history rows an import writes
DEFAULT_LANGUAGE = Partner._meta.get_field("language").default
DEFAULT_CURRENCY = Partner._meta.get_field("payout_currency").default


class _Writer:
    def __init__(
        self, plan: ImportPlan, *, import_id: int, changed_by: str, reason: str, codes_are_vouchers: bool, progress: Callable[[str, int], None]
    ):
        self.plan, self.file, self.rows = plan, plan.file, plan.file.rows
        self.import_id = import_id
        self.codes_are_vouchers = codes_are_vouchers
        self.changed_by, self.reason, self.progress = changed_by, reason, progress
        self.now = plan.now
        self.changes: dict[str, list] = defaultdict(list)  # the NetworkChange columns
        count = len(self.rows)
        self.pk = np.zeros(count, np.int64)  # partner or customer key per node
        self.code = [""] * count  # partners' referral codes after the import
        self._refs: dict[int, dict] = {}  # partner pk -> its `partner_ref` (a sponsor is named many times)

    # ------------------------------------------------------------------ refs

    def node_name(self, node: int) -> str:
        file, plan = self.file, self.plan
        stored = plan.stored_partners.get(int(plan.partner_pk[node]))
        return display_name(
            file.first_name[node] or (stored.first_name if stored else ""),
            file.last_name[node] or (stored.last_name if stored else ""),
            file.email[node] or (stored.email if stored else ""),
        )

    def sponsor_of(self, node: int) -> int | None:
        return self._target(self.plan.sponsor_node, self.plan.sponsor_pk, node)

    def care_of(self, node: int) -> int | None:
        return self._target(self.plan.care_node, self.plan.care_pk, node)

    def _target(self, nodes, pks, node: int) -> int | None:
        """The key of a node's sponsor or Betreuer after the import (None: none)."""
        target = int(nodes[node])
        if target >= 0:
            return int(self.pk[target])
        return int(pks[node]) or None

    def ref_of_pk(self, pk: int | None) -> dict | None:
        if pk is None:
            return None
        ref = self._refs.get(pk)
        if ref is None:
            ref = self._refs[pk] = self._ref_of_pk(pk)
        return ref

    def _ref_of_pk(self, pk: int) -> dict:
        node = self._node_of_pk.get(pk)
        if node is not None:
            return events.partner_ref_value(pk, self.code[node], self.node_name(node))
        stored = self.plan.stored_partners[pk]
        return events.partner_ref_value(pk, stored.referral_code, display_name(stored.first_name, stored.last_name, stored.email))

    def record(self, kind: str, node: int | None, old_value, new_value) -> None:
        """A change of a stored person (`node`), or of none (the import's creations)."""
        is_partner = node is not None and bool(self.rows.is_partner[node])
        self.changes["kind"].append(kind)
        self.changes["partner_id"].append(int(self.pk[node]) if is_partner else None)
        self.changes["customer_id"].append(int(self.pk[node]) if node is not None and not is_partner else None)
        self.changes["old_value"].append(old_value)
        self.changes["new_value"].append(new_value)

    # ------------------------------------------------------------------ steps

    def run(self) -> None:
        self.keys()
        self.progress("writing", 10)
        self.insert_partners()
        self.progress("writing", 40)
        self.update_partners()
        self.insert_customers()
        self.update_customers()
        self.progress("writing", 60)
        self.write_care()
        if self.new_partners or self.new_customers:
            new_value = events.imported_value(
                source=IMPORT_SOURCE, import_id=self.import_id, file=self.file.name, partners=len(self.new_partners), customers=len(self.new_customers)
            )
            self.record(ChangeKind.CREATED, None, None, new_value)
        self.progress("writing", 70)
        insert_columns(
            NetworkChange,
            len(self.changes["kind"]),
            dict(self.changes),
            {"installation": self.plan.installation_id, "changed_by": self.changed_by, "reason": self.reason, "created_at": self.now},
        )
        self.progress("writing", 95)

    def keys(self) -> None:
        """Codes for new partners that come without one, keys for the new people.

        New partners get their keys in the order of their codes, customers in the order
        of their e-mails: the primary key and four of the partners' indexes (codes and
        voucher codes, as such and upper case) then grow at their end instead of at
        random places, which at a million rows is most of the database's work.
        """
        plan, file, rows = self.plan, self.file, self.rows
        partners = np.flatnonzero(rows.is_partner)
        taken = {row.referral_code.upper() for row in plan.stored_partners.values()}
        taken |= {row.voucher_code.upper() for row in plan.stored_partners.values() if row.voucher_code}
        taken |= set(file.referral_code)
        for node in partners.tolist():
            code = file.referral_code[node]
            if not code and plan.partner_pk[node]:
                code = plan.stored_partners[int(plan.partner_pk[node])].referral_code
            while not code:
                drawn = generate_code()
                if drawn not in taken:
                    taken.add(drawn)
                    code = drawn
            self.code[node] = code
        self.pk[partners] = plan.partner_pk[partners]
        new = sorted(partners[plan.partner_pk[partners] == 0].tolist(), key=self.code.__getitem__)
        self.pk[np.asarray(new, np.int64)] = allocate_ids(Partner, len(new))
        customers = np.flatnonzero(~rows.is_partner)
        self.pk[customers] = plan.customer_pk[customers]
        new_customers = sorted(customers[plan.customer_pk[customers] == 0].tolist(), key=file.email_key.__getitem__)
        self.pk[np.asarray(new_customers, np.int64)] = allocate_ids(Customer, len(new_customers))
        self._node_of_pk = {int(self.pk[n]): n for n in partners.tolist()}
        self.new_partners = new
        self.new_customers = new_customers

    def person_columns(self, nodes: list[int]) -> dict[str, list]:
        """Key and details of new partners or customers, column by column."""
        file = self.file
        return {
            "id": self.pk[nodes].tolist(),
            "saleor_user_id": [file.saleor_user_id[n] for n in nodes],
            "email": [file.email[n] for n in nodes],
            "first_name": [file.first_name[n] for n in nodes],
            "last_name": [file.last_name[n] for n in nodes],
        }

    def insert_partners(self) -> None:
        file, nodes = self.file, self.new_partners
        status = [self.status(node) for node in nodes]
        sponsors = [self.sponsor_of(node) for node in nodes]
        insert_columns(
            Partner,
            len(nodes),
            {
                **self.person_columns(nodes),
                "referral_code": [self.code[n] for n in nodes],
                "sponsor": sponsors,
                "status": status,
                "status_reason": [self.reason if value != PartnerStatus.ACTIVE else "" for value in status],
                "country": [file.country[n] for n in nodes],
                "language": [file.language[n] or DEFAULT_LANGUAGE for n in nodes],
                "imported_career_rank": [file.career_rank[n] for n in nodes],
                # Without write-back to Saleor the referral code is the voucher code at once
                # (as `vouchers.issue_partner_voucher_code` stores it); otherwise the task does.
                "voucher_code": [self.code[n] for n in nodes] if self.codes_are_vouchers else [""] * len(nodes),
            },
            {
                "installation": self.plan.installation_id,
                "status_changed_at": self.now,
                "payout_currency": DEFAULT_CURRENCY,
                "tax_status": TaxStatus.REGULAR,
                "vat_id": "",
                "enrolled_at": self.now,
                "created_at": self.now,
                "updated_at": self.now,
            },
        )

    def status(self, node: int) -> str:
        value = int(self.rows.status[node])
        return [PartnerStatus.ACTIVE, PartnerStatus.INACTIVE, PartnerStatus.TERMINATED][value]

    def _update_fields(self, model, nodes: list[int], name: str, values: list) -> None:
        update_columns(model, self.pk[nodes].tolist(), {name: values}, {"updated_at": self.now})

    def update_partners(self) -> None:
        plan = self.plan
        self._update_details(Partner, [n for n in plan.details if self.rows.is_partner[n]])
        moved = sorted(n for n in plan.sponsor_changed if self.rows.is_partner[n])
        if moved:
            self._update_fields(Partner, moved, "sponsor", [self.sponsor_of(n) for n in moved])
        for node in moved:
            old = plan.stored_partners[int(plan.partner_pk[node])].sponsor_id
            self.record(ChangeKind.SPONSOR, node, *events.sponsor_values(self.ref_of_pk(old), self.ref_of_pk(self.sponsor_of(node)), IMPORT_SOURCE))
        statuses = sorted(plan.status_changed)
        if statuses:
            values = [self.status(n) for n in statuses]
            update_columns(
                Partner,
                self.pk[statuses].tolist(),
                {"status": values, "status_reason": [self.reason] * len(statuses)},
                {"status_changed_at": self.now, "updated_at": self.now},
            )
            for node, value in zip(statuses, values, strict=True):
                old = plan.stored_partners[int(plan.partner_pk[node])].status
                self.record(ChangeKind.STATUS, node, *events.status_values(old, value))

    def _update_details(self, model, nodes: list[int]) -> None:
        by_field: dict[str, list[int]] = defaultdict(list)
        for node in nodes:
            for name in self.plan.details[node]:
                by_field[name].append(node)
        for name, changed in by_field.items():
            self._update_fields(model, changed, name, [self.plan.details[n][name][1] for n in changed])
        for node in nodes:
            details = self.plan.details[node]
            self.record(ChangeKind.DETAILS, node, {k: v[0] for k, v in details.items()}, {k: v[1] for k, v in details.items()})

    def insert_customers(self) -> None:
        nodes = self.new_customers
        sponsors = [self.sponsor_of(node) for node in nodes]
        insert_columns(
            Customer,
            len(nodes),
            {
                **self.person_columns(nodes),
                "sponsor": sponsors,
                "attribution_source": [AttributionSource.MANUAL if pk else AttributionSource.NONE for pk in sponsors],
                "attributed_at": [self.now if pk else None for pk in sponsors],
            },
            {"installation": self.plan.installation_id, "created_at": self.now, "updated_at": self.now},
        )

    def update_customers(self) -> None:
        plan = self.plan
        self._update_details(Customer, [n for n in plan.details if not self.rows.is_partner[n]])
        moved = sorted(n for n in plan.sponsor_changed if not self.rows.is_partner[n])
        if not moved:
            return
        sponsors = [self.sponsor_of(n) for n in moved]
        update_columns(
            Customer,
            self.pk[moved].tolist(),
            {
                "sponsor": sponsors,
                "attribution_source": [AttributionSource.MANUAL if pk else AttributionSource.NONE for pk in sponsors],
                "attributed_at": [self.now if pk else None for pk in sponsors],
            },
            {"updated_at": self.now},
        )
        for node, sponsor_pk in zip(moved, sponsors, strict=True):
            old = plan.stored_customers[int(plan.customer_pk[node])].sponsor_id
            self.record(ChangeKind.SPONSOR, node, *events.sponsor_values(self.ref_of_pk(old), self.ref_of_pk(sponsor_pk), AttributionSource.MANUAL))

    def write_care(self) -> None:
        """End the Betreuer that change, then start the new ones (a node has one open
        assignment at a time: the unique index is checked row by row)."""
        plan, rows = self.plan, self.rows
        starting = sorted(np.flatnonzero(plan.care_start).tolist(), key=lambda node: (bool(rows.is_partner[node]), int(self.pk[node])))
        ending = sorted(plan.care_end)
        update_columns(CareAssignment, [plan.care_end[n].id for n in ending], {}, {"valid_to": self.now})
        previous = {}
        for node in ending:
            current = plan.care_end[node]
            ref = events.care_ref_value(current.id, self.ref_of_pk(current.care_partner_id), current.share, current.valid_from, self.now)
            previous[node] = ref
            if not plan.care_start[node]:
                self.record(ChangeKind.CARE, node, *events.care_unassigned_values(ref, self.now))
        ids = allocate_ids(CareAssignment, len(starting))
        is_partner = rows.is_partner[starting].tolist()
        shares = [plan.share(n) for n in starting]
        carers = [self.care_of(n) for n in starting]
        insert_columns(
            CareAssignment,
            len(starting),
            {
                "id": ids,
                "partner": [int(self.pk[n]) if p else None for n, p in zip(starting, is_partner, strict=True)],
                "customer": [None if p else int(self.pk[n]) for n, p in zip(starting, is_partner, strict=True)],
                "care_partner": carers,
                "share": shares,
            },
            {
                "installation": plan.installation_id,
                "valid_from": self.now,
                "set_by": self.changed_by,
                "reason": self.reason,
                "created_at": self.now,
            },
        )
        stored = (plan.partner_pk > 0) | (plan.customer_pk > 0)
        for node, pk, share, carer in zip(starting, ids, shares, carers, strict=True):
            if stored[node]:  # a new person's Betreuer is part of its creation
                new = events.care_ref_value(pk, self.ref_of_pk(carer), share, self.now, None)
                self.record(ChangeKind.CARE, node, {"care": previous.get(node)}, {"care": new})


def write_import(
    plan: ImportPlan, *, import_id: int, changed_by: str, reason: str, codes_are_vouchers: bool, progress: Callable[[str, int], None]
) -> dict[int, int]:
    """Write `plan`; returns the key of every partner row (node -> pk), for what follows
    (opening balances). `codes_are_vouchers`: nothing is written back to Saleor, new
    partners' referral codes are their voucher codes at once."""
    writer = _Writer(plan, import_id=import_id, changed_by=changed_by, reason=reason, codes_are_vouchers=codes_are_vouchers, progress=progress)
    writer.run()
    partners = np.flatnonzero(plan.file.rows.is_partner).tolist()
    return {node: int(writer.pk[node]) for node in partners}


def opening_balance_amounts(plan: ImportPlan, partner_keys: dict[int, int]) -> dict[int, Decimal]:
    """partner pk -> amount to add to its opening balance."""
    return {partner_keys[node]: amount for node, amount in plan.balances.items()}
