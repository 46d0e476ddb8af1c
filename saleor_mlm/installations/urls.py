from django.urls import path

from . import views

urlpatterns = [
    path("manifest", views.manifest, name="manifest"),
    path("register", views.register, name="register"),
]
