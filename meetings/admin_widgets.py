"""Admin widgets and form fields that hold up to bad input.

Django's autocomplete widget looks up the submitted values to redisplay them; a value that is
not a valid key ("abc" for a numeric id, or a number too large for the database) makes that
lookup fail with a server error instead of the form's own message. These widgets redisplay only
values that are valid keys.
"""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple, RelatedFieldWidgetWrapper
from django.core.exceptions import ValidationError
from django.db import models

LARGEST_KEY = 2**63 - 1


class ValidKeysOnly:
    def optgroups(self, name, value, attr=None):
        key_field = self.field.remote_field.model._meta.pk

        def valid(candidate) -> bool:
            try:
                key = key_field.to_python(candidate)
            except (ValidationError, TypeError, ValueError):
                return False
            return not isinstance(key, int) or 0 <= key <= LARGEST_KEY

        return super().optgroups(name, [v for v in value if valid(v)], attr)


class SafeAutocompleteSelect(ValidKeysOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(ValidKeysOnly, AutocompleteSelectMultiple):
    pass


SAFE = {AutocompleteSelect: SafeAutocompleteSelect, AutocompleteSelectMultiple: SafeAutocompleteSelectMultiple}


class SafeAutocompleteMixin:
    """For model admins and inlines: their autocomplete widgets redisplay valid keys only."""

    def _safe(self, formfield):
        if formfield is not None:
            widget = (
                formfield.widget.widget if isinstance(formfield.widget, RelatedFieldWidgetWrapper) else formfield.widget
            )
            if type(widget) in SAFE:
                widget.__class__ = SAFE[type(widget)]
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return self._safe(super().formfield_for_foreignkey(db_field, request, **kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = self._safe(super().formfield_for_manytomany(db_field, request, **kwargs))
        if type(formfield) is forms.ModelMultipleChoiceField:
            formfield.__class__ = SafeModelMultipleChoiceField
        return formfield


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses keys outside what the database can hold before looking them up: Django checks
    a single key's range, but a list of keys reaches the database and fails there."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        field = self.queryset.model._meta.get_field(key) if key != "pk" else self.queryset.model._meta.pk
        if isinstance(field, models.IntegerField | models.AutoField):
            for candidate in value:
                text = str(candidate).strip()
                if text.lstrip("-").isdigit() and not -LARGEST_KEY <= int(text) <= LARGEST_KEY:
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": text}
                    )
        return super()._check_values(value)


class DayListField(forms.Field):
    """The days an event was held on, typed as dates separated by commas ("2021-09-21, 2021-09-23"),
    not as the JSON list the database keeps (the admin showed a raw `[]` box). The model's clean()
    checks each day."""

    widget = forms.TextInput(attrs={"placeholder": "2021-09-21, 2021-09-23", "size": 40})

    def __init__(self, *args, encoder=None, decoder=None, **kwargs):  # as a JSONField's form field
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(day) for day in value)
        if isinstance(value, str) and value.strip().startswith("["):
            return value.strip("[]").replace('"', "")
        return value or ""

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return [str(day) for day in value]
        text = (value or "").strip().strip("[]")
        return [part.strip().strip('"') for part in text.replace(";", ",").split(",") if part.strip().strip('"')]


class LabelledRowsFormSet(forms.BaseInlineFormSet):
    """A tabular inline's rows name their fields: the column headings are no <label>, so each
    field (and the row's Delete box) gets an aria-label, "Mode, row 2", for screen readers."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = "new row" if index is None else f"row {index + 1}"
        for name, field in form.fields.items():
            widget = field.widget.widget if isinstance(field.widget, RelatedFieldWidgetWrapper) else field.widget
            label = "Delete" if name == "DELETE" else (field.label or name.replace("_", " ").capitalize())
            if not widget.is_hidden:
                widget.attrs["aria-label"] = f"{label}, {row}"


class LabelledRowsMixin:
    """For tabular inlines: see LabelledRowsFormSet."""

    formset = LabelledRowsFormSet
