"""The secretariat's admin for forward-work-plan items and their progress updates."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from meetings.admin_paging import LargeTableAdmin
from meetings.admin_widgets import LabelledRowsMixin, SafeAutocompleteMixin
from meetings.locking import VersionedForm

from .models import ProgressUpdate, ReminderSent, Representative, StatusAtMeeting, WorkPlanItem


class ProgressUpdateInline(LabelledRowsMixin, SafeAutocompleteMixin, admin.TabularInline):
    model = ProgressUpdate
    extra = 0
    fields = ["date", "kind", "text", "status_before", "status_after", "percent_complete", "reason", "author"]
    readonly_fields = ["author"]


@admin.register(WorkPlanItem)
class WorkPlanItemAdmin(LargeTableAdmin, SafeAutocompleteMixin, SimpleHistoryAdmin):
    form = VersionedForm
    list_display = ["__str__", "body", "kind", "status", "target_period", "target_date", "raised_at"]
    # Not a date hierarchy: listing its years or days reads every row (70 ms at 85,000 items).
    list_filter = ["status", "kind", "body", "themes", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["title", "topic", "description"]
    autocomplete_fields = [
        "body",
        "raised_at",
        "reported_at",
        "parent",
        "lead_states",
        "lead_organisations",
        "themes",
    ]
    list_select_related = ["body", "raised_at__body"]
    inlines = [ProgressUpdateInline]

    def save_formset(self, request, form, formset, change):
        # An update entered here is the officer's own: record who wrote it.
        updates = formset.save(commit=False)
        for update in updates:
            if isinstance(update, ProgressUpdate) and update.author_id is None:
                update.author = request.user
            update.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        formset.save_m2m()


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(LargeTableAdmin, SafeAutocompleteMixin, SimpleHistoryAdmin):
    list_display = ["item", "date", "status_before", "status_after", "percent_complete", "author"]
    list_filter = ["status_after", "item__body", ("date", admin.DateFieldListFilter)]
    search_fields = ["text", "item__title"]
    autocomplete_fields = ["item"]
    readonly_fields = ["author"]
    list_select_related = ["item", "author"]

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)


@admin.register(Representative)
class RepresentativeAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    list_display = ["user", "state"]
    search_fields = ["user__username", "state__name"]
    autocomplete_fields = ["user", "state"]
    list_select_related = ["user", "state"]


@admin.register(StatusAtMeeting)
class StatusAtMeetingAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    list_display = ["item", "meeting", "status", "recorded_at"]
    list_filter = ["status", "meeting__body"]
    search_fields = ["item__title", "meeting__slug"]
    autocomplete_fields = ["item", "meeting", "recorded_by"]
    list_select_related = ["item", "meeting__body"]
    date_hierarchy = "recorded_at"


@admin.register(ReminderSent)
class ReminderSentAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    list_display = ["item", "threshold", "due_date", "recipients", "sent_at"]
    list_filter = ["threshold"]
    search_fields = ["item__title"]
    autocomplete_fields = ["item"]
    list_select_related = ["item"]
    date_hierarchy = "sent_at"
