from django.apps import AppConfig


class InstallationsConfig(AppConfig):
    name = "saleor_mlm.installations"
    label = "installations"
