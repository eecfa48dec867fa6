"""The secretariat's admin for the registry, meetings, attendance, delegates and exercises."""

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import path, reverse
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm
from simple_history.admin import SimpleHistoryAdmin

from core.limits import MAX_UPLOAD_BYTES, InputTooBig

from .admin_grid import ParticipantGrid, outside_grid, prefill_data
from .admin_paging import LargeTableAdmin, search_words
from .admin_widgets import DayListField, LabelledRowsMixin, SafeAutocompleteMixin
from .clearance import ClearanceMissing
from .clearance_admin import clearance_record, publish_action, send_for_clearance_action
from .locking import VERSION_FIELDS, LockParentForm, VersionedForm
from .models import (
    Alias,
    Attendance,
    Body,
    CoChairTerm,
    Delegate,
    Erasure,
    Exercise,
    FocusArea,
    Meeting,
    MeetingCoChair,
    MemberState,
    Organisation,
    Sector,
    Theme,
)
from .privacy import anonymise_delegate
from .queries import EXERCISE_RELATIONS
from .resources import AttendanceResource, MemberStateResource, OrganisationResource
from .services import MeetingNotReady, publish_meeting, unpublish_meeting
from .spreadsheets import PreviewGone, SignedPreviewStorage, attendance_template, check_spreadsheet

# A line break and the indentation after it, between two tags: a fifth of the change form's bytes.
# Collapsed to the line break alone, which renders the same (escaped text never holds a bare ">").
BLANK_BETWEEN_TAGS = re.compile(rb">[ \t]*\n\s*<")


def _collapse_indentation(response):
    response.content = BLANK_BETWEEN_TAGS.sub(b">\n<", response.content)
    return response


admin.site.site_header = "Bali Process Working Groups — Secretariat"
admin.site.site_title = "Bali Process secretariat"
admin.site.index_title = "Records of the forum"


class AliasInline(LabelledRowsMixin, SafeAutocompleteMixin, admin.TabularInline):
    model = Alias
    extra = 1
    fields = ["name"]


class StateAliasInline(AliasInline):
    fk_name = "state"


class OrganisationAliasInline(AliasInline):
    fk_name = "organisation"


class BodyAliasInline(AliasInline):
    fk_name = "body"


@admin.action(description="Retire the selected entries (kept for old records, not offered for new ones)")
def retire(modeladmin, request, queryset):
    for entry in queryset:
        entry.retired = True
        entry.save(update_fields=["retired", "updated_at"])
    modeladmin.message_user(request, f"Retired {len(queryset)} entr{'y' if len(queryset) == 1 else 'ies'}.")


class RegistryAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    """Registry rows: retired entries are not offered when picking a party for a new record."""

    actions = [retire]

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if request.path.endswith("/autocomplete/"):
            queryset = queryset.filter(retired=False)
        return queryset, duplicates


class LimitedImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            if upload.size > MAX_UPLOAD_BYTES:  # refused before it is read
                raise InputTooBig("The file is larger than 2 MB; split it, or ask for help.")
            check_spreadsheet(upload.read())
        except InputTooBig as error:
            raise forms.ValidationError(str(error)) from error
        upload.seek(0)
        return upload


class SpreadsheetImport(ImportMixin):
    """The admin's "Import" button: a CSV or XLSX file, a preview with each row's errors, then save.
    Bounded and kept as meetings/spreadsheets.py says."""

    import_formats = [CSV, XLSX]
    import_form_class = LimitedImportForm
    tmp_storage_class = SignedPreviewStorage

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except PreviewGone:
            messages.error(
                request, "This preview has expired or was not found, so nothing was imported. Upload the file again."
            )
            info = self.get_model_info()
            return redirect(f"admin:{info[0]}_{info[1]}_import")


@admin.register(MemberState)
class MemberStateAdmin(SpreadsheetImport, RegistryAdmin):
    resource_classes = [MemberStateResource]
    list_display = ["name", "iso_code", "kind", "parent_state", "membership", "member_since"]
    list_filter = ["membership", "kind", "retired"]
    search_fields = ["name", "short_name", "iso_code", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent_state"]
    list_select_related = ["parent_state"]
    inlines = [StateAliasInline]


@admin.register(Organisation)
class OrganisationAdmin(SpreadsheetImport, RegistryAdmin):
    resource_classes = [OrganisationResource]
    list_display = ["name", "acronym", "kind", "membership", "state"]
    list_filter = ["kind", "membership", "retired"]
    search_fields = ["name", "acronym", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["state"]
    list_select_related = ["state"]
    inlines = [OrganisationAliasInline]


class CoChairOrderForm(forms.ModelForm):
    """A co-chair row's position may be left empty (or left out by a client that predates it): first."""

    position = forms.IntegerField(
        min_value=0, max_value=9, required=False, initial=0, help_text="0 for the co-chair the statement names first."
    )

    def clean_position(self):
        return self.cleaned_data.get("position") or 0


class CoChairTermInline(LabelledRowsMixin, SafeAutocompleteMixin, admin.TabularInline):
    model = CoChairTerm
    form = CoChairOrderForm
    extra = 0
    autocomplete_fields = ["state", "agency"]


@admin.register(Body)
class BodyAdmin(RegistryAdmin):
    list_display = ["name", "acronym", "kind", "parent"]
    list_filter = ["kind", "retired"]
    search_fields = ["name", "short_name", "acronym", "aliases__name"]
    prepopulated_fields = {"slug": ["acronym"]}
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    inlines = [BodyAliasInline, CoChairTermInline]


@admin.register(Alias)
class AliasAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "state", "organisation", "body"]
    search_fields = ["name", "state__name", "organisation__name", "body__name"]
    autocomplete_fields = ["state", "organisation", "body"]
    list_select_related = ["state", "organisation", "body"]


@admin.register(Theme, Sector, FocusArea)
class TagAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CoChairTerm)
class CoChairTermAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    list_display = ["state", "body", "agency", "start_date", "end_date"]
    list_filter = ["body"]
    search_fields = ["state__name", "body__name", "agency__name"]
    autocomplete_fields = ["body", "state", "agency"]
    list_select_related = ["state", "body", "agency"]
    date_hierarchy = "start_date"


class AttendanceInline(LabelledRowsMixin, SafeAutocompleteMixin, admin.TabularInline):
    """The parties the grid does not list: guests, national agencies, private sector, retired entries."""

    model = Attendance
    extra = 0
    autocomplete_fields = ["state", "organisation"]
    verbose_name = "other participant"
    verbose_name_plural = "Other participants (guests, agencies, experts: the members and observers are ticked above)"

    def get_queryset(self, request):
        return outside_grid(super().get_queryset(request))


class MeetingForm(VersionedForm):
    """The meeting, its participants grid (attendance and co-chairs) and its days."""

    held_on = DayListField(
        required=False,
        help_text="Only when it was not held every day from start to end: each day, separated by commas.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = ParticipantGrid(self.instance, self.data if self.is_bound else None)

    def clean(self):
        cleaned = super().clean()
        for error in self.grid.errors:
            self.add_error(None, error)
        return cleaned


class ExerciseInline(SafeAutocompleteMixin, admin.StackedInline):
    model = Exercise
    extra = 0
    # No status: an exercise held alongside is published with its meeting (services.publish_meeting).
    fields = ["title", "slug", "kind", "start_date", "end_date", "participant_count", "member_state_count"]
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True


@admin.register(Meeting)
class MeetingAdmin(LargeTableAdmin, SafeAutocompleteMixin, SimpleHistoryAdmin):
    ordering = ["-start_date", "-id"]
    change_list_template = "admin/meetings/meeting/change_list.html"
    form = MeetingForm
    list_display = ["display_title", "body", "kind", "start_date", "format", "venue_city", "status"]
    list_filter = ["status", "body", "kind", "format"]
    search_fields = ["title", "slug", "venue_city", "venue_country", "body__name", "body__acronym"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["joint_with"]  # the body is one of a handful: a plain list
    list_select_related = ["body"]
    # Status changes only through the publish service (the buttons and the action), never the field.
    readonly_fields = ["status", "published_at", clearance_record]
    # Co-chairs and the registry's parties are ticked in the participants grid (admin_grid.py).
    inlines = [AttendanceInline, ExerciseInline]
    actions = [send_for_clearance_action, "publish", "unpublish"]

    class Media:
        css = {"all": ["secretariat/meeting_form.css"]}
        js = ["secretariat/meeting_form.js"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.grid.save(form.instance)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name in {"body", "joint_with"} and isinstance(formfield.widget, RelatedFieldWidgetWrapper):
            # Bodies and meetings are not made or deleted from here: no pop-up links to weigh the form.
            widget = formfield.widget
            widget.can_add_related = widget.can_change_related = widget.can_delete_related = False
            widget.can_view_related = False
        return formfield

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["grid_data"] = prefill_data(obj)
        # A tenth of the page, and this form wants the whole width.
        context["is_nav_sidebar_enabled"] = False
        response = super().render_change_form(request, context, add, change, form_url, obj)
        response.add_post_render_callback(_collapse_indentation)
        return response

    fieldsets = [
        (None, {"fields": ["body", "kind", "number", "title", "slug", "status", "published_at", *VERSION_FIELDS]}),
        (
            "When and where",
            {"fields": ["start_date", "end_date", "held_on", "format", "venue_city", "venue_country", "joint_with"]},
        ),
        (
            "Declared counts",
            {"fields": ["declared_participant_count", "declared_state_count", "declared_organisation_count"]},
        ),
        ("Outcome", {"fields": ["outcome_statement", clearance_record]}),
    ]

    def _run_service(self, request, meeting, service) -> bool:
        try:
            report = service(meeting, by=request.user)
        except MeetingNotReady as error:
            for line in error.messages:
                self.message_user(request, line, messages.ERROR)
            return False
        if report.changes:
            self.log_change(request, meeting, report.message)
        self.message_user(request, report.message, messages.SUCCESS if report.changes else messages.INFO)
        return True

    def _after_save(self, request, obj):
        """The form's Publish / Return to draft buttons, after the save: the same service as the action.
        A draft its co-chairs have not both cleared goes to the page that asks why it is published without."""
        if "_publish" in request.POST:
            try:
                self._run_service(request, obj, publish_meeting)
            except ClearanceMissing:
                return publish_action(self, request, type(obj).objects.filter(pk=obj.pk))
        elif "_unpublish" in request.POST:
            self._run_service(request, obj, unpublish_meeting)
        return HttpResponseRedirect(reverse("admin:meetings_meeting_change", args=[obj.pk]))

    def response_add(self, request, obj, post_url_continue=None):
        if "_publish" in request.POST or "_unpublish" in request.POST:
            return self._after_save(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_publish" in request.POST or "_unpublish" in request.POST:
            return self._after_save(request, obj)
        return super().response_change(request, obj)

    @admin.action(description="Publish the selected meetings", permissions=["change"])
    def publish(self, request, queryset):
        # Asks why, for a draft its co-chairs have not cleared (clearance_admin.publish_action).
        return publish_action(self, request, queryset)

    @admin.action(description="Return the selected meetings to draft", permissions=["change"])
    def unpublish(self, request, queryset):
        for meeting in queryset:
            self._run_service(request, meeting, unpublish_meeting)


@admin.register(MeetingCoChair)
class MeetingCoChairAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    list_display = ["state", "agency", "meeting"]
    list_filter = ["meeting__body"]
    search_fields = ["state__name", "agency__name", "meeting__title", "meeting__slug"]
    autocomplete_fields = ["meeting", "state", "agency"]
    list_select_related = ["state", "agency", "meeting__body"]


@admin.register(Attendance)
class AttendanceAdmin(LargeTableAdmin, SafeAutocompleteMixin, SpreadsheetImport, SimpleHistoryAdmin):
    form = LockParentForm
    resource_classes = [AttendanceResource]
    list_display = ["party", "meeting", "role", "mode"]
    list_filter = ["role", "mode", "meeting__body"]
    search_fields = ["state__name", "organisation__name", "organisation__acronym", "meeting__slug"]
    autocomplete_fields = ["meeting", "state", "organisation"]
    list_select_related = ["state", "organisation", "meeting__body"]
    list_defer = ("meeting__outcome_statement", "meeting__search_vector", "meeting__body__description")
    import_template_name = "admin/meetings/attendance/import.html"

    def get_search_results(self, request, queryset, search_term):
        """The search_fields' matches, found from the other side: each word is looked up in the
        states, organisations and meetings (thousands of rows), and the attendance by their keys
        (indexed), not by a LIKE over a million joined rows (2.5 s at scale 100)."""
        for word in search_words(search_term):
            states = MemberState.objects.filter(name__icontains=word)
            organisations = Organisation.objects.filter(Q(name__icontains=word) | Q(acronym__icontains=word))
            meetings = Meeting.objects.filter(slug__icontains=word)
            queryset = queryset.filter(
                Q(state__in=list(states.order_by().values_list("pk", flat=True)))
                | Q(organisation__in=list(organisations.order_by().values_list("pk", flat=True)))
                | Q(meeting__in=list(meetings.order_by().values_list("pk", flat=True)))
            )
        return queryset, False

    def get_urls(self):
        template = path(
            "import-template.xlsx",
            self.admin_site.admin_view(self.import_template),
            name="meetings_attendance_import_template",
        )
        return [template, *super().get_urls()]

    def import_template(self, request):
        """The spreadsheet to fill in: columns, an example, the registry's codes and names, roles and modes."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        response = HttpResponse(
            attendance_template(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="attendance-import-template.xlsx"'
        return response


@admin.action(description="Erase the personal data of the selected delegates")
def erase_delegates(modeladmin, request, queryset):
    for delegate in queryset:
        anonymise_delegate(delegate=delegate, by=request.user)
    modeladmin.message_user(request, f"Erased the personal data of {len(queryset)} delegate(s).")


@admin.register(Delegate)
class DelegateAdmin(LargeTableAdmin, SafeAutocompleteMixin, SimpleHistoryAdmin):
    actions = [erase_delegates]
    list_display = ["full_name", "position", "attendance", "anonymised_at"]
    search_fields = ["full_name", "email", "attendance__state__name", "attendance__organisation__name"]
    autocomplete_fields = ["attendance"]
    list_select_related = ["attendance__state", "attendance__organisation", "attendance__meeting__body"]


@admin.register(Erasure)
class ErasureAdmin(admin.ModelAdmin):
    """The erasures' audit trail: read only, for everyone who may see it."""

    list_display = ["__str__", "erased_at", "erased_by", "reason"]
    sortable_by = list_display[1:]  # Django offers "__str__" and then sorts by nothing
    list_filter = ["reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Exercise)
class ExerciseAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    formfield_overrides = {models.JSONField: {"form_class": DayListField}}

    class Media:
        css = {"all": ["secretariat/meeting_form.css"]}

    list_display = ["title", "kind", "start_date", "meeting", "participant_count", "status"]
    list_filter = ["status", "kind", "bodies", "themes"]
    search_fields = ["title", "scenario", "description"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["meeting", *EXERCISE_RELATIONS]
    list_select_related = ["meeting__body"]
