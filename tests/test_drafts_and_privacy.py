"""Drafts stay invisible to everyone but the secretariat; delegates' personal data never shows."""

import re

import pytest
from django.urls import reverse

from meetings.models import Attendance, Body, Exercise, Meeting, MemberState, Theme

from . import factories
from .factories import CANARIES, PUBLIC_PAGES, all_public_urls
from .html import without_login_return

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "Confidential Draft Meeting Zebra"


@pytest.fixture
def draft(demo):
    """A draft meeting of the Working Group on Disruptions, with an exercise, an item and attendance."""
    wgd = Body.objects.get(slug="wgd")
    meeting = factories.MeetingFactory(
        body=wgd,
        number=8,
        title=DRAFT_TITLE,
        status=Meeting.Status.DRAFT,
        slug="draft-zebra",
        outcome_statement="Zebra outcome not yet agreed.",
    )
    factories.AttendanceFactory(meeting=meeting, state=MemberState.objects.get(iso_code="VN"))
    exercise = factories.ExerciseFactory(
        meeting=meeting, title="Zebra exercise", slug="zebra-exercise", status=Exercise.Status.DRAFT
    )
    exercise.bodies.add(wgd)
    exercise.themes.add(Theme.objects.get(slug="online-scams"))
    item = factories.WorkPlanItemFactory(body=wgd, raised_at=meeting, title="Zebra item")
    item.themes.add(Theme.objects.get(slug="online-scams"))
    return {"meeting": meeting, "exercise": exercise, "item": item}


def draft_urls(draft):
    return [
        draft["meeting"].get_absolute_url(),
        reverse("meetings:print", args=[draft["meeting"].slug]),
        draft["exercise"].get_absolute_url(),
        draft["item"].get_absolute_url(),
    ]


def test_draft_pages_answer_404_to_the_public(client, draft):
    for url in draft_urls(draft):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("persona", ["plain_user", "cochair_user"])
def test_draft_pages_answer_404_to_users_who_are_not_secretariat(client, draft, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for url in draft_urls(draft):
        assert client.get(url).status_code == 404, url


def test_secretariat_previews_drafts_marked_as_such(client, draft, secretariat_user):
    client.force_login(secretariat_user)
    for url in draft_urls(draft):
        assert client.get(url).status_code == 200, url
    assert "Draft" in client.get(draft["meeting"].get_absolute_url()).content.decode()
    # Wherever the secretariat meets a draft in a list, it is marked: the meetings list, a member's
    # meetings attended, search (the meeting, its exercise, the item it raised).
    badge = '<span class="badge text-bg-warning">Draft</span>'
    for url, title in [
        ("/meetings/", DRAFT_TITLE),
        ("/members/states/viet-nam/", DRAFT_TITLE),
        ("/search/?q=zebra", DRAFT_TITLE),
        ("/search/?q=zebra", "Zebra exercise"),
        ("/search/?q=zebra", "Zebra item"),
    ]:
        page = client.get(url).content.decode()
        assert re.search(re.escape(title) + r"</a>\s*" + re.escape(badge), page), (url, title)


def test_drafts_are_absent_from_lists_search_and_pictures(client, draft):
    pages = [
        *PUBLIC_PAGES,
        "/search/?q=zebra",
        "/search/?q=online scams",
        "/members/states/viet-nam/",
        "/themes/online-scams/",
        "/workplan/?body=wgd",
    ]
    for url in pages:
        content = client.get(url).content.decode()
        assert "Zebra" not in content, url
        assert "draft-zebra" not in content, url
    members = client.get("/members/").content.decode()
    # The matrix: one column (the published meeting), cells for its 13 states and 3 member organisations.
    assert "in the latest 1 meeting</title>" in members
    assert members.count('class="cell cell-') == 16
    assert "Timeline of 1 meeting and 1 exercise" in client.get("/bodies/wgd/").content.decode()


def test_publishing_makes_the_draft_appear(client, draft):
    from meetings.services import publish_meeting

    publish_meeting(meeting=draft["meeting"], reason="Cleared by the co-chairs by e-mail.")  # none sent
    for url in draft_urls(draft):
        assert client.get(url).status_code == 200, url
    assert DRAFT_TITLE in client.get("/meetings/").content.decode()


def test_no_personal_data_of_delegates_on_any_public_page(client, demo):
    for attendance in Attendance.objects.all()[:5]:
        factories.DelegateFactory(attendance=attendance, **CANARIES)
    urls = all_public_urls()
    assert len(urls) > 100
    for url in urls:
        content = client.get(url).content.decode()
        for value in CANARIES.values():
            assert value not in content, (url, value)


def test_searching_for_a_delegate_answers_like_a_search_that_matches_nothing(client, demo):
    factories.DelegateFactory(attendance=Attendance.objects.first(), **CANARIES)
    nothing = client.get("/search/", {"q": "nothingmatchesthisxyz"})
    for value in CANARIES.values():
        found = client.get("/search/", {"q": value})
        assert found.context["results"] == nothing.context["results"] == []
        # The header's Log in link carries the address asked for back to the visitor, query and all.
        assert without_login_return(found.content.decode()).replace(value, "Q") == without_login_return(
            nothing.content.decode()
        ).replace("nothingmatchesthisxyz", "Q")
