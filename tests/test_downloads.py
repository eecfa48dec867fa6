"""The attendance downloads at a few hundred rows: whole and right in both formats, built once per
content stamp, rebuilt after a change, never built twice at once, and revalidated by ETag.
(Their memory and time at a million rows are measured by scripts/bench.py, not here.)"""

import csv
import datetime
import fcntl
import io
import os

import openpyxl
import pytest
from django.conf import settings

from meetings.models import Attendance, Body, Meeting
from meetings.models.registry import MemberState

from . import factories
from .factories import CANARIES, EXPECTED_COLUMNS, body_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def hundreds(db):
    """12 published meetings of 25 parties each (300 rows, an organisation and awkward names among
    them), a draft meeting with its own attendance, and delegates with personal data."""
    body = factories.BodyFactory(acronym="WG&TIP")
    states = [factories.MemberStateFactory(name=f"State {n:02d}") for n in range(24)]
    states[0].name = "Côte <d'Ivoire> & co"  # escaped in XML, as typed in the spreadsheet
    states[1].name = "=cmd|calc"  # a formula: neutralised
    states[2].name = "Bad\x01char"  # no XML can hold it: dropped from the XLSX
    for state in states[:3]:
        state.save()
    organisation = factories.OrganisationFactory(name="International Organization for Migration", acronym="IOM")
    meetings = [
        factories.MeetingFactory(body=body, number=n + 1, start_date=datetime.date(2020, 1, 1) + datetime.timedelta(n))
        for n in range(12)
    ]
    roles, modes = list(Attendance.Role), ["in_person", "virtual", ""]
    for m, meeting in enumerate(meetings):
        for s, state in enumerate(states):
            factories.AttendanceFactory(meeting=meeting, state=state, role=roles[(m + s) % 6], mode=modes[s % 3])
        factories.AttendanceFactory(meeting=meeting, state=None, organisation=organisation, role="observer")
    draft = factories.MeetingFactory(body=body, number=99, title="Secret Zebra Meeting", slug="zebra", status="draft")
    factories.AttendanceFactory(meeting=draft, state=states[3])
    for attendance in Attendance.objects.filter(meeting__in=meetings[:2])[:5]:
        factories.DelegateFactory(attendance=attendance, **CANARIES)
    return meetings


def expected_rows(meetings):
    """The rows as a person reads them off the meeting pages, in the download's order."""
    rows = []
    for meeting in meetings:
        for a in sorted(meeting.attendances.all(), key=lambda a: (a.state is None, a.state and a.state.name)):
            party = a.state or a.organisation
            rows.append(
                [
                    meeting.slug,
                    meeting.start_date,
                    meeting.body.acronym,
                    "state" if a.state else "organisation",
                    party.name,
                    a.state.iso_code if a.state else a.organisation.acronym,
                    a.get_role_display(),
                    a.get_mode_display(),
                ]
            )
    return rows


def assert_same_rows(found, expected):
    """Every row, the draft's not among them; meetings in date order, each one's states (in the
    database's collation) before its organisations."""
    assert sorted(found, key=repr) == sorted(expected, key=repr)
    assert [(r[0], r[3]) for r in found] == [(r[0], r[3]) for r in expected]


def read_csv(content: bytes):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(content: bytes):
    return [list(row) for row in openpyxl.load_workbook(io.BytesIO(content)).active.values]


def built_files():
    return sorted(p.name for p in (settings.VAR_DIR / "downloads").glob("attendance-*"))


def test_the_attendance_csv_and_xlsx_hold_every_published_row_and_nothing_else(client, hundreds):
    expected = expected_rows(hundreds)
    assert len(expected) == 300
    csv_content = body_of(client.get("/data/attendance.csv"))
    xlsx_content = body_of(client.get("/data/attendance.xlsx"))

    rows = read_csv(csv_content)
    assert rows[0] == EXPECTED_COLUMNS["attendance"]
    neutralised = {"=cmd|calc": "'=cmd|calc"}
    assert_same_rows(rows[1:], [[r[0], r[1].isoformat(), *(neutralised.get(v, v) for v in r[2:])] for r in expected])

    sheet = read_xlsx(xlsx_content)
    assert sheet[0] == EXPECTED_COLUMNS["attendance"]
    # A spreadsheet reads a date cell as a date, and a blank mode as an empty cell.
    cleaned = {"Bad\x01char": "Badchar", **neutralised, "": None}
    assert_same_rows(
        sheet[1:],
        [[r[0], datetime.datetime(*r[1].timetuple()[:3]), *(cleaned.get(v, v) for v in r[2:])] for r in expected],
    )

    text = csv_content.decode("utf-8-sig") + "\n".join(str(v) for row in sheet for v in row)
    assert "Zebra" not in text and "zebra" not in text
    for value in CANARIES.values():
        assert value not in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_download_is_served_again_from_its_file_with_its_length_and_etag(
    client, hundreds, fmt, django_assert_num_queries
):
    first = client.get(f"/data/attendance.{fmt}")
    content = body_of(first)
    [built] = built_files()
    mtime = os.stat(settings.VAR_DIR / "downloads" / built).st_mtime_ns
    assert int(first["Content-Length"]) == len(content)
    etag = first["ETag"]

    with django_assert_num_queries(0):  # not built again, whatever the query string
        again = client.get(f"/data/attendance.{fmt}?utm_source=x&page=2")
        assert body_of(again) == content and again["ETag"] == etag
        assert int(again["Content-Length"]) == len(content)
        revisit = client.get(f"/data/attendance.{fmt}", HTTP_IF_NONE_MATCH=etag)
        assert revisit.status_code == 304 and revisit["ETag"] == etag
    assert built_files() == [built]
    assert os.stat(settings.VAR_DIR / "downloads" / built).st_mtime_ns == mtime


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_change_to_the_records_makes_the_next_request_rebuild_it(client, hundreds, fmt):
    first = client.get(f"/data/attendance.{fmt}")
    old = body_of(first)
    newcomer = factories.MemberStateFactory(name="Newcomer Republic", iso_code="NR")
    factories.AttendanceFactory(meeting=hundreds[0], state=newcomer)

    # A visitor holding the old version is told it has changed, and gets the new one.
    response = client.get(f"/data/attendance.{fmt}", HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200 and response["ETag"] != first["ETag"]
    content = body_of(response)
    rows = read_csv(content) if fmt == "csv" else read_xlsx(content)
    assert len(rows) == len(read_csv(old) if fmt == "csv" else read_xlsx(old)) + 1
    assert ["Newcomer Republic", "NR"] in [list(row[4:6]) for row in rows]
    assert len(built_files()) == 1  # the old version removed once the new one was in place


def test_while_one_request_builds_a_download_others_get_the_previous_version_at_once(client, hundreds):
    old = body_of(client.get("/data/attendance.csv"))
    Meeting.objects.filter(pk=hundreds[0].pk).update(venue_city="Denpasar")
    factories.AttendanceFactory(meeting=hundreds[0], state=factories.MemberStateFactory(name="Late Republic"))
    # Another worker holds the build lock of the new version (as its build would).
    with open(settings.VAR_DIR / "downloads" / "attendance.csv.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        during = client.get("/data/attendance.csv")
        assert body_of(during) == old  # no wait, no second build: the previous version
        fcntl.flock(lock, fcntl.LOCK_UN)
    after = body_of(client.get("/data/attendance.csv"))
    assert b"Late Republic" in after and during["ETag"] != client.get("/data/attendance.csv")["ETag"]


def test_the_other_downloads_keep_their_dates_and_numbers_as_cells(client, demo):
    meeting = Meeting.objects.get(number=7)
    [header, row] = read_xlsx(body_of(client.get("/data/meetings.xlsx")))
    cells = dict(zip(header, row, strict=True))
    assert cells["start_date"] == datetime.datetime(2022, 10, 12)
    assert cells["number"] == 7 and cells["declared_participants"] == meeting.declared_participant_count
    assert cells["body"] == Body.objects.get(slug="wgd").name
    assert MemberState.objects.get(iso_code="VN").name in cells["co_chairs"]
