from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WorkplanConfig(AppConfig):
    name = "workplan"
    verbose_name = "Forward work plan"

    def ready(self):
        from .roles import sync_after_migrate

        post_migrate.connect(sync_after_migrate, sender=self, dispatch_uid="workplan-role-groups")
