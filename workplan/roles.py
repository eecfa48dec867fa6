"""The two roles of the app as permission groups, in one place.

Called from data migrations (with the historical app registry), so it uses only `apps`.
A migration that adds a model calls it again so the groups keep up.
"""

SECRETARIAT = "Secretariat"
COCHAIRS = "Co-chairs"
APP_LABELS = ["meetings", "workplan"]

# Co-chairs read the records but never the delegates' personal data.
COCHAIR_HIDDEN_MODELS = {"delegate", "historicaldelegate"}
COCHAIR_EXTRA_PERMISSIONS = {"change_workplanitem", "add_progressupdate"}


def sync_in_migration(apps, schema_editor):
    """The RunPython step of every migration whose new models' permissions the roles must hold."""
    sync_role_groups(apps)


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
    secretariat.permissions.set(app_permissions)

    cochairs, _ = Group.objects.get_or_create(name=COCHAIRS)
    cochair_permissions = [
        permission
        for permission in app_permissions.select_related("content_type")
        if permission.codename in COCHAIR_EXTRA_PERMISSIONS
        or (permission.codename.startswith("view_") and permission.content_type.model not in COCHAIR_HIDDEN_MODELS)
    ]
    cochairs.permissions.set(cochair_permissions)
