"""The forward work plans of the forum's bodies: items and their dated progress updates."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.addresses import address
from core.text import split_list_label
from meetings.models import Body, Meeting, MemberState, Organisation, Theme
from meetings.models.base import PublicationStatus, PublishableQuerySet, VersionedSave


class ItemStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    AGREED = "agreed", "Agreed"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    DROPPED = "dropped", "Dropped"


OPEN_STATUSES = (ItemStatus.SUGGESTED, ItemStatus.AGREED, ItemStatus.IN_PROGRESS)


class WorkPlanItemQuerySet(PublishableQuerySet):
    def published(self):
        """Items the public may see: not raised at a meeting that is still a draft."""
        return self.filter(Q(raised_at__isnull=True) | Q(raised_at__status=PublicationStatus.PUBLISHED))

    def with_latest_percent(self):
        """Each item's completion as the latest update that gave one says (`latest_percent`): the
        roll-up of a period of action and the downloads read it the same way."""
        latest = (
            ProgressUpdate.objects.filter(item=models.OuterRef("pk"), percent_complete__isnull=False)
            .order_by("-date", "-pk")
            .values("percent_complete")[:1]
        )
        return self.annotate(latest_percent=models.Subquery(latest))

    def with_leads(self):
        """What a list of items shows beside each title: its body and its leads."""
        return self.select_related("body").prefetch_related("lead_states", "lead_organisations")

    def for_body(self, body):
        return self.filter(body=body)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class WorkPlanItem(VersionedSave, models.Model):
    """One item of a body's forward work plan: an activity, product or period of action."""

    Status = ItemStatus

    class Kind(models.TextChoices):
        PERIOD_OF_ACTION = "period_of_action", "Period of action"
        INVESTIGATION_PLAN = "investigation_plan", "Investigation plan"
        TRAINING = "training", "Training"
        WORKSHOP = "workshop", "Workshop"
        EXERCISE = "exercise", "Exercise"
        RESEARCH = "research", "Research"
        PRODUCT = "product", "Product (guide, toolkit, report)"
        MEETING = "meeting", "Meeting or dialogue"
        OTHER = "other", "Other activity"

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="workplan_items")
    plan_period = models.CharField(max_length=20, blank=True, help_text='The plan it belongs to, by period: "2021-23".')
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUGGESTED)
    topic = models.CharField(max_length=300, blank=True, help_text="The proposed or agreed topic, if any.")
    description = models.TextField(blank=True)
    raised_at = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items_raised",
        help_text="The meeting that raised it.",
    )
    reported_at = models.ManyToManyField(
        Meeting, blank=True, related_name="items_reported", help_text="Meetings where progress was reported."
    )
    lead_states = models.ManyToManyField(MemberState, blank=True, related_name="workplan_items_led")
    lead_organisations = models.ManyToManyField(Organisation, blank=True, related_name="workplan_items_led")
    themes = models.ManyToManyField(Theme, blank=True, related_name="workplan_items")
    target_period = models.CharField(max_length=40, blank=True, help_text='As the plan says it: "2023", "by mid-2024".')
    target_date = models.DateField(null=True, blank=True, help_text="The date it is due, for reminders.")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="E.g. the period of action an investigation plan belongs to.",
    )
    order_label = models.CharField(max_length=10, blank=True, help_text='Its letter or number in the plan: "a".')
    # A person, by name and address rather than an account: owners are often officers of a lead
    # organisation or ministry who never log in, yet must get the update and reminder e-mails.
    # Not public: no public page, export, feed or API shows them.
    owner_name = models.CharField(max_length=200, blank=True, help_text="The person who answers for this item.")
    owner_email = models.EmailField(blank=True, help_text="Told of every update and reminded of the due date.")
    # Raised by one on every save of the row, so a form opened on an older version can tell.
    version = models.PositiveIntegerField(default=1, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)  # see baliwg/search/index.py
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkPlanItemQuerySet.as_manager()

    history = HistoricalRecords(
        m2m_fields=[lead_states, lead_organisations, themes, reported_at], excluded_fields=["search_vector"]
    )

    class Meta:
        ordering = ["body", "plan_period", "parent_id", "order_label", "title"]
        verbose_name = "work-plan item"
        indexes = [
            models.Index(fields=["body", "status"], name="item_body_status"),
            models.Index(fields=["status"], name="item_status"),
            models.Index(fields=["kind"], name="item_kind"),
            models.Index(fields=["created_at"], name="item_created"),
            models.Index(fields=["target_date"], name="item_target_date"),
        ]

    def __str__(self):
        return f"{self.order_label}) {self.title}" if self.order_label else self.title

    def get_absolute_url(self):
        return self.url_for(self.pk)

    @property
    def leads(self) -> list:
        """Its lead states, then its lead organisations (prefetched by with_leads() in a list)."""
        return [*self.lead_states.all(), *self.lead_organisations.all()]

    @property
    def lead_names(self) -> str:
        """'Viet Nam, UNODC': how every list of items writes an item's leads."""
        return ", ".join(party.display_name for party in self.leads)

    @staticmethod
    def url_for(pk) -> str:
        """The address of the record with this pk, without the record (search's results)."""
        return address("workplan:item", "pk", pk)

    def clean(self):
        # A list letter typed or pasted into the title ("a) Training ...") is the item's label.
        label, title = split_list_label(self.title)
        if label and (not self.order_label or self.order_label == label):
            self.order_label, self.title = label, title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_published(self) -> bool:
        """The rule of WorkPlanItemQuerySet.published() for one item (load raised_at with it)."""
        return self.raised_at_id is None or self.raised_at.status == PublicationStatus.PUBLISHED

    @property
    def public_parent(self):
        """The item this one belongs to, if the public may see it (load parent__raised_at with it)."""
        parent = self.parent
        return parent if parent is not None and parent.is_published else None


class ProgressUpdate(models.Model):
    """A dated entry in an item's timeline: a progress note with the status change it made,
    or a record that someone edited the item's details."""

    class Kind(models.TextChoices):
        UPDATE = "update", "Progress update"
        EDIT = "edit", "Details edited"

    item = models.ForeignKey(WorkPlanItem, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.UPDATE)
    date = models.DateField()
    text = models.TextField()
    reason = models.TextField(blank=True, help_text="Why a completed item was reopened.")
    status_before = models.CharField(max_length=12, choices=ItemStatus.choices, blank=True)
    status_after = models.CharField(
        max_length=12, choices=ItemStatus.choices, blank=True, help_text="Blank if the status did not change."
    )
    percent_complete = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(100)])
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="progress_updates",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "date", "created_at"]
        get_latest_by = ["date", "created_at"]
        indexes = [
            models.Index(fields=["item", "date"], name="update_item_date"),
            models.Index(fields=["date"], name="update_date"),
            models.Index(fields=["status_after"], name="update_status_after"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__isnull=True) | Q(percent_complete__lte=100),
                name="progressupdate_percent_at_most_100",
                violation_error_message="The percentage complete is between 0 and 100.",
            ),
        ]

    def __str__(self):
        return f"{self.item} — {self.date:%d %b %Y}"

    @property
    def attribution(self) -> str:
        """Who posted it, by role and state: the public pages never show an official's name."""
        representative = getattr(self.author, "representative", None) if self.author else None
        if representative is not None:
            return f"Co-chair, {representative.state.display_name}"
        return "Secretariat"

    @property
    def changed_status(self) -> bool:
        return bool(self.status_after) and self.status_after != self.status_before


class Representative(models.Model):
    """Links a user account to the member state its holder represents, which makes them a co-chair
    of whatever bodies that state co-chairs at the time."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="representative")
    state = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="representatives")

    history = HistoricalRecords()

    class Meta:
        ordering = ["state__name"]

    def __str__(self):
        return f"{self.user} for {self.state}"


class StatusAtMeeting(models.Model):
    """The secretariat's correction of an item's status at a meeting, where the status derived from
    the dated updates (status_history.py) is wrong; the reason is required and kept in history."""

    item = models.ForeignKey(WorkPlanItem, on_delete=models.CASCADE, related_name="statuses_at_meetings")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="item_statuses")
    status = models.CharField(max_length=12, choices=ItemStatus.choices)
    reason = models.TextField(default="", help_text="Why the status derived from the updates is wrong.")
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting__start_date", "item"]
        verbose_name = "corrected status at a meeting"
        verbose_name_plural = "corrected statuses at meetings"
        indexes = [
            models.Index(fields=["status"], name="statusatmeeting_status"),
            models.Index(fields=["recorded_at"], name="statusatmeeting_recorded"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["item", "meeting"], name="statusatmeeting_once_per_item_and_meeting")
        ]

    def __str__(self):
        return f"{self.item}: {self.get_status_display()} at {self.meeting}"

    def clean(self):
        if not self.reason.strip():
            raise ValidationError({"reason": "Say why the status derived from the updates is wrong."})
        if self.item_id and self.meeting_id and self.item.body_id != self.meeting.body_id:
            raise ValidationError({"meeting": "Choose a meeting of the item's body."})


class ReminderSent(models.Model):
    """A reminder e-mail already sent, so that each threshold is reminded of once per due date."""

    class Threshold(models.TextChoices):
        DUE_SOON = "week", "Due soon"  # "week" from when the window was a fixed week
        DUE_TODAY = "today", "Due today"
        OVERDUE = "overdue", "Overdue"

    item = models.ForeignKey(WorkPlanItem, on_delete=models.CASCADE, related_name="reminders")
    threshold = models.CharField(max_length=10, choices=Threshold.choices)
    due_date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = "reminder sent"
        verbose_name_plural = "reminders sent"
        indexes = [
            models.Index(fields=["-sent_at"], name="remindersent_sent"),
            models.Index(fields=["threshold"], name="remindersent_threshold"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "threshold", "due_date"], name="remindersent_once_per_threshold_and_due_date"
            )
        ]

    def __str__(self):
        return f"{self.get_threshold_display()}: {self.item}"
