"""Optimistic locking for admin change forms: a save over a newer version of the row is refused.

The form carries the version it was opened on; on save the row is locked and its version
compared. The lock is held to the end of the admin's transaction, so of two saves at once the
second waits, sees the first's version and is refused, with everything its user typed kept and
the other version's differing fields listed beside it.
"""

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError

STALE_MESSAGE = (
    "Someone else saved this record after you opened it, so your changes were not saved. They are "
    "still in the form. Saving again is refused again; to save yours over theirs, tick "
    "\u201cOverwrite their version\u201d below and save."
)


# The form's own fields, for fieldsets that list fields by name.
VERSION_FIELDS = ["seen_version", "their_version", "overwrite_theirs"]


def _shown(value) -> str:
    if value is None or value == "":
        return "(empty)"
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "\u2026"


class VersionedForm(forms.ModelForm):
    """`seen_version` is the version the form was opened on; a refusal never moves it on, so a plain
    second Save is refused again. Only ticking `overwrite_theirs`, shown by the refusal with what
    would be lost, saves over the version the refusal showed (`their_version`) and nothing newer."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    their_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    overwrite_theirs = forms.BooleanField(widget=forms.HiddenInput, required=False, label="Overwrite their version")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        model = type(self.instance)
        stored = model.objects.select_for_update().filter(pk=self.instance.pk).first()
        if stored is None:
            raise ValidationError("This record was deleted after you opened it.", code="stale")
        if cleaned.get("seen_version") == stored.version:
            return cleaned
        if cleaned.get("overwrite_theirs") and cleaned.get("their_version") == stored.version:
            return cleaned  # an explicit overwrite of the version the refusal showed
        differences = self.differences(stored, cleaned)
        self.data = self.data.copy()
        self.data[self.add_prefix("their_version")] = stored.version
        self.data[self.add_prefix("overwrite_theirs")] = ""
        lost = ", ".join(label.lower() for label, _, _ in differences)
        self.fields["overwrite_theirs"].widget = forms.CheckboxInput()
        # The bound field, made during cleaning, keeps its own copy of the help text.
        self.fields["overwrite_theirs"].help_text = self["overwrite_theirs"].help_text = (
            f"Their {lost} will be lost." if lost else "Their save changed nothing you are saving here."
        )
        lines = [
            f"{label}: theirs \u201c{theirs}\u201d; yours \u201c{yours}\u201d" for label, theirs, yours in differences
        ]
        raise ValidationError([STALE_MESSAGE, *lines], code="stale")

    def differences(self, stored, cleaned) -> list[tuple[str, str, str]]:
        """(label, theirs, yours) for each field of the form where the stored row differs."""
        rows = []
        for name, field in self.fields.items():
            if name in VERSION_FIELDS or name not in cleaned:
                continue
            try:
                model_field = stored._meta.get_field(name)
            except FieldDoesNotExist:  # a form-only field
                continue
            yours = cleaned[name]
            if model_field.many_to_many:
                theirs_set = set(getattr(stored, name).values_list("pk", flat=True))
                if theirs_set == {o.pk for o in yours}:
                    continue
                theirs = "; ".join(sorted(str(o) for o in getattr(stored, name).all()))
                yours = "; ".join(sorted(str(o) for o in yours))
            else:
                theirs = getattr(stored, name)
                if theirs == yours or (theirs in (None, "") and yours in (None, "")):
                    continue
            rows.append((str(field.label or model_field.verbose_name).capitalize(), _shown(theirs), _shown(yours)))
        return rows


class LockParentForm(forms.ModelForm):
    """Locks the meeting a row belongs to while it is validated, so that two identical rows sent at
    once are checked one after the other and the second gets the duplicate's form error."""

    parent_field = "meeting"

    def clean(self):
        cleaned = super().clean()
        parent = cleaned.get(self.parent_field)
        if parent is not None:
            type(parent).objects.select_for_update().filter(pk=parent.pk).exists()
        return cleaned
