from django.apps import AppConfig


class CheckoutsConfig(AppConfig):
    """Checkouts partners make for their customers in the office."""

    name = "saleor_mlm.checkouts"
    label = "mlm_checkouts"
