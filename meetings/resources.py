"""CSV and XLSX imports for the secretariat: member states, organisations and a meeting's attendance.

django-import-export gives the admin's upload, preview and row-by-row errors. Every row is
validated as the admin's own forms would (model clean, constraints); any error, and nothing is
written: the whole file is one transaction.
"""

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from import_export import fields, resources, widgets

from .models import Alias, Attendance, Meeting, MemberState, Organisation


class AllOrNothingResource(resources.ModelResource):
    def import_data(self, dataset, **kwargs):
        # A file with one bad row writes nothing, also on the confirming second pass.
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)

    def before_import_row(self, row, **kwargs):
        for key, value in list(row.items()):
            if isinstance(value, str):
                row[key] = value.strip()
        if "slug" in self.fields and not row.get("slug"):
            row["slug"] = slugify(row.get("acronym") or row.get("short_name") or row.get("name") or "")[:120]


class StateCodeWidget(widgets.ForeignKeyWidget):
    """A state by its ISO code, name or alias, with a message that names the value when there is none."""

    def __init__(self):
        super().__init__(MemberState, "iso_code")

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        state = MemberState.objects.filter(iso_code=str(value).strip().upper()).first()
        if state is None:
            found = find_party(str(value))
            state = found if isinstance(found, MemberState) else None
        if state is None:
            raise ValueError(f"No state has the ISO code, name or alias {value!r}.")
        return state


class MemberStateResource(AllOrNothingResource):
    parent_state = fields.Field(attribute="parent_state", column_name="parent_state", widget=StateCodeWidget())

    class Meta:
        model = MemberState
        fields = [
            "iso_code",
            "name",
            "short_name",
            "slug",
            "kind",
            "parent_state",
            "membership",
            "member_since",
            "contact_email",
        ]
        import_id_fields = ["iso_code"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        if row.get("iso_code"):
            row["iso_code"] = str(row["iso_code"]).upper()


class OrganisationResource(AllOrNothingResource):
    state = fields.Field(attribute="state", column_name="state", widget=StateCodeWidget())

    class Meta:
        model = Organisation
        fields = ["name", "acronym", "slug", "kind", "membership", "member_since", "state", "contact_email"]
        import_id_fields = ["name"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


def find_party(name: str):
    """A state by ISO code, name or alias; an organisation by acronym, name or alias; or None."""
    name = name.strip()
    if len(name) == 2 and name.isalpha() and (state := MemberState.objects.filter(iso_code=name.upper()).first()):
        return state
    for lookup in (
        MemberState.objects.filter(name__iexact=name),
        Organisation.objects.filter(acronym__iexact=name),
        Organisation.objects.filter(name__iexact=name),
    ):
        if found := lookup.first():
            return found
    alias = Alias.objects.filter(name__iexact=name).select_related("state", "organisation").first()
    return (alias.state or alias.organisation) if alias and not alias.body_id else None


def find_meeting(value: str):
    """A meeting by its slug, its title, or the title its pages show ("Seventh Annual Meeting of ..."), or None."""
    value = " ".join(str(value or "").split())
    if not value:
        return None
    found = Meeting.objects.filter(slug=value.lower()).first() or Meeting.objects.filter(title__iexact=value).first()
    if found:
        return found
    wanted = value.casefold()
    for meeting in Meeting.objects.select_related("body").only("slug", "title", "kind", "number", "body__name"):
        if meeting.display_title.casefold() == wanted:
            return meeting
    return None


def choice_code(choices, value, *, column: str) -> str:
    """A choice's code from its code or its label, any case; else a message listing every valid value."""
    wanted = str(value or "").strip().casefold()
    for code, label in choices:
        if wanted in (code.casefold(), str(label).casefold()):
            return code
    valid = ", ".join(f"{code} ({label})" for code, label in choices)
    raise ValidationError(f"{column} {value!r} is not one of the valid values: {valid}.")


class MeetingWidget(widgets.ForeignKeyWidget):
    """A meeting by slug or title; shown by its title in the preview."""

    def __init__(self):
        super().__init__(Meeting, "slug")

    def clean(self, value, row=None, **kwargs):
        meeting = find_meeting(value)
        if meeting is None:
            raise ValueError(f"No meeting has the slug or title {value!r}.")
        return meeting

    def render(self, value, obj=None, **kwargs):
        return value.display_title if value else ""


class NameWidget(widgets.Widget):
    def render(self, value, obj=None, **kwargs):
        return str(value) if value is not None else ""


class LabelWidget(widgets.Widget):
    """A choice stored by its code (before_import_row turns a label into it) and shown by its label."""

    def __init__(self, choices):
        super().__init__()
        self.labels = dict(choices)

    def clean(self, value, row=None, **kwargs):
        return value or ""

    def render(self, value, obj=None, **kwargs):
        return str(self.labels.get(value, value or ""))


class AttendanceResource(AllOrNothingResource):
    """Columns: meeting (slug or title), party (ISO code, acronym, name or alias), role and mode (code
    or label). The preview shows each row as it will be saved: the meeting's title and the party's name."""

    meeting = fields.Field(attribute="meeting", column_name="meeting", widget=MeetingWidget())
    # Set by import_instance from the registry; shown by name in the preview.
    party = fields.Field(attribute="party", column_name="party", readonly=True, widget=NameWidget())
    role = fields.Field(attribute="role", column_name="role", widget=LabelWidget(Attendance.Role.choices))
    mode = fields.Field(attribute="mode", column_name="mode", widget=LabelWidget(Attendance.Mode.choices))

    class Meta:
        model = Attendance
        fields = ["meeting", "party", "role", "mode"]
        import_id_fields = []
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        meeting = find_meeting(row.get("meeting"))
        if meeting is None:
            raise ValidationError(f"No meeting has the slug or title {row.get('meeting')!r}.")
        row["meeting"] = meeting.slug
        if find_party(str(row.get("party") or "")) is None:
            raise ValidationError(f"{row.get('party')!r} is not a state or organisation in the registry.")
        row["role"] = choice_code(Attendance.Role.choices, row.get("role") or Attendance.Role.MEMBER, column="Role")
        if row.get("mode"):
            row["mode"] = choice_code(Attendance.Mode.choices, row["mode"], column="Mode")

    def get_instance(self, instance_loader, row):
        party = find_party(str(row.get("party") or ""))
        key = {"state": party} if isinstance(party, MemberState) else {"organisation": party}
        return Attendance.objects.filter(meeting__slug=row.get("meeting"), **key).first()

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        party = find_party(str(row.get("party") or ""))
        if isinstance(party, MemberState):
            instance.state, instance.organisation = party, None
        else:
            instance.state, instance.organisation = None, party
