"""Importing a statement: the command, the admin's review screen, uploads, and all-or-nothing."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baliwg.statements.importer import import_draft
from baliwg.statements.parser import parse_statement
from meetings.models import Alias, Attendance, Body, Exercise, Meeting, MeetingCoChair, MemberState, Organisation
from meetings.services import publish_meeting, unpublish_meeting
from workplan.models import WorkPlanItem

from . import factories
from .helpers import IMPORT_URL, SEVENTH, SEVENTH_FILE, confirm_data, review, row_counts
from .html import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(demo):
    """The demo's registry without its seventh meeting, so the import creates it afresh."""
    WorkPlanItem.objects.all().delete()
    Meeting.objects.all().delete()


def run(*args):
    out = io.StringIO()
    call_command("import_statement", *args, stdout=out)
    return out.getvalue()


# --- the command ---------------------------------------------------------------------------------


def test_dry_run_json_prints_the_draft_and_writes_nothing(registry):
    before = row_counts()
    printed = json.loads(run(str(SEVENTH_FILE), "--dry-run", "--json"))
    assert printed == parse_statement(SEVENTH).to_json()
    assert printed["meeting"]["title"].startswith("Seventh Annual Meeting")
    assert row_counts() == before


def test_import_creates_a_draft_meeting_with_everything_attached(registry):
    run(str(SEVENTH_FILE))
    meeting = Meeting.objects.get(body__slug="wgd", number=7)
    assert meeting.status == "draft"
    assert meeting.attendances.filter(state__isnull=False).count() == 13
    assert meeting.attendances.filter(organisation__isnull=False).count() == 4
    assert meeting.attendances.get(organisation__acronym="RSO").role == Attendance.Role.SECRETARIAT
    assert {c.state.iso_code for c in meeting.cochairs.all()} == {"VN", "NZ"}
    exercise = meeting.exercises.get()
    assert (exercise.participant_count, exercise.member_state_count, exercise.status) == (45, 12, "draft")
    assert {o.acronym for o in exercise.facilitator_organisations.all()} == {"RSO", "INZ"}
    assert meeting.items_raised.count() == 4
    assert meeting.outcome_statement.startswith("Co-chairs' statement")
    # A draft: nothing public yet.
    assert Meeting.objects.published().count() == 0


def test_importing_the_same_meeting_twice_offers_an_update_instead_of_a_duplicate(registry):
    run(str(SEVENTH_FILE))
    with pytest.raises(CommandError, match="already recorded. Use --update"):
        run(str(SEVENTH_FILE))
    run(str(SEVENTH_FILE), "--update")
    assert Meeting.objects.count() == 1
    assert WorkPlanItem.objects.count() == 4


def test_the_command_asks_for_what_the_statement_does_not_give_and_writes_nothing(registry, tmp_path):
    before = row_counts()
    path = tmp_path / "note.txt"
    path.write_text("Thank you all for coming. See you next year.")
    with pytest.raises(CommandError, match=r"does not give the body \(--body SLUG\) or the date \(--date YYYY-MM-DD\)"):
        run(str(path))
    assert row_counts() == before


def test_the_command_takes_the_date_the_statement_does_not_give(registry, tmp_path):
    path = tmp_path / "undated.txt"
    path.write_text(SEVENTH.replace("\non 12 October 2022", "").replace("On 10-11 October 2022, ", ""))
    with pytest.raises(CommandError, match="--date"):
        run(str(path))
    out = run(str(path), "--date", "2022-10-12")
    assert "Imported: Seventh Annual Meeting" in out and "a draft" in out
    assert Meeting.objects.get(number=7).start_date.isoformat() == "2022-10-12"


def test_the_import_is_all_or_nothing(registry):
    draft = parse_statement(SEVENTH)
    draft.items[-1].kind = "not-a-kind"  # fails after the meeting, attendance and exercise were written
    before = row_counts()
    with pytest.raises(Exception, match="not-a-kind"):
        import_draft(draft)
    assert row_counts() == before


def test_the_importer_and_who_unpublishes_are_named_in_the_history(registry):
    # No request here (as in `manage.py import_statement`): only `by` can say who.
    officer = factories.UserFactory(username="rso_officer")
    meeting = import_draft(parse_statement(SEVENTH), by=officer)
    written = [
        Meeting.history.filter(id=meeting.pk),
        MeetingCoChair.history.filter(meeting_id=meeting.pk),
        Attendance.history.filter(meeting_id=meeting.pk),
        Exercise.history.filter(meeting_id=meeting.pk),
        WorkPlanItem.history.filter(raised_at_id=meeting.pk),
    ]
    assert all(rows.exists() for rows in written)  # the meeting, 2 co-chairs, 17 parties, its exercise, 4 items
    assert {row.history_user for rows in written for row in rows} == {officer}

    publish_meeting(meeting=meeting, by=officer, reason="The co-chairs cleared it by e-mail.")
    other = factories.UserFactory(username="second_officer")
    unpublish_meeting(meeting=meeting, by=other)
    latest = Meeting.history.filter(id=meeting.pk).latest("history_date")
    assert (latest.status, latest.history_user) == ("draft", other)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=400) | st.from_regex(r"[A-Za-z ,.\n0-9-]{0,300}", fullmatch=True))
def test_arbitrary_text_never_raises_and_never_writes(demo, text):
    before = row_counts()
    draft = parse_statement(text)
    json.dumps(draft.to_json())
    assert row_counts() == before


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(noise=st.text(max_size=200), cut=st.integers(min_value=0, max_value=len(SEVENTH)))
def test_damaged_statements_never_raise(demo, noise, cut):
    parse_statement(SEVENTH[:cut] + noise + SEVENTH[cut:])


# --- the admin screen ----------------------------------------------------------------------------


def test_officer_pastes_the_statement_reviews_and_gets_the_draft_meeting(client, registry, secretariat_user):
    client.force_login(secretariat_user)
    assert "Import a co-chairs' statement" in client.get("/admin/meetings/meeting/").content.decode()
    response = review(client, text=SEVENTH)
    page = text_of(response)
    assert "Names not in the registry" not in page  # nothing to correct
    assert "on 12 October 2022." in page  # the sentence beside the dates
    created = client.post(IMPORT_URL, confirm_data(response))
    meeting = Meeting.objects.get(number=7)
    assert created.url == reverse("admin:meetings_meeting_change", args=[meeting.pk])
    assert meeting.status == "draft"
    assert meeting.attendances.count() == 17
    assert meeting.exercises.count() == 1
    assert meeting.items_raised.count() == 4
    message = text_of(client.get(created.url))
    assert "recorded as a draft with 17 parties, 1 exercise(s), 4 work-plan item(s) raised and 0 reported on" in message


def test_the_officer_corrects_fields_and_leaves_out_an_item(client, registry, secretariat_user):
    client.force_login(secretariat_user)
    response = review(client, text=SEVENTH)
    data = confirm_data(response, venue_city="Bangkok (UNCC)", number="17")
    del data["items-3-include"]
    client.post(IMPORT_URL, data)
    meeting = Meeting.objects.get()
    assert (meeting.number, meeting.venue_city) == (17, "Bangkok (UNCC)")
    assert meeting.items_raised.count() == 3


def test_an_unknown_name_is_resolved_to_the_registry_and_remembered(client, registry, secretariat_user):
    text = SEVENTH.replace("Maldives", "Dhivehi Raajje").replace(
        "the United Nations Office on Drugs and Crime also", "the UN Drugs Office also"
    )
    client.force_login(secretariat_user)
    response = review(client, text=text)
    assert "Names not in the registry (2)" in text_of(response)
    rows = [f["text"].value() for f in response.context["unresolved"].forms]
    assert rows == ["Dhivehi Raajje", "UN Drugs Office"]
    maldives = Alias.objects.get(name="Republic of Maldives").state
    unodc = Organisation.objects.get(acronym="UNODC")
    client.post(
        IMPORT_URL,
        confirm_data(
            response,
            **{
                "unresolved-0-action": "map",
                "unresolved-0-map_to": f"state-{maldives.pk}",
                "unresolved-1-action": "map",
                "unresolved-1-map_to": f"org-{unodc.pk}",
            },
        ),
    )
    meeting = Meeting.objects.get()
    assert meeting.attendances.filter(organisation=unodc).exists()
    assert meeting.attendances.filter(state=maldives).exists()
    assert Alias.objects.filter(name="UN Drugs Office", organisation=unodc).exists()
    # Next time the name is known.
    assert parse_statement(text).to_json()["unresolved"] == []


def test_an_unknown_organisation_can_be_created_from_the_review(client, registry, secretariat_user):
    text = SEVENTH.replace("the United Nations Office on Drugs and Crime also", "the Ruritanian Border Agency also")
    client.force_login(secretariat_user)
    response = review(client, text=text)
    client.post(
        IMPORT_URL,
        confirm_data(response, **{"unresolved-0-action": "create_organisation", "unresolved-0-acronym": "RBA"}),
    )
    created = Organisation.objects.get(acronym="RBA")
    assert created.name == "Ruritanian Border Agency"
    assert Meeting.objects.get().attendances.filter(organisation=created).exists()


def test_a_duplicate_is_refused_until_the_officer_asks_to_update(client, demo, secretariat_user):
    client.force_login(secretariat_user)
    response = review(client, text=SEVENTH)
    assert "is already recorded" in text_of(response)
    refused = client.post(IMPORT_URL, confirm_data(response))
    assert refused.status_code == 200
    assert "Tick “update the meeting already recorded”" in text_of(refused)
    client.post(IMPORT_URL, confirm_data(response, update_existing="on"))
    assert Meeting.objects.count() == 1
    assert Meeting.objects.get().outcome_statement.startswith("Co-chairs' statement")


def make_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in text.split("\n\n"):
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_pdf(text: str | None) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    if text is None:
        pdf.rect(100, 100, 200, 200, fill=1)  # a picture only: no text layer
    else:
        lines = pdf.beginText(40, 800)
        lines.setFont("Helvetica", 8)
        for line in text.splitlines():
            lines.textLine(line)
        pdf.drawText(lines)
    pdf.save()
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "make"), [("statement.docx", make_docx), ("statement.pdf", make_pdf), ("statement.txt", str.encode)]
)
def test_uploads_of_each_kind_are_read(client, registry, secretariat_user, name, make):
    client.force_login(secretariat_user)
    response = review(client, upload=SimpleUploadedFile(name, make(SEVENTH)))
    form = response.context["form"]
    assert form.initial["body"].slug == "wgd"
    assert form.initial["number"] == 7
    assert len([key for key in form.initial["role_member"] if key.startswith("state-")]) == 13


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "The submitted file is empty."),
        ("binary.txt", bytes(range(256)) * 4, "This file is not plain text."),
        ("big.txt", b"a" * (2 * 1024 * 1024 + 1), "The file is larger than 2 MB"),
        ("scan.pdf", None, "This PDF has no text layer"),
        ("fake.pdf", b"hello", "This .pdf file is not a PDF document."),
        ("fake.docx", b"hello", "This .docx file is not a Word document."),
        ("slides.pptx", b"PK\x03\x04", "Upload a .txt, .docx or .pdf file"),
    ],
)
def test_bad_uploads_get_a_clear_message_and_write_nothing(client, registry, secretariat_user, name, content, message):
    client.force_login(secretariat_user)
    before = row_counts()
    data = make_pdf(None) if content is None else content
    response = client.post(IMPORT_URL, {"review": "1", "upload": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    assert message in text_of(response)
    assert row_counts() == before


def test_an_empty_paste_is_refused(client, registry, secretariat_user):
    client.force_login(secretariat_user)
    response = client.post(IMPORT_URL, {"review": "1", "text": "   "})
    assert "Paste the statement's text or upload a file." in text_of(response)


def test_a_cochair_cannot_import(client, registry, cochair_user):
    client.force_login(cochair_user)
    assert client.get(IMPORT_URL).url.startswith("/admin/login/")
    assert client.post(IMPORT_URL, {"review": "1", "text": SEVENTH}).url.startswith("/admin/login/")
    assert not Body.objects.get(slug="wgd").meetings.exists()


def test_an_unknown_cochair_agency_is_created_as_an_agency_of_its_state(client, registry, secretariat_user):
    text = SEVENTH.replace(
        "The Governments of Viet Nam and New Zealand co-chaired",
        "The Thai Ministry of Social Development and New Zealand co-chaired",
    )
    client.force_login(secretariat_user)
    response = review(client, text=text)
    thailand = MemberState.objects.get(iso_code="TH")
    assert response.context["form"].initial["co_chairs"][0] == f"state-{thailand.pk}"
    client.post(IMPORT_URL, confirm_data(response, **{"unresolved-0-action": "create_organisation"}))
    agency = Organisation.objects.get(name="Thai Ministry of Social Development")
    assert (agency.kind, agency.state.iso_code) == ("national_agency", "TH")
    cochair = Meeting.objects.get().cochairs.get(state__iso_code="TH")
    assert cochair.agency == agency


def test_the_command_reports_on_continuing_items_and_records_who_imported(demo, secretariat_user, tmp_path):
    path = tmp_path / "eighth.txt"
    path.write_text(SEVENTH.replace("seventh Annual Meeting", "eighth Annual Meeting").replace("2022", "2023"))
    out = run(str(path), "--by", "sam_secretariat")
    assert out.count("Reported on the item already recorded") == 4
    eighth = Meeting.objects.get(number=8)
    assert WorkPlanItem.objects.count() == 4
    assert eighth.items_reported.count() == 4
    record = eighth.history.earliest()
    assert (record.history_user, record.history_change_reason) == (
        secretariat_user,
        "Imported from a co-chairs' statement by sam_secretariat",
    )


def test_the_command_updates_a_published_meeting_and_keeps_what_it_does_not_mention(demo):
    meeting = Meeting.objects.get(number=7)
    Attendance.objects.create(meeting=meeting, state=MemberState.objects.get(iso_code="FJ"), role="observer")
    out = run(str(SEVENTH_FILE), "--update")
    assert "Updated: Seventh Annual Meeting" in out and "still published" in out
    meeting.refresh_from_db()
    assert meeting.status == "published"
    assert meeting.attendances.filter(state__iso_code="FJ").exists()
