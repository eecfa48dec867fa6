"""Word documents the secretariat circulates: a meeting's outcome statement, with numbered paragraphs.

Made with python-docx; everything comes from published records, nothing from a delegate.
"""

import io

import docx
from docx.shared import Pt

from core.layout import split_sections
from core.text import format_days

from .models import Meeting


def new_document(title: str):
    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = "Bali Process Regional Support Office"
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(11)
    return document


def numbered(document, text: str) -> None:
    document.add_paragraph(text, style="List Number")


def to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def outcome_docx(meeting: Meeting, items) -> bytes:
    """Title, dates, venue, co-chairs and participants, then the statement and the forward work plan,
    every paragraph of the statement numbered as co-chairs' statements are."""
    title = meeting.display_title
    document = new_document(title)
    document.add_paragraph(f"Bali Process · {meeting.body.name}")
    document.add_heading(title, level=1)
    venue = ", ".join(part for part in (meeting.venue_city, meeting.venue_country) if part)
    document.add_paragraph(
        f"{format_days(meeting.days)} · {meeting.get_format_display().capitalize()}" + (f" · {venue}" if venue else "")
    )
    cochairs = " and ".join(c.state.name for c in meeting.cochairs.all())
    document.add_paragraph(f"Co-chairs: {cochairs or 'not recorded'}")
    states = [a.state.name for a in meeting.attendances.all() if a.state_id]
    organisations = [a.organisation.name for a in meeting.attendances.all() if a.organisation_id]
    if states or organisations:
        document.add_heading("Participants", level=2)
        if states:
            document.add_paragraph(f"States ({len(states)}): {', '.join(states)}.")
        if organisations:
            document.add_paragraph(f"Organisations ({len(organisations)}): {', '.join(organisations)}.")
    document.add_heading("Co-chairs' statement", level=2)
    # The statement's own layout: its headings, its paragraphs numbered, its lists as lists.
    for section in split_sections(meeting.outcome_statement):
        if section.heading:
            document.add_heading(section.heading, level=3)
        for paragraph in section.paragraphs:
            numbered(document, paragraph)
        for item in section.items:
            document.add_paragraph(f"{item.label}) {item.text}" if item.label else item.text, style="List Bullet")
    if items:
        document.add_heading("Forward work plan", level=2)
        for item in items:
            label = f"{item.order_label}) " if item.order_label else ""
            topic = f": {item.topic}" if item.topic else ""
            numbered(document, f"{label}{item.title}{topic} ({item.get_status_display().lower()})")
    return to_bytes(document)
