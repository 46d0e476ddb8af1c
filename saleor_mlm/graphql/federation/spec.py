"""The parts of the Apollo Federation subgraph spec the app speaks, on graphene 3.

- `_Any`: a representation `{__typename, <key fields>}` as the gateway sends it;
- `_service { sdl }`: the subgraph SDL (`sdl.py`);
- `_entities(representations: [_Any!]!): [_Entity]!`: the entities of the
  representations, in their order; each type resolves its representations in one batch
  (`Entity.resolve_references`). A representation that cannot be resolved, or an entity
  the requestor may not see, is null in the list with an error at its index, never data.

Why not the graphene-federation package: docs/adr/0008-federation-subgraph.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import graphene
from django.utils.translation import gettext as _
from graphql import GraphQLError, value_from_ast_untyped

# Representations one `_entities` call may carry: a gateway sends every entity of one
# step of its plan in one call (an order list's page, at most 100 items, is one call).
MAX_REPRESENTATIONS = 100


class _Any(graphene.Scalar):
    """A representation of an entity: `__typename` and the fields of its key."""

    @staticmethod
    def serialize(value):
        return value

    @staticmethod
    def parse_value(value):
        return value

    @staticmethod
    def parse_literal(node, _variables=None):
        return value_from_ast_untyped(node, _variables)


class _Service(graphene.ObjectType):
    sdl = graphene.String(required=True, description="The subgraph's schema with the federation directives.")

    class Meta:
        description = "The subgraph's manifest, as the federation spec defines it."


@dataclass(frozen=True)
class Entity:
    """A type the gateway may ask `_entities` for: its graphene type, the model classes
    (or reference classes) its resolved objects are instances of, and the batch resolver
    `(info, representations) -> [object, None or GraphQLError per representation]`."""

    type: type[graphene.ObjectType]
    instance_types: tuple[type, ...]
    resolve_references: Callable[[Any, Sequence[dict]], list]
    key: str = "id"


class EntityError(GraphQLError):
    def __init__(self, message: str, code: str = "INVALID_REPRESENTATION"):
        super().__init__(message, extensions={"code": code})


def entity_union(entities: Sequence[Entity]) -> type[graphene.Union]:
    """The `_Entity` union of the entities' types; an object's type is found by its class
    (the node's class for `Visible` objects)."""
    by_class = {instance_type: entity.type for entity in entities for instance_type in entity.instance_types}

    class Meta:
        types = tuple(entity.type for entity in entities)
        description = "Every type `_entities` resolves."

    def resolve_type(cls, instance, info):
        node = getattr(instance, "node", instance)
        return by_class[type(node)]

    return type("_Entity", (graphene.Union,), {"Meta": Meta, "resolve_type": classmethod(resolve_type)})


def resolve_entities(entities: Sequence[Entity], info, representations) -> list:
    """The entities of `representations`, in their order, each type in one batch."""
    if len(representations) > MAX_REPRESENTATIONS:
        raise GraphQLError(
            _("Too many representations: %(count)s; at most %(max)s in one call.") % {"count": len(representations), "max": MAX_REPRESENTATIONS},
            extensions={"code": "TOO_MANY_REPRESENTATIONS"},
        )
    by_name = {entity.type._meta.name: entity for entity in entities}
    results: list = [None] * len(representations)
    batches: dict[str, list[int]] = defaultdict(list)
    for index, representation in enumerate(representations):
        typename = representation.get("__typename") if isinstance(representation, dict) else None
        entity = by_name.get(typename) if isinstance(typename, str) else None
        if entity is None:
            results[index] = EntityError(_("A representation needs the `__typename` of an entity of this subgraph."))
        elif not isinstance(representation.get(entity.key), str):
            results[index] = EntityError(_("A representation of %(type)s needs its key `%(key)s`.") % {"type": typename, "key": entity.key})
        else:
            batches[typename].append(index)
    for typename, indexes in batches.items():
        resolved = by_name[typename].resolve_references(info, [representations[index] for index in indexes])
        for index, value in zip(indexes, resolved, strict=True):
            results[index] = value
    return results
