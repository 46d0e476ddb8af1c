from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "saleor_mlm.webhooks"
    label = "webhooks"

    def ready(self):
        from saleor_mlm.core.health import register_health_check

        from .sweep import backlog_health

        register_health_check("webhooks", backlog_health)
