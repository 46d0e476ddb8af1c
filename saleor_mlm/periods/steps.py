"""What the packages above the periods do at a period's steps (the mechanism: `core.steps`).

The periods do not import the money that builds on them (docs/architecture.md, "Layers"):
the balances (`payouts`) and the credit notes (`credit_notes`) sit above them. Settings name
what those packages do at each step, as dotted paths of callables; each runs inside the
step's transaction, in the order listed:

- `PERIOD_RUN_SETTINGS`: `settings(period) -> dict`, merged into a new run's settings (the
  minimum payout in force, which its balances use);
- `PERIOD_CLOSE_PERSIST_STEPS`: `step(period, run, partner_pk, totals, minor_digits) -> dict`
  once a month, when the last of its close runs (one per program) is persisted, over every
  partner's totals of all programs added up; `run` is the default program's close run
  (the balances); the dicts they return become sections of that run's summary
  (`close_runs.persist_close_steps`);
- `PERIOD_REOPENED_STEPS`: `step(period)` when a period is re-opened (its balances go);
- `PERIOD_COMMITTED_STEPS`: `step(period, committed_by)` when a period is committed (the
  credit notes, then the e-mails that tell partners their statement is ready).
"""

from __future__ import annotations

from saleor_mlm.core.steps import steps_of as period_steps

__all__ = ["period_steps"]
