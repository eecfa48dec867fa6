"""Each public page costs a fixed number of queries, whatever the number of rows it lists.

Every page is measured at 5 and at 200 rows of what it lists; the budget is the same literal at
both sizes, so an N+1 shows up as a failure.
"""

import datetime

import pytest

from meetings.models import Meeting

from . import factories

pytestmark = pytest.mark.django_db
SIZES = [5, 200]


def world(size: int):
    """`size` meetings of one body, each with 2 co-chairs and 3 states; the first with `size` states
    and exercises; `size` items with leads, themes and updates; one state that attended them all."""
    body = factories.BodyFactory(slug="wgd", acronym="WGD")
    theme = factories.ThemeFactory(slug="scams")
    regular = factories.MemberStateFactory(slug="regular")
    organisation = factories.OrganisationFactory(slug="iom")
    meetings = []
    for n in range(size):
        meeting = factories.MeetingFactory(
            body=body,
            start_date=datetime.date(2000 + n % 25, 1 + n % 12, 1),
            outcome_statement=f"Statement {n} on scams",
        )
        factories.MeetingCoChairFactory.create_batch(2, meeting=meeting)
        factories.AttendanceFactory(meeting=meeting, state=regular)
        factories.AttendanceFactory(meeting=meeting, state=None, organisation=organisation)
        meetings.append(meeting)
    big = meetings[0]
    factories.AttendanceFactory.create_batch(size, meeting=big)
    for n in range(size):
        exercise = factories.ExerciseFactory(meeting=big, title=f"Exercise on scams {n}")
        exercise.bodies.add(body)
        exercise.themes.add(theme)
        exercise.sectors.add(factories.SectorFactory())
        exercise.expert_organisations.add(organisation)
    # The updates' author is a co-chair: the public timeline names their state on every update.
    author = factories.RepresentativeFactory(state=regular).user
    item_parent = factories.WorkPlanItemFactory(body=body, raised_at=big, title="Period of action on scams")
    for n in range(size):
        item = factories.WorkPlanItemFactory(body=body, raised_at=big, title=f"Item on scams {n}", parent=item_parent)
        item.lead_states.add(regular)
        item.lead_organisations.add(organisation)
        item.themes.add(theme)
        item.reported_at.add(meetings[n])
        factories.ProgressUpdateFactory(item=item_parent, text=f"Update {n}", author=author)
    return {"meeting": big, "exercise": big.exercises.first(), "item": item_parent, "theme": theme}


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


# The literal budget of each page, the same at both sizes. A list that reaches 50 rows adds the
# one query that counts the rest ("the latest 50 of 200"), and no more however long it grows.
BUDGETS = {
    "home": 6,  # latest + earlier meetings, their co-chairs (x2), upcoming + co-chairs, status counts
    "meetings list": 5,  # years, count, page of meetings, their co-chairs, body choices
    "meetings list filtered": 6,  # ... + the body named in the filter
    "meeting": 21,  # its title, then (the fragment not cached) the meeting, co-chairs, exercises + 8 of
    # their relations, items raised and reported with their leads; the first 201 parties (and, when
    # there are more, their counts by role and every party, for the Word file's size on its button)
    "meeting print": 18,  # the same in one go, every party included
    "meeting participants": 2,  # the meeting's title, its parties
    "exercise": 9,  # exercise + its 8 relations
    "body": 15,  # body, latest meetings (+ their count), exercises + 8 relations (+ count), co-chairs, children
    "exercises": 4,  # count, page of exercises with their meeting, their bodies, the layout's nothing else
    "bodies": 2,  # bodies with their parent and published-meeting counts, current co-chairs
    "members": 6,  # states, member organisations, other organisations, bodies, matrix meetings, attendance
    "state": 11,  # state, aliases, territories, terms, agencies, attendance (+ count), items led + 2 leads (+ count)
    "organisation": 8,  # organisation, aliases, attendance (+ count), items led + 2 leads (+ count)
    "theme": 15,  # theme, exercises + 8 relations (+ count), items + 2 leads (+ count)
    "board": 10,  # 4 filter choices (bodies, themes, lead states, lead organisations), count, page,
    "board filtered": 12,  # 3 relations, status counts; filtered: + the body and theme named
    "item": 9,  # item, leads (2), themes, reported at, children + 2 leads, updates
    "search": 3,  # one ranked query each for meetings, exercises and items
}


@pytest.mark.parametrize("size", SIZES)
def test_query_budgets(client, django_assert_max_num_queries, subtests, size):
    # One world per size, every page measured in it (building it is the slow part).
    urls = pages(world(size))
    assert Meeting.objects.count() == size
    for page, budget in BUDGETS.items():
        with subtests.test(page=page):
            with django_assert_max_num_queries(budget):
                response = client.get(urls[page])
            assert response.status_code == 200
