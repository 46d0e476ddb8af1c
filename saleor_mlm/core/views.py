import logging
import os

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .health import HealthCheckResult, registered_health_checks
from .startup import MIGRATE_COMMAND, demo_enabled, pending_migrations

logger = logging.getLogger(__name__)

HOME_PAGE = """<!doctype html>
<html lang="{language}"><head><meta charset="utf-8"><title>Saleor MLM</title></head>
<body style="font-family: system-ui, sans-serif; margin: 2rem; max-width: 40rem">
<h1>Saleor MLM</h1>
<p>{about}</p>
<p>{install}</p>
<pre>{manifest_url}</pre>
</body></html>
"""


@require_http_methods(["GET", "HEAD"])
def home(request):
    """`/`: the demo opens its pages; a deployment says what it is and how it is installed.

    The app's pages live in the Saleor Dashboard (they need its token), so a deployment's
    `/` shows no data, only the manifest URL a merchant installs the app with (public by
    nature: Saleor fetches it).
    """
    if demo_enabled(os.environ):
        return HttpResponseRedirect("/dashboard/")
    base_url = settings.APP_URL or request.build_absolute_uri("/").rstrip("/")
    page = HOME_PAGE.format(
        language=escape(get_language()),
        about=escape(_("Network marketing for Saleor, as a Saleor App. Its pages open inside the Saleor Dashboard.")),
        install=escape(_("Install it in the Dashboard (Apps, Install external app) with this manifest URL:")),
        manifest_url=escape(f"{base_url}/api/manifest"),
    )
    return HttpResponse(page, content_type="text/html; charset=utf-8")


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


# Once every migration is applied, it stays so for the code this process runs: checked
# until then, not on every probe (loading the migration graph reads every migration file).
_migrated = False


def _check_migrations() -> HealthCheckResult:
    """Migrations the database lacks (a deploy that did not run `saleor-mlm migrate`)."""
    global _migrated
    if _migrated:
        return HealthCheckResult("ok", True)
    pending = pending_migrations()
    if not pending:
        _migrated = True
        return HealthCheckResult("ok", True)
    detail = {"pending": len(pending), "first": pending[0], "command": MIGRATE_COMMAND}
    return HealthCheckResult(f"pending: {len(pending)}", False, detail)


def _check_broker() -> str:
    if not settings.CELERY_BROKER_URL:
        return "eager"  # no broker configured: tasks run in-process
    from saleor_mlm.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def healthz(request):
    """Liveness and readiness: the database and the broker must answer, the database must
    be migrated (503 with the migrations it lacks and the command that applies them under
    "details" while a deploy has not run it), and the checks of the domain apps
    (core.health) must pass: a webhook backlog older than its alert
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
    for name, check in {"migrations": _check_migrations, **registered_health_checks()}.items():
        # The domain apps' checks read their tables: not before the database has them.
        if name in skipped or checks["database"] != "ok" or checks.get("migrations", "ok") != "ok":
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
