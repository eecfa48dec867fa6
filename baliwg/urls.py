"""Top-level URLs: public pages, the secretariat's admin."""

from django.contrib import admin
from django.urls import include, path

from . import views

site_patterns = (
    [
        path("", views.HomeView.as_view(), name="home"),
        path("search/", views.SearchView.as_view(), name="search"),
    ],
    "site",
)

urlpatterns = [
    path("", include(site_patterns)),
    path("", include("meetings.urls")),
    path("workplan/", include("workplan.urls")),
    path("admin/", admin.site.urls),
]
