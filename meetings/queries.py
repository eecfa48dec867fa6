"""The prefetches each public page of meetings, exercises and members needs, in one place.

The pages of meetings, themes and parties also list work-plan items. The items hang off meetings,
themes and parties through reverse relations that the workplan app (the floor above) adds:
`items_raised`, `items_reported`, `workplan_items` (of a theme) and `workplan_items_led` (of a state or
organisation). This module is the one place in the meetings app that follows them, so that the app
never imports workplan; the README's Layout section lists these relations as the allowed reach.
"""

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from .models import Attendance, Exercise, Meeting, MeetingCoChair


def _items_model():
    return Meeting._meta.get_field("items_raised").related_model


# An exercise's many-to-many facts: what its page, the API and the downloads list, and what the admin edits.
EXERCISE_RELATIONS = (
    "bodies",
    "states",
    "sectors",
    "focus_areas",
    "themes",
    "facilitator_organisations",
    "facilitator_states",
    "expert_organisations",
)


def with_exercise_facts(exercises):
    """Exercises with everything their facts list shows."""
    return exercises.select_related("meeting__body").prefetch_related(*EXERCISE_RELATIONS)


def exercises_for_pages(user):
    return with_exercise_facts(Exercise.objects.visible_to(user))


def meetings_for_list(user):
    return (
        Meeting.objects.visible_to(user)
        .select_related("body")
        .prefetch_related(Prefetch("cochairs", queryset=MeetingCoChair.objects.select_related("state")))
        .annotate(
            state_total=attendance_count(state__isnull=False),
            organisation_total=attendance_count(organisation__isnull=False),
        )
        .order_by("-start_date", "-pk")
    )


def attendance_count(**conditions):
    """A meeting's attendance rows (those meeting `conditions`), to annotate a list of meetings.

    A subquery, not a join with GROUP BY: PostgreSQL then counts for the rows of the page only,
    not for every meeting in the table before it sorts and cuts the page.
    """
    rows = Attendance.objects.filter(meeting=OuterRef("pk"), **conditions).order_by().values("meeting")
    return Coalesce(Subquery(rows.annotate(n=Count("*")).values("n")), 0)


def meeting_heading(user):
    """A meeting with only what its page shows outside the cached fragment: its title. Each
    column and join more costs every uncached view of the page in building the query."""
    return Meeting.objects.visible_to(user).select_related("body").only("slug", "title", "kind", "number", "body__name")


def meeting_listings(user) -> list[Prefetch]:
    """What a meeting's page lists besides its participants: co-chairs, exercises, work-plan items,
    and the meeting it was held jointly with (no query when there is none)."""
    items = _items_model().objects.visible_to(user).with_leads()
    return [
        "joint_with__body",
        Prefetch("cochairs", queryset=MeetingCoChair.objects.select_related("state", "agency")),
        Prefetch("exercises", queryset=exercises_for_pages(user)),
        Prefetch("items_raised", queryset=items),
        Prefetch("items_reported", queryset=items),
    ]


def participants():
    """Attendance rows with their parties, in the order the pages list them."""
    return Attendance.objects.select_related("state", "organisation").order_by("state__name", "organisation__name")


def meeting_for_page(user, with_participants=True):
    """A meeting with everything its page, print view or Word document shows."""
    lookups = meeting_listings(user)
    if with_participants:
        lookups.append(Prefetch("attendances", queryset=participants()))
    return Meeting.objects.visible_to(user).select_related("body").prefetch_related(*lookups)


# A page lists at most this many of a growing list (newest first) and says how many there are:
# its cost must not grow with the years of records behind it.
LIST_LIMIT = 50


def latest(queryset, limit: int = LIST_LIMIT) -> dict:
    """The first `limit` rows and the total, for "the latest 50 of 1,234"."""
    rows = list(queryset[:limit])
    total = len(rows) if len(rows) < limit else queryset.count()
    return {"rows": rows, "total": total, "more": total > len(rows)}


def items_of_theme(theme, user) -> dict:
    """The latest visible work-plan items that take a theme up."""
    return latest(theme.workplan_items.visible_to(user).with_leads().order_by("-id"))


def party_history(party, user):
    """A state's or organisation's meetings attended and work-plan items led, newest first."""
    attendances = (
        party.attendances.filter(meeting__in=Meeting.objects.visible_to(user))
        .select_related("meeting__body")
        .order_by("-meeting__start_date", "-meeting_id")
    )
    items = party.workplan_items_led.visible_to(user).with_leads().order_by("-id")
    return {"attendances": latest(attendances), "items_led": latest(items)}
