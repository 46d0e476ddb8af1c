from django.urls import include, path

from saleor_mlm.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/", include("saleor_mlm.installations.urls")),
    path("api/webhooks/", include("saleor_mlm.webhooks.urls")),
    path("graphql/", include("saleor_mlm.graphql.urls")),
    path("dashboard/", include("saleor_mlm.dashboard.urls")),
]
