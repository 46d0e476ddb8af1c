from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "saleor_mlm.webhooks"
    label = "webhooks"
