"""The attendance filters' indexes lead with the filtered column and end with the id: a filtered
list, newest first, is read in order from the index (see Attendance.Meta)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_history"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="attendance",
            name="attendance_role",
        ),
        migrations.RemoveIndex(
            model_name="attendance",
            name="attendance_mode",
        ),
        migrations.AddIndex(
            model_name="attendance",
            index=models.Index(fields=["role", "-id"], name="attendance_role_id"),
        ),
        migrations.AddIndex(
            model_name="attendance",
            index=models.Index(fields=["mode", "-id"], name="attendance_mode_id"),
        ),
    ]
