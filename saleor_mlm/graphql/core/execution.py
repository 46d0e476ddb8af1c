"""Running one GraphQL operation: check the document's size, parse, check its shape,
validate with the standard rules and our limits, execute, format.

Every check before execution is bounded by the one before it: the size by nothing (a
length), the tokens by the size, parsing by the tokens, the counts of operations and
fields by the parsed document (each fragment counted once), the standard rules by those
counts, depth and cost by the document (each fragment measured once). See
`document_limits.py` and `validation.py`.

HTTP statuses: 200 when the operation ran (errors of single fields are in `errors`
next to `data`); 400 when it could not run (syntax, validation, limits); 405 for a
mutation sent with GET. Unexpected exceptions are logged and shown as "Internal
server error" (with their message only under DEBUG).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext as _
from graphql import GraphQLError, execute, get_operation_ast, parse, specified_rules, validate
from graphql.language import OperationType

from .document_limits import DocumentLimits, check_source, document_errors
from .leaf_fields import LeafFieldsExecutionContext
from .string_inputs import may_carry_nul, refuse_nul_arguments
from .validation import limits_rule

logger = logging.getLogger("saleor_mlm.graphql")


@dataclass
class OperationResult:
    body: dict
    status: int


def run_operation(schema, query: str, variables: dict | None, operation_name: str | None, context, *, allow_mutations=True) -> OperationResult:
    graphql_schema = schema.graphql_schema
    if not query or not isinstance(query, str):
        return _errors_only([GraphQLError("Send a GraphQL document in `query`.")], 400)
    limits = DocumentLimits.from_settings()
    try:
        if len(query) <= CACHED_DOCUMENT_SIZE:
            document, errors = _parsed_and_checked(graphql_schema, query, limits)
        else:
            document, errors = _parse_and_check(graphql_schema, query, limits)
        operation = get_operation_ast(document, operation_name)
        if operation is not None and operation.operation != OperationType.QUERY and not allow_mutations:
            return _errors_only([GraphQLError("Mutations must be sent with POST.")], 405)
        # The limits depend on the variables (page sizes): checked on every request.
        errors = errors or validate(graphql_schema, document, [limits_rule(variables)])
    except GraphQLError as error:
        return _errors_only([error], 400)
    except RecursionError:
        # The parser and the rules bound nesting themselves (graphql-core 3.2.14 and later);
        # with older versions a document nested deeper than the stack ends here.
        return _errors_only([GraphQLError(_("The document is nested too deeply."), extensions={"code": "QUERY_TOO_DEEP"})], 400)
    if errors:
        return _errors_only(errors, 400)
    result = execute(
        graphql_schema,
        document,
        context_value=context,
        variable_values=variables,
        operation_name=operation_name,
        middleware=[refuse_nul_arguments] if may_carry_nul(query, variables) else None,
        execution_context_class=LeafFieldsExecutionContext,
    )
    body = {"data": result.data}
    if result.errors:
        body["errors"] = [format_error(error) for error in result.errors]
    return OperationResult(body=body, status=200 if result.data is not None else 400)


def _parse_and_check(graphql_schema, query: str, limits: DocumentLimits):
    """(document, errors of its shape or of the standard validation rules)."""
    check_source(query, limits)
    document = parse(query)
    errors = document_errors(document, limits)
    if errors:
        return document, tuple(errors)
    return document, tuple(validate(graphql_schema, document, specified_rules))


# Storefronts and the dashboard send the same few documents again and again: parsing and
# the standard validation run once per process, text and limits. Large texts are not kept
# (512 of them at most, so the cache stays small whatever clients send).
CACHED_DOCUMENT_SIZE = 20_000
_parsed_and_checked = lru_cache(maxsize=512)(_parse_and_check)


def format_error(error: GraphQLError) -> dict:
    original = error.original_error
    if original is not None and not isinstance(original, GraphQLError):
        logger.error("GraphQL resolver failed", exc_info=original, extra={"path": error.path})
        formatted = error.formatted
        formatted["message"] = str(original) if settings.DEBUG else "Internal server error."
        formatted["extensions"] = {"code": "INTERNAL_ERROR"}
        return formatted
    return error.formatted


def _errors_only(errors, status: int) -> OperationResult:
    return OperationResult(body={"errors": [format_error(e) for e in errors]}, status=status)
