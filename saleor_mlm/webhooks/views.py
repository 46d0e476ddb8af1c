"""POST /api/webhooks/<event>: Saleor's deliveries. The work is in actions.receive_delivery."""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .actions import receive_delivery
from .events import EVENT_SPECS


# Saleor is not a browser: there is no CSRF token, the JWS signature authenticates it.
# The view is not wrapped in one transaction (no ATOMIC_REQUESTS) on purpose: the stored
# delivery must be committed before it is checked, so that nothing is lost if a check or
# the broker fails.
@csrf_exempt
@require_POST
def webhook(request, event: str):
    if event not in EVENT_SPECS:
        # Not one of our subscriptions: nothing Saleor sends us, so nothing to keep.
        return JsonResponse({"error": {"message": f"unknown webhook event {event!r}"}}, status=404)
    result = receive_delivery(event, dict(request.headers), request.body)
    return JsonResponse(result.as_json(), status=result.http_status)
