"""What delegates and other systems take away: calendars, feeds, downloads, the API, Word files,
and the secretariat's spreadsheet imports."""

import csv
import datetime
import io
import json
import re
import xml.etree.ElementTree as ET

import docx
import feedparser
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from icalendar import Calendar
from openapi_spec_validator import validate

from meetings.models import Attendance, Body, Meeting, MemberState, Organisation
from workplan.models import WorkPlanItem

from . import factories
from .factories import API_ENDPOINTS, CANARIES, EXPECTED_COLUMNS, body_of
from .html import text_of

pytestmark = pytest.mark.django_db
MEETING = "wgd-seventh-annual-meeting-2022"


@pytest.fixture
def draft(demo):
    meeting = factories.MeetingFactory(
        body=Body.objects.get(slug="wgd"), number=8, title="Secret Zebra Meeting", slug="zebra", status="draft"
    )
    factories.AttendanceFactory(meeting=meeting, state=MemberState.objects.get(iso_code="FJ"))
    factories.ExerciseFactory(meeting=meeting, title="Zebra exercise", slug="zebra-x", status="draft")
    factories.WorkPlanItemFactory(body=meeting.body, raised_at=meeting, title="Zebra item")
    for attendance in Attendance.objects.all()[:3]:
        factories.DelegateFactory(attendance=attendance, **CANARIES)
    return meeting


def assert_clean(content: str | bytes):
    """Nothing of a draft, no delegate's personal data."""
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    assert "Zebra" not in text and "zebra" not in text
    for value in CANARIES.values():
        assert value not in text


# --- calendars and feeds -------------------------------------------------------------------------


def events(response):
    calendar = Calendar.from_ical(response.content)
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def test_meeting_ics_parses_back_with_its_all_day_date_uid_and_venue(client, demo):
    response = client.get(f"/meetings/{MEETING}/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    [event] = events(response).values()
    meeting = Meeting.objects.get(slug=MEETING)
    assert event.decoded("dtstart") == datetime.date(2022, 10, 12)
    assert event.decoded("dtend") == datetime.date(2022, 10, 13)  # exclusive end of an all-day event
    assert str(event["uid"]) == f"meeting-{meeting.slug}@baliprocess-wg.example.org"
    assert str(event["location"]) == "Bangkok, Thailand and online"
    assert str(event["url"]) == f"http://testserver/meetings/{MEETING}/"
    assert "Hybrid meeting" in str(event["description"])


def test_the_subscribable_calendar_holds_the_meeting_and_the_exercise(client, draft):
    response = client.get("/calendar.ics")
    found = events(response)
    meeting = found[
        "Seventh Annual Meeting of the Working Group on the Disruption of People Smuggling and "
        "Trafficking in Persons Networks"
    ]
    exercise = found["Table-top exercise on people smuggling and trafficking in persons investigations"]
    assert meeting.decoded("dtstart") == datetime.date(2022, 10, 12)
    assert (exercise.decoded("dtstart"), exercise.decoded("dtend")) == (
        datetime.date(2022, 10, 10),
        datetime.date(2022, 10, 12),
    )
    assert_clean(response.content)
    # The UID does not change when the title is corrected.
    uid = str(meeting["uid"])
    corrected = Meeting.objects.get(slug=MEETING)
    corrected.title = "Corrected title"
    corrected.save()  # a correction shows at once, cached calendar or not
    assert str(events(client.get("/calendar.ics"))["Corrected title"]["uid"]) == uid


def test_the_subscribable_calendar_holds_the_newest_events_and_older_ones_keep_their_own(client, db, monkeypatch):
    from meetings import calendar

    monkeypatch.setattr(calendar, "FEED_LIMIT", 3)
    body = factories.BodyFactory()
    meetings = [
        factories.MeetingFactory(body=body, number=n + 1, start_date=datetime.date(2020 + n, 5, 1)) for n in range(5)
    ]
    found = events(client.get("/calendar.ics"))
    assert sorted(found) == sorted(m.display_title for m in meetings[2:])
    oldest = client.get(f"/meetings/{meetings[0].slug}/calendar.ics")
    assert list(events(oldest)) == [meetings[0].display_title]


def test_a_body_calendar_and_separate_days(client, demo):
    exercise = factories.ExerciseFactory(
        title="Webinar on scams",
        slug="webinar",
        start_date=datetime.date(2021, 9, 21),
        end_date=datetime.date(2021, 9, 23),
        held_on=["2021-09-21", "2021-09-23"],
    )
    exercise.bodies.add(Body.objects.get(slug="wg-tip"))
    calendar = Calendar.from_ical(client.get("/calendar.ics?body=wg-tip").content)
    days = sorted(e.decoded("dtstart") for e in calendar.walk("VEVENT"))
    assert days == [datetime.date(2021, 9, 21), datetime.date(2021, 9, 23)]
    assert client.get("/calendar.ics?body=nowhere").status_code == 404


def test_draft_calendars_are_not_found(client, draft):
    assert client.get("/meetings/zebra/calendar.ics").status_code == 404
    assert client.get("/exercises/zebra-x/calendar.ics").status_code == 404


@pytest.mark.parametrize("url", ["/feeds/outcomes.rss", "/feeds/outcomes.atom"])
def test_the_outcomes_feed_is_valid_xml_with_the_published_meeting(client, draft, url):
    response = client.get(url)
    ET.fromstring(response.content)  # well-formed
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert feed.version in ("rss20", "atom10")
    assert [e.title for e in feed.entries] == [
        "Seventh Annual Meeting of the Working Group on the Disruption of People Smuggling and Trafficking in "
        "Persons Networks"
    ]
    assert feed.entries[0].link == f"http://testserver/meetings/{MEETING}/"
    assert_clean(response.content)


@pytest.mark.parametrize("url", ["/feeds/outcomes.rss", "/feeds/outcomes.atom"])
def test_the_feed_carries_the_outcome_as_text_never_as_markup(client, draft, url):
    meeting = Meeting.objects.get(slug=MEETING)
    meeting.outcome_statement = 'Agreed on <b>training</b> & <img src=x onerror="alert(1)"> tools.'
    meeting.save()
    [entry] = feedparser.parse(body_of(client.get(url))).entries
    # A reader shows the text as typed: the tags arrive escaped, so none of them is markup.
    assert (
        entry.summary
        == "Agreed on &lt;b&gt;training&lt;/b&gt; &amp; &lt;img src=x onerror=&quot;alert(1)&quot;&gt; tools."
    )


# --- downloads -----------------------------------------------------------------------------------

EXPECTED_ROWS = {"meetings": 1, "attendance": 17, "exercises": 1, "workplan": 4}


def read_csv(response):
    content = body_of(response)
    assert content.startswith(b"\xef\xbb\xbf")  # a BOM, so a spreadsheet reads UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.parametrize("name", EXPECTED_COLUMNS)
def test_each_download_in_each_format(client, draft, name):
    csv_rows = read_csv(client.get(f"/data/{name}.csv"))
    assert csv_rows[0] == EXPECTED_COLUMNS[name]
    assert len(csv_rows) - 1 == EXPECTED_ROWS[name]

    workbook = openpyxl.load_workbook(io.BytesIO(body_of(client.get(f"/data/{name}.xlsx"))))
    sheet_rows = list(workbook.active.values)
    assert list(sheet_rows[0]) == EXPECTED_COLUMNS[name]
    assert len(sheet_rows) - 1 == EXPECTED_ROWS[name]

    payload = json.loads(body_of(client.get(f"/data/{name}.json")))
    assert len(payload["rows"]) == EXPECTED_ROWS[name]
    assert list(payload["rows"][0]) == EXPECTED_COLUMNS[name]

    for fmt in ("csv", "xlsx", "json"):
        content = body_of(client.get(f"/data/{name}.{fmt}"))
        if fmt == "xlsx":
            content = "\n".join(
                str(v) for row in openpyxl.load_workbook(io.BytesIO(content)).active.values for v in row
            ).encode()
        assert_clean(content)


def test_download_rows_hold_the_facts(client, demo):
    [meeting] = json.loads(body_of(client.get("/data/meetings.json")))["rows"]
    assert (meeting["start_date"], meeting["format"], meeting["venue_city"]) == ("2022-10-12", "hybrid", "Bangkok")
    assert meeting["co_chairs"] == "Viet Nam; New Zealand"  # the statement's order
    attendance = json.loads(body_of(client.get("/data/attendance.json")))["rows"]
    assert {r["party_code"] for r in attendance if r["party_type"] == "organisation"} == {
        "RSO",
        "IOM",
        "UNHCR",
        "UNODC",
    }
    items = {r["label"]: r for r in json.loads(body_of(client.get("/data/workplan.json")))["rows"]}
    # Labels a reader understands, as on the pages, never the stored codes ("in_progress").
    assert items["a"]["status"] == "Suggested" and items["a"]["kind"] == "Training"


def test_formulas_are_neutralised_in_csv_and_xlsx(client, demo):
    item = WorkPlanItem.objects.get(order_label="b")
    item.title = '=HYPERLINK("http://evil")'
    item.topic = "@SUM(A1)"
    item.save()
    factories.WorkPlanItemFactory(body=item.body, title="+1 workshop", topic="-2", target_period="\tx")
    rows = read_csv(client.get("/data/workplan.csv"))
    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("http://evil")' in cells and "'@SUM(A1)" in cells
    assert "'+1 workshop" in cells and "'-2" in cells and "'\tx" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t")) for cell in cells)
    sheet = openpyxl.load_workbook(io.BytesIO(body_of(client.get("/data/workplan.xlsx")))).active
    values = [v for row in sheet.values for v in row if isinstance(v, str)]
    assert '\'=HYPERLINK("http://evil")' in values
    assert not any(v.startswith("=") for v in values)


def test_a_formula_after_any_separator_is_neutralised_too(client, demo):
    """The finding: "Bangkok;=cmd" was written raw, and a ";" locale splits it into a formula cell."""
    meeting = Meeting.objects.get(number=7)
    meeting.venue_city = 'Bangkok;=cmd|"/c calc"!A1'
    meeting.save()
    item = WorkPlanItem.objects.get(order_label="b")
    item.title = "Workshop,+1\tx\t@SUM(A1)\n-2"
    item.save()
    meetings_csv = body_of(client.get("/data/meetings.csv")).decode("utf-8-sig")
    assert "Bangkok;'=cmd" in meetings_csv and ";=" not in meetings_csv
    # Every field quoted, so a spreadsheet splitting on ";" keeps the city in one cell.
    assert '"Bangkok;' in meetings_csv
    cells = [cell for row in read_csv(client.get("/data/workplan.csv")) for cell in row]
    assert "Workshop,'+1\tx\t'@SUM(A1)\n'-2" in cells
    for separator in (";", ",", "\t", "\n", "\r"):
        for start in ("=", "+", "-", "@"):
            assert separator + start not in "".join(cells)
    sheet = openpyxl.load_workbook(io.BytesIO(body_of(client.get("/data/meetings.xlsx")))).active
    assert 'Bangkok;\'=cmd|"/c calc"!A1' in [v for row in sheet.values for v in row]


def test_a_download_is_built_once_per_content_stamp_whatever_the_query_string(client, demo, django_assert_num_queries):
    """The finding: /data/attendance.xlsx?r=<random> rebuilt the file on every request."""
    first = body_of(client.get("/data/attendance.xlsx"))
    with django_assert_num_queries(0):  # served from the built file: not one query, however new the query
        for n in range(5):
            response = client.get(f"/data/attendance.xlsx?r={n}&format=csv")
            assert response.streaming
            assert body_of(response) == first
    meeting = Meeting.objects.get(number=7)
    meeting.venue_city = "Denpasar"
    meeting.save()  # a new content stamp: built again, once, with the change
    assert b"Denpasar" in body_of(client.get("/data/meetings.csv?r=x"))
    with django_assert_num_queries(0):
        assert b"Denpasar" in body_of(client.get("/data/meetings.csv?r=y"))


def test_building_a_big_download_keeps_memory_bounded(client, demo):
    """Rows are written to disk as they are read: building 20,000 attendance rows does not hold them."""
    import tracemalloc

    meeting = Meeting.objects.get(number=7)
    states = factories.MemberStateFactory.create_batch(40)
    meetings = Meeting.objects.bulk_create(
        Meeting(
            body=meeting.body,
            kind="annual_meeting",
            number=100 + n,
            slug=f"m{n}",
            start_date=meeting.start_date,
            end_date=meeting.start_date,
            status="published",
        )
        for n in range(500)
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=m, state=state, role="member", mode="in_person") for m in meetings for state in states
    )
    tracemalloc.start()
    try:
        response = client.get("/data/attendance.xlsx")
        size = len(body_of(response))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rows = list(
        openpyxl.load_workbook(io.BytesIO(body_of(client.get("/data/attendance.xlsx"))), read_only=True).active.values
    )
    assert len(rows) == 1 + 20_000 + EXPECTED_ROWS["attendance"]
    assert size > 200_000
    print(f"peak {peak / 2**20:.1f} MB")
    assert peak < 40 * 1024 * 1024, f"{peak / 2**20:.0f} MB at the peak"


def test_unknown_downloads_are_not_found(client, demo):
    assert client.get("/data/delegates.csv").status_code == 404
    assert client.get("/data/meetings.exe").status_code == 404


# --- the API -------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", API_ENDPOINTS)
def test_every_api_endpoint_lists_and_shows_published_records(client, draft, endpoint):
    response = client.get(f"/api/v1/{endpoint}/")
    assert response.status_code == 200
    payload = response.json()
    assert {"count", "next", "previous", "results"} <= set(payload)
    assert payload["results"], endpoint
    assert_clean(response.content)
    first = payload["results"][0]
    detail = client.get(f"/api/v1/{endpoint}/{first['id']}/")
    assert detail.status_code == 200
    # The detail holds all the list gives (meetings count their participants there and name them here).
    shown = detail.json()
    if endpoint == "meetings":
        assert len(shown.pop("attendance")) == first.pop("attendance_count")
    assert shown == first


def test_api_meetings_hold_cochairs_and_attendance(client, draft):
    [listed] = client.get("/api/v1/meetings/").json()["results"]
    assert listed["id"] == MEETING
    assert listed["organization_id"] == "wgd"
    assert listed["location"] == {"city": "Bangkok", "country": "Thailand"}
    assert sorted(c["area_id"] for c in listed["co_chairs"]) == ["NZ", "VN"]
    # The list counts the participants; the meeting's own address names them.
    assert listed["attendance_count"] == 17
    assert "attendance" not in listed
    meeting = client.get(f"/api/v1/meetings/{MEETING}/").json()
    assert meeting["co_chairs"] == listed["co_chairs"]
    assert len(meeting["attendance"]) == 17
    assert {
        "participant_type": "organization",
        "participant_id": "rso",
        "name": "Bali Process Regional Support Office",
        "role": "secretariat",
        "mode": "",
    } in meeting["attendance"]
    assert client.get("/api/v1/meetings/zebra/").status_code == 404


def test_api_pagination_and_filters(client, demo):
    for number in range(60):
        factories.MeetingFactory(
            body=Body.objects.get(slug="wg-tip"), number=number + 1, start_date=datetime.date(2000 + number % 20, 1, 1)
        )
    first = client.get("/api/v1/meetings/").json()
    assert (first["count"], len(first["results"])) == (61, 50)
    assert len(client.get(first["next"]).json()["results"]) == 11
    assert client.get("/api/v1/meetings/?page_size=5").json()["results"].__len__() == 5
    assert client.get("/api/v1/meetings/?body=wgd").json()["count"] == 1
    assert client.get("/api/v1/meetings/?year=2022").json()["count"] == 1
    assert client.get("/api/v1/meetings/?year=2001").json()["count"] == 3
    assert client.get("/api/v1/workplan-items/?status=suggested&kind=training").json()["count"] == 2
    assert client.get("/api/v1/states/?membership=observer").json()["count"] == 15
    assert client.get("/api/v1/exercises/?theme=health-related-contingencies").json()["count"] == 1


@pytest.mark.parametrize(
    "query",
    [
        "meetings/?year=abc",
        "meetings/?page=99",
        "meetings/?page=x",
        "meetings/?page_size=0",
        "meetings/?since=yesterday",
        "workplan-items/?status=bogus",
        "states/?membership=king",
        "exercises/?kind=party",
    ],
)
def test_api_bad_parameters_are_a_400_with_a_json_error(client, demo, query):
    response = client.get(f"/api/v1/{query}")
    assert response.status_code == 400
    assert isinstance(response.json(), dict) and response.json()


def test_api_items_carry_their_updates_without_names(client, demo, cochair_user):
    item = WorkPlanItem.objects.get(order_label="a")
    factories.ProgressUpdateFactory(item=item, text="Agreed", author=cochair_user)
    [found] = [i for i in client.get("/api/v1/workplan-items/").json()["results"] if i["id"] == item.pk]
    assert found["updates"][0]["text"] == "Agreed"
    assert found["updates"][0]["attribution"] == "Secretariat"
    assert "cora_cochair" not in json.dumps(found)


def test_the_openapi_schema_is_valid(client, demo):
    response = client.get("/api/v1/openapi.json")
    schema = json.loads(response.content)
    validate(schema)
    assert {f"/api/v1/{e}/" for e in API_ENDPOINTS} <= set(schema["paths"])


def test_the_api_is_read_only(client, demo):
    assert client.post("/api/v1/meetings/", {}, content_type="application/json").status_code == 405
    assert client.delete(f"/api/v1/meetings/{MEETING}/").status_code == 405


# --- Word documents ------------------------------------------------------------------------------


def test_outcome_docx_holds_title_cochairs_and_every_paragraph(client, draft):
    response = client.get(f"/meetings/{MEETING}/outcome.docx")
    document = docx.Document(io.BytesIO(response.content))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    texts = [t for _, t in paragraphs]
    assert ("Title", Meeting.objects.get(slug=MEETING).display_title) in paragraphs
    assert "Co-chairs: Viet Nam and New Zealand" in texts
    assert "12 October 2022 · Hybrid · Bangkok, Thailand" in texts
    numbered = [t for style, t in paragraphs if style == "Numbered Paragraph"]
    statement = Meeting.objects.get(slug=MEETING).outcome_statement
    for number, paragraph in enumerate(statement.split("\n\n"), start=1):
        assert f"{number}.\t" + " ".join(paragraph.split()) in numbered
    lettered = [t for style, t in paragraphs if style == "Lettered Item"]
    assert lettered[0].startswith("a)\tTraining on trauma-informed approaches")
    assert_clean("\n".join(texts))
    assert client.get("/meetings/zebra/outcome.docx").status_code == 404


def test_progress_report_docx(client, demo, secretariat_user):
    client.force_login(secretariat_user)
    response = client.get(f"/workspace/meetings/{MEETING}/report.docx")
    document = docx.Document(io.BytesIO(response.content))
    # A table: a heading row, then the four items with their statuses at the two meetings.
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert len(rows) == 5
    assert rows[1][0].startswith("Joint 12-month Period of Action")
    assert client.get(f"/workspace/meetings/{MEETING}/report.docx").status_code == 200
    client.logout()
    assert client.get(f"/workspace/meetings/{MEETING}/report.docx").status_code == 302


# --- spreadsheet imports in the admin ------------------------------------------------------------


def upload(client, model, content: bytes, name="rows.csv", fmt=0):
    url = f"/admin/meetings/{model}/import/"
    return client.post(url, {"resource": 0, "format": fmt, "import_file": SimpleUploadedFile(name, content)})


def confirm(client, model, preview):
    form = preview.context["confirm_form"]
    data = {name: field.value() for name, field in ((n, form[n]) for n in form.fields)}
    return client.post(f"/admin/meetings/{model}/process_import/", data)


def test_a_good_states_file_previews_then_creates_rows(client, demo, secretariat_user):
    client.force_login(secretariat_user)
    content = b"iso_code,name,membership,kind\nAT,Austria,observer,state\nPT,Portugal,observer,state\n"
    preview = upload(client, "memberstate", content)
    assert preview.status_code == 200
    assert "Austria" in preview.content.decode()
    assert not MemberState.objects.filter(iso_code="AT").exists()  # a preview writes nothing
    confirm(client, "memberstate", preview)
    assert MemberState.objects.get(iso_code="AT").slug == "austria"
    assert MemberState.objects.get(iso_code="PT").membership == "observer"


def test_a_file_with_one_bad_row_writes_nothing_and_names_the_row(client, demo, secretariat_user):
    client.force_login(secretariat_user)
    before = MemberState.objects.count()
    content = b"iso_code,name,membership,kind\nAT,Austria,observer,state\nPT,Portugal,king,state\n"
    preview = upload(client, "memberstate", content)
    page = text_of(preview)
    # The error table names the row (the second) and the problem.
    assert re.search(r"Errors .* 2 1 membership Value 'king' is not a valid choice\. PT Portugal", page)
    assert "confirm_form" not in preview.context or preview.context["confirm_form"] is None
    assert MemberState.objects.count() == before


def test_organisations_import_from_xlsx(client, demo, secretariat_user):
    workbook = openpyxl.Workbook()
    workbook.active.append(["name", "acronym", "kind", "membership", "state"])
    workbook.active.append(["Asia Foundation", "TAF", "civil_society", "none", ""])
    workbook.active.append(["Thai Department of Special Investigation", "DSI", "national_agency", "none", "TH"])
    workbook.active.append(["Vietnamese Border Guard", "VBG", "national_agency", "none", "Vietnam"])  # an alias
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(secretariat_user)
    preview = upload(client, "organisation", buffer.getvalue(), name="orgs.xlsx", fmt=1)
    confirm(client, "organisation", preview)
    assert Organisation.objects.get(acronym="DSI").state.iso_code == "TH"
    assert Organisation.objects.get(acronym="TAF").kind == "civil_society"
    assert Organisation.objects.get(acronym="VBG").state.iso_code == "VN"


def test_an_agency_without_its_state_is_a_row_error(client, demo, secretariat_user):
    client.force_login(secretariat_user)
    content = b"name,acronym,kind,membership,state\nNowhere Police,NP,national_agency,none,\n"
    preview = upload(client, "organisation", content)
    assert "A national agency belongs to a state." in preview.content.decode()
    assert not Organisation.objects.filter(acronym="NP").exists()


def test_a_meetings_attendance_list_imports_by_code_acronym_or_alias(client, demo, secretariat_user):
    meeting = factories.MeetingFactory(body=Body.objects.get(slug="wgd"), number=8, slug="eighth")
    client.force_login(secretariat_user)
    # Viet Nam twice, by code and by alias: one party, so the second row changes nothing.
    content = (
        b"meeting,party,role,mode\neighth,VN,member,in_person\neighth,Vietnam,member,in_person\n"
        b"eighth,IOM,member,virtual\neighth,Canada,observer,virtual\n"
    )
    preview = upload(client, "attendance", content)
    assert "Skipped" in text_of(preview)
    confirm(client, "attendance", preview)
    rows = {(str(a.party), a.role, a.mode) for a in meeting.attendances.all()}
    assert rows == {
        ("Viet Nam", "member", "in_person"),
        ("International Organization for Migration (IOM)", "member", "virtual"),
        ("Canada", "observer", "virtual"),
    }


def test_an_attendance_row_naming_an_unknown_party_is_refused(client, demo, secretariat_user):
    factories.MeetingFactory(body=Body.objects.get(slug="wgd"), number=8, slug="eighth")
    client.force_login(secretariat_user)
    preview = upload(client, "attendance", b"meeting,party,role\neighth,VN,member\neighth,Ruritania,member\n")
    assert "'Ruritania' is not a state or organisation in the registry." in text_of(preview)
    assert not Attendance.objects.filter(meeting__slug="eighth").exists()


def test_a_cochair_cannot_import(client, demo, cochair_user):
    client.force_login(cochair_user)
    response = client.get("/admin/meetings/memberstate/import/")
    assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_an_attendance_list_by_meeting_title_and_role_and_mode_labels_previews_names(client, demo, secretariat_user):
    meeting = factories.MeetingFactory(body=Body.objects.get(slug="wgd"), number=8, slug="eighth", title="")
    client.force_login(secretariat_user)
    content = (
        f"meeting,party,role,mode\n{meeting.display_title},Vietnam,Member,In person\n"
        "eighth,International Organization for Migration,OBSERVER,Virtually\n"
    ).encode()
    preview = upload(client, "attendance", content)
    page = text_of(preview)
    # Each row as it will be saved, with names: the meeting's title, the party's name, the labels.
    assert f"{meeting.display_title} Viet Nam Member In person" in page
    assert "International Organization for Migration (IOM) Observer Virtually" in page
    confirm(client, "attendance", preview)
    assert {(str(a.party), a.role, a.mode) for a in meeting.attendances.all()} == {
        ("Viet Nam", "member", "in_person"),
        ("International Organization for Migration (IOM)", "observer", "virtual"),
    }


def test_a_wrong_role_or_meeting_names_the_valid_values(client, demo, secretariat_user):
    factories.MeetingFactory(body=Body.objects.get(slug="wgd"), number=8, slug="eighth")
    client.force_login(secretariat_user)
    page = text_of(upload(client, "attendance", b"meeting,party,role\neighth,VN,Chair\nninth,VN,member\n"))
    assert (
        "Role 'Chair' is not one of the valid values: member (Member), observer (Observer), guest (Guest), "
        "secretariat (Secretariat), expert (Expert), host (Host)." in page
    )
    assert "No meeting has the slug or title 'ninth'." in page
    assert not Attendance.objects.filter(meeting__slug="eighth").exists()


def test_the_attendance_template_lists_columns_registry_roles_and_modes(client, demo, secretariat_user):
    client.force_login(secretariat_user)
    assert "Download the template" in text_of(client.get("/admin/meetings/attendance/import/"))
    response = client.get("/admin/meetings/attendance/import-template.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert list(next(workbook["attendance"].values)) == ["meeting", "party", "role", "mode"]
    registry = list(workbook["registry"].values)
    assert registry[[r[1] for r in registry].index("Viet Nam")][:3] == ("VN", "Viet Nam", "state")
    assert "Vietnam" in registry[[r[1] for r in registry].index("Viet Nam")][4]
    assert ("role", "observer", "Observer") in list(workbook["roles and modes"].values)
    assert ("mode", "virtual", "Virtually") in list(workbook["roles and modes"].values)
    client.logout()
    assert client.get("/admin/meetings/attendance/import-template.xlsx").status_code == 302


def test_an_items_completion_in_the_download_is_its_latest_given_percent(client, demo):
    """An update without a percent (a note) does not blank the completion the last one gave, as the
    period of action's roll-up does not either."""
    item = WorkPlanItem.objects.get(order_label="a")
    factories.ProgressUpdateFactory(item=item, date=datetime.date(2023, 3, 1), percent_complete=40)
    factories.ProgressUpdateFactory(item=item, date=datetime.date(2023, 6, 1), percent_complete=None)
    rows = {r["id"]: r for r in json.loads(body_of(client.get("/data/workplan.json")))["rows"]}
    assert rows[item.pk]["percent_complete"] == 40 and rows[item.pk]["last_update"] == "2023-06-01"
