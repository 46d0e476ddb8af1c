"""The `/graphql/` endpoint.

POST `application/json` `{query, variables, operationName}` runs an operation; GET with
`?query=` runs a query (never a mutation); GET from a browser shows GraphiQL. The
endpoint is called from storefronts on other origins and from the Dashboard iframe, so
it answers CORS preflights. Credentials travel in headers, never in cookies, so there is
nothing for CSRF to forge.

A body that is not one operation as a JSON object (invalid JSON, JSON nested deeper than
the parser's stack, another JSON value, a `query` that is not a string, `variables` that
are not an object) is answered 400 with a message (`BAD_REQUEST`), never 500.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from .api import schema
from .auth import AuthenticationFailed, resolve_requestor
from .core.context import context_for_request
from .core.execution import run_operation

CORS_ALLOWED_HEADERS = "authorization, authorization-bearer, saleor-api-url, content-type, accept-language"


@method_decorator(csrf_exempt, name="dispatch")
class GraphQLView(View):
    http_method_names = ["get", "post", "options"]
    # The page a browser's GET without a query gets (GraphiQL): a page of the dashboard's
    # build, above the API, handed in by the root URLs. Without one the GET runs the query.
    graphiql: Callable[[HttpRequest], HttpResponse] | None = None

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        return _with_cors(request, response)

    def options(self, request, *args, **kwargs):
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = CORS_ALLOWED_HEADERS
        response["Access-Control-Max-Age"] = "86400"
        return response

    def get(self, request):
        if self.graphiql is not None and "query" not in request.GET and _wants_html(request):
            return self.graphiql(request)
        try:
            variables = _json(request.GET["variables"]) if request.GET.get("variables") else None
        except ValueError:
            return _error_response(_("`variables` is not valid JSON."), "BAD_REQUEST", 400)
        return self._execute(request, request.GET.get("query", ""), variables, request.GET.get("operationName"), allow_mutations=False)

    def post(self, request):
        try:
            body = _json(request.body or b"{}")
        except ValueError:
            return _error_response(_("The body is not valid JSON."), "BAD_REQUEST", 400)
        if not isinstance(body, dict):
            return _error_response(_("Send one operation as a JSON object; batches are not supported."), "BAD_REQUEST", 400)
        return self._execute(request, body.get("query") or "", body.get("variables"), body.get("operationName"))

    def _execute(self, request, query, variables, operation_name, allow_mutations=True):
        if not isinstance(query, str):
            return _error_response(_("`query` must be a string: the GraphQL document."), "BAD_REQUEST", 400)
        if variables is not None and not isinstance(variables, dict):
            return _error_response(_("`variables` must be a JSON object."), "BAD_REQUEST", 400)
        if operation_name is not None and not isinstance(operation_name, str):
            return _error_response(_("`operationName` must be a string."), "BAD_REQUEST", 400)
        try:
            requestor = resolve_requestor(request)
        except AuthenticationFailed as failure:
            return _error_response(failure.message, failure.code, 401)
        context = context_for_request(request, requestor)
        result = run_operation(schema, query, variables, operation_name, context, allow_mutations=allow_mutations)
        return JsonResponse(result.body, status=result.status)


def _json(text: str | bytes):
    """The JSON value of a request; ValueError for invalid JSON, also for JSON nested
    deeper than the decoder's recursion limit (`[[[[...`)."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def _error_response(message: str, code: str, status: int) -> JsonResponse:
    return JsonResponse({"errors": [{"message": message, "extensions": {"code": code}}]}, status=status)


def _wants_html(request) -> bool:
    accept = request.headers.get("Accept", "")
    return "text/html" in accept


def _with_cors(request, response):
    origin = request.headers.get("Origin")
    if not origin:
        return response
    allowed = getattr(settings, "GRAPHQL_CORS_ALLOWED_ORIGINS", ["*"])
    if "*" in allowed:
        response["Access-Control-Allow-Origin"] = "*"
    elif origin in allowed:
        response["Access-Control-Allow-Origin"] = origin
        response["Vary"] = "Origin"
    return response
