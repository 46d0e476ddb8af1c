"""What the packages above the periods do at a period's steps.

The periods do not import the money that builds on them (docs/architecture.md, "Layers"):
the balances (`payouts`) and the credit notes (`credit_notes`) sit above them. Settings name
what those packages do at each step, as dotted paths of callables; each runs inside the
step's transaction, in the order listed:

- `PERIOD_RUN_SETTINGS`: `settings(period) -> dict`, merged into a new run's settings (the
  minimum payout in force, which its balances use);
- `PERIOD_CLOSE_PERSIST_STEPS`: `step(period, run, partner_pk, totals, minor_digits) -> dict`
  when a close run's rows are persisted (the balances); the dicts they return become
  sections of the run's summary;
- `PERIOD_REOPENED_STEPS`: `step(period)` when a period is re-opened (its balances go);
- `PERIOD_COMMITTED_STEPS`: `step(period, committed_by)` when a period is committed (the
  credit notes).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


def period_steps(setting: str) -> list[Callable]:
    """The callables a setting of the module doc names; a wrong path is a configuration error."""
    try:
        return [import_string(path) for path in getattr(settings, setting)]
    except ImportError as error:
        raise ImproperlyConfigured(f"{setting}: {error}") from error
