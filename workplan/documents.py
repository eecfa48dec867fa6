"""The work-plan progress report as a Word document."""

from django.utils import timezone

from meetings.documents import Numbering, new_document, to_bytes


def progress_report_docx(meeting, previous, items) -> bytes:
    """One numbered paragraph per item: its status at the previous meeting, at this one and now,
    followed by the updates in between."""
    title = f"Progress report for the {meeting.display_title}"
    document = new_document(title, running_head=f"{meeting.body.name} · {title}")
    numbered = Numbering(document).paragraph
    document.add_paragraph(f"{meeting.body.name} · forward work plan")
    document.add_heading(title, level=1)
    since = f"Since the {previous.display_title} ({previous.start_date:%d %B %Y})" if previous else "Since the start"
    document.add_paragraph(f"{since}; prepared {timezone.localdate():%d %B %Y}.")
    for item in items:
        label = f"{item.order_label}) " if item.order_label else ""
        before = item.at_previous.get_status_display() if item.at_previous else "—"
        at_meeting = item.at_meeting.get_status_display() if item.at_meeting else "not kept yet"
        numbered(
            f"{label}{item.title}. Status at the previous meeting: {before}; at this meeting: {at_meeting}; "
            f"now: {item.get_status_display()}.",
        )
        for update in item.period_updates:
            change = ""
            if update.changed_status:
                change = f" ({update.get_status_before_display()} → {update.get_status_after_display()})"
            document.add_paragraph(f"{update.date:%d %B %Y}{change}: {update.text}", style="List Bullet")
    return to_bytes(document)
