from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate


class WorkplanConfig(AppConfig):
    name = "workplan"
    verbose_name = "Forward work plan"

    def ready(self):
        from .access import remember_workspace_on_login
        from .roles import sync_after_migrate

        post_migrate.connect(sync_after_migrate, sender=self, dispatch_uid="workplan-role-groups")
        user_logged_in.connect(remember_workspace_on_login, dispatch_uid="workplan-workspace-link")
