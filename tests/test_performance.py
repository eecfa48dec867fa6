"""Caching, conditional GET, the data generator and the stored search vectors."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from baliwg.search.index import refresh_all
from meetings.models import Attendance, Meeting, MemberState, Organisation, Theme
from workplan.models import WorkPlanItem

from . import factories

pytestmark = pytest.mark.django_db
MEETING = "/meetings/wgd-seventh-annual-meeting-2022/"


def test_a_revisit_costs_a_304_and_at_most_two_queries(client, demo, django_assert_max_num_queries):
    first = client.get(MEETING)
    assert first.status_code == 200 and first["ETag"]
    with django_assert_max_num_queries(2):
        again = client.get(MEETING, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    with django_assert_max_num_queries(2):
        by_date = client.get(MEETING, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 304


def test_a_cached_page_costs_no_query(client, demo, django_assert_num_queries):
    client.get("/workplan/")
    with django_assert_num_queries(0):
        cached = client.get("/workplan/")
    assert cached.status_code == 200 and b"Joint 12-month Period of Action" in cached.content


def test_a_published_correction_appears_at_once(client, demo):
    page = client.get(MEETING)
    meeting = Meeting.objects.get(number=7)
    meeting.venue_city = "Bangkok (UNCC)"
    meeting.save()
    assert client.get(MEETING, HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 200
    assert b"Bangkok (UNCC)" in client.get(MEETING).content


def test_a_deleted_row_and_a_changed_link_also_refresh_the_cache(client, demo):
    client.get(MEETING)
    Attendance.objects.filter(meeting__number=7, state__iso_code="AU").get().delete()
    assert "12 states and 4 organisations took part" in client.get(MEETING).content.decode()
    item = WorkPlanItem.objects.get(order_label="b")
    client.get(item.get_absolute_url())
    item.themes.add(Theme.objects.get(slug="online-scams"))
    assert "Online scams" in client.get(item.get_absolute_url()).content.decode()


def test_logged_in_pages_are_never_served_from_the_cache(client, demo, secretariat_user):
    draft = factories.MeetingFactory(title="Draft only the secretariat sees", status="draft")
    client.get("/meetings/")
    client.force_login(secretariat_user)
    assert draft.title in client.get("/meetings/").content.decode()
    client.logout()
    assert draft.title not in client.get("/meetings/").content.decode()


def test_a_logged_in_meeting_page_reuses_its_lists_until_a_record_changes(
    client, demo, cochair_user, django_assert_num_queries
):
    # A co-chair's pages skip the page cache; the meeting's lists come from a cached fragment.
    client.force_login(cochair_user)
    assert "13 states and 4 organisations took part" in client.get(MEETING).content.decode()
    # Session, user, the meeting, the session's renewal (with its savepoint): no query for the
    # co-chairs, the 17 parties, the exercises or the items. (A co-chair is not staff, so no query
    # asks for their permissions.)
    with django_assert_num_queries(6):
        again = client.get(MEETING).content.decode()
    assert "13 states and 4 organisations took part" in again and "Australia" in again
    Attendance.objects.filter(meeting__number=7, state__iso_code="AU").get().delete()
    assert "12 states and 4 organisations took part" in client.get(MEETING).content.decode()


def test_the_secretariat_and_the_public_never_share_a_meeting_fragment(client, demo, secretariat_user):
    meeting = Meeting.objects.get(number=7)
    draft = factories.ExerciseFactory(meeting=meeting, title="Draft exercise only the secretariat sees", status="draft")
    client.force_login(secretariat_user)
    assert draft.title in client.get(MEETING).content.decode()
    client.logout()
    client.cookies["sessionid"] = "a-visitor-with-a-stale-cookie"  # skips the page cache too
    assert draft.title not in client.get(MEETING).content.decode()


def test_generate_data_makes_a_proportional_forum(db):
    call_command("generate_data", "--scale", "0.05", stdout=io.StringIO(), stderr=io.StringIO())
    assert Meeting.objects.count() == 10
    assert WorkPlanItem.objects.filter(body__slug="wgd", themes__slug="online-scams").count() >= 5_000
    largest = max(Meeting.objects.all(), key=lambda m: m.attendances.count())
    parties = MemberState.objects.exclude(membership="none").count() + Organisation.objects.count()
    assert largest.attendances.count() == min(2_500, parties)  # every party of the registry it made
    with pytest.raises(Exception, match="already holds meetings"):
        call_command("generate_data", "--scale", "0.05", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stored vectors are PostgreSQL's")
def test_search_vectors_are_kept_current_on_save_and_on_theme_changes(client, demo):
    item = WorkPlanItem.objects.get(order_label="c")
    assert WorkPlanItem.objects.filter(pk=item.pk, search_vector="biometrics").exists()
    item.description = "A kaleidoscope of safeguards."
    item.save()
    assert WorkPlanItem.objects.filter(pk=item.pk, search_vector="kaleidoscope").exists()
    item.themes.add(
        Theme.objects.get(slug="women-and-children")
        if Theme.objects.filter(slug="women-and-children").exists()
        else Theme.objects.get(slug="online-scams")
    )
    assert WorkPlanItem.objects.filter(pk=item.pk, search_vector="scams").exists()
    # The meeting that raised it now holds the theme too.
    assert Meeting.objects.filter(number=7, search_vector="scams").exists()
    assert [r.title for r in client.get("/search/?q=kaleidoscope").context["results"]] == [item.title]
    refresh_all()  # a bulk refresh agrees with the one on save
    assert WorkPlanItem.objects.filter(pk=item.pk, search_vector="kaleidoscope").exists()
