"""Forms of the public work-plan board."""

from django import forms

from meetings.forms import FilterForm
from meetings.models import Body, MemberState, Organisation, Theme

from .models import ItemStatus, WorkPlanItem


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
        # Only parties that lead something are offered, so the list stays short.
        states = MemberState.objects.filter(workplan_items_led__isnull=False).distinct().order_by("name")
        organisations = Organisation.objects.filter(workplan_items_led__isnull=False).distinct().order_by("name")
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
