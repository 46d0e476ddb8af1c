"""Limits on a document as a whole, checked before the work they bound.

A document is refused (400, before anything runs) when it has

- more bytes (UTF-8) than `GRAPHQL_MAX_DOCUMENT_BYTES`: checked before anything else;
  `DOCUMENT_TOO_LARGE`;
- more tokens (names, punctuation, values; comments are bounded by the size) than
  `GRAPHQL_MAX_TOKENS`: counted by a lexer that stops at the limit, before parsing;
  `TOO_MANY_TOKENS`;
- more operations than `GRAPHQL_MAX_OPERATIONS`: `TOO_MANY_OPERATIONS`;
- more field selections (aliases included) than `GRAPHQL_MAX_FIELDS`, counted as if every
  fragment spread were replaced by its fragment: `TOO_MANY_FIELDS`. Each fragment is
  counted once (its count is kept), so a document whose fragments spread each other
  twice per level is counted in as many steps as it has fragments.

The last two are checked after parsing and before the standard validation rules (some of
which compare fields pairwise). Depth and cost, which depend on the schema and the
variables, are `validation.py`'s.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from graphql import GraphQLError
from graphql.language import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    Lexer,
    OperationDefinitionNode,
    Source,
    TokenKind,
)

MAX_DOCUMENT_BYTES = 100_000
MAX_TOKENS = 5_000
MAX_OPERATIONS = 20
MAX_FIELDS = 1_000


@dataclass(frozen=True)
class DocumentLimits:
    max_bytes: int = MAX_DOCUMENT_BYTES
    max_tokens: int = MAX_TOKENS
    max_operations: int = MAX_OPERATIONS
    max_fields: int = MAX_FIELDS

    @classmethod
    def from_settings(cls) -> DocumentLimits:
        return cls(
            max_bytes=int(getattr(settings, "GRAPHQL_MAX_DOCUMENT_BYTES", MAX_DOCUMENT_BYTES)),
            max_tokens=int(getattr(settings, "GRAPHQL_MAX_TOKENS", MAX_TOKENS)),
            max_operations=int(getattr(settings, "GRAPHQL_MAX_OPERATIONS", MAX_OPERATIONS)),
            max_fields=int(getattr(settings, "GRAPHQL_MAX_FIELDS", MAX_FIELDS)),
        )


def check_source(query: str, limits: DocumentLimits) -> None:
    """Raise a GraphQLError when the text is too large or has too many tokens; a lexical
    error within the limits raises the GraphQLSyntaxError parsing would raise."""
    if len(query) > limits.max_bytes or len(query.encode("utf-8", "surrogatepass")) > limits.max_bytes:
        raise GraphQLError(
            _("The document is larger than the maximum of %(max_bytes)s bytes.") % {"max_bytes": limits.max_bytes},
            extensions={"code": "DOCUMENT_TOO_LARGE", "maxBytes": limits.max_bytes},
        )
    lexer = Lexer(Source(query))
    tokens = 0
    while lexer.advance().kind != TokenKind.EOF:
        tokens += 1
        if tokens > limits.max_tokens:
            raise GraphQLError(
                _("The document has more than the maximum of %(max_tokens)s tokens.") % {"max_tokens": limits.max_tokens},
                extensions={"code": "TOO_MANY_TOKENS", "maxTokens": limits.max_tokens},
            )


def document_errors(document: DocumentNode, limits: DocumentLimits) -> list[GraphQLError]:
    """Too many operations or field selections (fragments expanded)."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) > limits.max_operations:
        return [
            GraphQLError(
                _("The document has %(operations)s operations, more than the maximum of %(max_operations)s.")
                % {"operations": len(operations), "max_operations": limits.max_operations},
                extensions={"code": "TOO_MANY_OPERATIONS", "operations": len(operations), "maxOperations": limits.max_operations},
            )
        ]
    fields = _FieldCounter(document).count(operations)
    if fields > limits.max_fields:
        return [
            GraphQLError(
                _("The document selects %(fields)s fields (fragments expanded), more than the maximum of %(max_fields)s.")
                % {"fields": fields, "max_fields": limits.max_fields},
                extensions={"code": "TOO_MANY_FIELDS", "fields": fields, "maxFields": limits.max_fields},
            )
        ]
    return []


class _FieldCounter:
    def __init__(self, document: DocumentNode):
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self._fragment_fields: dict[str, int] = {}
        self._counting: set[str] = set()

    def count(self, operations) -> int:
        return sum(self.selection_fields(operation.selection_set) for operation in operations)

    def selection_fields(self, selection_set) -> int:
        fields = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                fields += 1 + self.selection_fields(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                fields += self.selection_fields(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                fields += self.fragment_fields(selection.name.value)
        return fields

    def fragment_fields(self, name: str) -> int:
        known = self._fragment_fields.get(name)
        if known is not None:
            return known
        fragment = self.fragments.get(name)
        if fragment is None or name in self._counting:
            return 0  # unknown or cyclic fragments are reported by the standard rules
        self._counting.add(name)
        try:
            fields = self.selection_fields(fragment.selection_set)
        finally:
            self._counting.discard(name)
        self._fragment_fields[name] = fields
        return fields
