"""What happens after any record changes: the public cache goes stale, search vectors follow."""

from django.db import transaction

from core.stamp import content_changed
from meetings.models import Exercise, Meeting, Theme
from workplan.models import WorkPlanItem

from .search.index import refresh_search_vectors

INDEXED = (Meeting, Exercise, WorkPlanItem)


def _refresh(instance) -> None:
    model = type(instance)
    if isinstance(instance, Theme):
        for indexed in INDEXED:
            refresh_search_vectors(indexed)
        return
    if model in INDEXED:
        refresh_search_vectors(model, [instance.pk])
    # A meeting's vector holds the themes of its exercises and of the items it raised.
    meeting_id = getattr(instance, "meeting_id", None) or getattr(instance, "raised_at_id", None)
    if model in (Exercise, WorkPlanItem) and meeting_id:
        refresh_search_vectors(Meeting, [meeting_id])


def _stale() -> None:
    # Now, and again once the change is committed: a page rendered in between, from the data
    # before the commit, must not stay cached under the new stamp.
    content_changed()
    transaction.on_commit(content_changed)


def record_saved(sender, instance, **kwargs):
    _stale()
    if not kwargs.get("raw"):  # loading fixtures: no side effects
        _refresh(instance)


def links_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        _stale()
        _refresh(instance)
