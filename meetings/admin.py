"""The secretariat's admin for the registry, meetings, attendance, delegates and exercises."""

from django import forms
from django.contrib import admin, messages
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm
from simple_history.admin import SimpleHistoryAdmin

from core.limits import MAX_UPLOAD_BYTES

from .admin_paging import LargeTableAdmin
from .admin_widgets import LabelledRowsMixin, SafeAutocompleteMixin
from .locking import LockParentForm, VersionedForm
from .models import (
    Alias,
    Attendance,
    Body,
    CoChairTerm,
    Delegate,
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
from .resources import AttendanceResource, MemberStateResource, OrganisationResource
from .services import publish_meeting, unpublish_meeting

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
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB; split it, or ask for help.")
        return upload


class SpreadsheetImport(ImportMixin):
    """The admin's "Import" button: a CSV or XLSX file, a preview with each row's errors, then save."""

    import_formats = [CSV, XLSX]
    import_form_class = LimitedImportForm


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


class MeetingCoChairInline(LabelledRowsMixin, SafeAutocompleteMixin, admin.TabularInline):
    model = MeetingCoChair
    form = CoChairOrderForm
    extra = 0
    autocomplete_fields = ["state", "agency"]


class AttendanceInline(LabelledRowsMixin, SafeAutocompleteMixin, admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["state", "organisation"]


class ExerciseInline(SafeAutocompleteMixin, admin.StackedInline):
    model = Exercise
    extra = 0
    fields = ["title", "slug", "kind", "status", "start_date", "end_date", "participant_count", "member_state_count"]
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True


@admin.register(Meeting)
class MeetingAdmin(LargeTableAdmin, SafeAutocompleteMixin, SimpleHistoryAdmin):
    ordering = ["-start_date", "-id"]
    form = VersionedForm
    list_display = ["display_title", "body", "kind", "start_date", "format", "venue_city", "status"]
    list_filter = ["status", "body", "kind", "format"]
    search_fields = ["title", "slug", "venue_city", "venue_country", "body__name", "body__acronym"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["body", "joint_with"]
    list_select_related = ["body"]
    readonly_fields = ["published_at"]
    inlines = [MeetingCoChairInline, AttendanceInline, ExerciseInline]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["body", "kind", "number", "title", "slug", "status", "published_at", "seen_version"]}),
        (
            "When and where",
            {"fields": ["start_date", "end_date", "held_on", "format", "venue_city", "venue_country", "joint_with"]},
        ),
        (
            "Declared counts",
            {"fields": ["declared_participant_count", "declared_state_count", "declared_organisation_count"]},
        ),
        ("Outcome", {"fields": ["outcome_statement"]}),
    ]

    @admin.action(description="Publish the selected meetings", permissions=["change"])
    def publish(self, request, queryset):
        for meeting in queryset:
            publish_meeting(meeting=meeting, by=request.user)
            self.log_change(request, meeting, "Published")
        self.message_user(request, f"Published {len(queryset)} meeting(s).", messages.SUCCESS)

    @admin.action(description="Return the selected meetings to draft", permissions=["change"])
    def unpublish(self, request, queryset):
        for meeting in queryset:
            unpublish_meeting(meeting=meeting, by=request.user)
            self.log_change(request, meeting, "Returned to draft")
        self.message_user(request, f"Returned {len(queryset)} meeting(s) to draft.", messages.SUCCESS)


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


@admin.action(description="Erase the personal data of the selected delegates")
def erase_delegates(modeladmin, request, queryset):
    for delegate in queryset:
        anonymise_delegate(delegate=delegate)
    modeladmin.message_user(request, f"Erased the personal data of {len(queryset)} delegate(s).")


@admin.register(Delegate)
class DelegateAdmin(LargeTableAdmin, SafeAutocompleteMixin, SimpleHistoryAdmin):
    actions = [erase_delegates]
    list_display = ["full_name", "position", "attendance", "anonymised_at"]
    search_fields = ["full_name", "email", "attendance__state__name", "attendance__organisation__name"]
    autocomplete_fields = ["attendance"]
    list_select_related = ["attendance__state", "attendance__organisation", "attendance__meeting__body"]


@admin.register(Exercise)
class ExerciseAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "start_date", "meeting", "participant_count", "status"]
    list_filter = ["status", "kind", "bodies", "themes"]
    search_fields = ["title", "scenario", "description"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "meeting",
        "bodies",
        "states",
        "sectors",
        "focus_areas",
        "themes",
        "facilitator_organisations",
        "facilitator_states",
        "expert_organisations",
    ]
    list_select_related = ["meeting__body"]
