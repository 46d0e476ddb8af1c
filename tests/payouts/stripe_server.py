"""The local Stripe of the tests: `saleor_mlm.payout_runs.local_stripe` checking every
request and answer against the parts of Stripe's OpenAPI specification kept in
`data/stripe-openapi-used.json` (tests assert `violations == []`)."""

from __future__ import annotations

import json
from pathlib import Path

from saleor_mlm.payout_runs.local_stripe import LocalStripe as _LocalStripe
from saleor_mlm.payout_runs.local_stripe import signed

SPEC = json.loads((Path(__file__).parent / "data" / "stripe-openapi-used.json").read_text())

__all__ = ["LocalStripe", "SPEC", "signed"]


def LocalStripe(secret_key: str) -> _LocalStripe:
    return _LocalStripe(secret_key, spec=SPEC)
