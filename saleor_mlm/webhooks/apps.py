from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "saleor_mlm.webhooks"
    label = "webhooks"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from saleor_mlm.core.health import register_health_check
        from saleor_mlm.installations.models import Installation

        from .actions import forget_installations
        from .sweep import backlog_health

        register_health_check("webhooks", backlog_health)
        # Intake keeps the installations it read (actions._cached_installation); a change
        # made in this process is seen at once (others' changes by the INSERT's guard).
        post_save.connect(forget_installations, sender=Installation, dispatch_uid="webhooks.forget_installations")
        post_delete.connect(forget_installations, sender=Installation, dispatch_uid="webhooks.forget_installations.delete")
