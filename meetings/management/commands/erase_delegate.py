"""Anonymise a delegate on request: by id, or every record of one e-mail address.

python manage.py erase_delegate --email person@example.org
"""

from django.core.management.base import BaseCommand, CommandError

from meetings.models import Delegate
from meetings.privacy import anonymise_delegate


class Command(BaseCommand):
    help = "Anonymise a delegate's personal data (by --id, or every record with --email)."

    def add_arguments(self, parser):
        parser.add_argument("--id", type=int, help="The delegate's id.")
        parser.add_argument("--email", help="Every delegate record with this e-mail address.")

    def handle(self, *args, id=None, email=None, **options):
        if not (id or email):
            raise CommandError("Give --id or --email.")
        delegates = Delegate.objects.filter(pk=id) if id else Delegate.objects.filter(email__iexact=email)
        count = 0
        for delegate in delegates:
            anonymise_delegate(delegate=delegate)
            count += 1
        if not count:
            raise CommandError("No delegate matches.")
        # The address is not echoed back: this output may end up in a log.
        self.stdout.write(f"Anonymised {count} delegate record(s).")
