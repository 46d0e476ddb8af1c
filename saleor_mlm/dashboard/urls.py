from django.urls import path, re_path

from . import views

urlpatterns = [
    path("demo-token", views.demo_token, name="dashboard-demo-token"),
    re_path(r"^(?P<subpath>.*)$", views.extension, name="dashboard"),
]
