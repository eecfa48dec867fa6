"""Forms of the public work-plan board."""

from django import forms
from django.utils import timezone

from meetings.admin_widgets import SafeModelMultipleChoiceField
from meetings.forms import FilterForm
from meetings.models import Body, MemberState, Organisation, Theme

from .models import ItemStatus, WorkPlanItem
from .services import EDITABLE_FIELDS, EDITABLE_RELATIONS
from .workflow import TransitionRefused, allowed_next, check_not_moved_meanwhile, check_transition


class BoardFilterForm(FilterForm):
    body = forms.ModelChoiceField(
        queryset=Body.objects.order_by("name"), to_field_name="slug", required=False, empty_label="All bodies"
    )
    status = forms.ChoiceField(choices=[("", "All statuses"), *ItemStatus.choices], required=False)
    kind = forms.ChoiceField(choices=[("", "All kinds"), *WorkPlanItem.Kind.choices], required=False)
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.order_by("name"), to_field_name="slug", required=False, empty_label="All themes"
    )
    lead = forms.ChoiceField(required=False, help_text="A lead state or organisation.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only parties that lead a published item are offered: the list stays short, and a party
        # leading only drafts does not reveal them.
        led = WorkPlanItem.objects.published()
        states = MemberState.objects.filter(workplan_items_led__in=led).distinct().order_by("name")
        organisations = Organisation.objects.filter(workplan_items_led__in=led).distinct().order_by("name")
        self.fields["lead"].choices = [
            ("", "All leads"),
            ("States", [(f"state-{s.slug}", s.display_name) for s in states]),
            ("Organisations", [(f"org-{o.slug}", o.display_name) for o in organisations]),
        ]

    def filter(self, items):
        filters = self.active_filters()
        for name in ("body", "status", "kind"):
            if name in filters:
                items = items.filter(**{name: filters[name]})
        if "theme" in filters:
            items = items.filter(themes=filters["theme"])
        if "lead" in filters:
            prefix, _, slug = filters["lead"].partition("-")
            field = "lead_states__slug" if prefix == "state" else "lead_organisations__slug"
            items = items.filter(**{field: slug})
        return items


class WorkspaceFilterForm(FilterForm):
    status = forms.ChoiceField(choices=[("", "All statuses"), *ItemStatus.choices], required=False)
    kind = forms.ChoiceField(choices=[("", "All kinds"), *WorkPlanItem.Kind.choices], required=False)
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.order_by("name"), to_field_name="slug", required=False, empty_label="All themes"
    )

    def filter(self, items):
        filters = self.active_filters()
        for name in ("status", "kind"):
            if name in filters:
                items = items.filter(**{name: filters[name]})
        if "theme" in filters:
            items = items.filter(themes=filters["theme"])
        return items


class ProgressUpdateForm(forms.Form):
    """A progress note, optionally moving the item's status; the workflow is checked on save."""

    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label="What happened",
        max_length=10_000,
        error_messages={"required": "Write what happened."},
    )
    status = forms.ChoiceField(required=False, label="New status", help_text="Leave as it is to keep the status.")
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2_000,
        help_text="Needed only to reopen a completed item.",
    )
    percent_complete = forms.IntegerField(
        required=False, min_value=0, max_value=100, label="Percent complete", help_text="0 to 100, optional."
    )
    date = forms.DateField(
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}), help_text="The day it happened."
    )
    # The status the author saw, so that a move asked after someone else moved the item is asked again.
    seen_status = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, item: WorkPlanItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["seen_status"].initial = item.status
        # Every status is a valid value, so that a disallowed move gets the workflow's message;
        # the menu offers only the allowed moves.
        self.fields["status"].choices = [("", ""), *ItemStatus.choices]
        self.fields["status"].error_messages["invalid_choice"] = "“%(value)s” is not a status."
        self.fields["status"].widget.choices = [("", f"Keep: {item.get_status_display()}")] + [
            (status, ItemStatus(status).label) for status in allowed_next(item.status)
        ]
        self.fields["date"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        try:
            check_not_moved_meanwhile(self.item, seen_status=cleaned.get("seen_status") or None, requested=status)
        except TransitionRefused as refusal:
            self.add_error(refusal.field, str(refusal))
            self.ask_again()
            return cleaned
        if status and status != self.item.status:
            try:
                check_transition(self.item.status, status, reason=cleaned.get("reason", ""))
            except TransitionRefused as refusal:
                self.add_error(refusal.field, str(refusal))
        return cleaned

    def ask_again(self):
        """After a move meanwhile: keep what was typed, but the status is to be chosen again from the
        item's status now (the message beside it says what changed)."""
        self.data = self.data.copy()
        self.data["seen_status"] = self.item.status
        self.data["status"] = ""

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        raised = self.item.raised_at
        if raised and day < raised.start_date:
            raise forms.ValidationError(
                f"The date cannot be before the item was raised ({raised.start_date:%d %B %Y})."
            )
        return day


class ItemEditForm(forms.ModelForm):
    """The details of an item that its co-chairs may change; the version guards against lost edits.

    `version` is the version the form was opened on and is never moved on by a refusal, so a plain
    second Save is refused again; `their_version` is the version a refusal showed, which only the
    explicit choices (take mine for chosen fields, overwrite all) save over.
    """

    version = forms.IntegerField(widget=forms.HiddenInput)
    their_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = WorkPlanItem
        fields = [
            "description",
            "lead_states",
            "lead_organisations",
            "themes",
            "target_period",
            "target_date",
            "owner_name",
            "owner_email",
        ]
        field_classes = {name: SafeModelMultipleChoiceField for name in ("lead_states", "lead_organisations", "themes")}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "target_date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "lead_states": forms.SelectMultiple(attrs={"size": 8}),
            "lead_organisations": forms.SelectMultiple(attrs={"size": 6}),
            "themes": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version
        self.fields["lead_states"].queryset = MemberState.objects.order_by("name")
        self.fields["lead_organisations"].queryset = Organisation.objects.order_by("name")

    def differences(self, stored: WorkPlanItem) -> list[dict]:
        """Field by field, the stored version ("theirs") beside this form's ("yours"), where they differ."""
        rows = []
        for name in EDITABLE_FIELDS + EDITABLE_RELATIONS:
            if name not in self.cleaned_data:
                continue
            theirs = getattr(stored, name)
            if name in EDITABLE_RELATIONS:
                theirs = list(theirs.all())
            yours = self.cleaned_data[name]
            if _shown(theirs) != _shown(yours):
                label = WorkPlanItem._meta.get_field(name).verbose_name
                rows.append({"name": name, "label": label, "theirs": _shown(theirs), "yours": _shown(yours)})
        return rows


def _shown(value) -> str:
    """A field's value as a person reads it, for comparing two versions."""
    if value is None or value == "":
        return ""
    if hasattr(value, "__iter__") and not isinstance(value, str):
        return "; ".join(sorted(str(v) for v in value))
    if hasattr(value, "strftime"):
        return f"{value.day} {value:%B %Y}"
    return str(value)


class ClearanceForm(forms.Form):
    """A co-chair's comment on a draft statement, and/or their clearance of it."""

    comment = forms.CharField(
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Optional when you clear the statement; needed to send a comment alone.",
    )

    def clean(self):
        cleaned = super().clean()
        if self.data.get("decision") != "clear" and not cleaned.get("comment", "").strip():
            self.add_error("comment", "Write a comment, or clear the statement.")
        return cleaned
