"""The public pages show what a delegate looks for, from the demo data."""

import datetime
import re

import pytest
from django.urls import reverse
from icalendar import Calendar

from meetings.models import Meeting
from workplan.models import WorkPlanItem

from . import factories
from .factories import MEETING_URL, PUBLIC_PAGES, all_public_urls
from .html import read, text_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_page_has_a_title_and_exactly_one_h1(client, demo, url):
    response = client.get(url)
    assert response.status_code == 200
    page = read(response)
    assert page.h1 == 1
    assert page.titles and page.titles[0].strip()


def test_home_shows_the_latest_outcome_and_the_work_plan_by_status(client, demo):
    text = text_of(client.get("/"))
    assert "Latest outcome" in text
    assert "Seventh Annual Meeting of the Working Group on the Disruption" in text
    assert "Bangkok, Thailand" in text
    assert "Suggested: 4" in text
    assert "No upcoming meeting is published yet." in text


def test_home_lists_upcoming_meetings(client, demo):
    factories.MeetingFactory(title="Eighth Annual Meeting", start_date=datetime.date.today() + datetime.timedelta(30))
    text = text_of(client.get("/"))
    assert "Upcoming meetings Eighth Annual Meeting" in text


def test_meeting_page_reads_like_the_statement(client, demo):
    text = text_of(client.get(MEETING_URL))
    assert "Seventh Annual Meeting of the Working Group on the Disruption of People Smuggling" in text
    assert "Dates 12 October 2022" in text
    assert "Format Hybrid" in text
    assert "Venue Bangkok, Thailand" in text
    assert "Co-chairs Viet Nam and New Zealand" in text
    assert "13 states and 4 organisations took part" in text
    assert "Member states (13)" in text
    assert "Organisations (3)" in text
    # Lists give the short name (the full one in its title), as every list does.
    assert "Secretariat (1) RSO" in text
    assert '<abbr title="Bali Process Regional Support Office">RSO</abbr>' in client.get(MEETING_URL).content.decode()
    assert "45 participants from 12 member states" in text
    assert "Government, Immigration, Police" in text
    assert "Joint 12-month Period of Action" in text
    assert "Topic: Investigating the links between trafficking in persons and online scams" in text
    assert "a) Training on trauma-informed approaches" in text


def test_exercises_index_lists_each_with_its_kind_dates_and_bodies(client, demo):
    text = text_of(client.get("/exercises/"))
    assert "Table-top exercise on people smuggling and trafficking in persons investigations" in text
    assert "Table-top exercise · 10–11 October 2022" in text
    assert "Working Group on Disruptions" in text


def test_bodies_index_lists_each_with_its_cochairs_and_meetings(client, demo):
    text = text_of(client.get("/bodies/"))
    assert "Working Group on the Disruption of People Smuggling and Trafficking in Persons Networks (WGD)" in text
    assert "1 meeting published · Co-chairs: Viet Nam and New Zealand" in text


def test_meeting_list_entries_name_their_body_and_kind_and_calendars_can_be_subscribed(client, demo):
    page = client.get("/meetings/").content.decode()
    text = text_of(client.get("/meetings/"))
    assert "Working Group on Disruptions · Annual Meeting · 12 October 2022" in text
    assert 'href="webcal://testserver/calendar.ics"' in page
    meeting = client.get(MEETING_URL).content.decode()
    assert f'href="webcal://testserver{MEETING_URL}calendar.ics"' in meeting


def test_print_view_heads_the_statement_with_title_dates_and_cochairs(client, demo):
    text = text_of(client.get(MEETING_URL + "print/"))
    head = text[: text.index("Co-chairs' statement")]
    assert "Seventh Annual Meeting" in head
    assert "12 October 2022 · Hybrid · Bangkok, Thailand" in head
    assert "Co-chairs: Viet Nam and New Zealand" in head
    assert "a) Training on trauma-informed approaches" in text


def test_print_view_names_the_participants_as_the_word_document_does(client, demo):
    meeting = Meeting.objects.get(slug=MEETING_URL.strip("/").split("/")[-1])
    states = sorted(a.state.name for a in meeting.attendances.filter(state__isnull=False).select_related("state"))
    text = text_of(client.get(MEETING_URL + "print/"))
    participants = text[text.index("Participants") : text.index("Co-chairs' statement")]
    assert f"States ({len(states)}): " in participants
    assert all(name in participants for name in states)
    attendance = meeting.attendances.filter(state__isnull=False).first()
    factories.DelegateFactory(attendance=attendance, full_name="Ms Private Delegate")
    assert "Private Delegate" not in text_of(client.get(MEETING_URL + "print/"))  # no delegate's name, ever


def test_exercise_page_gives_its_facts(client, demo):
    text = text_of(client.get("/exercises/table-top-exercise-investigations-2022/"))
    assert "Dates 10–11 October 2022" in text
    assert "Participants 45 participants from 12 member states" in text
    assert "Sectors Government, Immigration, Police" in text
    assert "Focus Detection, Investigation, Prosecution" in text
    assert "Facilitated by RSO, INZ Expert input IOM, UNHCR, UNODC" in text
    assert "hypothetical case study scenario modelling the movement of migrants" in text
    assert "Vulnerabilities of women and children" in text


def test_members_directory_lists_members_observers_and_the_participation_matrix(client, demo):
    response = client.get("/members/")
    text = text_of(response)
    assert "Member states and territories (45)" in text
    assert "Member organisations (4)" in text
    assert "Observer states (15)" in text
    assert "Participation of members and observers in the latest 1 meeting" in text
    assert "1 meetings" not in text
    page = response.content.decode()
    # Every member and observer has a row (45 + 15 states, 4 member organisations, the observer ones):
    # the 13 states and 3 member organisations that attended have a cell with their role and mode,
    # the rest (ILO among them) a dot; the secretariat is no member and has no row.
    assert page.count('class="cell cell-') == 16
    assert "Observer organisations (6)" in text
    assert page.count('<th scope="row">') == 45 + 15 + 4 + 6
    assert page.count('class="cell-absent"') == 45 + 15 + 4 + 6 - 16
    assert "2022 7th WGD" in text  # the column: year, ordinal, body, unrotated
    assert "rotate(" not in page
    matrix = text.split("Who took part")[1].split("Published by")[0]
    assert "Viet Nam: Member" in matrix and "Bali Process Regional Support Office" not in matrix


def test_state_page_shows_history(client, demo):
    text = text_of(client.get("/members/states/viet-nam/"))
    assert "Membership Member" in text
    assert "Also written Vietnam, Việt Nam" in text
    assert "Trafficking in Persons Networks: start not recorded, continuing" in text
    assert "Meetings attended (1) Seventh Annual Meeting" in text


def test_organisation_page_shows_history(client, demo):
    text = text_of(client.get("/members/organisations/iom/"))
    assert "International Organization for Migration (IOM)" in text
    assert "Meetings attended (1)" in text


def test_body_page_has_a_timeline_of_meetings_and_exercises(client, demo):
    response = client.get("/bodies/wgd/")
    text = text_of(response)
    assert "Timeline of 1 meeting and 1 exercise of the Working Group on Disruptions" in text
    assert "Co-chairs now:" in text and "Viet Nam" in text
    assert response.content.decode().count('class="mark-meeting"') == 1
    assert response.content.decode().count('class="mark-exercise"') == 1


def test_board_shows_items_and_their_status_bar(client, demo):
    text = text_of(client.get("/workplan/"))
    assert "4 items." in text
    assert "Joint 12-month Period of Action" in text
    assert "Suggested: 4" in text and "Agreed: 0" in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=suggested", 4),
        ("status=agreed", 0),
        ("kind=training", 2),
        ("kind=workshop", 1),
        ("theme=online-scams", 1),
        ("body=wgd", 4),
        ("body=wg-tip", 0),
        ("kind=training&theme=ethical-use-of-data-and-biometrics", 1),
    ],
)
def test_board_filters(client, demo, query, expected):
    response = client.get(f"/workplan/?{query}")
    assert response.context["paginator"].count == expected


def test_board_filters_that_match_nothing_say_so_not_that_nothing_is_published(client, demo):
    text = text_of(client.get("/workplan/?status=agreed"))
    assert "No published item matches these filters." in text
    assert "published yet" not in text


def test_no_page_shows_template_syntax(client, demo, secretariat_user):
    """A template comment or tag that Django did not parse (a {# #} comment over two lines, say) is
    printed as text: on every public page and in the workspace, none is."""
    urls = [*all_public_urls(), "/workplan/?status=agreed", "/meetings/?year=2022"]
    for url in urls:
        text = text_of(client.get(url))
        assert not any(mark in text for mark in ("{#", "#}", "{%", "%}", "{{", "}}")), url
    client.force_login(secretariat_user)
    assert "{#" not in text_of(client.get(reverse("workplan:workspace")))


def test_board_filters_by_lead(client, demo):
    item = WorkPlanItem.objects.get(order_label="b")
    item.lead_states.add(factories.MemberStateFactory(name="Leadland", slug="leadland"))
    response = client.get("/workplan/?lead=state-leadland")
    assert [i.pk for i in response.context["items"]] == [item.pk]


@pytest.mark.parametrize("query", ["status=nonsense", "body=nowhere", "lead=state-", "year=abc", "page=999", "page=x"])
def test_bad_filter_values_give_a_page_not_an_error(client, demo, query):
    for base in ("/workplan/", "/meetings/"):
        response = client.get(f"{base}?{query}")
        assert response.status_code in (200, 404)
        if "page" not in query:
            assert response.status_code == 200


def test_a_nul_byte_in_a_filter_is_a_bad_request(client, demo):
    # No database keeps a NUL (PostgreSQL raises on one): refused at the door, for every page alike.
    for base in ("/workplan/", "/meetings/"):
        assert client.get(f"{base}?theme=%00").status_code == 400


def test_a_bad_filter_is_reported_and_ignored(client, demo):
    text = text_of(client.get("/meetings/?year=1900"))
    assert "This filter was ignored." in text
    assert "1 meeting, newest first." in text


def test_meetings_list_filters_and_paginates_newest_first(client, demo):
    body = factories.BodyFactory(slug="wg-tip-test")
    for year in range(2000, 2025):
        factories.MeetingFactory(body=body, start_date=datetime.date(year, 5, 1))
    first_page = client.get("/meetings/?body=wg-tip-test")
    years = [m.start_date.year for m in first_page.context["meetings"]]
    assert years == list(range(2024, 2004, -1))
    second_page = client.get("/meetings/?body=wg-tip-test&page=2")
    assert [m.start_date.year for m in second_page.context["meetings"]] == list(range(2004, 1999, -1))
    assert "Page 2 of 2" in text_of(second_page)
    assert client.get("/meetings/?year=2022").context["paginator"].count == 2  # the demo's and one here
    assert client.get("/meetings/?kind=ministerial_conference").context["paginator"].count == 0


def test_item_page_shows_updates_oldest_first_and_the_meetings(client, demo):
    item = WorkPlanItem.objects.get(order_label="a")
    factories.ProgressUpdateFactory(
        item=item, date=datetime.date(2023, 5, 1), text="Second step", status_before="suggested", status_after="agreed"
    )
    factories.ProgressUpdateFactory(item=item, date=datetime.date(2023, 2, 1), text="First step")
    text = text_of(client.get(reverse("workplan:item", args=[item.pk])))
    assert text.index("First step") < text.index("Second step")
    assert "1 May 2023 · Secretariat · status suggested → agreed" in text
    assert "Raised at Seventh Annual Meeting" in text


def test_search_finds_ranks_and_highlights(client, demo):
    response = client.get("/search/?q=online scams")
    results = response.context["results"]
    assert results[0].title == "Joint 12-month Period of Action"
    assert {r.kind for r in results} >= {"Work-plan item", "Meeting"}
    assert "<mark>" in response.content.decode()


def test_search_escapes_what_it_echoes(client, demo):
    response = client.get("/search/?q=<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert response.status_code == 200


def test_search_shows_the_ten_best_of_a_kind_and_says_so(client, db):
    body = factories.BodyFactory()
    for number in range(12):
        factories.MeetingFactory(body=body, number=number + 1, outcome_statement="The meeting discussed kaleidoscopes.")
    page = client.get("/search/?q=kaleidoscopes")
    assert len(page.context["results"]) == 10
    assert "12 meetings match “kaleidoscopes”. The 10 best are shown: at most 10 of each kind. Add a word" in text_of(
        page
    )
    factories.MeetingFactory(body=body, number=99, outcome_statement="A single zeppelin.")
    narrow = client.get("/search/?q=zeppelin")
    assert len(narrow.context["results"]) == 1 and "1 result for “zeppelin”." in text_of(narrow)


def test_search_by_theme_name(client, demo):
    results = client.get("/search/?q=health contingencies").context["results"]
    assert "Table-top exercise on people smuggling and trafficking in persons investigations" in [
        r.title for r in results
    ]


def test_every_public_model_has_a_page(client, demo):
    from meetings.models import Body, Exercise, Meeting, MemberState, Organisation, Theme

    for model in (Body, Exercise, Meeting, MemberState, Organisation, Theme, WorkPlanItem):
        obj = model.objects.first()
        assert client.get(obj.get_absolute_url()).status_code == 200, model


def test_the_layout_links_every_section_on_every_kind_of_page(client, db, secretariat_user):
    from django.urls import reverse

    for page in [client.get("/meetings/"), client.get("/no-such-page/")]:
        html = page.content.decode()
        for view in ["meetings:list", "workplan:board", "meetings:members", "site:search", "accounts:login"]:
            assert f'<a class="nav-link" href="{reverse(view)}' in html, view  # Log in adds ?next=
        assert f'href="{reverse("opendata:index")}"' in html
    client.force_login(secretariat_user)  # a user with a workspace: users without one get no link
    mine = client.get("/meetings/").content.decode()
    assert f'href="{reverse("workplan:workspace")}"' in mine
    assert f'action="{reverse("accounts:logout")}"' in mine


def test_a_very_large_meeting_counts_its_participants_and_names_them_on_their_own_page(client, db):
    from meetings.views import PARTICIPANTS_NAMED

    meeting = factories.MeetingFactory(title="A very large meeting")
    states = factories.AttendanceFactory.create_batch(PARTICIPANTS_NAMED - 2, meeting=meeting)
    observers = factories.AttendanceFactory.create_batch(3, meeting=meeting, role="observer")
    factories.AttendanceFactory(meeting=meeting, state=None, organisation=factories.OrganisationFactory())
    page = text_of(client.get(meeting.get_absolute_url()))
    total = PARTICIPANTS_NAMED + 2
    assert f"{total - 1} states and 1 organisation took part" in page
    assert f"Member states: {PARTICIPANTS_NAMED - 2}" in page and "Observer states: 3" in page
    assert states[0].state.display_name not in page
    assert f"All {total} participants by name" in page
    everyone = text_of(client.get(f"{meeting.get_absolute_url()}participants/"))
    assert "Observer states (3)" in everyone
    assert all(a.state.display_name in everyone for a in states + observers)
    # Two parties fewer (200), and the meeting's page names them all again, at once.
    observers[0].delete()
    observers[1].delete()
    smaller = text_of(client.get(meeting.get_absolute_url()))
    assert states[0].state.display_name in smaller and "participants by name" not in smaller


def test_the_timeline_never_draws_one_mark_over_another(client, demo):
    page = client.get("/bodies/wgd/").content.decode()
    # The exercise (10 October) and the meeting (12 October) are days apart: one sits above the other.
    circle = re.search(r'class="mark-meeting" cx="(\d+)" cy="(\d+)"', page)
    square = re.search(r'class="mark-exercise" x="(-?\d+)" y="(-?\d+)"', page)
    meeting_x, meeting_y = int(circle.group(1)), int(circle.group(2))
    exercise_x, exercise_y = int(square.group(1)) + 6, int(square.group(2)) + 6
    assert abs(meeting_x - exercise_x) > 14 or abs(meeting_y - exercise_y) >= 14
    # Drawn at its own size (its text 12 px on a phone too), in a box that scrolls.
    assert 'class="chart chart-natural"' in page


def test_the_status_bar_is_a_sentence_for_one_status_and_segments_with_shares_for_several(client, demo):
    text = text_of(client.get("/workplan/"))
    assert "All 4 items are suggested." in text
    assert 'id="status-bar-title"' not in client.get("/workplan/").content.decode()
    item = WorkPlanItem.objects.get(order_label="a")
    item.status = "in_progress"
    item.save()
    page = client.get("/workplan/").content.decode()
    assert "4 work-plan items by status: Suggested 3 (75%), In progress 1 (25%)" in page
    assert ">3 · 75%</text>" in page and ">1 · 25%</text>" in page
    assert "Suggested: 3 (75%)" in text_of(client.get("/workplan/"))


def test_home_excerpt_ends_on_a_sentence_and_its_link_does_not_repeat_the_heading(client, demo):
    page = read(client.get("/"))
    text = text_of(client.get("/"))
    excerpt = text.split("Latest outcome", 1)[1].split("Read the full outcome statement", 1)[0]
    statement = excerpt.split("4 organisations", 1)[1].strip()
    assert statement.startswith("Viet Nam and New Zealand co-chaired")
    assert statement.endswith(".")
    assert "Read the full outcome of the Seventh" not in text
    assert page.h1 == 1


def test_cochairs_are_named_in_the_statements_order_on_every_page(client, demo):
    """ "Viet Nam and New Zealand co-chaired ...": the same order wherever the co-chairs are named."""
    meeting = client.get(MEETING_URL)
    assert "Viet Nam and New Zealand co-chaired" in text_of(meeting)
    assert "Co-chairs Viet Nam and New Zealand" in text_of(meeting)
    assert "Co-chaired by Viet Nam and New Zealand" in text_of(client.get("/meetings/"))
    assert "Co-chaired by Viet Nam and New Zealand" in text_of(client.get("/"))
    assert "Co-chairs now: Viet Nam and New Zealand." in text_of(client.get("/bodies/wgd/"))
    assert "Co-chairs: Viet Nam and New Zealand" in text_of(client.get("/bodies/"))
    assert "Co-chairs: Viet Nam and New Zealand" in text_of(client.get(MEETING_URL + "print/"))
    [event] = Calendar.from_ical(client.get(MEETING_URL + "calendar.ics").content).walk("VEVENT")
    assert "Co-chaired by Viet Nam and New Zealand." in str(event["description"])
    assert "New Zealand and Viet Nam" not in text_of(meeting)


def test_an_items_leads_read_the_same_on_the_board_its_page_and_the_workspace(client, db, secretariat_user):
    """States first, then organisations, by their short names; linked on the item's own page."""
    item = factories.WorkPlanItemFactory(title="Joint training")
    state = factories.MemberStateFactory(name="Viet Nam")
    organisation = factories.OrganisationFactory(name="United Nations Office on Drugs and Crime", acronym="UNODC")
    item.lead_states.add(state)
    item.lead_organisations.add(organisation)
    assert "Joint training" in text_of(client.get(reverse("workplan:board")))
    assert "Led by Viet Nam, UNODC" in text_of(client.get(reverse("workplan:board")))
    page = client.get(item.get_absolute_url()).content.decode()
    assert re.search(
        rf'Led by</dt><dd class="col-sm-9"><a href="{state.get_absolute_url()}">Viet Nam</a>, '
        rf'<a href="{organisation.get_absolute_url()}">UNODC</a></dd>',
        page,
    )
    client.force_login(secretariat_user)
    assert "Joint training" in text_of(client.get(reverse("workplan:workspace")))
    assert re.search(r"Joint training .{0,40} Viet Nam, UNODC ", text_of(client.get(reverse("workplan:workspace"))))
