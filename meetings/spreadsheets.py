"""The spreadsheet import's bounds and its previews.

A file is checked before any row is read: its size, and for an .xlsx its parts and unpacked size
(core/limits.check_archive), then its rows are counted, stopping at the first past the cap.

Between the preview and the confirmation the file waits in the project's own folder
(VAR_DIR/imports) under a random name. The confirm form carries that name signed (never a path):
a forged, altered or hour-old token reads nothing, and no other file can be named. The file is
removed on confirmation, and any preview older than an hour is swept away at the next upload.
"""

import csv
import io
import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.core import signing
from import_export.tmp_storages import BaseStorage

from core.limits import MAX_SPREADSHEET_ROWS, MAX_UPLOAD_BYTES, InputTooBig, check_archive

PREVIEW_SECONDS = 60 * 60
SALT = "meetings.spreadsheet-preview"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


def check_spreadsheet(data: bytes) -> None:
    """Raise InputTooBig, with a message for the officer, unless the file is within every bound."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputTooBig(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; split it, or ask for help.")
    rows = _xlsx_rows(data) if data.startswith(b"PK") else _csv_rows(data)
    if rows > MAX_SPREADSHEET_ROWS:
        raise InputTooBig(
            f"The file has more than {MAX_SPREADSHEET_ROWS:,} rows; at most {MAX_SPREADSHEET_ROWS:,} are imported "
            "at once. Split it into smaller files."
        )


def _csv_rows(data: bytes) -> int:
    """Rows after the header, counted up to one past the cap."""
    text = io.StringIO(data.decode("utf-8-sig", errors="replace"))
    count = -1
    for count, _row in enumerate(csv.reader(text)):
        if count > MAX_SPREADSHEET_ROWS:
            break
    return max(count, 0)


def _xlsx_rows(data: bytes) -> int:
    from openpyxl import load_workbook

    check_archive(data, what=".xlsx")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        count = -1
        for count, _row in enumerate(workbook.active.iter_rows(values_only=True)):
            if count > MAX_SPREADSHEET_ROWS:
                break
        workbook.close()
    except InputTooBig:
        raise
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise InputTooBig("This .xlsx file could not be read as a spreadsheet.") from error
    return max(count, 0)


class PreviewGone(Exception):
    """The confirm form named no preview that is still kept (forged, altered or past the hour)."""


def _folder() -> Path:
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sweep(folder: Path) -> None:
    old = time.time() - PREVIEW_SECONDS
    for path in folder.iterdir():
        if path.stat().st_mtime < old:
            path.unlink(missing_ok=True)


class SignedPreviewStorage(BaseStorage):
    """django-import-export's temporary storage, kept under a signed random token (see above)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.read_mode = kwargs.get("read_mode", "rb")
        self.encoding = kwargs.get("encoding")

    def save(self, data):
        folder = _folder()
        _sweep(folder)
        token = secrets.token_urlsafe(24)
        (folder / token).write_bytes(data if isinstance(data, bytes) else data.encode(self.encoding or "utf-8"))
        self.name = signing.dumps(token, salt=SALT)

    def _path(self) -> Path:
        try:
            token = signing.loads(self.name or "", salt=SALT, max_age=PREVIEW_SECONDS)
        except signing.BadSignature as error:  # SignatureExpired is one
            raise PreviewGone from error
        if not isinstance(token, str) or not TOKEN.match(token):
            raise PreviewGone
        return _folder() / token

    def read(self):
        path = self._path()
        try:
            data = path.read_bytes()
        except FileNotFoundError as error:
            raise PreviewGone from error
        if "b" in self.read_mode:
            return data
        return data.decode(self.encoding or "utf-8-sig")

    def remove(self):
        self._path().unlink(missing_ok=True)


def attendance_template() -> bytes:
    """The attendance import's template: the columns with an example row, then, for reference, the
    registry's codes, names and aliases today, and the valid roles and modes."""
    from openpyxl import Workbook

    from .models import Attendance, Meeting, MemberState, Organisation

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("attendance")
    sheet.append(["meeting", "party", "role", "mode"])
    example = Meeting.objects.select_related("body").order_by("-start_date").first()
    if example:
        sheet.append([example.slug, "VN", "member", "in_person"])
    registry = workbook.create_sheet("registry")
    registry.append(["code or acronym", "name", "type", "membership", "also known as"])
    for state in MemberState.objects.filter(retired=False).prefetch_related("aliases").order_by("name"):
        aliases = "; ".join(alias.name for alias in state.aliases.all())
        registry.append([state.iso_code, state.name, "state", state.membership, aliases])
    for organisation in Organisation.objects.filter(retired=False).prefetch_related("aliases").order_by("name"):
        aliases = "; ".join(alias.name for alias in organisation.aliases.all())
        registry.append([organisation.acronym, organisation.name, "organisation", organisation.membership, aliases])
    values = workbook.create_sheet("roles and modes")
    values.append(["column", "code", "label (either may be typed)"])
    for code, label in Attendance.Role.choices:
        values.append(["role", code, label])
    for code, label in Attendance.Mode.choices:
        values.append(["mode", code, label])
    meetings = workbook.create_sheet("meetings")
    meetings.append(["slug", "title (either may be typed)"])
    for meeting in Meeting.objects.select_related("body").order_by("-start_date")[:200]:
        meetings.append([meeting.slug, meeting.display_title])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
