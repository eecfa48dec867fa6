"""Restore a deleted meeting, work-plan item or registry entry, with the rows deleted with it.

The history (django-simple-history) keeps a last record of every deleted row. Restoring puts the
row back as it was, then the rows that went with it: those its deletion cascaded to (co-chairs,
attendance and delegates of a meeting; updates of an item; aliases of a state), and the links it
cleared (an exercise's meeting). Many-to-many links come back from the history's snapshot.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import models, transaction

from meetings.models import Body, Meeting, MemberState, Organisation
from workplan.models import WorkPlanItem

RESTORABLE = [Meeting, WorkPlanItem, MemberState, Organisation, Body]
# Rows deleted this long before or after their parent count as deleted with it.
WINDOW = timedelta(seconds=30)


@dataclass
class Deleted:
    model: type
    record: object  # the history's record of the deletion

    @property
    def model_label(self) -> str:
        return self.model._meta.label_lower

    @property
    def label(self) -> str:
        return f"{self.model._meta.verbose_name}: {self.record.instance}"


def deleted(limit: int = 50) -> list[Deleted]:
    """The latest deletions of restorable rows that have not been restored."""
    found = []
    for model in RESTORABLE:
        existing = set(model.objects.values_list("pk", flat=True))
        for record in model.history.filter(history_type="-").order_by("-history_date")[:limit]:
            if record.id not in existing:
                found.append(Deleted(model, record))
                existing.add(record.id)  # only the latest deletion of a row
    return sorted(found, key=lambda d: d.record.history_date, reverse=True)[:limit]


def _restore_m2m(model, record, obj) -> None:
    # The deletion's own record is written after the links are gone: the one before holds them.
    before = record.prev_record or record
    for field in getattr(model.history.model, "_history_m2m_fields", []) or []:
        manager = getattr(before, field.name, None)
        if manager is None:
            continue
        target = field.related_model._meta.model_name
        ids = [getattr(row, f"{target}_id") for row in manager.all()]
        existing = field.related_model.objects.filter(pk__in=ids)
        getattr(obj, field.name).set(existing)


def _restore_row(model, record) -> models.Model:
    obj = record.instance
    obj.save()  # an UPDATE finds nothing, so Django inserts the row with its old id
    _restore_m2m(model, record, obj)
    return obj


def _restore_children(model, pk, when) -> int:
    restored = 0
    for relation in model._meta.related_objects:
        child = relation.related_model
        if relation.many_to_many or not hasattr(child, "history"):
            continue
        fk = relation.field
        window = {"history_date__gte": when - WINDOW, "history_date__lte": when + WINDOW}
        if fk.remote_field.on_delete is models.CASCADE:
            existing = set(child.objects.values_list("pk", flat=True))
            for record in child.history.filter(history_type="-", **{fk.attname: pk}, **window):
                if record.id in existing:
                    continue
                _restore_row(child, record)
                existing.add(record.id)
                restored += 1 + _restore_children(child, record.id, record.history_date)
        elif fk.remote_field.on_delete is models.SET_NULL:
            # Django clears these links with one UPDATE, which the history does not see: a row
            # whose last recorded state still points at the deleted one lost its link then.
            for current in child.objects.filter(**{f"{fk.attname}__isnull": True}):
                last = child.history.filter(id=current.pk).order_by("-history_date").first()
                if last is not None and getattr(last, fk.attname) == pk:
                    setattr(current, fk.attname, pk)
                    current.save()  # a save, so the history records the link coming back
                    restored += 1
    return restored


@transaction.atomic
def restore(model, pk) -> tuple[models.Model, int]:
    """Put a deleted row back with what went with it; returns it and how many related rows came back."""
    record = model.history.filter(id=pk, history_type="-").latest("history_date")
    obj = _restore_row(model, record)
    return obj, _restore_children(model, pk, record.history_date)
