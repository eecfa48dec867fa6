"""Load the forum's registry and the seventh annual meeting of the Working Group on Disruptions."""

from django.core.management.base import BaseCommand
from django.db import transaction

from meetings.demo import load_registry, load_seventh_annual_meeting
from workplan.demo import create_demo_users, load_seventh_meeting_workplan


class Command(BaseCommand):
    help = "Load the demo data: registry, bodies, the seventh annual meeting and its work plan. Safe to repeat."

    def handle(self, *args, **options):
        with transaction.atomic():
            load_registry()
            meeting = load_seventh_annual_meeting()
            items = load_seventh_meeting_workplan(meeting)
            logins = create_demo_users()
        self.stdout.write(self.style.SUCCESS(f"Loaded {meeting} with {len(items)} work-plan items."))
        for line in logins:
            self.stdout.write(line)
