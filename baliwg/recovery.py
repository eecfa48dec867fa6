"""Delete a meeting as a whole, and restore a deleted meeting, work-plan item or registry entry
with the rows deleted with it.

A meeting goes with the exercises held alongside it and the work-plan items it raised (which
would otherwise protect it), as the admin's confirmation page lists them.
The history (django-simple-history) keeps a last record of every deleted row. Restoring puts the
row back as it was, then the rows that went with it: those its deletion cascaded to (co-chairs,
attendance and delegates of a meeting; updates of an item; aliases of a state), the rows deleted
with it (a meeting's exercises and items, an item's sub-items), and the links it cleared (an
exercise's meeting). Many-to-many links come back from the history's snapshot.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import models, transaction

from meetings.models import Body, Exercise, Meeting, MemberState, Organisation
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

    instance: object = None  # the row as it was, for its name (built without a query per row)

    @property
    def label(self) -> str:
        return f"{self.model._meta.verbose_name}: {self.instance}"


def _as_it_was(model, record):
    # The history's own `.instance` reads the excluded columns back, one query per row.
    fields = {f.attname: getattr(record, f.attname) for f in model._meta.concrete_fields if hasattr(record, f.attname)}
    return model(**fields)


def deleted(limit: int = 50) -> list[Deleted]:
    """The latest deletions of restorable rows that have not been restored."""
    found = []
    for model in RESTORABLE:
        existing = set(model.objects.values_list("pk", flat=True))
        deletions = model.history.filter(history_type="-").select_related("history_user")
        for record in deletions.order_by("-history_date")[:limit]:
            if record.id not in existing:
                found.append(Deleted(model, record, _as_it_was(model, record)))
                existing.add(record.id)  # only the latest deletion of a row
    found = sorted(found, key=lambda d: d.record.history_date, reverse=True)[:limit]
    # A meeting's name is its body's: the bodies in one query.
    bodies = Body.objects.in_bulk({d.instance.body_id for d in found if d.model is Meeting})
    for d in found:
        if d.model is Meeting:
            d.instance.body = bodies.get(d.instance.body_id)
    return found


def going_with(meetings) -> tuple[list[Exercise], list[WorkPlanItem]]:
    """What deleting these meetings deletes with them besides their own rows."""
    exercises = list(Exercise.objects.filter(meeting__in=meetings).order_by("start_date", "pk"))
    items = list(WorkPlanItem.objects.filter(raised_at__in=meetings).order_by("order_label", "pk"))
    return exercises, items


@transaction.atomic
def delete_meetings(meetings, *, with_exercises: bool = True) -> tuple[int, int, int]:
    """Delete meetings with the items they raised and (unless told not to) the exercises held
    alongside, which otherwise stay without a meeting; returns the three counts.

    Row by row, so the history records each deletion (with its author) for a restore.
    """
    meetings = list(meetings)
    exercises, items = going_with(meetings)
    if not with_exercises:
        exercises = []
    remaining = items
    while remaining:
        # A sub-item first: while it points at its parent, the parent is protected.
        leaves = [item for item in remaining if not any(other.parent_id == item.pk for other in remaining)]
        if not leaves:  # a loop of parents: Django refuses it with a ProtectedError
            leaves = remaining
        for item in leaves:
            item.delete()
        remaining = [item for item in remaining if item not in leaves]
    for exercise in exercises:
        exercise.delete()
    for meeting in meetings:
        meeting.delete()
    return len(meetings), len(exercises), len(items)


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
    obj._change_reason = "Restored from the deleted records"
    obj.save()  # an UPDATE finds nothing, so Django inserts the row with its old id
    # The save stamped its automatic times anew ("posted at", "changed at"): put back those the
    # record had, so a restored update or comment keeps when it was written.
    stamped = {
        field.attname: getattr(record, field.attname)
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False)
    }
    if stamped:
        model.objects.filter(pk=obj.pk).update(**stamped)
        for name, value in stamped.items():
            setattr(obj, name, value)
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
        # The rows deleted with it: cascaded, or deleted first so that it could go (exercises,
        # items and sub-items, whose links are SET_NULL or PROTECT).
        records = child.history.filter(history_type="-", **{fk.attname: pk}, **window).order_by("-history_date")
        for record in records:
            # Checked row by row: restoring a sibling may have brought this one back already.
            if child.objects.filter(pk=record.id).exists():
                continue
            _restore_row(child, record)
            restored += 1 + _restore_children(child, record.id, record.history_date)
        if fk.remote_field.on_delete is models.SET_NULL:
            # Django clears these links with one UPDATE, which the history does not see: a row
            # whose last recorded state still points at the deleted one lost its link then.
            for current in child.objects.filter(**{f"{fk.attname}__isnull": True}):
                last = child.history.filter(id=current.pk).order_by("-history_date").first()
                if last is not None and getattr(last, fk.attname) == pk:
                    setattr(current, fk.attname, pk)
                    current.save()  # a save, so the history records the link coming back
                    restored += 1
    return restored


class RestoreBlocked(Exception):
    """The row points at another that is still deleted; the message says which to restore first."""


def _check_links(model, record) -> None:
    for field in model._meta.concrete_fields:
        if not field.is_relation:
            continue
        target = getattr(record, field.attname, None)
        if target is not None and not field.related_model.objects.filter(pk=target).exists():
            raise RestoreBlocked(
                f"It belonged to a {field.related_model._meta.verbose_name} (#{target}) that is deleted too: "
                "restore that first, and this comes back with it."
            )


@transaction.atomic
def restore(model, pk) -> tuple[models.Model, int]:
    """Put a deleted row back with what went with it; returns it and how many related rows came back.
    Raises RestoreBlocked, changing nothing, when a row it points at is deleted too."""
    record = model.history.filter(id=pk, history_type="-").latest("history_date")
    _check_links(model, record)
    obj = _restore_row(model, record)
    return obj, _restore_children(model, pk, record.history_date)
