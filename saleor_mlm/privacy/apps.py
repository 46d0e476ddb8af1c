from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "saleor_mlm.privacy"
    label = "privacy"
