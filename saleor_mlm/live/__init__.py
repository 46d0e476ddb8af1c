"""Live volumes: every partner's PV, GV and OV of the open period, as the ledger's entries
arrive, without a run.

- `volumes`: the API (`live_volumes`, `live_volumes_bulk`, `refreshed_state`).
- `state`: the per-installation state, its refresh and rollup (the engine's).
- `feed`: reading the ledger's new rows safely while writers commit.

It sits above the ledger and the plans (it reads their entries and the plan in force) and
below the periods (the next-rank report reads it) and the API (docs/architecture.md,
"Layers").
"""
