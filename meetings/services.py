"""Business actions on meetings, called by the admin, commands and tests alike.

Publishing is one service whatever door it is called from (the change form's buttons, the list
action, the statement import, commands): the meeting form's Status field is read-only.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from .clearance import check_before_publishing
from .models import Exercise, Meeting
from .models.base import PublicationStatus, attribute_to, change_reason


class MeetingNotReady(ValidationError):
    """The meeting lacks what a published outcome needs; `.messages` says what, one line each."""


@dataclass
class PublishReport:
    meeting: Meeting
    changes: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        if not self.changes:
            return f"{self.meeting} was already {self.meeting.get_status_display().lower()}; nothing changed."
        return f"{self.meeting}: " + "; ".join(self.changes) + "."


def publication_problems(meeting: Meeting) -> list[str]:
    """What stops the meeting's outcome from being published, in words a secretariat officer reads."""
    problems = []
    if not meeting.start_date:
        problems.append("it has no date")
    if not meeting.body_id:
        problems.append("it belongs to no body")
    if not (meeting.outcome_statement or "").strip():
        problems.append("its outcome statement is empty")
    declared = meeting.declared_participant_count or meeting.declared_state_count or meeting.declared_organisation_count
    if not declared and not (meeting.pk and meeting.attendances.exists()):
        problems.append("it names no participant and declares no count of them")
    return problems


@transaction.atomic
def publish_meeting(meeting: Meeting, *, by: AbstractBaseUser | None = None, reason: str = "") -> PublishReport:
    """Make a meeting's outcome public.

    Raises MeetingNotReady (nothing changed) when the meeting lacks a date, a body, an outcome
    statement, or a participant or declared count; ClearanceMissing while a co-chair has not
    cleared the draft, unless `reason` says why it is published without.
    Side effects: the meeting's status becomes published and its publication time is set (kept
    from the first publication); the draft exercises held alongside it are published with it,
    since the outcome statement reports them. `reason` is kept in the history's change reason.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    problems = publication_problems(meeting)
    if problems:
        raise MeetingNotReady([f"{meeting} cannot be published: {problem}." for problem in problems])
    check_before_publishing(meeting, by=by, reason=reason)
    report = PublishReport(meeting)
    if meeting.status != PublicationStatus.PUBLISHED:
        meeting.status = PublicationStatus.PUBLISHED
        meeting.published_at = meeting.published_at or timezone.now()
        attribute_to(meeting, by)
        meeting._change_reason = change_reason(reason or "Published")
        meeting.save(update_fields=["status", "published_at", "updated_at"])
        report.changes.append("published")
    exercises = list(meeting.exercises.filter(status=PublicationStatus.DRAFT))
    for exercise in exercises:
        exercise.status, exercise.updated_at = PublicationStatus.PUBLISHED, timezone.now()
    # A bulk update that writes the history too (a plain UPDATE would leave no trace).
    bulk_update_with_history(exercises, Exercise, ["status", "updated_at"], default_user=by)
    if exercises:
        report.changes.append("published with it the exercise(s) " + ", ".join(f"“{e}”" for e in exercises))
    return report


@transaction.atomic
def unpublish_meeting(meeting: Meeting, *, by: AbstractBaseUser | None = None, reason: str = "") -> PublishReport:
    """Take a meeting back to draft.

    Side effects: the meeting, and with it its exercises and the work-plan items it raised,
    disappear from public pages; the exercises keep their own status for a later republish.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    report = PublishReport(meeting)
    if meeting.status != PublicationStatus.DRAFT:
        meeting.status = PublicationStatus.DRAFT
        attribute_to(meeting, by)
        meeting._change_reason = change_reason(reason or "Returned to draft")
        meeting.save(update_fields=["status", "updated_at"])
        report.changes.append("returned to draft (its exercises and items are hidden with it)")
    return report
