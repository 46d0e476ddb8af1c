"""The app's own GraphQL API: one package per domain, the schema assembled in `api.py`.

Non-GraphQL code never imports from here. Business rules live in the domain packages
(`saleor_mlm.network`, ...); this layer authenticates, checks permissions and visibility,
parses input, calls the domain actions and shapes the answer.
"""
