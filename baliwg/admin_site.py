"""The admin site: the secretariat's door, closed to everyone else whatever their staff flag says."""

from django.contrib.admin import AdminSite

from workplan.access import may_use_admin


class SecretariatAdminSite(AdminSite):
    def has_permission(self, request):
        return may_use_admin(request.user)
