"""The ledger part of the API: what an order was credited with (the order widget)."""
