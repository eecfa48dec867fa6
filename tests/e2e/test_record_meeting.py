"""The secretariat's main job, timed in clicks: recording the eighth annual meeting of the Working
Group on Disruptions by hand (10 states, 3 organisations, an exercise, 2 items) and publishing it.

Every action a person takes with the mouse counts: a click on a link or button, a tick, a click
into a field before typing in it, and two for a drop-down list (open, choose). Typing is free.
"""

import pytest

from meetings.models import Body, Exercise, Meeting, MemberState, Organisation

from .conftest import admin_login, shoot

pytestmark = pytest.mark.django_db(transaction=True)
CLICK_BUDGET = 30


class CountingPage:
    """The page, with a count of the clicks each action costs a person."""

    def __init__(self, page):
        self.page, self.clicks = page, 0

    def click(self, selector):
        self.clicks += 1
        self.page.click(selector)

    def tick(self, selector, on=True):
        self.clicks += 1
        (self.page.check if on else self.page.uncheck)(selector)

    def type_into(self, selector, text):
        self.clicks += 1
        self.page.fill(selector, text)

    def choose(self, selector, **option):
        self.clicks += 2
        self.page.select_option(selector, **option)


def test_recording_and_publishing_the_eighth_meeting_takes_under_30_clicks(site, page_factory):
    states = {state.name: state.pk for state in MemberState.objects.all()}
    unhcr = Organisation.objects.get(acronym="UNHCR")
    page = page_factory()
    admin_login(page, site)
    officer = CountingPage(page)

    officer.click("a[href='/admin/meetings/meeting/add/']")
    officer.choose("#id_body", label=str(Body.objects.get(slug="wgd")))
    # The body's current co-chairs are ticked for us.
    assert page.is_checked(f"input[name=c-s{states['Viet Nam']}]")
    assert page.is_checked(f"input[name=c-s{states['New Zealand']}]")
    officer.type_into("#id_number", "8")
    officer.type_into("#id_start_date", "2023-11-15")
    officer.type_into("#id_venue_city", "Wellington")
    officer.type_into("#id_venue_country", "New Zealand")
    officer.type_into(
        "#id_outcome_statement",
        "Viet Nam and New Zealand co-chaired the eighth Annual Meeting of the Working Group in Wellington.",
    )

    # Last year's 13 states and 4 organisations, then the three states and one organisation absent.
    officer.click("#grid-copy")
    for absent in ("Maldives", "Pakistan", "United Arab Emirates"):
        officer.tick(f"input[name=p-s{states[absent]}]", on=False)
    officer.tick(f"input[name=p-o{unhcr.pk}]", on=False)

    officer.click("#exercises-group .add-row a")
    officer.type_into("#id_exercises-0-title", "Table-top exercise on online scam compounds")
    officer.type_into("#id_exercises-0-start_date", "2023-11-14")

    for index, title in enumerate(["Training on financial investigations", "Workshop on online scam compounds"]):
        officer.click("#items_raised-group .add-row a")
        officer.type_into(f"#id_items_raised-{index}-title", title)

    shoot(page, "record-eighth-meeting-form-desktop")
    officer.click("input[name=_publish]")
    # Recorded by hand, the statement was never sent to the co-chairs: the officer says why it is
    # published without their clearance (kept in the clearance record).
    officer.type_into("#id_clearance_reason", "Cleared by both co-chairs by e-mail before the meeting closed.")
    officer.click("input[value='Publish with this reason']")
    page.wait_for_selector(".messagelist")
    messages = page.inner_text(".messagelist")
    print(f"\nRecorded and published the eighth meeting in {officer.clicks} clicks: {messages}")

    meeting = Meeting.objects.get(body__slug="wgd", number=8)
    assert meeting.status == "published" and meeting.published_at is not None, messages
    assert meeting.attendances.filter(state__isnull=False).count() == 10
    assert meeting.attendances.filter(organisation__isnull=False).count() == 3
    assert {c.state.name for c in meeting.cochairs.all()} == {"Viet Nam", "New Zealand"}
    assert set(meeting.attendances.values_list("mode", flat=True)) == {"in_person"}
    exercise = Exercise.objects.get(meeting=meeting)
    assert exercise.status == "published"
    assert sorted(meeting.items_raised.values_list("title", flat=True)) == [
        "Training on financial investigations",
        "Workshop on online scam compounds",
    ]
    assert officer.clicks <= CLICK_BUDGET, f"{officer.clicks} clicks"

    # Back on the change form: the long title clears the History and View-on-site buttons.
    page.goto(f"{site}/admin/meetings/meeting/{meeting.pk}/change/")
    title = page.locator("#content > h2").bounding_box()
    for button in page.locator(".object-tools a").all():
        box = button.bounding_box()
        assert box["y"] + box["height"] <= title["y"] or title["y"] + title["height"] <= box["y"], (box, title)
    assert page.locator("#id_held_on").get_attribute("value") in ("", None)
    shoot(page, "record-eighth-meeting-change-form-desktop")

    visitor = page_factory()
    visitor.goto(f"{site}{meeting.get_absolute_url()}")
    public = visitor.inner_text("main")
    assert "Wellington, New Zealand" in public
    assert "Table-top exercise on online scam compounds" in public
    assert "Training on financial investigations" in public
    visitor.goto(f"{site}{exercise.get_absolute_url()}")
    assert "Table-top exercise on online scam compounds" in visitor.inner_text("main")
    feed = visitor.request.get(f"{site}/feeds/outcomes.rss").text()
    assert "Eighth Annual Meeting of the Working Group" in feed
