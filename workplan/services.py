"""Business actions on the work plan, called by the workspace, the admin, commands and tests alike."""

import datetime

from django.db import transaction
from django.utils import timezone

from .models import ItemStatus, ProgressUpdate, WorkPlanItem
from .notifications import notify_of_update
from .rollup import rollup
from .workflow import TransitionRefused, check_not_moved_meanwhile, check_transition


class StaleEdit(Exception):
    """The item was saved by someone else after the form was opened."""


def check_status_change(item: WorkPlanItem, status: str, *, reason: str = "") -> None:
    """Raise TransitionRefused unless the item may move to `status` now: the workflow's moves, and
    no parent completed while an item within it is open."""
    check_transition(item.status, status, reason=reason)
    if status == ItemStatus.COMPLETED:
        open_children = rollup(item).open_children
        if open_children:
            raise TransitionRefused(
                f"This item cannot be completed while {open_children} item(s) within it are still open."
            )


@transaction.atomic
def post_update(
    *,
    item: WorkPlanItem,
    by,
    text: str,
    status: str | None = None,
    percent_complete: int | None = None,
    date: datetime.date | None = None,
    reason: str = "",
    seen_status: str | None = None,
) -> ProgressUpdate:
    """Add a progress update to an item, moving its status if asked.

    `seen_status` is the status the author saw when they wrote: a move asked from a status the item
    no longer has (someone moved it meanwhile) is refused with what changed, so they can ask again.

    Side effects: the item row is locked, its status (and version) change when `status` differs;
    a parent cannot be completed while a child is open; the secretariat is e-mailed once the
    transaction commits. Raises TransitionRefused, with a message for the user, and writes nothing.
    """
    item = WorkPlanItem.objects.select_for_update().get(pk=item.pk)
    before = item.status
    check_not_moved_meanwhile(item, seen_status=seen_status, requested=status)
    changing = bool(status) and status != before
    day = date or timezone.localdate()
    if changing:
        check_status_change(item, status, reason=reason)
        check_dated_after_last_move(item, day)
    update = ProgressUpdate.objects.create(
        item=item,
        kind=ProgressUpdate.Kind.UPDATE,
        date=day,
        text=text,
        reason=reason,
        status_before=before,
        status_after=status if changing else "",
        percent_complete=percent_complete,
        author=by,
    )
    if changing:
        item.status = status
        item.save(update_fields=["status", "updated_at"])
    transaction.on_commit(lambda: notify_of_update(update))
    return update


def check_dated_after_last_move(item: WorkPlanItem, day: datetime.date) -> None:
    """A status move dated before the item's last one would make its dated history contradict itself
    (the statuses at past meetings are worked out from these dates): refused, with the last move named."""
    last = item.updates.exclude(status_after="").order_by("-date", "-created_at").first()
    if last is not None and day < last.date:
        raise TransitionRefused(
            f"The status was last moved on {last.date:%-d %B %Y} ({last.get_status_before_display().lower()} → "
            f"{last.get_status_after_display().lower()}); a status change cannot be dated before that. Date it on "
            "or after that day, or post this as a note without a status."
        )


EDITABLE_FIELDS = ["description", "target_period", "target_date", "owner_name", "owner_email"]
EDITABLE_RELATIONS = ["lead_states", "lead_organisations", "themes"]


@transaction.atomic
def edit_item(*, item: WorkPlanItem, by, version: int, changes: dict) -> WorkPlanItem:
    """Save the details a co-chair may edit, only if nobody saved the item since `version`.

    Side effects: the item's editable fields and relations are replaced by `changes`, its version
    goes up by one, and the timeline gets an entry naming what changed. Raises StaleEdit and writes
    nothing when the item moved on meanwhile.
    """
    # Compare with the row as stored, locked, not with an instance a form may have altered.
    stored = WorkPlanItem.objects.select_for_update().filter(pk=item.pk).first()
    if stored is None or stored.version != version:
        raise StaleEdit
    fields = {name: changes[name] for name in EDITABLE_FIELDS if name in changes}
    changed = [name for name, value in fields.items() if getattr(stored, name) != value]
    for name in EDITABLE_RELATIONS:
        if name in changes and set(getattr(stored, name).values_list("pk", flat=True)) != {o.pk for o in changes[name]}:
            changed.append(name)
    for name, value in fields.items():
        setattr(stored, name, value)
    stored.save()
    for name in EDITABLE_RELATIONS:
        if name in changes:
            getattr(stored, name).set(changes[name])
    current = stored
    if changed:
        labels = ", ".join(WorkPlanItem._meta.get_field(name).verbose_name for name in changed)
        ProgressUpdate.objects.create(
            item=current,
            kind=ProgressUpdate.Kind.EDIT,
            date=timezone.localdate(),
            text=f"Changed: {labels}.",
            author=by,
        )
    return current
