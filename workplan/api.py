"""The read-only JSON API of the forward work plan: published items with their progress updates."""

import django_filters
from django.db.models import Prefetch, Q
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from meetings.models import Meeting

from .models import ItemStatus, ProgressUpdate, WorkPlanItem


class UpdateSerializer(serializers.ModelSerializer):
    attribution = serializers.CharField(read_only=True)

    class Meta:
        model = ProgressUpdate
        fields = ["date", "kind", "text", "status_before", "status_after", "percent_complete", "reason", "attribution"]


class ItemSerializer(serializers.ModelSerializer):
    classification = serializers.CharField(source="kind")
    organization_id = serializers.CharField(source="body.slug")
    raised_at = serializers.CharField(source="raised_at.slug", default=None, allow_null=True)
    reported_at = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    parent_id = serializers.SerializerMethodField()
    leads = serializers.SerializerMethodField()
    themes = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    updates = UpdateSerializer(many=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = WorkPlanItem
        fields = [
            "id",
            "title",
            "classification",
            "status",
            "organization_id",
            "plan_period",
            "order_label",
            "topic",
            "description",
            "target_period",
            "target_date",
            "raised_at",
            "reported_at",
            "leads",
            "themes",
            "parent_id",
            "updates",
            "url",
        ]

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_leads(self, item):
        return [{"type": "area", "id": s.iso_code, "name": s.name} for s in item.lead_states.all()] + [
            {"type": "organization", "id": o.slug, "name": o.name} for o in item.lead_organisations.all()
        ]

    def get_parent_id(self, item) -> int | None:
        parent = item.public_parent
        return parent.pk if parent else None

    def get_url(self, item) -> str:
        return self.context["request"].build_absolute_uri(item.get_absolute_url())


class ItemFilter(django_filters.FilterSet):
    body = django_filters.CharFilter(field_name="body__slug")
    status = django_filters.ChoiceFilter(choices=ItemStatus.choices)
    theme = django_filters.CharFilter(field_name="themes__slug", distinct=True)
    lead = django_filters.CharFilter(method="filter_lead", help_text="ISO code of a state or slug of an organisation.")

    class Meta:
        model = WorkPlanItem
        fields = ["body", "status", "kind", "theme", "lead"]

    def filter_lead(self, queryset, name, value):
        return queryset.filter(Q(lead_states__iso_code=value.upper()) | Q(lead_organisations__slug=value)).distinct()


class ItemViewSet(viewsets.ReadOnlyModelViewSet):
    """Published work-plan items with their progress updates (oldest first)."""

    queryset = (
        WorkPlanItem.objects.published()
        .select_related("body", "raised_at", "parent__raised_at")
        .prefetch_related(
            Prefetch("reported_at", queryset=Meeting.objects.published()),
            "lead_states",
            "lead_organisations",
            "themes",
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.select_related("author__representative__state").order_by("date", "pk"),
            ),
        )
        .order_by("body__name", "pk")
    )
    serializer_class = ItemSerializer
    filterset_class = ItemFilter
