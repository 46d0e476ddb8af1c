from django.apps import AppConfig


class OfficeConfig(AppConfig):
    """The partner office (the built `office/dist`) and what it needs of the server."""

    name = "saleor_mlm.office"
    label = "mlm_office"
