"""Turn a reviewed statement draft into records: a draft meeting with its co-chairs, attendance,
exercises and the work-plan items it raised. Called by the admin's import screen and by
`manage.py import_statement`; all or nothing.
"""

import datetime

from django.db import transaction
from django.utils.text import slugify

from meetings.models import Attendance, Exercise, Meeting, MeetingCoChair
from meetings.models.base import PublicationStatus
from workplan.models import WorkPlanItem

from .extract import StatementError
from .parser import Draft


class DuplicateMeeting(Exception):
    """The body already has a meeting of this kind and number; the caller may choose to update it."""

    def __init__(self, meeting: Meeting):
        super().__init__(f"{meeting} is already recorded.")
        self.meeting = meeting


def existing_meeting(draft: Draft) -> Meeting | None:
    if not (draft.body and draft.kind and draft.number):
        return None
    return Meeting.objects.filter(body=draft.body, kind=draft.kind, number=draft.number).first()


def unique_slug(model, base: str, exclude_pk=None) -> str:
    """`base`, or `base-2`, `base-3`, ... whichever no row of the model has yet."""
    base = base[:150] or "untitled"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _held_on(days: list) -> list[str]:
    """The days, when they are not every day from the first to the last; else nothing."""
    if not days or (days[-1] - days[0]).days + 1 == len(days):
        return []
    return [day.isoformat() for day in days]


@transaction.atomic
def import_draft(draft: Draft, *, by=None, update: Meeting | None = None) -> Meeting:
    """Create (or, when `update` is given, update) the draft meeting a statement describes.

    Side effects: the meeting (always a draft: nothing is public until the secretariat publishes
    it), its co-chairs and attendance as the statement lists them, its exercises (matched by
    title) and the work-plan items it raised (matched by title; an existing item keeps its status).
    Raises StatementError when the draft names no meeting, DuplicateMeeting when the meeting exists
    and no update was asked for. Any failure leaves the database as it was.
    """
    if not draft.is_meeting:
        raise StatementError("No meeting was recognised: the text names no body of the forum or no date.")
    existing = existing_meeting(draft)
    if existing and update is None:
        raise DuplicateMeeting(existing)
    meeting = update or Meeting(body=draft.body, status=PublicationStatus.DRAFT)
    meeting.body, meeting.kind, meeting.number = draft.body, draft.kind or Meeting.Kind.OTHER, draft.number
    meeting.start_date, meeting.end_date, meeting.held_on = draft.start_date, draft.end_date, _held_on(draft.days)
    meeting.format = draft.format or Meeting.Format.IN_PERSON
    meeting.venue_city, meeting.venue_country = draft.venue_city[:100], draft.venue_country[:100]
    meeting.declared_participant_count = draft.declared_participants
    meeting.declared_state_count = draft.declared_states
    meeting.declared_organisation_count = draft.declared_organisations
    meeting.outcome_statement = draft.statement.strip()
    if not meeting.slug:
        meeting.slug = unique_slug(Meeting, meeting.default_slug())
    meeting.full_clean(validate_unique=False)
    meeting.save()

    meeting.cochairs.exclude(state__in=draft.co_chairs).delete()
    for position, state in enumerate(draft.co_chairs):  # in the order the statement names them
        MeetingCoChair.objects.update_or_create(
            meeting=meeting,
            state=state,
            defaults={"agency": draft.co_chair_agencies.get(state.pk), "position": position},
        )

    parties = [*draft.states, *draft.organisations]
    meeting.attendances.exclude(state__in=draft.states).exclude(organisation__in=draft.organisations).delete()
    for party in parties:
        key = {"state": party} if getattr(party, "iso_code", None) else {"organisation": party}
        Attendance.objects.update_or_create(meeting=meeting, **key, defaults={"role": draft.role_of(party)})

    for exercise in draft.exercises:
        _import_exercise(meeting, exercise)
    _import_items(meeting, draft)
    return meeting


def _import_exercise(meeting: Meeting, draft_exercise) -> Exercise:
    exercise = Exercise.objects.filter(meeting=meeting, title=draft_exercise.title[:300]).first() or Exercise(
        meeting=meeting, title=draft_exercise.title[:300], status=PublicationStatus.DRAFT
    )
    exercise.kind = draft_exercise.kind or Exercise.Kind.WORKSHOP
    days = draft_exercise.days or [meeting.start_date]
    exercise.start_date, exercise.end_date, exercise.held_on = days[0], days[-1], _held_on(days)
    exercise.participant_count = draft_exercise.participant_count
    exercise.member_state_count = draft_exercise.member_state_count
    exercise.scenario = draft_exercise.scenario
    if not exercise.slug:
        year = exercise.start_date.year if isinstance(exercise.start_date, datetime.date) else ""
        exercise.slug = unique_slug(Exercise, slugify(f"{draft_exercise.title[:100]} {year}"))
    exercise.full_clean(validate_unique=False)
    exercise.save()
    exercise.bodies.set(draft_exercise.bodies or [meeting.body])
    exercise.sectors.set(draft_exercise.sectors)
    exercise.focus_areas.set(draft_exercise.focus_areas)
    exercise.themes.set(draft_exercise.themes)
    exercise.facilitator_organisations.set([p for p in draft_exercise.facilitators if not hasattr(p, "iso_code")])
    exercise.facilitator_states.set([p for p in draft_exercise.facilitators if hasattr(p, "iso_code")])
    exercise.expert_organisations.set([p for p in draft_exercise.experts if not hasattr(p, "iso_code")])
    return exercise


def _import_items(meeting: Meeting, draft: Draft) -> None:
    by_title = {}
    for draft_item in draft.items:
        item = WorkPlanItem.objects.filter(body=meeting.body, raised_at=meeting, title=draft_item.title[:300]).first()
        if item is None:
            item = WorkPlanItem(
                body=meeting.body, raised_at=meeting, title=draft_item.title[:300], status=draft_item.status
            )
        item.kind = draft_item.kind
        item.order_label = (draft_item.label or "")[:10]
        item.topic = draft_item.topic[:300]
        item.target_period = draft_item.target_period[:40]
        item.parent = by_title.get(draft_item.parent)
        item.full_clean()
        item.save()
        by_title[draft_item.title] = item
