"""Each public page costs a fixed number of queries, whatever the number of rows it lists.

Every page is measured at 5 and at 200 rows of what it lists, by an exact count: the same at both
sizes but for one "and N more" count per long list, so an N+1 (a query per row) shows up as a failure.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Group

from baliwg.search.index import refresh_all
from meetings.models import Exercise, Meeting
from workplan.models import WorkPlanItem
from workplan.roles import SECRETARIAT

from . import factories
from .factories import bulk, bulk_link

pytestmark = pytest.mark.django_db
SIZES = [5, 200]


def world(size: int):
    """`size` meetings of one body, each with 2 co-chairs and 3 states; the first with `size` states
    and exercises; `size` items with leads, themes and updates; one state that attended them all.
    Rows are stored in bulk (a few INSERTs per table), the pages read them as they would any others."""
    body = factories.BodyFactory(slug="wgd", acronym="WGD")
    theme = factories.ThemeFactory(slug="scams")
    regular = factories.MemberStateFactory(slug="regular")
    organisation = factories.OrganisationFactory(slug="iom")
    author = factories.RepresentativeFactory(state=regular).user
    # The updates' author is a co-chair: the public timeline names their state on every update.
    states = bulk(factories.MemberStateFactory, [{} for _ in range(3 * size)])
    meetings = bulk(
        factories.MeetingFactory,
        [
            {
                "body": body,
                "start_date": datetime.date(2000 + n % 25, 1 + n % 12, 1),
                "outcome_statement": f"Statement {n} on scams",
            }
            for n in range(size)
        ],
    )
    big = meetings[0]
    bulk(
        factories.MeetingCoChairFactory,
        [{"meeting": meeting, "state": states[2 * n + k]} for n, meeting in enumerate(meetings) for k in (0, 1)],
    )
    bulk(
        factories.AttendanceFactory,
        [
            *({"meeting": meeting, "state": regular} for meeting in meetings),
            *({"meeting": meeting, "state": None, "organisation": organisation} for meeting in meetings),
            *({"meeting": big, "state": state} for state in states[2 * size :]),
        ],
    )
    sectors = bulk(factories.SectorFactory, [{} for _ in range(size)])
    exercises = bulk(
        factories.ExerciseFactory, [{"meeting": big, "title": f"Exercise on scams {n}"} for n in range(size)]
    )
    bulk_link(Exercise.bodies, [(exercise, body) for exercise in exercises])
    bulk_link(Exercise.themes, [(exercise, theme) for exercise in exercises])
    bulk_link(Exercise.sectors, zip(exercises, sectors, strict=True))
    bulk_link(Exercise.expert_organisations, [(exercise, organisation) for exercise in exercises])
    item_parent = factories.WorkPlanItemFactory(body=body, raised_at=big, title="Period of action on scams")
    items = bulk(
        factories.WorkPlanItemFactory,
        [{"body": body, "raised_at": big, "title": f"Item on scams {n}", "parent": item_parent} for n in range(size)],
    )
    bulk_link(WorkPlanItem.lead_states, [(item, regular) for item in items])
    bulk_link(WorkPlanItem.lead_organisations, [(item, organisation) for item in items])
    bulk_link(WorkPlanItem.themes, [(item, theme) for item in items])
    bulk_link(WorkPlanItem.reported_at, zip(items, meetings, strict=True))
    bulk(
        factories.ProgressUpdateFactory,
        [{"item": item_parent, "text": f"Update {n}", "author": author} for n in range(size)],
    )
    refresh_all()  # the search vectors a save would have refreshed (PostgreSQL)
    return {"meeting": big, "exercise": exercises[0], "item": item_parent, "theme": theme}


def pages(data):
    return {
        "home": "/",
        "meetings list": "/meetings/",
        "meetings list filtered": "/meetings/?body=wgd&year=2000",
        "meeting": data["meeting"].get_absolute_url(),
        "meeting print": data["meeting"].get_absolute_url() + "print/",
        "meeting participants": data["meeting"].get_absolute_url() + "participants/",
        "exercise": data["exercise"].get_absolute_url(),
        "exercises": "/exercises/",
        "body": "/bodies/wgd/",
        "bodies": "/bodies/",
        "members": "/members/",
        "state": "/members/states/regular/",
        "organisation": "/members/organisations/iom/",
        "theme": data["theme"].get_absolute_url(),
        "board": "/workplan/",
        "board filtered": "/workplan/?body=wgd&theme=scams&lead=state-regular",
        "item": data["item"].get_absolute_url(),
        "search": "/search/?q=scams",
    }


# The exact number of queries of each page at 200 rows. A list that reaches 50 rows adds the one
# query that counts the rest ("the latest 50 of 200"), and no more however long it grows.
BUDGETS = {
    "home": 6,  # latest + earlier meetings, their co-chairs (x2), upcoming + co-chairs, status counts
    "meetings list": 5,  # years, count, page of meetings, their co-chairs, body choices
    "meetings list filtered": 6,  # ... + the body named in the filter
    "meeting": 18,  # (the fragment not cached) the meeting, co-chairs, exercises + 8 of their relations,
    # items raised and reported with their leads; its parties counted by role (and, when there are
    # at most 200, named)
    "meeting print": 18,  # the same in one go, every party included
    "meeting participants": 2,  # the meeting's title, its parties
    "exercise": 9,  # exercise + its 8 relations
    "body": 15,  # body, latest meetings (+ their count), exercises + 8 relations (+ count), co-chairs, children
    "exercises": 3,  # count, page of exercises with their meeting, their bodies
    "bodies": 2,  # bodies with their parent and published-meeting counts, current co-chairs
    "members": 6,  # states, member organisations, other organisations, bodies, matrix meetings, attendance
    "state": 11,  # state, aliases, territories, terms, agencies, attendance (+ count), items led + 2 leads (+ count)
    "organisation": 8,  # organisation, aliases, attendance (+ count), items led + 2 leads (+ count)
    "theme": 15,  # theme, exercises + 8 relations (+ count), items + 2 leads (+ count)
    "board": 10,  # 4 filter choices (bodies, themes, lead states, lead organisations), count, page,
    "board filtered": 12,  # 3 relations, status counts; filtered: + the body and theme named
    "item": 9,  # item, leads (2), themes, reported at, children + 2 leads, updates
    "search": 1,  # one ranked statement over meetings, exercises and items
}
# At 5 rows the lists are short: no "(+ count)" query, and the meeting's few parties are named.
NOT_COUNTED_WHEN_SHORT = {"body": 2, "state": 2, "organisation": 2, "theme": 2}
NAMED_WHEN_SHORT = {"meeting": 1}


def exact_budget(page: str, size: int) -> int:
    if size >= 50:
        return BUDGETS[page]
    return BUDGETS[page] - NOT_COUNTED_WHEN_SHORT.get(page, 0) + NAMED_WHEN_SHORT.get(page, 0)


@pytest.mark.parametrize("size", SIZES)
def test_query_budgets(client, django_assert_num_queries, subtests, size):
    # One world per size, every page measured in it (building it is the slow part). An N+1 adds a
    # query per row: about 200 more at 200 rows than at 5, where the budgets differ by at most 2.
    urls = pages(world(size))
    assert Meeting.objects.count() == size
    assert WorkPlanItem.objects.count() == size + 1 and Exercise.objects.count() == size
    for page in BUDGETS:
        with subtests.test(page=page):
            with django_assert_num_queries(exact_budget(page, size)):
                response = client.get(urls[page])
            assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("engine", "budget"),
    [("django.contrib.sessions.backends.db", 1), ("django.contrib.sessions.backends.cached_db", 0)],
    ids=["db", "cached_db"],
)
def test_a_logged_in_officers_meeting_page_budget(client, settings, django_assert_num_queries, size, engine, budget):
    # A logged-in page skips the anonymous page cache. Once rendered at the current content stamp,
    # the meeting's page costs the session (none when read from the cache, as with Redis): the
    # worker keeps the user and the page, so nothing for them, the meeting, its lists or the
    # session's renewal.
    settings.SESSION_ENGINE = engine
    url = pages(world(size))["meeting"]
    officer = factories.UserFactory(is_staff=True)
    officer.groups.add(Group.objects.get(name=SECRETARIAT))
    client.force_login(officer)
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(budget):
        again = client.get(url)
    page = again.content.decode()
    assert page.count("Item on scams") == size + 1  # every item raised; the first also reported here
    assert page == first.content.decode().replace(_csrf(first), _csrf(again)) and "Log out" in page


def _csrf(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)
