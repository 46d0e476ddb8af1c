"""Structured (JSON lines) logging for production log collectors, lines for people
(`LOG_FORMAT=text`) with the same fields, and what logs may show of a request.

A signed download link (a statements CSV, `graphql/periods/exports.py`) is a credential for
as long as it is valid: whoever reads it in a log could download the file. Views that take
such a credential in their path are marked with `secret_in_path`; logs show their route
pattern (`/graphql/exports/statements/<str:token>/`) instead of the path, and no log line
carries a query string. Two places write request paths: the app's request log
(`middleware.RequestLogMiddleware`) and Django's `django.request` warnings for 4xx/5xx
answers (an expired link is a 404), which `RequestPathFilter` rewrites on the console
handler (settings.LOGGING).
"""

import json
import logging
import re
from datetime import UTC, datetime

from django.urls import Resolver404, resolve

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


# Fields of `extra=` that say what came of the work (credited, parked, skipped, refused...):
# first after the message on a text line.
OUTCOME_FIELDS = ("outcome", "status", "reason")
_PLAIN_VALUE = re.compile(r"[^\s\"=]+")


def extra_fields(record: logging.LogRecord) -> dict:
    """The values a record was given with `extra=`, the outcome fields first."""
    fields = {key: value for key, value in vars(record).items() if key not in _STANDARD and not key.startswith("_")}
    leading = {key: fields.pop(key) for key in OUTCOME_FIELDS if key in fields}
    return {**leading, **fields}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # Values passed with `extra=` become fields of their own, so logs stay queryable.
        for key, value in extra_fields(record).items():
            entry[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """`LOG_FORMAT=text`: a line for people, with what the JSON line says.

    `2026-11-02 10:00:00,123 WARNING saleor_mlm.ledger.actions order event parked
    outcome=parked reason=unknown_currency order_event=12 order=T3JkZXI6MQ==`: time, level,
    logger, message, then the fields of `extra=` as key=value, the outcome first. A value
    with spaces, quotes or line breaks is quoted as a JSON string, so a record stays one line
    (a traceback follows on lines of its own).
    """

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        record.message = record.getMessage()
        record.asctime = self.formatTime(record, self.datefmt)
        line = self.formatMessage(record)
        fields = " ".join(f"{key}={_text_value(value)}" for key, value in extra_fields(record).items())
        if fields:
            line = f"{line} {fields}"
        if record.exc_info:
            line = f"{line}\n{self.formatException(record.exc_info)}"
        if record.stack_info:
            line = f"{line}\n{self.formatStack(record.stack_info)}"
        return line


def _text_value(value) -> str:
    text = value if isinstance(value, str) else str(value)
    return text if _PLAIN_VALUE.fullmatch(text) else json.dumps(text, ensure_ascii=False)


def secret_in_path(view):
    """Mark a view whose URL path carries a credential: logs show its route, not its path."""
    view.secret_in_path = True
    return view


def loggable_path(request) -> str:
    """The request's path as logs may show it: never the query string, and the route
    pattern for a view marked `secret_in_path`."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        # Not resolved (a 404 before any view, or a redirect adding the slash): resolve the
        # path, and the path with a slash, to find out whether it names such a view.
        for candidate in (request.path_info, request.path_info.rstrip("/") + "/"):
            try:
                match = resolve(candidate)
                break
            except Resolver404:
                continue
    if match is not None and getattr(match.func, "secret_in_path", False):
        return "/" + match.route
    return request.path


class RequestPathFilter(logging.Filter):
    """Rewrite Django's request records (`django.request`: "Not Found: <path>", with the
    request in `extra`) so that they show `loggable_path` and no query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is None or not hasattr(request, "path_info"):
            return True
        path = loggable_path(request)
        if path != request.path and isinstance(record.args, tuple):
            record.args = tuple(path if arg == request.path else arg for arg in record.args)
        # The record's `request` is printed as `<WSGIRequest: GET '/path?query'>`.
        record.request = f"{request.method} {path}"
        return True
