"""The admin's side of clearance: send a draft to its co-chairs, see who cleared what and when, and
publish once both cleared it or with the reason why not (an intermediate page, as Django's delete has)."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse

from .clearance import ClearanceError, ClearanceMissing, send_for_clearance
from .models import ClearanceComment, ClearanceRequest
from .services import publish_meeting


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
    blocked = []
    published = 0
    for meeting in queryset.select_related("body"):
        try:
            publish_meeting(meeting=meeting, by=request.user, reason=reason)
        except ClearanceMissing as refusal:
            blocked.append((meeting, refusal.missing))
            continue
        modeladmin.log_change(request, meeting, f"Published. {reason}".strip() if reason else "Published")
        published += 1
    if published:
        modeladmin.message_user(request, f"Published {published} meeting(s).", messages.SUCCESS)
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


class ClearanceRequestInline(admin.TabularInline):
    """Who the draft was sent to, and who cleared it when: read only, written by the workspace."""

    model = ClearanceRequest
    extra = 0
    can_delete = False
    fields = ["state", "sent_at", "sent_by", "cleared_at", "cleared_by", "cleared_as_it_reads"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("meeting", "state", "sent_by", "cleared_by")

    @admin.display(boolean=True, description="Cleared as it now reads")
    def cleared_as_it_reads(self, obj):
        return obj.is_cleared


class ClearanceCommentInline(admin.TabularInline):
    model = ClearanceComment
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "state", "author", "text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("state", "author")
