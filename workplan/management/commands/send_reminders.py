"""E-mail the item's owner, the leads' contacts and the co-chairs about items due soon, due today or overdue.

Meant for a daily cron. "Soon" is within settings.WORKPLAN_DUE_SOON_DAYS (env WORKPLAN_DUE_SOON_DAYS,
or --days). Each item is reminded of once per threshold and due date, however often the command
runs; moving the due date starts its reminders afresh.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone

from workplan.models import ReminderSent, WorkPlanItem
from workplan.notifications import send_reminder


def due_items(today: datetime.date, window: int):
    """(item, threshold) pairs due for a reminder today, whether or not one was sent already."""
    open_items = WorkPlanItem.objects.open().filter(target_date__isnull=False).select_related("body")
    open_items = open_items.prefetch_related("lead_states", "lead_organisations")
    horizon = today + datetime.timedelta(days=window)
    for item in open_items.filter(target_date__lte=horizon):
        if item.target_date > today:
            yield item, ReminderSent.Threshold.DUE_SOON
        elif item.target_date == today:
            yield item, ReminderSent.Threshold.DUE_TODAY
        else:
            yield item, ReminderSent.Threshold.OVERDUE


class Command(BaseCommand):
    help = "Send the day's reminders of work-plan items due soon, due today and overdue (once each)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="Pretend today is this ISO date.")
        parser.add_argument("--days", type=int, help="Remind this many days before the due date (default: setting).")

    def handle(self, *args, today=None, days=None, **options):
        today = today or timezone.localdate()
        window = settings.WORKPLAN_DUE_SOON_DAYS if days is None else days
        if window < 0:
            raise CommandError("--days cannot be negative.")
        sent = 0
        for item, threshold in due_items(today, window):
            if ReminderSent.objects.filter(item=item, threshold=threshold, due_date=item.target_date).exists():
                continue
            try:
                with transaction.atomic():
                    # Claim the reminder first, so two runs at once cannot both send it.
                    claim = ReminderSent.objects.create(item=item, threshold=threshold, due_date=item.target_date)
                    label = ReminderSent.Threshold(threshold).label
                    if threshold == ReminderSent.Threshold.DUE_SOON:
                        days_left = (item.target_date - today).days
                        label = f"Due in {days_left} day{'' if days_left == 1 else 's'}"
                    recipients = send_reminder(item, label)
                    if not recipients:
                        # Nobody to tell yet: leave it unsent so that a contact added later gets it.
                        transaction.set_rollback(True)
                        continue
                    claim.recipients = recipients
                    claim.save(update_fields=["recipients"])
            except IntegrityError:
                continue
            sent += 1
        self.stdout.write(f"Sent {sent} reminder(s).")
