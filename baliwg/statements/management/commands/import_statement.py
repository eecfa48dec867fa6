"""Read a co-chairs' statement (.txt, .docx or .pdf) into a draft meeting, or show what it would hold.

python manage.py import_statement statement.txt --dry-run --json
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from baliwg.statements.extract import StatementError, text_from_upload
from baliwg.statements.importer import DuplicateMeeting, existing_meeting, import_draft
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

    def handle(self, *args, file, body=None, dry_run=False, update=False, **options):
        as_json = options["json"]
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
        if not draft.is_meeting:
            raise CommandError("No meeting was recognised: the text names no body of the forum or no date.")
        if dry_run:
            if not as_json:
                self._summary(draft)
            return
        try:
            with transaction.atomic():
                meeting = import_draft(draft, update=self._existing(draft) if update else None)
        except DuplicateMeeting as duplicate:
            raise CommandError(f"{duplicate} Use --update to update it instead.") from duplicate
        except StatementError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Imported as a draft: {meeting} (/admin/meetings/meeting/{meeting.pk}/)"))

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
