"""The admin's side of clearance: send a draft to its co-chairs, see who cleared what and when, and
publish once both cleared it or with the reason why not (an intermediate page, as Django's delete has)."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join

from .clearance import ClearanceError, ClearanceMissing, send_for_clearance
from .services import MeetingNotReady, publish_meeting
from .templatetags.forum import counted


@admin.action(description="Send for clearance to the co-chairs (e-mails them)", permissions=["change"])
def send_for_clearance_action(modeladmin, request, queryset):
    for meeting in queryset.select_related("body"):
        try:
            requests = send_for_clearance(meeting=meeting, by=request.user)
        except ClearanceError as refusal:
            modeladmin.message_user(request, str(refusal), messages.ERROR)
            continue
        modeladmin.log_change(request, meeting, "Sent for clearance")
        names = " and ".join(r.state.display_name for r in requests)
        modeladmin.message_user(request, f"Sent the {meeting.display_title} to {names} for clearance.")


def publish_action(modeladmin, request, queryset):
    """Publish what is cleared; for the rest, ask for the reason to publish without (the same form
    posted again with a reason publishes them)."""
    reason = request.POST.get("clearance_reason", "").strip()
    blocked, reports = [], []
    for meeting in queryset.select_related("body"):
        try:
            report = publish_meeting(meeting, by=request.user, reason=reason)
        except ClearanceMissing as refusal:
            blocked.append((meeting, refusal.missing))
            continue
        except MeetingNotReady as refusal:
            for line in refusal.messages:
                modeladmin.message_user(request, line, messages.ERROR)
            continue
        if report.changes:
            modeladmin.log_change(request, meeting, f"{report.message} {reason}".strip())
        reports.append(report)
    _tell_published(modeladmin, request, reports)
    if not blocked:
        return None
    if "clearance_reason" in request.POST:
        modeladmin.message_user(request, "Give the reason for publishing without both clearances.", messages.ERROR)
    return TemplateResponse(
        request,
        "admin/meetings/meeting/publish_clearance.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": "Publish without both clearances?",
            "opts": modeladmin.model._meta,
            "blocked": [
                (meeting, missing, list(meeting.clearances.select_related("state", "cleared_by", "sent_by")))
                for meeting, missing in blocked
            ],
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


# Up to this many meetings published at once get a line each; more get one line that counts them
# (a line each for 31 meetings buried the page). The admin's history keeps each one's own line.
LINE_EACH_UP_TO = 3
NAMED_IN_SUMMARY = 5


def _tell_published(modeladmin, request, reports):
    if len(reports) <= LINE_EACH_UP_TO:
        for report in reports:
            modeladmin.message_user(request, report.message, messages.SUCCESS if report.changes else messages.INFO)
        return
    published = [report.meeting for report in reports if report.changes]
    unchanged = len(reports) - len(published)
    if published:
        names = ", ".join(str(meeting) for meeting in published[:NAMED_IN_SUMMARY])
        more = len(published) - NAMED_IN_SUMMARY
        names += f" and {more} more" if more > 0 else ""
        with_exercises = sum(1 for report in reports if len(report.changes) > 1)
        exercises = f", {with_exercises} of them with their exercises" if with_exercises else ""
        modeladmin.message_user(
            request,
            f"Published {counted(len(published), 'meeting')}{exercises}: {names}. "
            "Each one's history says what was published.",
            messages.SUCCESS,
        )
    if unchanged:
        were = "was" if unchanged == 1 else "were"
        message = f"{counted(unchanged, 'meeting')} {were} already published; nothing changed."
        modeladmin.message_user(request, message, messages.INFO)


@admin.display(description="Clearance by the co-chairs")
def clearance_record(meeting) -> str:
    """Who the draft was sent to, who cleared what and when, the comments and any reason for publishing
    without: read only here, written by the workspace and the publish action (history keeps each change)."""
    if meeting is None or not meeting.pk:
        return "—"
    requests = meeting.clearances.select_related("state", "sent_by", "cleared_by").order_by("state__name")
    comments = meeting.clearance_comments.select_related("state", "author").order_by("created_at")
    if not requests and not comments:
        return "Not sent for clearance."
    rows = format_html_join(
        "",
        "<li>{}: sent {}; {}</li>",
        (
            (
                r.state.display_name,
                localize(timezone.localtime(r.sent_at)),
                f"cleared {localize(timezone.localtime(r.cleared_at))} by {r.cleared_by}"
                if r.is_cleared
                else ("cleared an earlier text" if r.cleared_at else "not cleared yet"),
            )
            for r in requests
        ),
    )
    notes = format_html_join(
        "",
        "<li>{} · {}: {}</li>",
        (
            (localize(timezone.localtime(c.created_at)), c.state.display_name if c.state else "Secretariat", c.text)
            for c in comments
        ),
    )
    return format_html("<ul>{}</ul><ul>{}</ul>", rows, notes)
