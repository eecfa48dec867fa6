"""Erasing a delegate's personal data on request, and after the retention period.

Anonymising keeps the row (the attendance it belongs to stays true) but blanks everything that
identifies the person, and deletes the history's copies of what was there.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Delegate

ERASED_NAME = "Erased delegate"


@transaction.atomic
def anonymise_delegate(*, delegate: Delegate) -> Delegate:
    """Side effects: the delegate's name, position, e-mail, phone, passport number and notes are
    blanked and anonymised_at set; every historical copy of the delegate is deleted."""
    delegate.full_name = ERASED_NAME
    delegate.position = delegate.email = delegate.phone = delegate.passport_number = delegate.notes = ""
    delegate.anonymised_at = timezone.now()
    delegate.save()
    # The history must not keep what the person asked to have erased.
    Delegate.history.filter(id=delegate.pk).delete()
    return delegate


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
        anonymise_delegate(delegate=delegate)
        erased += 1
    return erased
