"""Moving a business in and staying in sync with Saleor.

`saleor-mlm network import` and `customers import` (management commands here, the checks
and writing in `network.imports`) bring an existing network in, settling the opening
balances the file carries (`payouts.import_settlement`), so they sit above both.

Reconciliation with Saleor: the orders Saleor has, compared with what the ledger holds.

`saleor-mlm orders sync --since DATE` (and the nightly task, and the first install's
backfill) pages Saleor's orders with the app token, records the payments, refunds and
cancellations the webhooks did not deliver through the one paid-order path
(`webhooks.use_cases`), and reports what it cannot settle (docs/sync.md).
"""


class SyncStatus:
    """Where a sync run stands."""

    RUNNING = "running"  # started, or stopped midway: `orders sync` resumes it from its cursor
    DONE = "done"  # every page was read
    FAILED = "failed"  # Saleor refused or failed for good; resumable like a running one

    CHOICES = [(RUNNING, "Running"), (DONE, "Done"), (FAILED, "Failed")]
    UNFINISHED = (RUNNING, FAILED)


class SyncTrigger:
    """Who started a run."""

    CLI = "cli"  # saleor-mlm orders sync / backfill
    NIGHTLY = "nightly"  # the beat schedule
    BACKFILL = "backfill"  # the API's ordersBackfill (the dashboard's first-install offer)

    CHOICES = [(CLI, "Command line"), (NIGHTLY, "Nightly"), (BACKFILL, "Backfill")]


class DifferenceKind:
    """What a sync found and left for a person: nothing of these orders is touched."""

    AMOUNT_MISMATCH = "amount_mismatch"  # Saleor's amounts differ from what the ledger credited
    UNKNOWN_CURRENCY = "unknown_currency"  # no exchange rate to the plan currency was ever imported
    INVALID_ORDER = "invalid_order"  # Saleor's answer for the order breaks the payload bounds

    CHOICES = [
        (AMOUNT_MISMATCH, "Amount mismatch"),
        (UNKNOWN_CURRENCY, "Unknown currency"),
        (INVALID_ORDER, "Invalid order"),
    ]
