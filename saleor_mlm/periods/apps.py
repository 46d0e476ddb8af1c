from django.apps import AppConfig


class PeriodsConfig(AppConfig):
    name = "saleor_mlm.periods"
    label = "periods"
