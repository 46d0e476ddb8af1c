from django.apps import AppConfig


class PayoutsConfig(AppConfig):
    name = "saleor_mlm.payouts"
    label = "payouts"
