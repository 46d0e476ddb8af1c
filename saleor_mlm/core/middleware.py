import logging
import time

from .logging import loggable_path

logger = logging.getLogger("saleor_mlm.request")


class RequestLogMiddleware:
    """One structured line per request: method, path, status and duration.

    The path is logged without its query string, and for views that take a credential in
    the path (signed download links) as the route's pattern: see `logging.loggable_path`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "path": loggable_path(request),
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            },
        )
        return response
