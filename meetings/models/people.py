"""Delegates: the only personal data the app keeps.

Never shown on a public page, never in a public export or a log line, and erasable on request.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from .meetings import Attendance


class Delegate(models.Model):
    """A person who attended a meeting for the state or organisation of one attendance row."""

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="delegates")
    full_name = models.CharField(max_length=200)
    position = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    passport_number = models.CharField(max_length=40, blank=True, help_text="For visa support letters.")
    notes = models.TextField(blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["attendance", "full_name"]

    def __str__(self):
        return self.full_name


class Erasure(models.Model):
    """The audit line an erasure leaves: that one happened, when and by whom, and nothing of the
    person (only the delegate's row id, which names no one once the row is blanked)."""

    class Reason(models.TextChoices):
        REQUEST = "request", "On request"
        RETENTION = "retention", "Retention period over"

    delegate_id = models.PositiveBigIntegerField()
    erased_at = models.DateTimeField(auto_now_add=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Blank: a command.",
    )
    reason = models.CharField(max_length=10, choices=Reason.choices, default=Reason.REQUEST)

    class Meta:
        ordering = ["-erased_at"]
        # The admin's default ordering and its filter.
        indexes = [
            models.Index(fields=["erased_at"], name="erasure_erased_at"),
            models.Index(fields=["reason"], name="erasure_reason"),
        ]

    def __str__(self):
        return f"Erasure of delegate #{self.delegate_id}"
