"""Erasing a delegate's personal data on request, and after the retention period.

Anonymising keeps the row (the attendance it belongs to stays true) but blanks everything that
identifies the person, and deletes the history's copies of what was there.
"""

import datetime
import re

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Delegate, Erasure

ERASED_NAME = "Erased delegate"


@transaction.atomic
def anonymise_delegate(*, delegate: Delegate, by=None, reason: str = Erasure.Reason.REQUEST) -> Delegate:
    """Side effects: the delegate's name, position, e-mail, phone, passport number and notes are
    blanked and anonymised_at set; every historical copy of the delegate is deleted; the admin's
    log entries that name the delegate (its own, and an inline's "Added delegate ...") lose the
    name and e-mail; an Erasure row records who erased and when, with nothing of the person."""
    traces = [value for value in (delegate.full_name, delegate.email) if value and value != ERASED_NAME]
    delegate.full_name = ERASED_NAME
    delegate.position = delegate.email = delegate.phone = delegate.passport_number = delegate.notes = ""
    delegate.anonymised_at = timezone.now()
    delegate.save()
    # The history must not keep what the person asked to have erased.
    Delegate.history.filter(id=delegate.pk).delete()
    _scrub_admin_log(delegate, traces)
    Erasure.objects.create(delegate_id=delegate.pk, erased_by=by, reason=reason)
    return delegate


def _scrub_admin_log(delegate: Delegate, traces: list[str]) -> None:
    """The admin's "Recent actions" keep each object's name as it was; rewrite those naming the person."""
    own = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Delegate), object_id=str(delegate.pk))
    own.update(object_repr=ERASED_NAME)
    for trace in traces:
        mentions = LogEntry.objects.filter(Q(object_repr__icontains=trace) | Q(change_message__icontains=trace))
        for entry in mentions:
            entry.object_repr = _without(entry.object_repr, trace)
            entry.change_message = _without(entry.change_message, trace)
            entry.save(update_fields=["object_repr", "change_message"])


def _without(text: str, trace: str) -> str:
    return re.sub(re.escape(trace), ERASED_NAME, text or "", flags=re.IGNORECASE)


def delegates_past_retention(today: datetime.date | None = None, years: int | None = None):
    """Delegates not yet anonymised whose meeting ended more than the retention period ago."""
    today = today or timezone.localdate()
    years = settings.DELEGATE_RETENTION_YEARS if years is None else years
    try:
        cutoff = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - years, day=28)
    return Delegate.objects.filter(anonymised_at__isnull=True, attendance__meeting__end_date__lt=cutoff)


def apply_retention(today: datetime.date | None = None, years: int | None = None) -> int:
    erased = 0
    for delegate in delegates_past_retention(today, years):
        anonymise_delegate(delegate=delegate, reason=Erasure.Reason.RETENTION)
        erased += 1
    return erased
