"""The admin site: the secretariat's door, closed to everyone else whatever their staff flag says."""

from django.contrib.admin import AdminSite
from django.urls import get_script_prefix

from core.memory import StampedMemory
from workplan.access import may_use_admin

# The apps and models an officer may use, for each set of permissions seen (a handful: one per role).
APP_LISTS = StampedMemory(limit=64)


class SecretariatAdminSite(AdminSite):
    def has_permission(self, request):
        # Asked several times a page (the view's guard, then each_context): decided once a request.
        if not hasattr(request, "_may_use_admin"):
            request._may_use_admin = may_use_admin(request.user)
        return request._may_use_admin

    def get_app_list(self, request, app_label=None):
        """Django's, worked out once per set of permissions: every admin page lists the apps and
        models the officer may use in its sidebar, and working that out for each page (four
        permission checks and two reverse()s for each model) was a tenth of a change list's time.
        Keyed by the permissions themselves, so a changed permission shows at the next page."""
        user = request.user
        # A superuser may do everything: its permissions need no loading (nor a query) to key on.
        permissions = frozenset(user.get_all_permissions()) if user.is_active and not user.is_superuser else frozenset()
        key = (user.is_superuser, permissions, get_script_prefix(), app_label)
        app_list = APP_LISTS.get(key, stamp=0)
        if app_list is None:
            app_list = super().get_app_list(request, app_label)
            APP_LISTS.put(key, 0, app_list)
        return app_list
