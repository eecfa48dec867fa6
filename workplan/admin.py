"""The secretariat's admin for forward-work-plan items and their progress updates."""

from functools import partial

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin

from baliwg.accounts import end_sessions
from meetings.admin import MeetingAdmin
from meetings.admin_paging import LargeTableAdmin
from meetings.admin_widgets import SafeAutocompleteMixin
from meetings.locking import VersionedForm
from meetings.models import Meeting

from .models import ProgressUpdate, ReminderSent, Representative, StatusAtMeeting, WorkPlanItem
from .statement_admin import import_statement_view


class ProgressUpdateInline(SafeAutocompleteMixin, admin.TabularInline):
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


class RepresentativeInline(SafeAutocompleteMixin, admin.StackedInline):
    model = Representative
    can_delete = True
    autocomplete_fields = ["state"]
    verbose_name = "Represents (co-chair account)"
    verbose_name_plural = "Represents (co-chair account)"


class UserAdmin(DjangoUserAdmin):
    inlines = [*DjangoUserAdmin.inlines, RepresentativeInline]
    list_display = [*DjangoUserAdmin.list_display, "represented_state"]
    list_select_related = ["representative__state"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and not obj.is_active:
            # A deactivated account is logged out everywhere now, not when its sessions expire.
            ended = end_sessions(obj)
            if ended:
                self.message_user(request, f"Ended {ended} open session(s) of {obj}.")

    @admin.display(description="Represents")
    def represented_state(self, user):
        representative = getattr(user, "representative", None)
        return representative.state if representative else "—"


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), UserAdmin)


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


class MeetingWithImportAdmin(MeetingAdmin):
    """The meeting admin, with the statement import, which creates work-plan items and so lives here."""

    def get_urls(self):
        import_url = path(
            "import-statement/",
            self.admin_site.admin_view(partial(import_statement_view, self)),
            name="meetings_meeting_import",
        )
        return [import_url, *super().get_urls()]


admin.site.unregister(Meeting)
admin.site.register(Meeting, MeetingWithImportAdmin)
