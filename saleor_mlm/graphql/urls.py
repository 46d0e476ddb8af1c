from django.urls import path

from .periods.exports import statements_csv_view
from .views import GraphQLView

urlpatterns = [
    path("", GraphQLView.as_view(), name="graphql"),
    path("exports/statements/<str:token>/", statements_csv_view, name="graphql-statements-csv"),
]
