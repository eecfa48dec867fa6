"""Publish a meeting, or return it to draft, through the one publish service.

python manage.py publish_meeting wgd-seventh-annual-meeting-2022 [--unpublish] [--reason "..."]
"""

from django.core.management.base import BaseCommand, CommandError

from meetings.models import Meeting
from meetings.services import MeetingNotReady, publish_meeting, unpublish_meeting


class Command(BaseCommand):
    help = "Publish a meeting (with the exercises held alongside) or return it to draft, by slug."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--unpublish", action="store_true", help="Return it to draft instead.")
        parser.add_argument("--reason", default="", help="Why, kept in the meeting's history.")

    def handle(self, *args, slug, unpublish=False, reason="", **options):
        meeting = Meeting.objects.filter(slug=slug).first()
        if meeting is None:
            raise CommandError(f"No meeting has the slug {slug!r}.")
        service = unpublish_meeting if unpublish else publish_meeting
        try:
            report = service(meeting, by=None, reason=reason)
        except MeetingNotReady as error:
            raise CommandError("\n".join(error.messages)) from None
        self.stdout.write(report.message)
