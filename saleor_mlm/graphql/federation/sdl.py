"""The subgraph SDL: what `_service { sdl }` answers, the app's schema as a gateway
composes it with Saleor's.

It is the schema the endpoint executes, with the federation directives and less what
Saleor's API already names:

- `@link` to Federation 2 and `@key(fields: "id")` on every entity (`entities.py`);
- `@shareable` on the value types Saleor defines too (`PageInfo`): both subgraphs resolve
  them, each for its own connections;
- without the root fields Saleor's API has under the same name with another type (the
  app's `me` and `customers`; through a gateway, Saleor's `me` is a `User` with
  `mlmPartner` and `mlmCustomer`), nor the federation's own fields and types, which the
  gateway adds itself;
- without the `languageCode` arguments: Saleor's `LanguageCodeEnum` has every language
  and is an output type there, so composition requires the same values in every
  subgraph, and the app has two. Through a gateway the language comes from the
  `Accept-Language` header the gateway passes on.

The endpoint still serves all of it to direct callers.

Every document the gateway plans from this SDL is a valid document of the full schema, so
the same endpoint serves the gateway and the storefronts that call it directly.
"""

from __future__ import annotations

from functools import lru_cache

from graphql import GraphQLObjectType, GraphQLSchema, parse, print_ast, print_schema
from graphql.language import REMOVE, EnumTypeDefinitionNode, InputValueDefinitionNode, ObjectTypeDefinitionNode, Visitor, visit

FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])'

# Root fields Saleor's API has with another type: left out of the SDL (see the docstring).
SALEOR_ROOT_FIELDS = frozenset({"me", "customers"})
FEDERATION_FIELDS = frozenset({"_entities", "_service"})
# Value types Saleor's API defines too, with the same fields.
SHAREABLE_TYPES = frozenset({"PageInfo"})
# Enums Saleor's API defines with other values: left out with the arguments of their type.
SALEOR_ENUMS = frozenset({"LanguageCodeEnum"})


def subgraph_sdl(schema: GraphQLSchema, entity_names: tuple[str, ...]) -> str:
    return _subgraph_sdl(schema, tuple(sorted(entity_names)))


@lru_cache(maxsize=4)
def _subgraph_sdl(schema: GraphQLSchema, entity_names: tuple[str, ...]) -> str:
    query = schema.query_type
    view = GraphQLSchema(
        query=GraphQLObjectType(
            query.name,
            {name: field for name, field in query.fields.items() if name not in SALEOR_ROOT_FIELDS | FEDERATION_FIELDS},
            description=query.description,
        ),
        mutation=schema.mutation_type,
        # Saleor's entities are reached from `_entities` only: named here.
        types=[schema.get_type(name) for name in entity_names],
    )
    directives = {name: ['@key(fields: "id")'] for name in entity_names}
    for name in SHAREABLE_TYPES:
        directives.setdefault(name, []).append("@shareable")
    document = visit(parse(print_schema(view)), _SubgraphView(directives))
    return FEDERATION_LINK + "\n\n" + print_ast(document) + "\n"


class _SubgraphView(Visitor):
    def __init__(self, directives: dict[str, list[str]]):
        super().__init__()
        self.directives = {
            name: parse(f"type T {' '.join(found)} {{ a: Int }}").definitions[0].directives for name, found in directives.items()
        }

    def enter_enum_type_definition(self, node: EnumTypeDefinitionNode, *_):
        return REMOVE if node.name.value in SALEOR_ENUMS else None

    def enter_input_value_definition(self, node: InputValueDefinitionNode, *_):
        named = node.type
        while not hasattr(named, "name"):
            named = named.type
        return REMOVE if named.name.value in SALEOR_ENUMS else None

    def enter_object_type_definition(self, node: ObjectTypeDefinitionNode, *_):
        added = self.directives.get(node.name.value)
        if not added:
            return None
        return ObjectTypeDefinitionNode(
            description=node.description, name=node.name, interfaces=node.interfaces, directives=(*node.directives, *added), fields=node.fields
        )
