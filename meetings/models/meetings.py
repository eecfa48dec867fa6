"""Meetings of the forum's bodies, who co-chaired them and who attended."""

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from core.addresses import address
from core.text import ordinal_word

from .base import COUNT_LIMIT, DatedEvent, PublicationStatus, PublishableQuerySet, VersionedSave
from .registry import Body, Membership, MemberState, Organisation


class MeetingQuerySet(PublishableQuerySet):
    def published(self):
        return self.filter(status=PublicationStatus.PUBLISHED)


class Meeting(VersionedSave, DatedEvent):
    """One meeting of a body, with its outcome statement."""

    Status = PublicationStatus

    class Kind(models.TextChoices):
        ANNUAL = "annual_meeting", "Annual Meeting"
        SENIOR_OFFICIALS = "senior_officials_meeting", "Senior Officials' Meeting"
        MINISTERIAL = "ministerial_conference", "Ministerial Conference"
        AD_HOC = "ad_hoc_meeting", "Ad Hoc Meeting"
        TECHNICAL = "technical_meeting", "Technical Meeting"
        OTHER = "other", "Meeting"

    class Format(models.TextChoices):
        IN_PERSON = "in_person", "in person"
        VIRTUAL = "virtual", "virtual"
        HYBRID = "hybrid", "hybrid"

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.ANNUAL)
    number = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(999)],
        help_text='The ordinal: 7 for the "seventh" annual meeting.',
    )
    title = models.CharField(
        max_length=300, blank=True, help_text="Leave blank to use the usual title from number, kind and body."
    )
    slug = models.SlugField(max_length=160, unique=True, blank=True, help_text="Leave blank to generate.")
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.IN_PERSON)
    venue_city = models.CharField(max_length=100, blank=True)
    venue_country = models.CharField(max_length=100, blank=True)
    outcome_statement = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    declared_participant_count = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(COUNT_LIMIT)],
        help_text="When the statement gives only a number of participants.",
    )
    declared_state_count = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(COUNT_LIMIT)],
        help_text='E.g. "attended by 14 Working Group members".',
    )
    declared_organisation_count = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(COUNT_LIMIT)]
    )
    joint_with = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="joint_meetings",
        help_text="The meeting of another body this one was held jointly with.",
    )
    # Raised by one on every save of the row, so a form opened on an older version can tell.
    version = models.PositiveIntegerField(default=1, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)  # see baliwg/search/index.py
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta(DatedEvent.Meta):
        ordering = ["-start_date"]
        indexes = [
            models.Index(fields=["status", "-start_date"], name="meeting_status_start"),
            models.Index(fields=["-start_date", "-id"], name="meeting_start"),
            models.Index(fields=["kind"], name="meeting_kind"),
            models.Index(fields=["format"], name="meeting_format"),
        ]
        constraints = [
            *DatedEvent.Meta.constraints,
            models.UniqueConstraint(
                fields=["body", "kind", "number"],
                name="meeting_unique_body_kind_number",
                violation_error_message="This body already has a meeting of this kind with this number.",
            ),
        ]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        """'Seventh Annual Meeting of the Working Group on ...', unless a title was given."""
        if self.title:
            return self.title
        return self.usual_title(self.kind, self.number, self.body.name if self.body_id else "")

    @classmethod
    def usual_title(cls, kind: str, number: int | None, body_name: str) -> str:
        """The title from number, kind and body, also for a row read without its model (search's)."""
        kind = _KIND_LABELS.get(kind, kind)
        ordinal = f"{ordinal_word(number).capitalize()} " if number else ""
        article = "the " if body_name and not body_name.lower().startswith("the ") else ""
        return f"{ordinal}{kind} of {article}{body_name}".strip()

    def get_absolute_url(self):
        return self.url_for(self.slug)

    @staticmethod
    def url_for(slug) -> str:
        """The address of the record with this slug, without the record (search's results)."""
        return address("meetings:detail", "slug", slug)

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED

    @property
    def public_joint_with(self):
        """The meeting this one was held jointly with, if the public may see it: a draft is named
        through no relation (the one visibility rule for every door)."""
        joint = self.joint_with
        return joint if joint is not None and joint.is_published else None

    def default_slug(self) -> str:
        parts = [self.body.acronym or self.body.slug]
        if self.number:
            parts.append(ordinal_word(self.number))
        parts.append(self.get_kind_display())
        parts.append(str(self.start_date.year))
        return slugify(" ".join(parts))[:160]

    def clean(self):
        super().clean()
        if not self.slug and self.body_id and self.start_date:
            self.slug = self.default_slug()
        if self.joint_with_id and self.joint_with_id == self.pk:
            raise ValidationError({"joint_with": "A meeting cannot be joint with itself."})
        if self.joint_with_id and self.body_id and self.joint_with.body_id == self.body_id:
            raise ValidationError({"joint_with": "A joint meeting is held with another body's meeting."})


# A kind's label by its value, for titles: building the dict on each call was a fifth of an admin
# page of 50 attendance rows (each names its meeting twice).
_KIND_LABELS = dict(Meeting.Kind.choices)


class MeetingCoChair(models.Model):
    """A state that co-chaired a meeting, optionally through the agency that sat for it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="cochairs")
    state = models.ForeignKey(
        MemberState,
        on_delete=models.PROTECT,
        related_name="meetings_cochaired",
        limit_choices_to={"membership": Membership.MEMBER},
    )
    agency = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings_cochaired",
        limit_choices_to={"kind": Organisation.Kind.NATIONAL_AGENCY},
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Where the statement names this co-chair: 0 first, 1 second. Pages keep this order."
    )

    history = HistoricalRecords()

    class Meta:
        # The order the statement gives ("Viet Nam and New Zealand co-chaired ..."), on every page.
        ordering = ["meeting", "position", "state__name"]
        verbose_name = "meeting co-chair"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "state"],
                name="meetingcochair_once_per_meeting",
                violation_error_message="This state is already a co-chair of this meeting.",
            ),
        ]

    def __str__(self):
        return f"{self.state} (co-chair)"

    def clean(self):
        if self.state_id and self.state.membership != Membership.MEMBER:
            raise ValidationError({"state": "Only a member state can co-chair a meeting."})
        if self.agency_id and self.state_id and self.agency.state_id != self.state_id:
            raise ValidationError({"agency": "The agency must belong to the co-chairing state."})


class Attendance(models.Model):
    """One party at one meeting: exactly one of a state or an organisation."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        VIRTUAL = "virtual", "Virtually"

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        OBSERVER = "observer", "Observer"
        GUEST = "guest", "Guest"
        SECRETARIAT = "secretariat", "Secretariat"
        EXPERT = "expert", "Expert"
        HOST = "host", "Host"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    state = models.ForeignKey(MemberState, null=True, blank=True, on_delete=models.PROTECT, related_name="attendances")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="attendances"
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, blank=True, help_text="Blank if not recorded.")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "state__name", "organisation__name"]
        verbose_name_plural = "attendance"
        # For the admin's filters at a million rows: a filtered list, newest first, is read in
        # its order from one index (and counted from it alone), not sorted after the filter.
        indexes = [
            models.Index(fields=["role", "-id"], name="attendance_role_id"),
            models.Index(fields=["mode", "-id"], name="attendance_mode_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__isnull=False, organisation__isnull=True)
                | Q(state__isnull=True, organisation__isnull=False),
                name="attendance_names_exactly_one_party",
                violation_error_message="Name exactly one of a state or an organisation.",
            ),
            models.UniqueConstraint(
                fields=["meeting", "state"],
                condition=Q(state__isnull=False),
                name="attendance_state_once_per_meeting",
                violation_error_message="This state is already listed for this meeting.",
            ),
            models.UniqueConstraint(
                fields=["meeting", "organisation"],
                condition=Q(organisation__isnull=False),
                name="attendance_organisation_once_per_meeting",
                violation_error_message="This organisation is already listed for this meeting.",
            ),
        ]

    def __str__(self):
        return f"{self.party} at {self.meeting}"

    @property
    def party(self):
        return self.state or self.organisation
