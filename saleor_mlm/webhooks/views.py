"""POST /api/webhooks/<event>: Saleor's deliveries. The work is in actions.receive_delivery."""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from saleor_mlm.core.http import read_body
from saleor_mlm.saleor.events import EVENT_SPECS

from .actions import receive_delivery


# Saleor is not a browser: there is no CSRF token, the JWS signature authenticates it.
# The view is not wrapped in one transaction (no ATOMIC_REQUESTS) on purpose: the stored
# delivery must be committed before it is processed, so that nothing is lost if the
# broker fails.
@csrf_exempt
@require_POST
def webhook(request, event: str):
    if event not in EVENT_SPECS:
        # Not one of our subscriptions: nothing Saleor sends us, so nothing to keep.
        return JsonResponse({"error": {"message": f"unknown webhook event {event!r}"}}, status=404)
    body = read_body(request, settings.WEBHOOK_MAX_BODY_BYTES)
    if body is None:
        # Unauthenticated so far: nothing is stored, the body is not even read.
        message = gettext("the body is larger than %(limit)d bytes") % {"limit": settings.WEBHOOK_MAX_BODY_BYTES}
        return JsonResponse({"error": {"message": message}, "delivery": None}, status=413)
    result = receive_delivery(event, dict(request.headers), body)
    return JsonResponse(result.as_json(), status=result.http_status)
