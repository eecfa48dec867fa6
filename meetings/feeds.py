"""Calendars and the news feed of published meeting outcomes."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator

from . import calendar, queries
from .models import Body, Exercise, Meeting, MeetingCoChair


def _ics(request, events, name: str, filename: str) -> HttpResponse:
    response = HttpResponse(calendar.calendar(events, name), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _meetings():
    """Published meetings with the co-chairs a calendar entry names."""
    return (
        Meeting.objects.published()
        .select_related("body")
        .prefetch_related(Prefetch("cochairs", queryset=MeetingCoChair.objects.select_related("state")))
    )


def _base(request) -> str:
    return request.build_absolute_uri("/")


def meeting_ics(request, slug):
    meeting = get_object_or_404(_meetings(), slug=slug)
    return _ics(request, calendar.meeting_events(meeting, _base(request)), meeting.display_title, f"{slug}.ics")


def exercise_ics(request, slug):
    exercise = get_object_or_404(queries.with_exercise_facts(Exercise.objects.published()), slug=slug)
    return _ics(request, calendar.exercise_events(exercise, _base(request)), exercise.title, f"{slug}.ics")


def calendar_ics(request):
    """Every published meeting and exercise; ?body=slug for one body's."""
    meetings = _meetings()
    exercises = queries.with_exercise_facts(Exercise.objects.published())
    name = "Bali Process Working Groups"
    if body_slug := request.GET.get("body"):
        body = Body.objects.filter(slug=body_slug).first()
        if body is None:
            raise Http404("No such body.")
        meetings, exercises, name = meetings.filter(body=body), exercises.filter(bodies=body), str(body)
    base = _base(request)
    # The newest events (all upcoming ones first): a subscription's size stays the same however
    # many years of records lie behind it; each older meeting keeps its own .ics.
    meetings = meetings.order_by("-start_date")[: calendar.FEED_LIMIT]
    exercises = exercises.order_by("-start_date")[: calendar.FEED_LIMIT]
    events = [e for m in meetings for e in calendar.meeting_events(m, base)]
    events += [e for x in exercises for e in calendar.exercise_events(x, base)]
    return _ics(request, events, name, "calendar.ics")


PUBLISHER = "Bali Process Regional Support Office"


def tag_uri(meeting) -> str:
    """An RFC 4151 tag: URI, the entry's id for ever: the site's name, the day the outcome was first
    published and the meeting's slug; neither a database id nor the address it is served from."""
    day = (meeting.published_at.date() if meeting.published_at else meeting.start_date).isoformat()
    return f"tag:{settings.CALENDAR_UID_DOMAIN},{day}:meetings/{meeting.slug}"


class OutcomesFeed(Feed):
    """RSS 2.0 feed of published meeting outcomes, newest first."""

    title = "Bali Process Working Groups: meeting outcomes"
    description = "Outcome statements of the meetings of the Bali Process working groups, as they are published."
    author_name = PUBLISHER
    item_author_name = PUBLISHER

    def link(self):
        return reverse("meetings:list")

    def items(self):
        return Meeting.objects.published().select_related("body").order_by("-published_at", "-start_date")[:30]

    def item_title(self, meeting):
        return meeting.display_title

    def item_description(self, meeting):
        # Readers take a description as HTML: escaped, the outcome's text is shown as typed, and a
        # "<script>" or "<img onerror>" in it is text, never markup.
        return escape(Truncator(meeting.outcome_statement).words(120))

    def item_pubdate(self, meeting):
        return meeting.published_at

    def item_updateddate(self, meeting):
        return meeting.updated_at

    def item_guid(self, meeting):
        return tag_uri(meeting)

    def item_categories(self, meeting):
        return [meeting.body.name]

    item_guid_is_permalink = False


class AtomOutcomesFeed(OutcomesFeed):
    feed_type = Atom1Feed
    subtitle = OutcomesFeed.description
