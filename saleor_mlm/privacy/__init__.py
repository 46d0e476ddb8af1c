"""Privacy: what the GDPR asks of the data the app keeps (docs/privacy.md).

- `erasure`: a partner's or customer's erasure (Art. 17), pseudonymised everywhere, the
  bookings kept for the legal retention.
- `person_export`: one person's data as JSON (Art. 15 access, Art. 20 portability).
- `installation_export`, `installation_delete`: all data of a shop, and its removal when the
  merchant leaves.
- `inventory`: where the data is (every model of the app, found from its foreign keys).

The package sits above the domains it reads and rewrites (network, orders, ledger,
periods, payouts, webhooks); none of them imports it.
"""


class PersonKind:
    """Whose data: a partner's or a customer's."""

    PARTNER = "partner"  # a network.Partner (and the customer record it came from)
    CUSTOMER = "customer"  # a network.Customer

    CHOICES = [(PARTNER, "Partner"), (CUSTOMER, "Customer")]
