"""The admin site: the secretariat's door, closed to everyone else whatever their staff flag says."""

from django.contrib.admin import AdminSite

from workplan.access import may_use_admin


class SecretariatAdminSite(AdminSite):
    def has_permission(self, request):
        # Asked several times a page (the view's guard, then each_context): decided once a request.
        if not hasattr(request, "_may_use_admin"):
            request._may_use_admin = may_use_admin(request.user)
        return request._may_use_admin
