"""The two roles of the app as permission groups, in one place.

Synced after every `migrate` (a post_migrate handler, connected in apps.py), so the groups always
hold the permissions of today's models and no migration has to import this module.
"""

SECRETARIAT = "Secretariat"
COCHAIRS = "Co-chairs"
APP_LABELS = ["meetings", "workplan"]

# Co-chairs work in the workspace only, which checks their bodies itself (workplan/access.py); the
# admin is closed to them (baliwg/admin_site.py), so their group holds no model permission at all:
# none that a staff flag given by mistake could turn into power over another body.
# The secretariat manages accounts (invite, link to a state, end); the admin keeps it from
# raising anyone's rights (baliwg/admin.py UserAdmin), and it never gets delete_user or group rights.
SECRETARIAT_ACCOUNT_PERMISSIONS = {"view_user", "add_user", "change_user"}


def sync_after_migrate(sender, apps=None, **kwargs):
    """post_migrate: bring the groups up to date with the models just migrated (also sent after a
    flush, without the migration state's `apps`)."""
    from django.apps import apps as current_apps

    sync_role_groups(apps or current_apps)


def sync_role_groups(apps):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; make them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True  # historical app configs have none
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    app_permissions = Permission.objects.filter(content_type__app_label__in=APP_LABELS)

    secretariat, _ = Group.objects.get_or_create(name=SECRETARIAT)
    account_permissions = Permission.objects.filter(
        content_type__app_label="auth", codename__in=SECRETARIAT_ACCOUNT_PERMISSIONS
    )
    secretariat.permissions.set([*app_permissions, *account_permissions])

    cochairs, _ = Group.objects.get_or_create(name=COCHAIRS)
    cochairs.permissions.clear()
