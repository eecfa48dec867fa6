"""The read-only JSON API of the registry, meetings and exercises (published records only).

Field names follow the Popolo data specification where one fits: organisations and areas have
`id`, `name`, `classification`, `other_names`, `identifiers`, `parent_id`; meetings and exercises
are events with `start_date`, `end_date`, `location` and `organization_id`.
"""

import django_filters
from django import forms
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from . import queries
from .models import Attendance, Body, Exercise, Meeting, MeetingCoChair, MemberState, Organisation


class RegistrySerializer(serializers.ModelSerializer):
    """A registry entry's Popolo `other_names`: its aliases."""

    other_names = serializers.SerializerMethodField()

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_other_names(self, entry):
        return [{"name": alias.name} for alias in entry.aliases.all()]


class StateSerializer(RegistrySerializer):
    id = serializers.CharField(source="iso_code")
    classification = serializers.CharField(source="kind")
    identifiers = serializers.SerializerMethodField()
    parent_id = serializers.CharField(source="parent_state.iso_code", default=None, allow_null=True)

    class Meta:
        model = MemberState
        fields = [
            "id",
            "name",
            "short_name",
            "classification",
            "membership",
            "member_since",
            "parent_id",
            "identifiers",
            "other_names",
        ]

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_identifiers(self, state):
        return [{"scheme": "ISO 3166-1 alpha-2", "identifier": state.iso_code}]


class OrganisationSerializer(RegistrySerializer):
    id = serializers.CharField(source="slug")
    classification = serializers.CharField(source="kind")
    area_id = serializers.CharField(source="state.iso_code", default=None, allow_null=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "acronym", "classification", "membership", "member_since", "area_id", "other_names"]


class BodySerializer(RegistrySerializer):
    id = serializers.CharField(source="slug")
    classification = serializers.CharField(source="kind")
    parent_id = serializers.CharField(source="parent.slug", default=None, allow_null=True)

    class Meta:
        model = Body
        fields = ["id", "name", "short_name", "acronym", "classification", "parent_id", "description", "other_names"]


class CoChairSerializer(serializers.ModelSerializer):
    area_id = serializers.CharField(source="state.iso_code")
    name = serializers.CharField(source="state.name")
    agency_id = serializers.CharField(source="agency.slug", default=None, allow_null=True)

    class Meta:
        model = MeetingCoChair
        fields = ["area_id", "name", "agency_id"]


class AttendanceSerializer(serializers.ModelSerializer):
    """A party's membership of the meeting: who (a state or an organisation), in what role, how."""

    participant_type = serializers.SerializerMethodField()
    participant_id = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()

    class Meta:
        model = Attendance
        fields = ["participant_type", "participant_id", "name", "role", "mode"]

    def get_participant_type(self, attendance) -> str:
        return "area" if attendance.state_id else "organization"

    def get_participant_id(self, attendance) -> str:
        return attendance.state.iso_code if attendance.state_id else attendance.organisation.slug

    def get_name(self, attendance) -> str:
        return attendance.party.name


class EventFields(serializers.Serializer):
    dates = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    @extend_schema_field({"type": "array", "items": {"type": "string", "format": "date"}})
    def get_dates(self, event):
        return [day.isoformat() for day in event.days]

    def get_url(self, event) -> str:
        return self.context["request"].build_absolute_uri(event.get_absolute_url())


class MeetingSerializer(EventFields, serializers.ModelSerializer):
    id = serializers.CharField(source="slug")
    name = serializers.CharField(source="display_title")
    classification = serializers.CharField(source="kind")
    organization_id = serializers.CharField(source="body.slug")
    location = serializers.SerializerMethodField()
    declared_counts = serializers.SerializerMethodField()
    co_chairs = CoChairSerializer(source="cochairs", many=True)
    attendance = AttendanceSerializer(source="attendances", many=True)
    joint_with = serializers.CharField(source="public_joint_with.slug", default=None, allow_null=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "name",
            "classification",
            "number",
            "organization_id",
            "start_date",
            "end_date",
            "dates",
            "format",
            "location",
            "co_chairs",
            "attendance",
            "declared_counts",
            "joint_with",
            "outcome_statement",
            "published_at",
            "url",
        ]

    @extend_schema_field({"type": "object"})
    def get_location(self, meeting):
        return {"city": meeting.venue_city or None, "country": meeting.venue_country or None}

    @extend_schema_field({"type": "object"})
    def get_declared_counts(self, meeting):
        return {
            "participants": meeting.declared_participant_count,
            "states": meeting.declared_state_count,
            "organisations": meeting.declared_organisation_count,
        }


class MeetingSummarySerializer(MeetingSerializer):
    """A meeting in the list: everything but the attendance rows, which its own address gives.

    A meeting can have thousands of participants; fifty of them in one list page made a response
    of a megabyte. The list says how many took part instead.
    """

    attendance_count = serializers.IntegerField(read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [name if name != "attendance" else "attendance_count" for name in MeetingSerializer.Meta.fields]


class ExerciseSerializer(EventFields, serializers.ModelSerializer):
    id = serializers.CharField(source="slug")
    name = serializers.CharField(source="title")
    classification = serializers.CharField(source="kind")
    parent_id = serializers.CharField(source="meeting.slug", default=None, allow_null=True)
    organization_ids = serializers.SlugRelatedField(source="bodies", slug_field="slug", many=True, read_only=True)
    area_ids = serializers.SlugRelatedField(source="states", slug_field="iso_code", many=True, read_only=True)
    sectors = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    focus_areas = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    themes = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    facilitators = serializers.SerializerMethodField()
    experts = serializers.SlugRelatedField(source="expert_organisations", slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Exercise
        fields = [
            "id",
            "name",
            "classification",
            "parent_id",
            "organization_ids",
            "start_date",
            "end_date",
            "dates",
            "participant_count",
            "member_state_count",
            "area_ids",
            "sectors",
            "focus_areas",
            "themes",
            "facilitators",
            "experts",
            "scenario",
            "description",
            "url",
        ]

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_facilitators(self, exercise):
        return [o.slug for o in exercise.facilitator_organisations.all()] + [
            s.iso_code for s in exercise.facilitator_states.all()
        ]


class StateFilter(django_filters.FilterSet):
    class Meta:
        model = MemberState
        fields = ["membership", "kind"]


class OrganisationFilter(django_filters.FilterSet):
    class Meta:
        model = Organisation
        fields = ["membership", "kind"]


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.NumberFilter):
    """A calendar year, a whole number: documented as an integer, not any number."""

    field_class = forms.IntegerField


def year_filter():
    # A year a date can have: -1, 0 or 10000 is a 400 naming the bounds, not a 500 from the database.
    return YearFilter(field_name="start_date", lookup_expr="year", min_value=1, max_value=9999)


class MeetingFilter(django_filters.FilterSet):
    body = django_filters.CharFilter(field_name="body__slug")
    year = year_filter()
    since = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    until = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")

    class Meta:
        model = Meeting
        fields = ["body", "kind", "format", "year", "since", "until"]


class ExerciseFilter(django_filters.FilterSet):
    body = django_filters.CharFilter(field_name="bodies__slug", distinct=True)
    theme = django_filters.CharFilter(field_name="themes__slug", distinct=True)
    year = year_filter()

    class Meta:
        model = Exercise
        fields = ["body", "kind", "theme", "year"]


class StateViewSet(viewsets.ReadOnlyModelViewSet):
    """Member states, observer states and territories of the forum."""

    queryset = MemberState.objects.select_related("parent_state").prefetch_related("aliases").order_by("name")
    serializer_class = StateSerializer
    filterset_class = StateFilter
    lookup_field = "iso_code"


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """International organisations, the secretariat and national agencies."""

    queryset = Organisation.objects.select_related("state").prefetch_related("aliases").order_by("name")
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    lookup_field = "slug"


class BodyViewSet(viewsets.ReadOnlyModelViewSet):
    """The forum's bodies: working groups, taskforces, the Ad Hoc Group."""

    queryset = Body.objects.select_related("parent").prefetch_related("aliases").order_by("name")
    serializer_class = BodySerializer
    filterset_fields = ["kind"]
    lookup_field = "slug"


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    """Published meetings with their co-chairs, newest first; each meeting's own address adds its attendance."""

    filterset_class = MeetingFilter
    lookup_field = "slug"

    def get_queryset(self):
        meetings = (
            Meeting.objects.published()
            .select_related("body", "joint_with")
            .prefetch_related(Prefetch("cochairs", queryset=MeetingCoChair.objects.select_related("state", "agency")))
            .order_by("-start_date", "-pk")
        )
        if self.action == "list":
            return meetings.annotate(attendance_count=queries.attendance_count())
        return meetings.prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.select_related("state", "organisation"))
        )

    def get_serializer_class(self):
        return MeetingSummarySerializer if self.action == "list" else MeetingSerializer


class ExerciseViewSet(viewsets.ReadOnlyModelViewSet):
    """Published exercises, workshops and webinars."""

    queryset = queries.with_exercise_facts(Exercise.objects.published()).order_by("-start_date", "-pk")
    serializer_class = ExerciseSerializer
    filterset_class = ExerciseFilter
    lookup_field = "slug"
