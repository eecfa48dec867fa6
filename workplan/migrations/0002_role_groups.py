"""Create the Secretariat and Co-chairs groups with their permissions."""

from django.db import migrations

from workplan.roles import sync_in_migration


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("meetings", "0001_initial"),
        ("workplan", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_in_migration, migrations.RunPython.noop)]
