"""Forms of the public pages: the filters of the meetings list."""

from django import forms

from .models import Body, Meeting


class FilterForm(forms.Form):
    """A GET form of optional filters; a bad value is reported and that filter ignored."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for bound_field in self.fields.values():
            bound_field.widget.attrs.setdefault("class", "form-select form-select-sm")

    def active_filters(self) -> dict:
        """The filters that hold a valid, non-empty value."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class MeetingFilterForm(FilterForm):
    body = forms.ModelChoiceField(
        queryset=Body.objects.order_by("name"), to_field_name="slug", required=False, empty_label="All bodies"
    )
    kind = forms.ChoiceField(choices=[("", "All kinds"), *Meeting.Kind.choices], required=False)
    year = forms.TypedChoiceField(coerce=int, required=False, choices=[])

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "All years"), *((year, year) for year in years)]
