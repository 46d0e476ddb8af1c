from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "saleor_mlm.core"
    label = "mlm_core"

    def ready(self):
        from . import checks  # noqa: F401 - registers the checks
