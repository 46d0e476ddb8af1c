"""The API as an Apollo Federation 2 subgraph (docs/storefront.md, docs/adr/0008-federation-subgraph.md).

A gateway composes Saleor's API and this one into one endpoint: the app extends Saleor's
entities `User` (`mlmPartner`, `mlmCustomer`) and `Order` (`mlmAttribution`) and offers
its own `Partner` and `Customer` as entities keyed by id. `spec.py` holds the parts of the
federation spec (`_Any`, `_service`, `_entities`), `sdl.py` the subgraph SDL,
`entities.py` the entities and who may see them.
"""
