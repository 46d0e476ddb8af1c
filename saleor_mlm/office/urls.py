from django.urls import path, re_path

from . import views

urlpatterns = [
    path("config.json", views.config, name="office-config"),
    path("demo-token", views.demo_token, name="office-demo-token"),
    path("demo-saleor/graphql/", views.demo_saleor, name="office-demo-saleor"),
    re_path(r"^(?P<subpath>.*)$", views.office, name="office"),
]
