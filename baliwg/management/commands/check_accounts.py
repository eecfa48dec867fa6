"""Say how to make the first account when the database has none (printed by `make serve`)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print how to create the first secretariat account if no staff account exists."

    def handle(self, *args, **options):
        if not get_user_model().objects.filter(is_staff=True, is_active=True).exists():
            self.stdout.write(
                "No secretariat account exists yet. Create the first one with:\n"
                "  .venv/bin/python manage.py create_secretariat --username NAME --email ADDRESS"
            )
