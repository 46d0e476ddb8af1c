"""Steps that settings name: how a package lets the packages above it act on its events.

A package never imports the floors above it (docs/architecture.md, "Layers"). Where one of
them must act when something happens below (the balances when a period's run is persisted,
the credit notes when it is committed, the e-mails to partners when a partner joins or a
payout is paid), a setting names what they do, as dotted paths of callables, and the
package below runs them inside its own transaction, in the order listed. The settings and
what their steps are called with are described where they are run:

- `periods.steps`: `PERIOD_RUN_SETTINGS`, `PERIOD_CLOSE_PERSIST_STEPS`,
  `PERIOD_REOPENED_STEPS`, `PERIOD_COMMITTED_STEPS`;
- `network.events.changes_recorded`: `NETWORK_CHANGE_STEPS`;
- `payout_runs.events.items_changed`: `PAYOUT_ITEM_STEPS`.

A wrong path is a configuration error, raised when the step would run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


def steps_of(setting: str) -> list[Callable]:
    """The callables `setting` names."""
    try:
        return [import_string(path) for path in getattr(settings, setting)]
    except ImportError as error:
        raise ImproperlyConfigured(f"{setting}: {error}") from error


def run_steps(setting: str, *args: Any) -> None:
    """Call every step `setting` names with `args`, in order."""
    for step in steps_of(setting):
        step(*args)
