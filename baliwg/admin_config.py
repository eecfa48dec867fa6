"""The admin app, configured to run the secretariat's own site (admin_site.py) as `admin.site`."""

from django.contrib.admin.apps import AdminConfig


class SecretariatAdminConfig(AdminConfig):
    default_site = "baliwg.admin_site.SecretariatAdminSite"
