from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """Serves the dashboard extension (the built `dashboard-extension/dist`)."""

    name = "saleor_mlm.dashboard"
    label = "mlm_dashboard"
