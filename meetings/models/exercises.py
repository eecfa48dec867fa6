"""Table-top exercises, workshops, webinars and trainings, with or without a meeting."""

from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.addresses import address

from .base import COUNT_LIMIT, DatedEvent, PublicationStatus, PublishableQuerySet
from .meetings import Meeting
from .registry import Body, MemberState, Organisation, Theme


class Sector(models.Model):
    """A line of work participants come from: immigration, police, government, ..."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class FocusArea(models.Model):
    """A stage of the response an exercise works on: detection, investigation, prosecution, ..."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ExerciseQuerySet(PublishableQuerySet):
    def published(self):
        """Published, and not attached to a meeting that is still a draft."""
        return self.filter(status=PublicationStatus.PUBLISHED).filter(
            Q(meeting__isnull=True) | Q(meeting__status=PublicationStatus.PUBLISHED)
        )


class Exercise(DatedEvent):
    Status = PublicationStatus

    class Kind(models.TextChoices):
        TABLE_TOP = "table_top_exercise", "Table-top exercise"
        WORKSHOP = "workshop", "Workshop"
        WEBINAR = "webinar", "Webinar"
        TRAINING = "training", "Training"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=160, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TABLE_TOP)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exercises",
        help_text="The meeting it was held alongside, if any.",
    )
    bodies = models.ManyToManyField(Body, related_name="exercises", blank=True, help_text="The bodies that held it.")
    participant_count = models.PositiveIntegerField(null=True, blank=True, validators=[MaxValueValidator(COUNT_LIMIT)])
    member_state_count = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(COUNT_LIMIT)],
        help_text="As declared; the states themselves may not be known.",
    )
    states = models.ManyToManyField(MemberState, related_name="exercises", blank=True, help_text="When known.")
    sectors = models.ManyToManyField(Sector, related_name="exercises", blank=True)
    focus_areas = models.ManyToManyField(FocusArea, related_name="exercises", blank=True)
    themes = models.ManyToManyField(Theme, related_name="exercises", blank=True)
    facilitator_organisations = models.ManyToManyField(Organisation, related_name="exercises_facilitated", blank=True)
    facilitator_states = models.ManyToManyField(MemberState, related_name="exercises_facilitated", blank=True)
    expert_organisations = models.ManyToManyField(Organisation, related_name="exercises_advised", blank=True)
    scenario = models.TextField(blank=True)
    description = models.TextField(blank=True)
    search_vector = SearchVectorField(null=True, editable=False)  # see baliwg/search/index.py
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExerciseQuerySet.as_manager()

    history = HistoricalRecords(
        m2m_fields=[
            bodies,
            states,
            sectors,
            focus_areas,
            themes,
            facilitator_organisations,
            facilitator_states,
            expert_organisations,
        ],
        excluded_fields=["search_vector"],
    )

    class Meta(DatedEvent.Meta):
        ordering = ["-start_date"]
        indexes = [
            models.Index(fields=["-start_date", "-id"], name="exercise_start"),
            models.Index(fields=["status", "-start_date"], name="exercise_status_start"),
            models.Index(fields=["kind"], name="exercise_kind"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.url_for(self.slug)

    @staticmethod
    def url_for(slug) -> str:
        """The address of the record with this slug, without the record (search's results)."""
        return address("meetings:exercise", "slug", slug)
