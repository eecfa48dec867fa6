"""E-mail the leads' contacts and the co-chairs about items due in a week, due today or overdue.

Meant for a daily cron. Each item is reminded of once per threshold and due date, however often
the command runs; moving the due date starts its reminders afresh.
"""

import datetime

from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.utils import timezone

from workplan.models import ReminderSent, WorkPlanItem
from workplan.notifications import send_reminder


def due_items(today: datetime.date):
    """(item, threshold) pairs due for a reminder today, whether or not one was sent already."""
    open_items = WorkPlanItem.objects.open().filter(target_date__isnull=False).select_related("body")
    open_items = open_items.prefetch_related("lead_states", "lead_organisations")
    week = today + datetime.timedelta(days=7)
    for item in open_items.filter(target_date__lte=week):
        if item.target_date == week:
            yield item, ReminderSent.Threshold.DUE_IN_A_WEEK
        elif item.target_date == today:
            yield item, ReminderSent.Threshold.DUE_TODAY
        elif item.target_date < today:
            yield item, ReminderSent.Threshold.OVERDUE


class Command(BaseCommand):
    help = "Send the day's reminders of work-plan items due in a week, due today and overdue (once each)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="Pretend today is this ISO date.")

    def handle(self, *args, today=None, **options):
        today = today or timezone.localdate()
        sent = 0
        for item, threshold in due_items(today):
            if ReminderSent.objects.filter(item=item, threshold=threshold, due_date=item.target_date).exists():
                continue
            try:
                with transaction.atomic():
                    # Claim the reminder first, so two runs at once cannot both send it.
                    claim = ReminderSent.objects.create(item=item, threshold=threshold, due_date=item.target_date)
                    recipients = send_reminder(item, ReminderSent.Threshold(threshold).label)
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
