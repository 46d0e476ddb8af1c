from django.apps import AppConfig


class PayoutRunsConfig(AppConfig):
    name = "saleor_mlm.payout_runs"
    label = "payout_runs"
