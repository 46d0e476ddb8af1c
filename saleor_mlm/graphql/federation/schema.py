"""The federation's root fields, mixed into the API's Query (api.py)."""

from __future__ import annotations

import graphene

from .entities import ENTITIES
from .sdl import subgraph_sdl
from .spec import _Any, _Service, entity_union, resolve_entities

_Entity = entity_union(ENTITIES)


def service_sdl(graphql_schema) -> str:
    """The subgraph SDL of the schema (`_service { sdl }`, graphql/subgraph.graphql)."""
    return subgraph_sdl(graphql_schema, tuple(entity.type._meta.name for entity in ENTITIES))


class FederationQueries(graphene.ObjectType):
    entities = graphene.Field(
        graphene.NonNull(graphene.List(_Entity)),
        name="_entities",
        representations=graphene.Argument(graphene.NonNull(graphene.List(graphene.NonNull(_Any)))),
        description="Federation: the entities of the representations a gateway sends, in their order; null with an "
        "error for those the requestor may not see.",
    )
    service = graphene.Field(graphene.NonNull(_Service), name="_service", description="Federation: the subgraph's SDL.")

    @staticmethod
    def resolve_entities(root, info, representations):
        return resolve_entities(ENTITIES, info, representations)

    @staticmethod
    def resolve_service(root, info):
        return _Service(sdl=service_sdl(info.schema))
