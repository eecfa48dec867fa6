"""The attendance and work-plan item change lists at a million rows (meetings/admin_paging.py):
filters, searches and pages show the right rows, past the counted pages too, and cost the same
queries at 5 rows as at 200, filtered and searched."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import results
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings import admin_paging
from meetings.admin_rows import fast_results
from meetings.models import Attendance
from workplan.models import WorkPlanItem

from . import factories
from .factories import bulk, bulk_link
from .html import text_of

pytestmark = pytest.mark.django_db
ATTENDANCE = "/admin/meetings/attendance/"
# PostgreSQL reads the planner's row estimate of an unfiltered table before counting it.
ESTIMATE = 1 if connection.vendor == "postgresql" else 0
ITEMS = "/admin/workplan/workplanitem/"


def shown(response) -> list[int]:
    """The ids of the rows a change list shows, in order."""
    assert response.status_code == 200
    return [int(pk) for pk in re.findall(r'name="_selected_action" value="(\d+)"', response.content.decode())]


def newest_first(queryset) -> list[int]:
    return list(queryset.order_by("-id").values_list("pk", flat=True))


@pytest.fixture
def officer(client, secretariat_user):
    client.force_login(secretariat_user)
    return client


@pytest.fixture
def forum(db):
    """Two bodies' meetings; states and organisations attending with several roles and modes."""
    wgd = factories.BodyFactory(name="Working Group on Disruption", acronym="WGD")
    tpp = factories.BodyFactory(name="Taskforce on Planning", acronym="TPP")
    meetings = [
        factories.MeetingFactory(body=wgd, slug="wgd-annual-2022"),
        factories.MeetingFactory(body=tpp, slug="tpp-annual-2023"),
    ]
    thailand = factories.MemberStateFactory(name="Thailand")
    viet_nam = factories.MemberStateFactory(name="Viet Nam")
    iom = factories.OrganisationFactory(name="International Organization for Migration", acronym="IOM")
    rows = []
    for meeting in meetings:
        rows.append(Attendance.objects.create(meeting=meeting, state=thailand, role="member", mode="in_person"))
        rows.append(Attendance.objects.create(meeting=meeting, state=viet_nam, role="observer", mode="virtual"))
        rows.append(Attendance.objects.create(meeting=meeting, organisation=iom, role="observer", mode=""))
    return {"bodies": (wgd, tpp), "meetings": meetings, "rows": rows}


def test_attendance_filters_show_only_the_matching_rows_newest_first(officer, forum):
    wgd, tpp = forum["bodies"]
    assert shown(officer.get(ATTENDANCE)) == newest_first(Attendance.objects.all())
    assert shown(officer.get(ATTENDANCE, {"role__exact": "observer"})) == newest_first(
        Attendance.objects.filter(role="observer")
    )
    observers_online = shown(officer.get(ATTENDANCE, {"role__exact": "observer", "mode__exact": "virtual"}))
    assert observers_online == newest_first(Attendance.objects.filter(role="observer", mode="virtual"))
    assert len(observers_online) == 2
    assert shown(officer.get(ATTENDANCE, {"meeting__body__id__exact": tpp.pk})) == newest_first(
        Attendance.objects.filter(meeting__body=tpp)
    )


@pytest.mark.parametrize(
    "term, expected",
    [
        ("thai", lambda: Attendance.objects.filter(state__name="Thailand")),  # a state's name, in part
        ("iom", lambda: Attendance.objects.filter(organisation__acronym="IOM")),  # an organisation's acronym
        ("migration", lambda: Attendance.objects.filter(organisation__acronym="IOM")),  # its name
        ("tpp-annual", lambda: Attendance.objects.filter(meeting__slug="tpp-annual-2023")),  # a meeting
        ("viet tpp", lambda: Attendance.objects.filter(state__name="Viet Nam", meeting__slug__startswith="tpp")),
        ('"viet nam"', lambda: Attendance.objects.filter(state__name="Viet Nam")),  # a quoted phrase
        ("nowhere", lambda: Attendance.objects.none()),
    ],
)
def test_the_attendance_search_finds_what_its_fields_say(officer, forum, term, expected):
    """Each word matches a state's name, an organisation's name or acronym, or a meeting's slug;
    every word must match (as Django's admin search does)."""
    assert shown(officer.get(ATTENDANCE, {"q": term})) == newest_first(expected())


def test_a_search_and_a_filter_combine(officer, forum):
    assert shown(officer.get(ATTENDANCE, {"q": "thailand", "meeting__body__id__exact": forum["bodies"][0].pk})) == [
        forum["rows"][0].pk
    ]


@pytest.fixture
def small_pages(monkeypatch):
    """50 rows a page and 1,000 counted, in small: 5 a page, 10 counted (2 pages by number)."""
    for model in (Attendance, WorkPlanItem):
        monkeypatch.setattr(admin.site._registry[model], "list_per_page", 5)
    monkeypatch.setattr(admin_paging, "COUNT_CAP", 10)


def test_pages_past_the_first_and_older_rows_past_the_counted_ones(officer, small_pages):
    meeting = factories.MeetingFactory()
    bulk(
        factories.AttendanceFactory, [{"meeting": meeting, "state": factories.MemberStateFactory()} for _ in range(23)]
    )
    everything = newest_first(Attendance.objects.all())

    first = officer.get(ATTENDANCE)
    assert shown(first) == everything[:5]
    assert "more than 10 attendance" in first.content.decode()
    # Nowhere the capped count as a number: a bulk action covers every matching row, not 11.
    page = first.content.decode()
    assert "Select all more than 10 attendance" in page and "All more than 10 selected" in page
    assert "Select all 11" not in page and "All 11 selected" not in page
    searched = text_of(officer.get(ATTENDANCE, {"q": meeting.slug}))
    assert "more than 10 results" in searched and "11 results" not in searched
    assert "Older rows" not in first.content.decode()  # page 2 is a number away
    second = officer.get(ATTENDANCE, {"p": 2})
    assert shown(second) == everything[5:10]
    assert officer.get(ATTENDANCE, {"p": 3}).status_code == 302  # no page past the counted rows

    # The last counted page leads on to the older rows, by keyset, as far as they go.
    older = follow_older(officer, second)
    assert shown(older) == everything[10:15]
    assert "Newest rows" in older.content.decode()
    older_second = officer.get(older.request["PATH_INFO"] + "?" + older.request["QUERY_STRING"] + "&p=2")
    assert shown(older_second) == everything[15:20]
    oldest = follow_older(officer, older_second)
    assert shown(oldest) == everything[20:23]
    assert "Older rows" not in oldest.content.decode()


def follow_older(client, response):
    link = re.search(r'href="(\?[^"]*)" rel="next"', response.content.decode())
    assert link, "no link to the older rows"
    return client.get(ATTENDANCE + link.group(1).replace("&amp;", "&"))


def test_older_rows_keep_the_filter(officer, small_pages):
    meeting = factories.MeetingFactory()
    rows = bulk(
        factories.AttendanceFactory,
        [
            {"meeting": meeting, "state": factories.MemberStateFactory(), "role": "observer" if n % 2 else "member"}
            for n in range(30)
        ],
    )
    observers = newest_first(Attendance.objects.filter(role="observer"))
    assert len(observers) == 15 and len(rows) == 30
    response = officer.get(ATTENDANCE, {"role__exact": "observer", "before": observers[9]})
    assert shown(response) == observers[10:15]


def test_a_cursor_that_is_no_number_is_ignored(officer, forum):
    assert shown(officer.get(ATTENDANCE, {"before": "abc"})) == newest_first(Attendance.objects.all())


@pytest.fixture
def plan(db):
    scams, data = factories.ThemeFactory(name="Online scams"), factories.ThemeFactory(name="Data sharing")
    body = factories.BodyFactory()
    items = [
        factories.WorkPlanItemFactory(body=body, title="Training on online scams", status="agreed"),
        factories.WorkPlanItemFactory(body=body, title="Regional workshop", description="Biometric data, shared"),
        factories.WorkPlanItemFactory(body=body, title="Guide", topic="Scam compounds", status="completed"),
    ]
    items[0].themes.set([scams, data])  # two themes: still listed once under either
    items[1].themes.set([data])
    return {"items": items, "scams": scams, "data": data}


def test_the_theme_filter_lists_each_item_of_the_theme_once(officer, plan):
    first, second, _ = plan["items"]
    assert shown(officer.get(ITEMS, {"themes__id__exact": plan["data"].pk})) == [second.pk, first.pk]
    assert shown(officer.get(ITEMS, {"themes__id__exact": plan["scams"].pk})) == [first.pk]
    page = officer.get(ITEMS).content.decode()
    assert "Online scams" in page and f"?themes__id__exact={plan['scams'].pk}" in page


def test_the_item_search_matches_title_topic_and_description(officer, plan):
    first, second, third = plan["items"]
    assert shown(officer.get(ITEMS, {"q": "scam"})) == [third.pk, first.pk]
    assert shown(officer.get(ITEMS, {"q": "biometric"})) == [second.pk]
    assert shown(officer.get(ITEMS, {"q": "scam", "status__exact": "completed"})) == [third.pk]


# --- query budgets: the same queries at 5 rows as at 200, with a filter and a search -------------


def attendance_world(size: int):
    body = factories.BodyFactory(acronym="WGD")
    thailand = factories.MemberStateFactory(name="Thailand")
    iom = factories.OrganisationFactory(acronym="IOM")
    meetings = bulk(factories.MeetingFactory, [{"body": body} for _ in range(size)])
    states = bulk(factories.MemberStateFactory, [{} for _ in range(size)])
    bulk(
        factories.AttendanceFactory,
        [
            *({"meeting": meeting, "state": thailand, "role": "observer"} for meeting in meetings),
            *({"meeting": meeting, "state": None, "organisation": iom, "role": "observer"} for meeting in meetings),
            *({"meeting": meetings[0], "state": state, "role": "observer", "mode": "virtual"} for state in states),
        ],
    )
    return body


def item_world(size: int):
    body = factories.BodyFactory(acronym="WGD")
    theme = factories.ThemeFactory()
    meeting = factories.MeetingFactory(body=body)
    items = bulk(
        factories.WorkPlanItemFactory,
        [{"body": body, "raised_at": meeting, "title": f"Training {n}", "status": "agreed"} for n in range(size)],
    )
    bulk_link(WorkPlanItem.themes, [(item, theme) for item in items])
    return body, theme


def queries_for(client, url, params) -> int:
    client.get(url, params)  # the session, the content types and the permissions warm
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize("size", [5, 200])
def test_attendance_list_query_budget(officer, size):
    body = attendance_world(size)
    filtered = {"role__exact": "observer", "meeting__body__id__exact": body.pk}
    assert len(shown(officer.get(ATTENDANCE, filtered))) == min(50, 3 * size)
    # session, roles (3), permissions (2), the bodies to filter by, count, rows (the worker keeps the
    # user; the session is not saved again within the minute); a search adds one look-up each in the
    # states, organisations and meetings.
    assert queries_for(officer, ATTENDANCE, {}) == 9 + ESTIMATE
    assert queries_for(officer, ATTENDANCE, filtered) == 9
    assert (
        queries_for(officer, ATTENDANCE, {**filtered, "mode__exact": "virtual", "p": 2} if size > 50 else filtered) == 9
    )
    assert queries_for(officer, ATTENDANCE, {**filtered, "q": "thailand"}) == 12
    assert queries_for(officer, ATTENDANCE, {"before": 10**6}) == 9


@pytest.mark.parametrize("size", [5, 200])
def test_item_list_query_budget(officer, size):
    body, theme = item_world(size)
    filtered = {"status__exact": "agreed", "body__id__exact": body.pk, "themes__id__exact": theme.pk}
    assert len(shown(officer.get(ITEMS, filtered))) == min(50, size)
    # session, roles (3), permissions (2), the bodies and themes to filter by, count, rows
    assert queries_for(officer, ITEMS, {}) == 10 + ESTIMATE
    assert queries_for(officer, ITEMS, filtered) == 10
    assert queries_for(officer, ITEMS, {**filtered, "q": "training"}) == 10
    assert queries_for(officer, ITEMS, {**filtered, "p": 2} if size > 50 else filtered) == 10


@pytest.mark.parametrize("model", [Attendance, WorkPlanItem])
def test_the_large_lists_rows_are_the_html_djangos_own_would_write(rf, secretariat_user, forum, plan, model):
    """meetings/admin_rows.py renders a page's rows a column (and a row) at a time: the same cells,
    classes and links as Django's items_for_result, for every row of the page."""
    request = rf.get("/")
    request.user = secretariat_user
    model_admin = admin.site._registry[model]

    def change_list():
        cl = model_admin.get_changelist_instance(request)
        cl.formset = None  # as changelist_view sets it for a list with no editable column
        return cl

    ours = ["".join(row) for row in fast_results(change_list())]
    djangos = ["".join(row) for row in results(change_list())]
    assert len(ours) >= 3
    assert ours == djangos
