import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse

from .health import registered_health_checks

logger = logging.getLogger(__name__)


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_broker() -> str:
    if not settings.CELERY_BROKER_URL:
        return "eager"  # no broker configured: tasks run in-process
    from saleor_mlm.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def healthz(request):
    """Liveness and readiness: the database and the broker must answer, and the checks of
    the domain apps (core.health) must pass: a webhook backlog older than its alert
    threshold answers 503 with the figures under "details". `?skip=webhooks` leaves a
    registered check out (a load balancer's probe that should not take the web processes
    out of rotation when only the worker is behind)."""
    skipped = {name.strip() for name in request.GET.get("skip", "").split(",")}
    checks, details, healthy = {}, {}, True
    for name, check in (("database", _check_database), ("broker", _check_broker)):
        try:
            checks[name] = check()
        except Exception as exc:  # any failure means unhealthy; say which and why
            logger.warning("health check failed", extra={"check": name, "error": str(exc)})
            checks[name] = f"error: {exc.__class__.__name__}"
            healthy = False
    for name, check in registered_health_checks().items():
        if name in skipped or checks["database"] != "ok":
            continue
        try:
            result = check()
        except Exception as exc:
            logger.warning("health check failed", extra={"check": name, "error": str(exc)})
            checks[name], healthy = f"error: {exc.__class__.__name__}", False
            continue
        checks[name] = result.summary
        if result.detail:
            details[name] = result.detail
        healthy = healthy and result.healthy
    body = {"status": "ok" if healthy else "error", "checks": checks}
    if details:
        body["details"] = details
    return JsonResponse(body, status=200 if healthy else 503)
