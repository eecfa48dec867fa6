"""Caching, conditional GET, the data generator and the stored search vectors."""

import gzip
import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from baliwg.accounts import UserBackend
from baliwg.search.index import refresh_all
from core.memory import StampedMemory
from meetings.models import Attendance, Meeting, MemberState, Organisation, Theme
from meetings.permissions import can_preview_drafts
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


CACHE_CALLS = ("get", "get_many", "set", "set_many", "add", "get_or_set", "has_key", "touch", "delete", "incr")


@pytest.fixture
def cache_calls(monkeypatch):
    """Every call the code makes to the cache (one round trip each on Redis), recorded and passed
    through unchanged; the calls a backend makes to itself (locmem's get_many calls get) are not."""
    calls, depth = [], [0]
    backend = caches["default"]
    for name in CACHE_CALLS:
        original = getattr(backend, name)

        def recorded(*args, _original=original, _name=name, **kwargs):
            if not depth[0]:
                calls.append(_name)
            depth[0] += 1
            try:
                return _original(*args, **kwargs)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(backend, name, recorded)
    return calls


@pytest.mark.parametrize("address", [MEETING, "/", "/workplan/", "/api/v1/meetings/"])
def test_a_cached_anonymous_page_is_one_small_cache_read_and_no_query(
    client, demo, cache_calls, django_assert_num_queries, address
):
    first = client.get(address)
    assert first.status_code == 200
    cache_calls.clear()
    with django_assert_num_queries(0):
        again = client.get(address)
    assert cache_calls == ["get"]  # the stamp alone: the page is in this worker's memory
    assert again.content == first.content and again["ETag"] == first["ETag"]
    # Answered before the session and authentication middleware ran: no session or user at all.
    assert not hasattr(again.wsgi_request, "session") and not hasattr(again.wsgi_request, "user")
    cache_calls.clear()
    with django_assert_num_queries(0):
        revisit = client.get(address, HTTP_IF_NONE_MATCH=first["ETag"])
    assert revisit.status_code == 304 and cache_calls == ["get"]
    # A revisit with an out-of-date ETag gets the current page, still without a query.
    cache_calls.clear()
    with django_assert_num_queries(0):
        stale = client.get(address, HTTP_IF_NONE_MATCH='"an-old-etag"')
    assert stale.status_code == 200 and stale.content == first.content and cache_calls == ["get"]
    # Another worker (its own memory, empty) takes the page from the shared cache, not the database.
    cache_calls.clear()
    with django_assert_num_queries(0):
        elsewhere = Client().get(address)
    assert elsewhere.content == first.content and cache_calls == ["get", "get"]


def test_a_workers_memory_of_pages_is_bounded_and_keeps_the_most_recent():
    memory = StampedMemory(limit=8 * 1000)
    for n in range(20):
        memory.put(f"page-{n}", 1.0, b"x" * 900, 900)
    assert memory.size <= 8 * 1000
    assert memory.get("page-19", 1.0) == b"x" * 900
    assert memory.get("page-0", 1.0) is None  # the oldest went first
    assert memory.get("page-19", 2.0) is None  # rendered before the last change: not served
    memory.put("huge", 1.0, b"x" * 2000, 2000)  # over an eighth of the bound: not kept
    assert memory.get("huge", 1.0) is None


def test_public_pages_are_compressed_and_logged_in_pages_are_not(client, demo, cochair_user):
    plain = client.get(MEETING)
    assert "Content-Encoding" not in plain
    # Rendered once per variant, then served compressed from the cache.
    for _ in range(2):
        compressed = client.get(MEETING, HTTP_ACCEPT_ENCODING="gzip, br")
        assert compressed["Content-Encoding"] == "gzip" and "Accept-Encoding" in compressed["Vary"]
        assert gzip.decompress(compressed.content) == plain.content
        assert len(compressed.content) < len(plain.content) / 3
    # A logged-in page holds a CSRF token (the log-out form): never compressed (BREACH).
    client.force_login(cochair_user)
    mine = client.get(MEETING, HTTP_ACCEPT_ENCODING="gzip")
    assert "csrfmiddlewaretoken" in mine.content.decode() and "Content-Encoding" not in mine


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


@pytest.mark.parametrize("persona", ["cochair_user", "secretariat_user"])
def test_a_logged_in_meeting_page_reuses_its_lists_until_a_record_changes(
    client, demo, request, persona, django_assert_num_queries
):
    # A logged-in page skips the page cache; the meeting's lists come from a cached fragment.
    client.force_login(request.getfixturevalue(persona))
    assert "13 states and 4 organisations took part" in client.get(MEETING).content.decode()
    # The session (from the cache in production) alone: the worker keeps the user, with whether
    # they preview drafts, and the page, per content stamp and kind of visitor; no write of the
    # session (renewed about once a minute).
    with django_assert_num_queries(1):
        again = client.get(MEETING).content.decode()
    assert "13 states and 4 organisations took part" in again and "Australia" in again
    Attendance.objects.filter(meeting__number=7, state__iso_code="AU").get().delete()
    assert "12 states and 4 organisations took part" in client.get(MEETING).content.decode()


def test_the_user_is_loaded_knowing_whether_they_preview_drafts(demo, secretariat_user, cochair_user, plain_user):
    backend = UserBackend()
    assert bool(backend.get_user(secretariat_user.pk).previews_drafts) is True
    assert bool(backend.get_user(cochair_user.pk).previews_drafts) is False
    assert bool(backend.get_user(str(plain_user.pk)).previews_drafts) is False  # the session holds a string
    assert backend.get_user("not-an-id") is None and backend.get_user(10**6) is None
    secretariat_user.groups.clear()
    assert can_preview_drafts(backend.get_user(secretariat_user.pk)) is False
    secretariat_user.user_permissions.add(Permission.objects.get(codename="change_meeting"))
    assert can_preview_drafts(backend.get_user(secretariat_user.pk)) is True


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


def test_generate_data_refuses_a_database_with_the_demo_in_it(demo):
    """It crashed on a unique constraint half-way instead (its transaction kept the demo intact)."""
    before = Meeting.objects.count()
    with pytest.raises(CommandError, match="already holds meetings; generate into a fresh one"):
        call_command("generate_data", "--scale", "0.05", stdout=io.StringIO(), stderr=io.StringIO())
    assert Meeting.objects.count() == before


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


def test_a_common_word_costs_no_more_queries_than_a_rare_one(client, demo):
    """Search ranks a bounded set of candidates of each kind in one statement, so its cost does not
    grow with the number of matches (bounded by construction, not by timing)."""
    body = Meeting.objects.get(number=7).body
    for number in range(60):
        factories.WorkPlanItemFactory(body=body, title=f"Commonplace item {number}", status="agreed")
    refresh_all()

    def queries_for(word):
        with CaptureQueriesContext(connection) as captured:
            page = client.get("/search/", {"q": word})
        return len(captured), page.context["results"]

    common_queries, common = queries_for("commonplace")
    rare_queries, rare = queries_for("kaleidoscope")
    assert len(common) == 10 and rare == []  # ten of each kind shown, however many match
    assert common_queries == rare_queries == 1  # one statement for every kind of record


@pytest.mark.parametrize("address", ["/", MEETING, "/workplan/"])
def test_pages_describe_themselves_to_search_engines(client, demo, address):
    page = client.get(address).content.decode()
    description = re.search(r'<meta name="description" content="([^"]+)">', page)
    assert description and "Bali Process" in description.group(1)
