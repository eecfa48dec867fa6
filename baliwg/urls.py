"""Top-level URLs: the secretariat's admin; public pages and the workspace join as they are built."""

from django.contrib import admin
from django.urls import path

urlpatterns = [
    path("admin/", admin.site.urls),
]
