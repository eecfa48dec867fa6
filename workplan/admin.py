"""The secretariat's admin for forward-work-plan items and their progress updates."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from meetings.admin_paging import LargeTableAdmin
from meetings.admin_widgets import LabelledRowsMixin, SafeAutocompleteMixin
from meetings.locking import VersionedForm
from meetings.models import Theme

from .models import ItemStatus, ProgressUpdate, ReminderSent, Representative, StatusAtMeeting, WorkPlanItem
from .services import check_status_change, post_update
from .workflow import TransitionRefused


class WorkPlanItemAdminForm(VersionedForm):
    """The item form. Its status is set freely when the item is recorded; after that the form moves
    it only through the workflow, as a dated progress update, like the workspace does."""

    new_status = forms.ChoiceField(
        label="Move status to",
        choices=[("", "— keep the current status —"), *ItemStatus.choices],
        required=False,
    )
    status_note = forms.CharField(label="Note on the status change", required=False, widget=forms.Textarea)
    reason = forms.CharField(label="Reason (needed to reopen a completed item)", required=False)

    def clean(self):
        cleaned = super().clean()
        new = cleaned.get("new_status")
        if self.instance.pk and new and new != self.instance.status:
            try:
                check_status_change(self.instance, new, reason=cleaned.get("reason", ""))
            except TransitionRefused as refusal:
                field = "reason" if refusal.field == "reason" else "new_status"
                raise ValidationError({field: str(refusal)}) from None
        return cleaned


class ProgressUpdateInline(LabelledRowsMixin, SafeAutocompleteMixin, admin.TabularInline):
    model = ProgressUpdate
    extra = 0
    fields = ["date", "kind", "text", "status_before", "status_after", "percent_complete", "reason", "author"]
    # The status moves an update records are made by the workflow (the item's "Move status to"), not typed.
    readonly_fields = ["status_before", "status_after", "author"]


class ThemeFilter(admin.SimpleListFilter):
    """The themes, with the URL of Django's filter on the field. One theme matches an item at most
    once, so the list needs no DISTINCT over every matching row (Django adds one for any
    many-to-many filter: 150 ms at scale 100)."""

    title = "themes"
    parameter_name = "themes__id__exact"

    def lookups(self, request, model_admin):
        return [(str(theme.pk), theme.name) for theme in Theme.objects.order_by("name").only("pk", "name")]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(themes=value)
        return queryset


@admin.register(WorkPlanItem)
class WorkPlanItemAdmin(LargeTableAdmin, SafeAutocompleteMixin, SimpleHistoryAdmin):
    form = WorkPlanItemAdminForm
    list_display = ["__str__", "body", "kind", "status", "target_period", "target_date", "raised_at"]
    # Django offers to sort by "__str__" (its "__" reads as a lookup) and then sorts by nothing.
    sortable_by = list_display[1:]
    # Not a date hierarchy: listing its years or days reads every row (70 ms at 85,000 items).
    list_filter = ["status", "kind", "body", ThemeFilter, ("created_at", admin.DateFieldListFilter)]
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
    list_defer = (
        "description",
        "search_vector",
        "owner_name",
        "owner_email",
        "raised_at__outcome_statement",
        "raised_at__search_vector",
        "body__description",
        "raised_at__body__description",
    )
    inlines = [ProgressUpdateInline]

    def get_fields(self, request, obj=None):
        moves = ["new_status", "status_note", "reason"]
        fields = [name for name in super().get_fields(request, obj) if name not in moves]
        if obj is None:
            return fields
        # A recorded item's status is shown, not typed: it moves through new_status and the workflow.
        at = fields.index("status") + 1 if "status" in fields else len(fields)
        return [*fields[:at], *moves, *fields[at:]]

    def get_readonly_fields(self, request, obj=None):
        return ["status"] if obj is not None else []

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        new = form.cleaned_data.get("new_status")
        if change and new and new != form.instance.status:
            post_update(
                item=form.instance,
                by=request.user,
                text=form.cleaned_data.get("status_note") or "Status changed in the admin.",
                status=new,
                reason=form.cleaned_data.get("reason", ""),
            )

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
    readonly_fields = ["status_before", "status_after", "author"]
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
    """Corrections of the status the dated updates give an item at a meeting, each with its reason."""

    list_display = ["item", "meeting", "status", "reason", "recorded_by", "recorded_at"]
    fields = ["item", "meeting", "status", "reason"]
    list_filter = ["status", "meeting__body"]
    search_fields = ["item__title", "meeting__slug"]
    autocomplete_fields = ["item", "meeting", "recorded_by"]
    list_select_related = ["item", "meeting__body", "recorded_by"]
    date_hierarchy = "recorded_at"

    def save_model(self, request, obj, form, change):
        obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReminderSent)
class ReminderSentAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    list_display = ["item", "threshold", "due_date", "recipients", "sent_at"]
    list_filter = ["threshold"]
    search_fields = ["item__title"]
    autocomplete_fields = ["item"]
    list_select_related = ["item"]
    date_hierarchy = "sent_at"
