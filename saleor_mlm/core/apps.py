from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "saleor_mlm.core"
    label = "mlm_core"
