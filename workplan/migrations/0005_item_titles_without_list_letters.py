"""Titles stored with their list letter ("a) Training on ...") get the letter moved to order_label.

A frozen copy of core.text.split_list_label's pattern: no migration imports project code.
"""

import re

from django.db import migrations

LIST_LABEL = re.compile(r"^\s*\(?(?P<label>[a-z]|[ivx]{1,4}|\d{1,2})[).]\s+(?=\S)")


def move_letters(apps, schema_editor):
    WorkPlanItem = apps.get_model("workplan", "WorkPlanItem")
    for item in WorkPlanItem.objects.filter(title__regex=r"^\s*\(?([a-z]|[ivx]{1,4}|[0-9]{1,2})[).]\s").iterator():
        match = LIST_LABEL.match(item.title)
        if not match or (item.order_label and item.order_label != match.group("label")):
            continue
        item.order_label = match.group("label")
        item.title = item.title[match.end() :].strip()
        item.save(update_fields=["order_label", "title"])


class Migration(migrations.Migration):
    dependencies = [("workplan", "0004_owners_and_corrections")]
    operations = [migrations.RunPython(move_letters, migrations.RunPython.noop)]
