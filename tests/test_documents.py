"""The Word files as a reader gets them: converted to PDF by LibreOffice, as a secretariat officer
would print them, and read back with poppler's pdftotext and pdfinfo.

Skipped, with a message saying so, only when LibreOffice or poppler is missing and E2E_REQUIRED is
not set; with E2E_REQUIRED=1 (CI) a missing converter fails.
"""

import io
import os
import re
import shutil
import subprocess

import docx
import pytest

from meetings.models import Meeting
from meetings.views import PARTICIPANTS_NAMED
from workplan.models import WorkPlanItem

from . import factories

MEETING = "wgd-seventh-annual-meeting-2022"
TOOLS = {"libreoffice": "libreoffice-writer-nogui", "pdftotext": "poppler-utils", "pdfinfo": "poppler-utils"}
MISSING = sorted({package for tool, package in TOOLS.items() if shutil.which(tool) is None})


@pytest.fixture
def to_pdf(tmp_path):
    if MISSING:
        message = f"LibreOffice conversion tests need apt packages: {', '.join(MISSING)}"
        if os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail(f"E2E_REQUIRED=1 but {message}")
        pytest.skip(message)

    def convert(content: bytes, name: str) -> tuple[str, dict]:
        source = tmp_path / f"{name}.docx"
        source.write_bytes(content)
        # A profile of its own, so a LibreOffice already open on the machine does not take the job.
        profile = f"-env:UserInstallation=file://{tmp_path}/lo-profile"
        subprocess.run(
            ["libreoffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
            check=True,
            capture_output=True,
            timeout=180,
        )
        pdf = tmp_path / f"{name}.pdf"
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
        fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
        return text.stdout, {key.strip(): value.strip() for key, value in fields.items()}

    return convert


def a4(info: dict) -> bool:
    width, height = (float(n) for n in re.findall(r"[\d.]+", info["Page size"])[:2])
    return abs(width - 595.3) < 2 and abs(height - 841.9) < 2  # points


def test_the_outcome_document_prints_as_an_a4_statement_numbered_per_section(client, demo, to_pdf):
    response = client.get(f"/meetings/{MEETING}/outcome.docx")
    text, info = to_pdf(response.content, "outcome")
    flat = " ".join(text.split())

    assert a4(info), info["Page size"]
    assert int(info["Pages"]) == 2
    # On every page the meeting in the header and the page and date of issue in the footer.
    title = " ".join(Meeting.objects.get(slug=MEETING).display_title.split())
    pages = [" ".join(page.split()) for page in text.split("\f") if page.strip()]
    for number, page in enumerate(pages, start=1):
        assert page.startswith(title)
        assert page.endswith(f"Page {number} of 2 · Issued 14 October 2022")
    # The forum's heading above the title.
    assert pages[0].removeprefix(title).lstrip().startswith("BALI PROCESS ON PEOPLE SMUGGLING")
    statement, work_plan = flat.split("Co-chairs' statement", 1)[1].split("Forward work plan", 1)
    # The statement's paragraphs 1 to 4, then the work plan starting again at 1 ...
    assert [int(n) for n in re.findall(r"(?:^| )(\d)\. [A-Z]", statement)] == [1, 2, 3, 4]
    assert re.search(r"(?:^| )1\. Joint 12-month Period of Action", work_plan)
    # ... and its suggestions lettered once, in order, never after a paragraph number.
    letters = re.findall(r"(?:^| )([a-c])\) (Training|Workshops)", work_plan)
    assert [letter for letter, _ in letters] == ["a", "b", "c"]
    assert not re.search(r"\d\.\s+[a-z]\)", flat)
    assert "a) a)" not in flat


def test_a_title_pasted_with_its_letter_is_lettered_once(client, demo, to_pdf):
    item = WorkPlanItem.objects.get(order_label="b")
    item.title, item.order_label = "b) Workshops on improving collection and sharing of data", ""
    item.full_clean()
    item.save()
    item.refresh_from_db()
    assert (item.order_label, item.title) == ("b", "Workshops on improving collection and sharing of data")

    text, _ = to_pdf(client.get(f"/meetings/{MEETING}/outcome.docx").content, "outcome")
    flat = " ".join(text.split())
    assert "b) Workshops on improving collection and sharing of data" in flat
    assert "b) b)" not in flat


@pytest.mark.django_db
@pytest.mark.parametrize("parties", [3, 230])
def test_the_word_file_names_every_party_of_a_meeting_too_large_for_its_page(client, parties):
    """A meeting too large to name its parties on its page still has all of them in its Word file."""
    meeting = factories.MeetingFactory()
    states = factories.bulk(factories.MemberStateFactory, [{} for _ in range(parties)])
    organisation = factories.OrganisationFactory()
    factories.bulk(factories.AttendanceFactory, [{"meeting": meeting, "state": state} for state in states])
    factories.AttendanceFactory(meeting=meeting, state=None, organisation=organisation)
    assert (parties + 1 > PARTICIPANTS_NAMED) == (parties == 230)
    page = client.get(meeting.get_absolute_url()).content.decode()
    download = client.get(meeting.get_absolute_url() + "outcome.docx").content
    assert "(.docx)" in page
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(download)).paragraphs)
    assert f"States ({parties}): " in text and f"Organisations (1): {organisation.name}." in text
    assert all(state.name in text for state in states)
