"""Create a secretariat officer's account: staff, in the Secretariat group, not a superuser.

The first account on a fresh database; later officers are invited from the admin.
    python manage.py create_secretariat --username jane --email jane@example.org
asks for the password twice (or reads SECRETARIAT_PASSWORD with --no-input).
"""

import getpass
import os

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from workplan.roles import SECRETARIAT


class Command(BaseCommand):
    help = "Create a secretariat officer's account (staff, Secretariat group, not a superuser)."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True, help="For password resets and notifications.")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--no-input", action="store_true", help="Read the password from SECRETARIAT_PASSWORD.")

    def handle(self, *args, username, email, first_name, last_name, no_input, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"An account named {username!r} already exists.")
        password = os.environ.get("SECRETARIAT_PASSWORD", "") if no_input else self._ask()
        if not password:
            raise CommandError("No password given (set SECRETARIAT_PASSWORD with --no-input).")
        user = User(username=username, email=email, first_name=first_name, last_name=last_name, is_staff=True)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user.set_password(password)
        with transaction.atomic():
            user.save()
            user.groups.add(Group.objects.get(name=SECRETARIAT))
        self.stdout.write(f"Created the secretariat account {username!r}; log in at /admin/.")

    def _ask(self) -> str:
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return first
