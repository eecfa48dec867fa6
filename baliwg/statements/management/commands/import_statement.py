"""Read a co-chairs' statement (.txt, .docx or .pdf) into a draft meeting, or show what it would hold.

python manage.py import_statement statement.txt --dry-run --json

With no review, a work-plan item that near-certainly continues one already recorded is reported on
(not created twice), and rows of a meeting already recorded that the statement does not mention are
kept; the admin's review asks the officer about the doubtful cases instead.
"""

import datetime
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from baliwg.statements.extract import StatementError, text_from_upload
from baliwg.statements.importer import (
    DuplicateMeeting,
    ImportChoices,
    continuing_matches,
    existing_meeting,
    import_draft,
    missing_fields,
)
from baliwg.statements.parser import parse_statement
from meetings.models import Body


class Command(BaseCommand):
    help = "Import a co-chairs' statement as a draft meeting (--dry-run writes nothing; --json prints the draft)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The statement: a .txt, .docx or .pdf file, or - for standard input.")
        parser.add_argument("--body", help="The slug of the body, when the statement does not name it.")
        parser.add_argument("--dry-run", action="store_true", help="Parse and report; write nothing.")
        parser.add_argument("--json", action="store_true", help="Print the draft as JSON.")
        parser.add_argument("--update", action="store_true", help="Update the meeting if it is already recorded.")
        parser.add_argument(
            "--date", help="The meeting's first day (YYYY-MM-DD), when the statement's date cannot be read."
        )
        parser.add_argument("--by", help="The username of the officer importing it, kept in the history.")

    def handle(self, *args, file, body=None, dry_run=False, update=False, date=None, by=None, **options):
        as_json = options["json"]
        user = None
        if by:
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.filter(username=by).first()
            if user is None:
                raise CommandError(f"No user is called {by!r}.")
        chosen_body = None
        if body:
            chosen_body = Body.objects.filter(slug=body).first()
            if chosen_body is None:
                raise CommandError(f"No body has the slug {body!r}.")
        try:
            text = self._read(file)
            draft = parse_statement(text, body=chosen_body)
        except StatementError as error:
            raise CommandError(str(error)) from error
        if as_json:
            self.stdout.write(_json(draft.to_json()))
        if date and draft.start_date is None:
            try:
                draft.days = [datetime.date.fromisoformat(date)]
            except ValueError as error:
                raise CommandError(f"--date {date!r} is not a date such as 2022-10-12.") from error
        missing = missing_fields(draft)
        if missing and not dry_run:
            hints = {"body": "the body (--body SLUG)", "date": "the date (--date YYYY-MM-DD)"}
            raise CommandError(
                "The statement does not give "
                + " or ".join(hints.get(name, name) for name in missing)
                + ": give it, or import it in the admin, whose review asks for it."
            )
        if dry_run:
            if not as_json:
                self._summary(draft)
            return
        try:
            with transaction.atomic():
                existing = self._existing(draft) if update else None
                matches = continuing_matches(draft.items, draft.body, meeting=existing)
                same = {i: m.item for i, m in enumerate(matches) if m is not None and m.strong}
                for index, item in same.items():
                    self.stdout.write(f"Reported on the item already recorded: {item} (for {draft.items[index].title})")
                meeting = import_draft(draft, by=user, update=existing, choices=ImportChoices(same_items=same))
        except DuplicateMeeting as duplicate:
            raise CommandError(f"{duplicate} Use --update to update it instead.") from duplicate
        except StatementError as error:
            raise CommandError(str(error)) from error
        status = "still published" if meeting.is_published else "a draft"
        done = "Updated" if existing else "Imported"
        self.stdout.write(self.style.SUCCESS(f"{done}: {meeting}, {status} (/admin/meetings/meeting/{meeting.pk}/)"))

    def _read(self, file: str) -> str:
        if file == "-":
            return text_from_upload("stdin.txt", sys.stdin.buffer.read())
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        return text_from_upload(path.name, path.read_bytes())

    def _existing(self, draft):
        return existing_meeting(draft)

    def _summary(self, draft) -> None:
        self.stdout.write(f"{draft.title()}: {draft.start_date} to {draft.end_date}, {draft.format}")
        self.stdout.write(
            f"{len(draft.states)} states, {len(draft.organisations)} organisations, "
            f"{len(draft.exercises)} exercises, {len(draft.items)} work-plan items"
        )
        for unresolved in draft.unresolved:
            self.stdout.write(f"Unresolved ({unresolved.context}): {unresolved.text}")


def _json(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)
