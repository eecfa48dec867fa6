"""Word documents the secretariat circulates, built on the house template kept in the repository
(meetings/word/template.docx: A4, the forum's heading, black headings, the paragraph styles).

The helpers here are shared: workplan/documents.py builds the progress report with them. Every
page carries a header naming the meeting and a footer with "Page n of N" and the date of issue.
Numbers and letters are written into the text ("1.", "a)"), not left to Word's list numbering, so
every reader (Word, LibreOffice, a PDF converter, a screen reader) shows the same label, numbering
restarts in each section, and a lettered item never picks up a paragraph number ("6. a)").
Everything comes from published records, nothing from a delegate.
"""

import io
from pathlib import Path

import docx
from django.utils import timezone
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from core.layout import split_sections
from core.text import format_days

from .models import Meeting

TEMPLATE = Path(__file__).resolve().parent / "word" / "template.docx"
FORUM = "Bali Process on People Smuggling, Trafficking in Persons and Related Transnational Crime"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _field(paragraph, instruction: str, placeholder: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES) that the reader fills in on every page."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = placeholder
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, code, separate, shown, end):
        run._r.append(element)


def new_document(title: str, *, running_head: str, issued=None):
    """The template, emptied, with its header naming `running_head` and a footer with the page
    number and the date of issue (today unless given)."""
    document = docx.Document(str(TEMPLATE))
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    document.core_properties.title = title
    document.core_properties.author = "Bali Process Regional Support Office"
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = running_head
    header.style = document.styles["Running Text"]
    footer = section.footer.paragraphs[0]
    footer.style = document.styles["Running Text"]
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    footer.add_run(f" · Issued {issued or timezone.localdate():%-d %B %Y}")
    document.add_paragraph(FORUM, style="Forum Heading")
    return document


class Numbering:
    """Paragraph numbers that restart in each section of a document: call restart() at a heading."""

    def __init__(self, document):
        self.document, self.number = document, 0

    def restart(self) -> None:
        self.number = 0

    def paragraph(self, text: str):
        self.number += 1
        return self.document.add_paragraph(f"{self.number}.\t{text}", style="Numbered Paragraph")


def lettered(document, label: str, text: str):
    """A list item under a numbered paragraph: "a)" once, never after a paragraph number."""
    return document.add_paragraph(f"{label})\t{text}" if label else text, style="Lettered Item")


def heading(document, text: str, level: int, numbering: Numbering | None = None):
    if numbering is not None:
        numbering.restart()
    return document.add_heading(text, level=level)


def table(document, header: list[str], rows: list[list[str]]):
    """A plain grid table with a bold header row repeated on every page."""
    grid = document.add_table(rows=1, cols=len(header))
    grid.style = document.styles["Table Grid"]
    for cell, text in zip(grid.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    grid.rows[0]._tr.get_or_add_trPr().append(repeat)
    for values in rows:
        cells = grid.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    return grid


def to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def cochair_names(meeting: Meeting) -> str:
    """Full names, in the order the statement gives them (MeetingCoChair's ordering)."""
    return " and ".join(c.state.name for c in meeting.cochairs.all())


def plain_paragraph(document, text: str, style=None):
    """A paragraph of one run of text, made in one step: python-docx's `run.text` builds it a
    character at a time (to turn tabs and line breaks into elements), which for a meeting's 2,500
    participants' names was most of the time of the whole document. Same XML for text with
    neither."""
    if any(c in text for c in "\t\n\r"):
        return document.add_paragraph(text, style)
    paragraph = document.add_paragraph(style=style)
    paragraph.add_run()._r.add_t(text)
    return paragraph


def participant_lines(attendances) -> list[str]:
    """The statement's participants as the Word document and the print view give them: the states,
    then the organisations, each counted ("States (12): Fiji, Thailand, …")."""
    attendances = list(attendances)
    states = [a.state.name for a in attendances if a.state_id]
    organisations = [a.organisation.name for a in attendances if a.organisation_id]
    return [
        f"{kind} ({len(names)}): {', '.join(names)}."
        for kind, names in (("States", states), ("Organisations", organisations))
        if names
    ]


def outcome_docx(meeting: Meeting, items, attendances=None) -> bytes:
    """Title, dates, venue, co-chairs and participants, then the statement with its paragraphs
    numbered as co-chairs' statements are, then the forward work plan with its items lettered.
    The participants come from `attendances`, else from the meeting's prefetched attendance rows."""
    title = meeting.display_title
    issued = timezone.localtime(meeting.published_at).date() if meeting.published_at else None
    document = new_document(title, running_head=title, issued=issued)
    document.add_paragraph(meeting.body.name, style="Forum Heading")
    document.add_heading(title, level=0)
    venue = ", ".join(part for part in (meeting.venue_city, meeting.venue_country) if part)
    document.add_paragraph(
        f"{format_days(meeting.days)} · {meeting.get_format_display().capitalize()}" + (f" · {venue}" if venue else "")
    )
    document.add_paragraph(f"Co-chairs: {cochair_names(meeting) or 'not recorded'}")
    lines = participant_lines(meeting.attendances.all() if attendances is None else attendances)
    if lines:
        heading(document, "Participants", 1)
        for line in lines:
            plain_paragraph(document, line)

    numbering = Numbering(document)
    heading(document, "Co-chairs' statement", 1, numbering)
    # The statement's own layout: its headings restart the numbers, its lists keep their letters.
    for section in split_sections(meeting.outcome_statement):
        if section.heading:
            heading(document, section.heading, 2, numbering)
        for paragraph in section.paragraphs:
            numbering.paragraph(paragraph)
        for item in section.items:
            lettered(document, item.label, item.text)

    items = list(items)
    if items:
        heading(document, "Forward work plan", 1, numbering)
        for item in items:
            topic = f": {item.topic}" if item.topic else ""
            text = f"{item.title}{topic} ({item.get_status_display().lower()})"
            if item.order_label:
                lettered(document, item.order_label, text)
            else:
                numbering.paragraph(text)
    return to_bytes(document)


__all__ = [
    "CONTENT_TYPE",
    "Numbering",
    "heading",
    "lettered",
    "new_document",
    "outcome_docx",
    "participant_lines",
    "table",
    "to_bytes",
]
