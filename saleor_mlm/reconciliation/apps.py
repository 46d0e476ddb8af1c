from django.apps import AppConfig


class ReconciliationConfig(AppConfig):
    name = "saleor_mlm.reconciliation"
    label = "reconciliation"
