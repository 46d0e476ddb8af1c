"""The Saleor boundary: what Saleor sends and how, as plain Python, with no models.

- `events`: the webhook events the app subscribes to and their subscription documents
  (`subscriptions/*.graphql`), read by the manifest (installations) and the receiver
  (webhooks).
- `payloads`: webhook bodies parsed into typed, bounded dataclasses; the domains (orders,
  ledger) take these types, never a raw dict.
- `signing`: signing bodies the way Saleor does, for the demo, the tests and benchmarks.

It sits low (docs/architecture.md, "Layers"): installations, the domains and the webhook
receiver all build on it, and it imports nothing of saleor_mlm but `core`.
"""
