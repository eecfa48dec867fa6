"""Top-level URLs: public pages, accounts, the workspace, the secretariat's admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import DefaultRouter

from meetings import api as meetings_api
from workplan import api as workplan_api

from . import account_views, admin_views, views

site_patterns = (
    [
        path("", views.HomeView.as_view(), name="home"),
        path("search/", views.SearchView.as_view(), name="search"),
        path("healthz", views.healthz, name="healthz"),
        path("ping", views.ping, name="ping"),
    ],
    "site",
)

account_patterns = (
    [
        path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
        path("logout/", auth_views.LogoutView.as_view(), name="logout"),
        # Not Django's registration/ names: those are the admin's own password pages, which a
        # template of the same name here would replace (and send an officer "back to the workspace").
        path(
            "password/",
            auth_views.PasswordChangeView.as_view(
                template_name="accounts/password_change_form.html",
                success_url=reverse_lazy("accounts:password-changed"),
            ),
            name="password-change",
        ),
        path(
            "password/changed/",
            auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
            name="password-changed",
        ),
        path("password/reset/", account_views.PasswordResetView.as_view(), name="reset"),
        path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="reset-sent"),
        path("password/set/<uidb64>/<token>/", account_views.SetPasswordView.as_view(), name="reset-confirm"),
    ],
    "accounts",
)

router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False  # one address per resource: /api/v1/meetings/, not also .json
router.register("states", meetings_api.StateViewSet, basename="state")
router.register("organisations", meetings_api.OrganisationViewSet, basename="organisation")
router.register("bodies", meetings_api.BodyViewSet, basename="body")
router.register("meetings", meetings_api.MeetingViewSet, basename="meeting")
router.register("exercises", meetings_api.ExerciseViewSet, basename="exercise")
router.register("workplan-items", workplan_api.ItemViewSet, basename="workplan-item")

api_patterns = (
    [
        path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
        path("", include(router.urls)),
    ],
    "api",
)

urlpatterns = [
    path("", include(site_patterns)),
    path("", include("meetings.urls")),
    path("", include("workplan.urls")),
    path("", include("baliwg.opendata.urls")),
    path("accounts/", include(account_patterns)),
    path("api/v1/", include(api_patterns)),
    # Named so that the admin's login page offers "Forgotten your password?".
    path("admin/password-reset/", account_views.PasswordResetView.as_view(), name="admin_password_reset"),
    path("admin/deleted/", admin.site.admin_view(admin_views.deleted_records), name="admin-deleted"),
    path("admin/", admin.site.urls),
]
