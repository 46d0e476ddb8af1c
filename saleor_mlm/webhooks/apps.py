from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class WebhooksConfig(AppConfig):
    name = "saleor_mlm.webhooks"
    label = "webhooks"

    def ready(self):
        # Other apps extend the pipeline by module name (see webhooks.handlers and
        # orders.actions): import them once, at start-up, in every process.
        from saleor_mlm.core.health import register_health_check

        from . import handlers  # noqa: F401  (registers the built-in handlers)
        from .sweep import backlog_health

        register_health_check("webhooks", backlog_health)

        autodiscover_modules("webhook_handlers", "order_event_consumers")
