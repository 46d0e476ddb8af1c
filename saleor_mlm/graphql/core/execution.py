"""Running one GraphQL operation: parse, validate with our limits, execute, format.

HTTP statuses: 200 when the operation ran (errors of single fields are in `errors`
next to `data`); 400 when it could not run (syntax, validation, limits); 405 for a
mutation sent with GET. Unexpected exceptions are logged and shown as "Internal
server error" (with their message only under DEBUG).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from graphql import GraphQLError, execute, get_operation_ast, parse, validate
from graphql.language import OperationType

from .validation import validation_rules

logger = logging.getLogger("saleor_mlm.graphql")


@dataclass
class OperationResult:
    body: dict
    status: int


def run_operation(schema, query: str, variables: dict | None, operation_name: str | None, context, *, allow_mutations=True) -> OperationResult:
    graphql_schema = schema.graphql_schema
    if not query:
        return _errors_only([GraphQLError("Send a GraphQL document in `query`.")], 400)
    try:
        document = parse(query)
    except GraphQLError as error:
        return _errors_only([error], 400)
    operation = get_operation_ast(document, operation_name)
    if operation is not None and operation.operation != OperationType.QUERY and not allow_mutations:
        return _errors_only([GraphQLError("Mutations must be sent with POST.")], 405)
    errors = validate(graphql_schema, document, validation_rules(variables))
    if errors:
        return _errors_only(errors, 400)
    result = execute(graphql_schema, document, context_value=context, variable_values=variables, operation_name=operation_name)
    body = {"data": result.data}
    if result.errors:
        body["errors"] = [format_error(error) for error in result.errors]
    return OperationResult(body=body, status=200 if result.data is not None else 400)


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
