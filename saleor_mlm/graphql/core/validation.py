"""Limits on what one operation may ask for: depth and cost.

Both are checked by one validation rule, so an operation over a limit is refused before
anything runs, with an error that names the limit (`extensions.code` QUERY_TOO_DEEP or
QUERY_TOO_COSTLY). Introspection (`__schema`, `__type`) is not counted.

- Depth: the longest chain of fields with selections (`me { partner { id } }` is 2).
- Cost: every field costs 1 (fields registered with `register_field_cost` more); a
  connection's `edges` (and what is below them) count once
  per item the connection may return (`first`/`last`, or the default page size), its
  `totalCount` and `pageInfo` once. So
  `partners(first: 50) { edges { node { id sponsor { id } } } }` costs 1 + 50 * 5 = 251.

Limits come from the settings `GRAPHQL_MAX_DEPTH` and `GRAPHQL_MAX_COST` when set.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from graphql import GraphQLError, get_named_type
from graphql.language import FieldNode, FragmentSpreadNode, InlineFragmentNode, OperationDefinitionNode, OperationType
from graphql.validation import ValidationRule

from .connection import DEFAULT_PAGE_SIZE

MAX_DEPTH = 12
MAX_COST = 50_000

# Fields that cost more than 1 because they compute much (see `register_field_cost`).
_FIELD_COSTS: dict[tuple[str, str], int] = {}


def register_field_cost(type_name: str, field_name: str, cost: int) -> None:
    """Make a field that computes much (a statement recomputed from a run's snapshot, a
    whole period as CSV) count as `cost` instead of 1, so that few fit in one operation."""
    _FIELD_COSTS[(type_name, field_name)] = cost


def limits_rule(variables: dict | None):
    """The depth and cost rule alone (the standard rules do not depend on variables)."""
    limits = Limits(
        max_depth=int(getattr(settings, "GRAPHQL_MAX_DEPTH", MAX_DEPTH)),
        max_cost=int(getattr(settings, "GRAPHQL_MAX_COST", MAX_COST)),
    )
    return operation_limits_rule(limits, variables or {})


@dataclass(frozen=True)
class Limits:
    max_depth: int
    max_cost: int


@dataclass(frozen=True)
class Measure:
    cost: int = 0
    depth: int = 0


def operation_limits_rule(limits: Limits, variables: dict):
    class OperationLimitsRule(ValidationRule):
        def __init__(self, context):
            super().__init__(context)
            walker = _Walker(context.schema, context.document, variables)
            roots = {
                OperationType.QUERY: context.schema.query_type,
                OperationType.MUTATION: context.schema.mutation_type,
                OperationType.SUBSCRIPTION: context.schema.subscription_type,
            }
            for definition in context.document.definitions:
                if not isinstance(definition, OperationDefinitionNode):
                    continue
                name = definition.name.value if definition.name else "anonymous"
                measure = walker.measure(definition.selection_set, roots[definition.operation])
                if measure.depth > limits.max_depth:
                    context.report_error(
                        GraphQLError(
                            f"'{name}' is nested {measure.depth} levels deep, more than the maximum of {limits.max_depth}.",
                            [definition],
                            extensions={"code": "QUERY_TOO_DEEP", "depth": measure.depth, "maxDepth": limits.max_depth},
                        )
                    )
                if measure.cost > limits.max_cost:
                    context.report_error(
                        GraphQLError(
                            f"'{name}' costs {measure.cost}, more than the maximum of {limits.max_cost}: "
                            "ask for smaller pages or fewer nested lists.",
                            [definition],
                            extensions={"code": "QUERY_TOO_COSTLY", "cost": measure.cost, "maxCost": limits.max_cost},
                        )
                    )

    return OperationLimitsRule


class _Walker:
    """Measures selection sets of one document. A fragment is measured once per page size
    it is spread under (`_fragment_measures`), however often and however deep it is spread:
    a document whose fragments each spread the next one twice is measured in as many steps
    as it has fragments, while its cost (what expanding it would mean) still doubles at
    each level and is refused."""

    def __init__(self, schema, document, variables):
        self.schema = schema
        self.variables = variables
        self.fragments = {d.name.value: d for d in document.definitions if d.kind == "fragment_definition"}
        self._fragment_measures: dict[tuple[str, int], Measure] = {}
        self._measuring: set[str] = set()

    def measure(self, selection_set, parent_type, edges_multiplier: int = 1) -> Measure:
        """Cost and depth of a selection set; `edges_multiplier` is the page size when the
        selection set is a connection's (its `edges` count once per item)."""
        cost, depth = 0, 0
        if selection_set is None or parent_type is None:
            return Measure()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                name = selection.name.value
                field = getattr(parent_type, "fields", {}).get(name)
                if name.startswith("__") or field is None:
                    continue  # introspection is free; unknown fields are reported by the standard rules
                below = self.measure(selection.selection_set, get_named_type(field.type), self.page_size(selection, field))
                field_cost = _FIELD_COSTS.get((parent_type.name, name), 1) + below.cost
                cost += field_cost * edges_multiplier if name == "edges" else field_cost
                depth = max(depth, 1 + below.depth if selection.selection_set else 0)
                continue
            if isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                fragment_type = self.schema.get_type(condition.name.value) if condition else parent_type
                below = self.measure(selection.selection_set, fragment_type, edges_multiplier)
            elif isinstance(selection, FragmentSpreadNode):
                below = self.fragment_measure(selection.name.value, edges_multiplier)
            else:
                continue
            cost += below.cost
            depth = max(depth, below.depth)
        return Measure(cost=cost, depth=depth)

    def fragment_measure(self, name: str, edges_multiplier: int) -> Measure:
        key = (name, edges_multiplier)
        known = self._fragment_measures.get(key)
        if known is not None:
            return known
        fragment = self.fragments.get(name)
        if fragment is None or name in self._measuring:
            return Measure()  # unknown or cyclic fragments are reported by the standard rules
        self._measuring.add(name)
        try:
            fragment_type = self.schema.get_type(fragment.type_condition.name.value)
            measure = self.measure(fragment.selection_set, fragment_type, edges_multiplier)
        finally:
            self._measuring.discard(name)
        self._fragment_measures[key] = measure
        return measure

    def page_size(self, node: FieldNode, field) -> int:
        """The items a connection field may return; 1 for other fields."""
        if "first" not in field.args and "last" not in field.args:
            return 1
        for argument in node.arguments or ():
            if argument.name.value in ("first", "last"):
                value = argument.value
                value = self.variables.get(value.name.value) if value.kind == "variable" else getattr(value, "value", None)
                try:
                    return max(int(value), 1)
                except (TypeError, ValueError):
                    return DEFAULT_PAGE_SIZE
        return DEFAULT_PAGE_SIZE
