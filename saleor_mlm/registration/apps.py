from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    """Online registration of partners: terms, settings, registrations awaiting approval."""

    name = "saleor_mlm.registration"
    label = "registration"
