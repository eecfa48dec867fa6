"""Anonymise delegates of meetings older than the retention period (DELEGATE_RETENTION_YEARS).

Meant for a daily or weekly cron.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from meetings.privacy import apply_retention


class Command(BaseCommand):
    help = "Anonymise delegates of meetings that ended more than DELEGATE_RETENTION_YEARS ago."

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, help=f"Override the setting ({settings.DELEGATE_RETENTION_YEARS}).")

    def handle(self, *args, years=None, **options):
        erased = apply_retention(years=years)
        self.stdout.write(f"Anonymised {erased} delegate record(s).")
