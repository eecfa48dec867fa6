"""The outcomes feed as a strict Atom reader takes it, and calendar entries that a subscriber's
calendar keeps recognising after the site's database is restored."""

import xml.etree.ElementTree as ET

import feedparser
from icalendar import Calendar

from meetings.models import Attendance, Exercise, Meeting, MeetingCoChair

MEETING = "wgd-seventh-annual-meeting-2022"
EXERCISE = "table-top-exercise-investigations-2022"
ATOM = "{http://www.w3.org/2005/Atom}"


def uids(content: bytes) -> dict[str, str]:
    return {str(e["summary"]): str(e["uid"]) for e in Calendar.from_ical(content).walk("VEVENT")}


def test_the_atom_feed_names_its_author_and_gives_every_entry_an_absolute_tag_id(client, demo):
    response = client.get("/feeds/outcomes.atom")
    root = ET.fromstring(response.content)
    # RFC 4287: a feed with an author (or one on every entry), ids that are absolute IRIs.
    assert root.find(f"{ATOM}author/{ATOM}name").text == "Bali Process Regional Support Office"
    assert root.find(f"{ATOM}id").text.startswith("http://testserver/")
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}id").text for e in entries] == [
        f"tag:baliprocess-wg.example.org,2022-10-14:meetings/{MEETING}"
    ]
    for entry in entries:
        assert entry.find(f"{ATOM}author/{ATOM}name").text == "Bali Process Regional Support Office"
        assert entry.find(f"{ATOM}updated") is not None
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo
    assert parsed.feed.author == "Bali Process Regional Support Office"
    assert parsed.entries[0].id.startswith("tag:")


def test_calendar_uids_survive_the_rows_being_restored_with_new_ids(client, demo):
    before = uids(client.get("/calendar.ics").content)
    meeting = Meeting.objects.get(slug=MEETING)
    exercise = Exercise.objects.get(slug=EXERCISE)
    old_ids = (meeting.pk, exercise.pk)

    # As a restore into a fresh database does: the same records, other primary keys.
    cochairs = list(meeting.cochairs.values("state_id", "agency_id"))
    attendances = list(meeting.attendances.values("state_id", "organisation_id", "role", "mode"))
    bodies = list(exercise.bodies.all())
    Exercise.objects.filter(pk=exercise.pk).delete()
    exercise.pk = exercise.id = exercise.meeting = None
    exercise.save()
    exercise.bodies.set(bodies)
    items_raised = list(meeting.items_raised.all())
    items_reported = list(meeting.items_reported.all())
    meeting.items_raised.update(raised_at=None)
    Meeting.objects.filter(pk=meeting.pk).delete()
    meeting.pk = meeting.id = None
    meeting.save()
    MeetingCoChair.objects.bulk_create(MeetingCoChair(meeting=meeting, **row) for row in cochairs)
    Attendance.objects.bulk_create(Attendance(meeting=meeting, **row) for row in attendances)
    for item in items_raised:
        item.raised_at = meeting
        item.save()
    meeting.items_reported.set(items_reported)
    exercise.meeting = meeting
    exercise.save()
    assert (meeting.pk, exercise.pk) != old_ids

    assert uids(client.get("/calendar.ics").content) == before
    assert uids(client.get(f"/meetings/{MEETING}/calendar.ics").content) == {
        meeting.display_title: f"meeting-{MEETING}@baliprocess-wg.example.org"
    }


def test_an_exercise_is_not_placed_online_unless_its_record_says_so(client, demo):
    meeting = Meeting.objects.get(slug=MEETING)
    assert meeting.format == Meeting.Format.HYBRID
    [event] = Calendar.from_ical(client.get(f"/exercises/{EXERCISE}/calendar.ics").content).walk("VEVENT")
    assert str(event["location"]) == "Bangkok, Thailand"
    [event] = Calendar.from_ical(client.get(f"/meetings/{MEETING}/calendar.ics").content).walk("VEVENT")
    assert str(event["location"]) == "Bangkok, Thailand and online"
