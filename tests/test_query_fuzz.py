"""Every public GET handles any query string: no 500 from NUL bytes, huge or negative numbers,
line breaks or unicode, in any parameter of any public URL pattern."""

from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings.models import Body, Exercise, Meeting
from workplan.models import WorkPlanItem

from .helpers import all_patterns, concrete

pytestmark = pytest.mark.django_db
PUBLIC = ("site:", "meetings:", "api:", "opendata:")
# The parameters the public views read, and some they do not.
NAMES = ["q", "body", "year", "page", "status", "kind", "lead", "theme", "state", "organisation", "format"]
NAMES += ["ordering", "limit", "offset", "search", "type", "role", "mode", "period", "r", "page_size", "cursor"]
ODD = ["\x00", "a\x00b", "-1", "0", "10000", "9" * 40, "1e309", "NaN", "line\nbreak", "\r\n", "%", "ü✓𝄞", "  ", ""]
values = st.one_of(
    st.sampled_from(ODD),
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
queries = st.lists(st.tuples(st.one_of(st.sampled_from(NAMES), st.text(max_size=8)), values), max_size=4)


def public_urls() -> list[str]:
    world = {
        "meeting": Meeting.objects.get(number=7, body__slug="wgd"),
        "item": WorkPlanItem.objects.get(order_label="a"),
        "users": {"no_role": SimpleNamespace(pk=0)},  # only named by admin addresses, not crawled here
        "draft": SimpleNamespace(slug="none"),  # only named by the workspace's addresses, not crawled here
        "rows": {},
    }
    urls = [
        concrete(name, route, world)
        for name, route in all_patterns()
        if name
        and (name.startswith(PUBLIC) or name in ("workplan:board", "workplan:item"))
        and name not in ("site:healthz",)
    ]
    return sorted(set(urls))


def assert_no_server_error(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code < 500, url


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(query=queries)
def test_any_query_string_on_any_public_url(client, demo, query):
    for url in public_urls():
        assert_no_server_error(client, f"{url}?{urlencode(query)}")


@pytest.mark.parametrize(
    "query",
    [
        "q=%00",
        "q=a%00b",
        "body=%00",
        "year=-1",
        "year=0",
        "year=10000",
        "year=" + "9" * 40,
        "page=" + "9" * 40,
        "lead=%00",
        "theme=%0A",
        "status=%FF",
    ],
)
def test_the_odd_values_found_by_the_attack(client, demo, query):
    for url in public_urls():
        assert_no_server_error(client, f"{url}?{query}")


@pytest.mark.parametrize("query", ["q=%00", "body=%00", "a%00=1", "q=caf%C3%A9%00"])
def test_a_nul_byte_anywhere_in_a_query_string_is_a_400(client, demo, query):
    """The finding (on PostgreSQL, which refuses NUL in a string): a 500 from search and calendars."""
    for url in ("/search/", "/calendar.ics", "/api/v1/meetings/"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400, url
        assert "NUL" in response.content.decode()


def test_the_api_answers_a_year_out_of_range_with_a_400(client, demo):
    for year in ("-1", "0", "10000", "9" * 40):
        response = client.get(f"/api/v1/meetings/?year={year}")
        assert response.status_code == 400
        assert "year" in response.json()
    assert client.get("/api/v1/meetings/?year=2022").json()["count"] == 1


def test_an_exercise_title_with_a_line_break_gives_a_calendar(client, demo):
    exercise = Exercise.objects.get()
    exercise.title = "Table-top exercise\non investigations\r\nDay 2"
    exercise.save()
    for url in (
        "/calendar.ics",
        f"/exercises/{exercise.slug}/calendar.ics",
        f"/bodies/{Body.objects.get(slug='wgd').slug}/",
    ):
        assert_no_server_error(client, url)
    from icalendar import Calendar

    calendar = Calendar.from_ical(client.get(f"/exercises/{exercise.slug}/calendar.ics").content)
    [event] = [c for c in calendar.walk("VEVENT")]
    assert "\n" not in str(event["SUMMARY"]) and "investigations" in str(event["SUMMARY"])
