"""One person's data as JSON (GDPR Art. 15 access, Art. 20 portability).

What a person gets: their record (and the customer record a partner came from), their
orders, and every row of the shop whose subject they are, i.e. whose `partner` or
`customer` column names them: their history, Betreuer assignments, ledger entries, order
attributions, period results, balances, adjustments, payout holds, vouchers, and whatever
model is added with such a column (credit notes). Rows that only *refer* to them (their
customers, their downline, `sponsor`, `care_partner`) belong to the other people and are
left out (Art. 15(4)); the sponsor is named by referral code only.
"""

from __future__ import annotations

from django.utils import timezone

from saleor_mlm.network.models import Customer, Partner

from . import PersonKind
from .erasure import orders_of
from .inventory import installation_models, rows_of
from .serialize import exported_fields, row_dict

FORMAT = "saleor-mlm person export 1"
SUBJECT_FIELDS = ("partner", "customer")


def export_person(person: Partner | Customer) -> dict:
    """Everything the app keeps about `person`, as one JSON document."""
    kind = PersonKind.PARTNER if isinstance(person, Partner) else PersonKind.CUSTOMER
    people = [person]
    if kind == PersonKind.PARTNER:
        people += list(Customer.objects.filter(converted_to=person))
    document = {
        "format": FORMAT,
        "exported_at": timezone.now().isoformat(),
        "shop": person.installation.saleor_api_url,
        "kind": kind,
        "record": row_dict(person, exported_fields(type(person))),
        "sponsor_referral_code": person.sponsor.referral_code if person.sponsor_id else None,
        "former_customer_records": [row_dict(customer, exported_fields(Customer)) for customer in people[1:]],
        "orders": [],
        "rows": {},
    }
    order_fields = None
    seen_orders = set()
    for someone in people:
        for order in orders_of(someone, full=True):
            if order.pk in seen_orders:
                continue
            seen_orders.add(order.pk)
            order_fields = order_fields or exported_fields(type(order))
            document["orders"].append(row_dict(order, order_fields))
    for model in installation_models():
        subject = [field for field in model._meta.concrete_fields if field.name in SUBJECT_FIELDS and field.is_relation]
        if not subject or model in (Partner, Customer):
            continue
        fields = exported_fields(model)
        rows = []
        for someone in people:
            field = next((f for f in subject if f.related_model is type(someone)), None)
            if field is None:
                continue
            for row in rows_of(model, person.installation).filter(**{field.name: someone}).order_by("pk").iterator():
                rows.append(row_dict(row, fields))
        if rows:
            document["rows"][model._meta.label] = rows
    return document
