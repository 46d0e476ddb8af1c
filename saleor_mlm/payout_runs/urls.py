from django.urls import path

from .views import stripe_webhook

urlpatterns = [
    path("webhooks/<int:installation_id>", stripe_webhook, name="stripe-webhook"),
]
