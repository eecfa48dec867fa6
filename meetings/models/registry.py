"""The forum's registry: member states, organisations, bodies, their aliases, themes, co-chairs.

Statements name the same party in several ways ("Vietnam", "Viet Nam", "Việt Nam"); every
spelling other than the official name is an Alias row, so one lookup table serves the admin
search, the statement import and the public pages alike.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from core.addresses import address

iso_alpha2 = RegexValidator(r"^[A-Z]{2}$", "Use the two capital letters of ISO 3166-1 alpha-2.")


class Membership(models.TextChoices):
    MEMBER = "member", "Member"
    OBSERVER = "observer", "Observer"
    NONE = "none", "Not a member"


class RegistryQuerySet(models.QuerySet):
    def members(self):
        return self.filter(membership=Membership.MEMBER)

    def observers(self):
        return self.filter(membership=Membership.OBSERVER)


class MemberState(models.Model):
    """A state or territory of the forum, or one it deals with (a parent state, a host)."""

    class Kind(models.TextChoices):
        STATE = "state", "State"
        TERRITORY = "territory", "Territory"

    name = models.CharField(max_length=120, unique=True, help_text="Official name in the forum's usage.")
    short_name = models.CharField(max_length=60, blank=True, help_text="Name for tables and charts.")
    slug = models.SlugField(max_length=120, unique=True)
    iso_code = models.CharField("ISO 3166 code", max_length=2, unique=True, validators=[iso_alpha2])
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STATE)
    parent_state = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="territories",
        help_text="For a territory: the state it belongs to.",
    )
    membership = models.CharField(max_length=10, choices=Membership.choices, default=Membership.MEMBER)
    member_since = models.DateField(null=True, blank=True)
    contact_email = models.EmailField(
        blank=True, help_text="The focal point's mailbox for work-plan reminders (an office, not a person)."
    )
    retired = models.BooleanField(
        default=False, help_text="Kept for the records that name it, but no longer offered for new ones."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegistryQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "member state"
        indexes = [
            models.Index(fields=["membership"], name="memberstate_membership"),
            models.Index(fields=["kind"], name="memberstate_kind"),
            models.Index(fields=["retired"], name="memberstate_retired"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="state", parent_state__isnull=True) | Q(kind="territory"),
                name="memberstate_only_territory_has_parent",
                violation_error_message="Only a territory belongs to a parent state.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return address("meetings:state", "slug", self.slug)

    @property
    def display_name(self):
        return self.short_name or self.name

    def clean(self):
        if self.parent_state_id and self.parent_state_id == self.pk:
            raise ValidationError({"parent_state": "A territory cannot belong to itself."})


class Organisation(models.Model):
    """An international organisation, the secretariat, a national agency or another participant."""

    class Kind(models.TextChoices):
        INTERNATIONAL = "international", "International organisation"
        SECRETARIAT = "secretariat", "Secretariat"
        NATIONAL_AGENCY = "national_agency", "National agency"
        PRIVATE_SECTOR = "private_sector", "Private sector"
        CIVIL_SOCIETY = "civil_society", "Civil society"

    name = models.CharField(max_length=200, unique=True)
    acronym = models.CharField(max_length=30, blank=True)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    membership = models.CharField(max_length=10, choices=Membership.choices, default=Membership.NONE)
    member_since = models.DateField(null=True, blank=True)
    state = models.ForeignKey(
        MemberState,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
        help_text="For a national agency: the state it belongs to.",
    )
    contact_email = models.EmailField(
        blank=True, help_text="The focal point's mailbox for work-plan reminders (an office, not a person)."
    )
    retired = models.BooleanField(
        default=False, help_text="Kept for the records that name it, but no longer offered for new ones."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegistryQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["kind"], name="organisation_kind"),
            models.Index(fields=["membership"], name="organisation_membership"),
            models.Index(fields=["retired"], name="organisation_retired"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="national_agency") | Q(state__isnull=False),
                name="organisation_agency_has_state",
                violation_error_message="A national agency belongs to a state.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return address("meetings:organisation", "slug", self.slug)

    @property
    def display_name(self):
        return self.acronym or self.name


class Body(models.Model):
    """A working group, taskforce or other body of the forum."""

    class Kind(models.TextChoices):
        FORUM = "forum", "Forum"
        AD_HOC_GROUP = "ad_hoc_group", "Ad hoc group"
        WORKING_GROUP = "working_group", "Working group"
        TASKFORCE = "taskforce", "Taskforce"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        max_length=100, blank=True, help_text='Everyday name, e.g. "Working Group on Disruptions".'
    )
    acronym = models.CharField(max_length=30, blank=True)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.WORKING_GROUP)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    description = models.TextField(blank=True)
    retired = models.BooleanField(
        default=False, help_text="Kept for the records that name it, but no longer offered for new ones."
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "bodies"
        indexes = [
            models.Index(fields=["kind"], name="body_kind"),
            models.Index(fields=["retired"], name="body_retired"),
        ]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return address("meetings:body", "slug", self.slug)

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": "A body cannot sit under itself."})
            ancestor = ancestor.parent


class Alias(models.Model):
    """Another name or acronym of exactly one state, organisation or body."""

    name = models.CharField(max_length=200)
    state = models.ForeignKey(MemberState, null=True, blank=True, on_delete=models.CASCADE, related_name="aliases")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="aliases"
    )
    body = models.ForeignKey(Body, null=True, blank=True, on_delete=models.CASCADE, related_name="aliases")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "aliases"
        indexes = [models.Index(fields=["name"], name="alias_name")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(state__isnull=False, organisation__isnull=True, body__isnull=True)
                    | Q(state__isnull=True, organisation__isnull=False, body__isnull=True)
                    | Q(state__isnull=True, organisation__isnull=True, body__isnull=False)
                ),
                name="alias_names_exactly_one_party",
                violation_error_message="An alias names exactly one state, organisation or body.",
            ),
            # One spelling means one thing, whatever its case.
            models.UniqueConstraint(
                Lower("name"),
                name="alias_name_unique_ignoring_case",
                violation_error_message="This alias is already in use.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def target(self):
        return self.state or self.organisation or self.body


class Theme(models.Model):
    """A subject the forum works on: technology use by criminal groups, women and children, ..."""

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=150, unique=True)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return address("meetings:theme", "slug", self.slug)


class CoChairTermQuerySet(models.QuerySet):
    def current(self, on=None):
        """Terms running on a day (today by default); an open end means still running."""
        from django.utils import timezone

        day = on or timezone.localdate()
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=day)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class CoChairTerm(models.Model):
    """Which member state co-chairs which body, from when to when, optionally through an agency."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="cochair_terms")
    state = models.ForeignKey(
        MemberState,
        on_delete=models.PROTECT,
        related_name="cochair_terms",
        limit_choices_to={"membership": Membership.MEMBER},
    )
    agency = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cochair_terms",
        limit_choices_to={"kind": Organisation.Kind.NATIONAL_AGENCY},
    )
    start_date = models.DateField(null=True, blank=True, help_text="Leave blank if not recorded.")
    end_date = models.DateField(null=True, blank=True, help_text="Leave blank while the term runs.")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Where the body's statements name this co-chair: 0 first, 1 second."
    )

    objects = CoChairTermQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "-start_date"]
        verbose_name = "co-chair term"
        indexes = [models.Index(fields=["-start_date"], name="cochairterm_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="cochairterm_end_not_before_start",
                violation_error_message="The term cannot end before it starts.",
            ),
            models.UniqueConstraint(
                fields=["body", "state", "start_date"],
                name="cochairterm_unique_start",
                violation_error_message="This state already has a term for this body starting that day.",
            ),
        ]

    def __str__(self):
        return f"{self.state} co-chairing {self.body}"

    def clean(self):
        errors = {}
        if self.state_id and self.state.membership != Membership.MEMBER:
            errors["state"] = "Only a member state can co-chair a body."
        if self.agency_id and self.state_id and self.agency.state_id != self.state_id:
            errors["agency"] = "The agency must belong to the co-chairing state."
        if errors:
            raise ValidationError(errors)
