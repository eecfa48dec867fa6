"""Open data: /data/ and its downloads."""

from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("data/", views.OpenDataView.as_view(), name="index"),
    path("data/<slug:name>.<str:fmt>", views.download, name="download"),
]
