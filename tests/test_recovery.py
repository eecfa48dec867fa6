"""A meeting is deleted as a whole, with its exercises and the items it raised, and restored as one."""

import pytest
from django.urls import reverse

from meetings.models import Attendance, Delegate, Exercise, Meeting, MeetingCoChair
from workplan.models import ProgressUpdate, WorkPlanItem

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def eighth(db):
    meeting = factories.MeetingFactory(number=8, title="Eighth Meeting Kestrel", outcome_statement="Agreed.")
    factories.MeetingCoChairFactory(meeting=meeting)
    attendances = [factories.AttendanceFactory(meeting=meeting) for _ in range(3)]
    factories.DelegateFactory(attendance=attendances[0])
    exercise = factories.ExerciseFactory(meeting=meeting, title="Exercise Kestrel")
    exercise.themes.add(factories.ThemeFactory(name="Online scams"))
    period = factories.WorkPlanItemFactory(body=meeting.body, raised_at=meeting, title="Period of action Kestrel")
    topic = factories.WorkPlanItemFactory(body=meeting.body, raised_at=meeting, parent=period, title="Topic Kestrel")
    factories.ProgressUpdateFactory(item=period)
    factories.ProgressUpdateFactory(item=topic)
    return meeting


def snapshot(meeting_pk):
    return {
        "meeting": list(Meeting.objects.filter(pk=meeting_pk).values_list("pk", "title", "status")),
        "cochairs": list(MeetingCoChair.objects.filter(meeting=meeting_pk).values_list("pk", "state")),
        "attendance": list(Attendance.objects.filter(meeting=meeting_pk).values_list("pk", "state", "organisation")),
        "delegates": list(Delegate.objects.filter(attendance__meeting=meeting_pk).values_list("pk", "full_name")),
        "exercises": list(Exercise.objects.filter(meeting=meeting_pk).values_list("pk", "title", "themes__name")),
        "items": list(WorkPlanItem.objects.filter(raised_at=meeting_pk).values_list("pk", "title", "parent")),
        # With when each was written: a restore keeps the times, it does not stamp them anew.
        "updates": list(
            ProgressUpdate.objects.filter(item__raised_at=meeting_pk).values_list("pk", "text", "created_at")
        ),
    }


def test_deleting_a_meeting_lists_its_exercises_and_items_and_restoring_it_brings_all_back(
    client, secretariat_user, eighth
):
    before = snapshot(eighth.pk)
    assert all(before.values()), "every kind of related row is there to lose"
    client.force_login(secretariat_user)
    url = reverse("admin:meetings_meeting_delete", args=[eighth.pk])
    page = client.get(url).content.decode()
    assert "Cannot delete" not in page and "protected" not in page
    for name in ("Exercise Kestrel", "Period of action Kestrel", "Topic Kestrel"):
        assert name in page

    assert 'name="with_exercises" value="1" checked' in page
    client.post(url, {"post": "yes", "with_exercises": "1"})
    assert not any(snapshot(eighth.pk).values())
    assert not Exercise.objects.exists() and not WorkPlanItem.objects.exists()

    listing = client.get(reverse("admin-deleted")).content.decode()
    assert "Eighth Meeting Kestrel" in listing
    response = client.post(reverse("admin-deleted"), {"model": "meetings.meeting", "pk": eighth.pk}, follow=True)
    # 1 co-chair, 3 attendance rows, 1 delegate, 1 exercise, 2 items, 2 updates.
    assert "Restored Eighth Meeting Kestrel with 10 related record(s)." in response.content.decode()
    assert snapshot(eighth.pk) == before


def test_an_item_of_another_meeting_under_one_of_its_items_still_stops_the_deletion(client, secretariat_user, eighth):
    later = factories.MeetingFactory(body=eighth.body, number=9)
    factories.WorkPlanItemFactory(
        body=eighth.body, raised_at=later, parent=WorkPlanItem.objects.get(title="Topic Kestrel"), title="Sub Lark"
    )
    client.force_login(secretariat_user)
    url = reverse("admin:meetings_meeting_delete", args=[eighth.pk])
    page = client.get(url).content.decode()
    assert "Cannot delete" in page and "Sub Lark (a sub-item raised at another meeting)" in page
    client.post(url, {"post": "yes"})
    assert Meeting.objects.filter(pk=eighth.pk).exists() and WorkPlanItem.objects.count() == 3


def test_an_item_deleted_with_its_meeting_is_restored_with_the_meeting_not_alone(client, secretariat_user, eighth):
    item = WorkPlanItem.objects.get(title="Period of action Kestrel")
    client.force_login(secretariat_user)
    client.post(reverse("admin:meetings_meeting_delete", args=[eighth.pk]), {"post": "yes"})
    response = client.post(reverse("admin-deleted"), {"model": "workplan.workplanitem", "pk": item.pk}, follow=True)
    assert "Not restored. It belonged to a meeting" in response.content.decode()
    assert not WorkPlanItem.objects.exists()
