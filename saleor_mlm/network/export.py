"""`saleor-mlm network export FILE.csv`: the network in the import's format.

The engine's `partners.csv` columns (`id,kind,sponsor_id,care_id,care_share,status,
career_rank`, `network_partner_rows`) followed by the people's details. Ids are the
network's node ids (`p<pk>`, `c<pk>`); `care_share` is the effective share now;
`career_rank` the one a partner was imported with. There is no `balance` column: the
balances are the periods' (statements), and an import leaves an opening balance alone
where the column is missing. Importing the exported file changes nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Callable

from saleor_mlm.engine.exchange import PARTNER_COLUMNS

from .fetch import PARTNER, load_network_arrays
from .models import Customer, Partner

EXPORT_COLUMNS = (*PARTNER_COLUMNS, "email", "first_name", "last_name", "referral_code", "saleor_user_id", "country", "language")
PARTNER_DETAILS = ("id", "email", "first_name", "last_name", "referral_code", "saleor_user_id", "country", "language", "imported_career_rank")
CUSTOMER_DETAILS = ("id", "email", "first_name", "last_name", "saleor_user_id")
BLOCK = 20_000  # rows per write and per query round trip


def export_network(installation, handle, progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Write the installation's network to the text file `handle`; (partners, customers)."""
    arrays = load_network_arrays(installation)
    partners = Partner.objects.filter(installation=installation).order_by("id").values_list(*PARTNER_DETAILS)
    customers = Customer.objects.filter(installation=installation).order_by("id").values_list(*CUSTOMER_DETAILS)
    details = partners.iterator(chunk_size=BLOCK)
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    ids, count = arrays.ids, len(arrays)
    block = []
    for node in range(count):
        if node == arrays.partner_count:
            details = customers.iterator(chunk_size=BLOCK)
        is_partner = arrays.kinds[node] == PARTNER
        row = next(details)[1:]  # without the key: rows come in the order of the arrays
        if is_partner:
            email, first_name, last_name, code, user, country, language, career = row
        else:
            (email, first_name, last_name, user), code, country, language, career = row, "", "", "", ""
        sponsor, care = arrays.sponsor[node], arrays.care[node]
        block.append(
            (
                ids[node], arrays.kinds[node], ids[sponsor] if sponsor >= 0 else "", ids[care] if care >= 0 else "",
                arrays.care_share[node], arrays.statuses[node], career,
                email, first_name, last_name, code, user, country, language,
            )
        )  # fmt: skip
        if len(block) >= BLOCK:
            writer.writerows(block)
            block = []
            if progress is not None:
                progress(100 * (node + 1) // count)
    writer.writerows(block)
    return arrays.partner_count, count - arrays.partner_count
