"""The work-plan progress report as a Word document: one table row per item."""

from django.utils import timezone

from meetings.documents import new_document, to_bytes

COLUMNS = ["Item", "Status at the previous meeting", "Status at this meeting", "Updates in between"]


def progress_report_docx(meeting, previous, items) -> bytes:
    """A table, item by item: the status at the previous meeting, at this one (as the dated updates
    say, or the secretariat's correction), and the updates between the two meetings."""
    title = f"Progress report for the {meeting.display_title}"
    document = new_document(title, running_head=f"{meeting.body.name} · {title}")
    document.add_paragraph(f"{meeting.body.name} · forward work plan")
    document.add_heading(title, level=1)
    since = (
        f"Updates after the {previous.display_title} ({previous.end_date:%d %B %Y})"
        if previous
        else "Updates since the start of the plan"
    )
    document.add_paragraph(f"{since}, up to {meeting.end_date:%d %B %Y}; prepared {timezone.localdate():%d %B %Y}.")
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell.text = heading
    for item in items:
        label = f"{item.order_label}) " if item.order_label else ""
        at_meeting = item.at_meeting.label
        if item.corrected:
            at_meeting += f" (corrected: {item.corrected.reason})"
        updates = []
        for update in item.period_updates:
            change = ""
            if update.changed_status:
                change = f" ({update.get_status_before_display()} → {update.get_status_after_display()})"
            updates.append(f"{update.date:%d %B %Y}{change}: {update.text}")
        cells = table.add_row().cells
        cells[0].text = f"{label}{item.title}"
        cells[1].text = item.at_previous.label if item.at_previous else "—"
        cells[2].text = at_meeting
        cells[3].text = "\n".join(updates) or "—"
    return to_bytes(document)
