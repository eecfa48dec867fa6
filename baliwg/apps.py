from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save


def create_cache_table(sender, **kwargs):
    """post_migrate: the database cache's table, when the settings use one (no Redis, DEBUG off)."""
    from django.conf import settings
    from django.core.management import call_command

    if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        call_command("createcachetable", database=kwargs.get("using", "default"), verbosity=0)


class SiteConfig(AppConfig):
    """The top floor: composes meetings and workplan, and keeps the caches and search in step."""

    name = "baliwg"
    label = "site"
    verbose_name = "Site"

    def ready(self):
        # Infrastructure, not business rules: every change to a record moves the public pages'
        # cache stamp, and a changed meeting, exercise or item gets its search vector refreshed.
        # The app saves row by row (never queryset.update) so that these, and the history, see
        # every change; bulk loads call the same functions themselves.
        # sessions: its receiver of user_logged_in, connected before any login.
        from . import sessions, signals  # noqa: F401

        # For any app (this one has no models of its own, so is sent none); making it twice does nothing.
        post_migrate.connect(create_cache_table, dispatch_uid="site-cache-table")

        # Any change to an account, a role or a permission: the users each worker keeps (accounts.py)
        # are loaded again at their next request.
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group, Permission

        from .accounts import accounts_changed

        user_model = get_user_model()
        for model in (user_model, Group, Permission):
            post_save.connect(accounts_changed, sender=model, dispatch_uid=f"account-saved-{model._meta.label}")
            post_delete.connect(accounts_changed, sender=model, dispatch_uid=f"account-deleted-{model._meta.label}")
        for links in (user_model.groups.through, user_model.user_permissions.through, Group.permissions.through):
            m2m_changed.connect(accounts_changed, sender=links, dispatch_uid=f"account-links-{links._meta.label}")

        for app_label in ("meetings", "workplan"):
            for model in apps.get_app_config(app_label).get_models():
                if model.__name__.startswith("Historical"):
                    continue
                post_save.connect(signals.record_saved, sender=model, dispatch_uid=f"saved-{model._meta.label}")
                post_delete.connect(signals.record_saved, sender=model, dispatch_uid=f"deleted-{model._meta.label}")
                for field in model._meta.many_to_many:
                    m2m_changed.connect(
                        signals.links_changed, sender=field.remote_field.through, dispatch_uid=f"m2m-{field}"
                    )
