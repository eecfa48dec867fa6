"""iCalendar files of published meetings and exercises: one per event, and a subscribable feed.

Each event is all-day (DTEND is the day after the last day, as RFC 5545 wants); an event held on
separate days ("21 and 23 September") becomes one VEVENT per run of consecutive days. UIDs are
built from the record's slug, the key its public address already promises to keep: they stay the
same when a title is corrected and when the database is restored into a new one (new ids).
"""

import datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .models import Exercise, Meeting

# Meetings, and as many exercises, in the subscribable calendar: the newest hundred of each is
# years of a forum's calendar, and keeps the file (and a calendar app's refresh) small.
FEED_LIMIT = 100


def _runs(days: list[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """Consecutive days grouped: [(first, last), ...]."""
    runs = []
    for day in sorted(days):
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _location(event) -> str:
    """A meeting's venue and format. An exercise records no format of its own: it gets the place
    of the meeting it was held alongside, and no "online" the record does not state."""
    meeting = event if isinstance(event, Meeting) else event.meeting
    if meeting is None:
        return ""
    place = ", ".join(part for part in (meeting.venue_city, meeting.venue_country) if part)
    if meeting is not event:
        return place if meeting.format != Meeting.Format.VIRTUAL else ""
    if meeting.format == Meeting.Format.VIRTUAL:
        return "Online"
    if meeting.format == Meeting.Format.HYBRID:
        return f"{place} and online" if place else "Online"
    return place


def _line(text: str) -> str:
    """A title or place on one line: a line break typed into a title is a space in a calendar's name."""
    return " ".join(text.split())


def _vevents(record, *, kind: str, title: str, description: str, base_url: str) -> list[Event]:
    runs = _runs(record.days)
    url = base_url.rstrip("/") + record.get_absolute_url()
    stamp = (record.updated_at or timezone.now()).astimezone(datetime.UTC)
    events = []
    for first, last in runs:
        event = Event()
        suffix = f"-{first.isoformat()}" if len(runs) > 1 else ""
        event.add("uid", f"{kind}-{record.slug}{suffix}@{settings.CALENDAR_UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", first)
        event.add("dtend", last + datetime.timedelta(days=1))
        event.add("summary", _line(title))
        event.add("description", f"{description}\n{url}")
        event.add("url", url)
        event.add("categories", [kind.capitalize()])
        if location := _location(record):
            event.add("location", _line(location))
        events.append(event)
    return events


def meeting_events(meeting: Meeting, base_url: str) -> list[Event]:
    cochairs = " and ".join(c.state.display_name for c in meeting.cochairs.all())
    description = f"{meeting.get_format_display().capitalize()} meeting of the {meeting.body.name}."
    if cochairs:
        description += f" Co-chaired by {cochairs}."
    return _vevents(meeting, kind="meeting", title=meeting.display_title, description=description, base_url=base_url)


def exercise_events(exercise: Exercise, base_url: str) -> list[Event]:
    description = exercise.get_kind_display()
    if exercise.meeting:
        description += f", held alongside the {exercise.meeting.display_title}"
    return _vevents(exercise, kind="exercise", title=exercise.title, description=description + ".", base_url=base_url)


def calendar(events: list[Event], name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Bali Process Working Groups//Meetings//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _line(name))
    for event in events:
        cal.add_component(event)
    return cal.to_ical()
