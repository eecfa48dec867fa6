"""What meetings and exercises share: a publication status and the days they were held on."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from ..permissions import can_preview_drafts

# No count of people or states in this forum comes near this; beyond it a number is a typo.
COUNT_LIMIT = 100_000


# simple-history's change reason column holds this many characters.
REASON_LENGTH = 100


def change_reason(text: str) -> str:
    """A reason that fits the history's column (an officer's free text may be longer)."""
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"


def attribute_to(instance, user):
    """Name `user` in the history row that the instance's next save or delete writes. In a request
    the history middleware knows who; in a command or a service called without one it does not."""
    if user is not None:
        instance._history_user = user
    return instance


class VersionedSave:
    """For a model with a `version` field that change forms carry (meetings/locking.py, the workspace):
    every save of a stored row is a new version, so a form opened on the old one is refused."""

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PublishableQuerySet(models.QuerySet):
    """A queryset of records that the public sees only once published."""

    def published(self):
        raise NotImplementedError

    def visible_to(self, user):
        """What a visitor may see: everything for the secretariat, the published rest for others."""
        return self.visible(drafts=can_preview_drafts(user))

    def visible(self, *, drafts: bool):
        """Everything when drafts may be previewed, else the published records (for a query built
        once per visibility rather than per user, as search's is)."""
        return self if drafts else self.published()


class DatedEvent(models.Model):
    """An event held from a start date to an end date, possibly on some of the days only."""

    start_date = models.DateField()
    end_date = models.DateField(blank=True, help_text="Leave blank for a one-day event.")
    held_on = models.JSONField(
        default=list,
        blank=True,
        help_text="Only when it was not held every day from start to end: each day it was held "
        "(ISO dates, e.g. 2021-09-21, 2021-09-23).",
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="%(app_label)s_%(class)s_end_not_before_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
        ]

    @property
    def days(self) -> list[datetime.date]:
        """Every day the event was held on."""
        if self.held_on:
            return [datetime.date.fromisoformat(day) for day in self.held_on]
        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + datetime.timedelta(days=offset) for offset in range(count)]

    def clean(self):
        if self.start_date and not self.end_date:
            self.end_date = self.start_date
        if not self.held_on:
            return
        try:
            days = sorted(datetime.date.fromisoformat(str(day)) for day in self.held_on)
        except (TypeError, ValueError):
            raise ValidationError({"held_on": "Give each day as a date such as 2021-09-21."}) from None
        if self.start_date and self.end_date and (days[0] != self.start_date or days[-1] != self.end_date):
            raise ValidationError({"held_on": "The first and last days must be the start and end dates."})
        self.held_on = [day.isoformat() for day in dict.fromkeys(days)]
