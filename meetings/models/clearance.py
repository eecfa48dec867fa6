"""Clearance of a draft outcome statement by the meeting's co-chairs, before the secretariat publishes it.

Each co-chair state clears the statement as it read it: the request keeps a digest of the text sent
and of the text cleared, so a statement changed after clearance is no longer cleared.
"""

import hashlib

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from .meetings import Meeting
from .registry import MemberState


def statement_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class ClearanceRequest(models.Model):
    """A draft statement sent to one co-chair state, and whether (and by whom, when) it was cleared."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="clearances")
    state = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="clearances")
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_digest = models.CharField(max_length=64, editable=False)
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cleared_digest = models.CharField(max_length=64, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "state__name"]
        verbose_name = "clearance of a draft statement"
        verbose_name_plural = "clearances of draft statements"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "state"], name="clearancerequest_once_per_meeting_and_state")
        ]

    def __str__(self):
        return f"{self.state} on {self.meeting}"

    @property
    def is_cleared(self) -> bool:
        """Cleared, and the statement is still the text that was cleared."""
        return bool(self.cleared_at) and self.cleared_digest == statement_digest(self.meeting.outcome_statement)


class ClearanceComment(models.Model):
    """A co-chair's comment on a draft statement, or the secretariat's reason for publishing it without
    both clearances."""

    class Kind(models.TextChoices):
        COMMENT = "comment", "Comment"
        PUBLISHED_WITHOUT = "published_without", "Published without full clearance"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="clearance_comments")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COMMENT)
    state = models.ForeignKey(
        MemberState, null=True, blank=True, on_delete=models.PROTECT, related_name="clearance_comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "created_at"]
        verbose_name = "clearance comment or publication reason"

    def __str__(self):
        return f"{self.get_kind_display()} on {self.meeting}"
