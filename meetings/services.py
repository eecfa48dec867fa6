"""Business actions on meetings, called by the admin, commands and tests alike."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from .clearance import check_before_publishing
from .models import Exercise, Meeting
from .models.base import PublicationStatus


@transaction.atomic
def publish_meeting(*, meeting: Meeting, by: AbstractBaseUser | None = None, reason: str = "") -> Meeting:
    """Make a meeting's outcome public.

    Refused (ClearanceMissing) while a co-chair has not cleared the draft, unless `reason` says why.

    Side effects: the meeting's status becomes published and its publication time is set
    (kept from the first publication); the draft exercises held alongside it are published
    with it, since the outcome statement reports them.
    """
    check_before_publishing(meeting, by=by, reason=reason)
    meeting.status = PublicationStatus.PUBLISHED
    meeting.published_at = meeting.published_at or timezone.now()
    meeting.save(update_fields=["status", "published_at", "updated_at"])
    # A bulk update that writes the history too (a plain UPDATE would leave no trace).
    exercises = list(meeting.exercises.filter(status=PublicationStatus.DRAFT))
    for exercise in exercises:
        exercise.status, exercise.updated_at = PublicationStatus.PUBLISHED, timezone.now()
    bulk_update_with_history(exercises, Exercise, ["status", "updated_at"], default_user=by)
    return meeting


@transaction.atomic
def unpublish_meeting(*, meeting: Meeting, by: AbstractBaseUser | None = None) -> Meeting:
    """Take a meeting back to draft.

    Side effects: the meeting, and with it its exercises and the work-plan items it raised,
    disappear from public pages; the exercises keep their own status for a later republish.
    """
    meeting.status = PublicationStatus.DRAFT
    meeting.save(update_fields=["status", "updated_at"])
    return meeting
