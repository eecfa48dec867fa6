"""Downloads of published data as CSV, XLSX and JSON: meetings, attendance by party, exercises,
and work-plan items with their latest status.

Only published records; never a person. A CSV or XLSX cell that a spreadsheet would run as a
formula is neutralised; CSV is UTF-8 with a byte-order mark so that Excel reads it as UTF-8.

Each file is written once per content stamp, row by row into a file on disk (CSV, JSON and the
XLSX's sheet as text streams, rows read from the database in chunks through a server-side
cursor), and served from there as a file (sendfile under gunicorn) with its length and an ETag:
memory stays bounded whatever the number of rows, and however many visitors (or random query
strings) ask for it, it is built once until the records change. At scale 100 (1.2 million
attendance rows) see scripts/bench.py's download figures.
"""

import csv
import datetime
import decimal
import fcntl
import functools
import itertools
import json
import operator
import os
import re
import tempfile
import time
import zipfile
from dataclasses import dataclass
from html import escape
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, OuterRef, Prefetch, Subquery

from core.stamp import content_stamp
from meetings.models import Attendance, Exercise, Meeting, MeetingCoChair
from meetings.queries import with_exercise_facts
from workplan.models import ProgressUpdate, WorkPlanItem

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A formula character after anything a spreadsheet may split a cell on: a locale's list separator
# (";" or ","), a tab, a line break. "Bangkok;=cmd" is two cells in a ";" locale.
FORMULA_AFTER_SEPARATOR = re.compile(r"([;,\t\r\n])(\s*)([=+\-@])")
CHUNK = 2000  # rows read from the database at a time


def neutralise(value):
    """A text cell that a spreadsheet would run as a formula, whole or split at a separator, gets an
    apostrophe before each formula start."""
    if not isinstance(value, str):
        return value
    return _neutralised(value)


@functools.lru_cache(maxsize=100_000)
def _neutralised(value: str) -> str:
    # Cached: a big download repeats the same few thousand names and labels a million times.
    value = FORMULA_AFTER_SEPARATOR.sub(r"\1\2'\3", value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _names(objects, attribute="display_name") -> str:
    return "; ".join(getattr(o, attribute) for o in objects)


def meeting_rows():
    meetings = (
        Meeting.objects.published()
        .select_related("body")
        .prefetch_related(Prefetch("cochairs", queryset=MeetingCoChair.objects.select_related("state")))
        .order_by("start_date", "pk")
    )
    for m in meetings.iterator(chunk_size=CHUNK):
        yield {
            "slug": m.slug,
            "title": m.display_title,
            "body": m.body.name,
            "body_acronym": m.body.acronym,
            "kind": m.get_kind_display(),
            "number": m.number,
            "start_date": m.start_date,
            "end_date": m.end_date,
            "format": m.get_format_display(),
            "venue_city": m.venue_city,
            "venue_country": m.venue_country,
            "co_chairs": _names(c.state for c in m.cochairs.all()),
            "declared_participants": m.declared_participant_count,
            "declared_states": m.declared_state_count,
            "declared_organisations": m.declared_organisation_count,
        }


ROLES = dict(Attendance.Role.choices)
MODES = dict(Attendance.Mode.choices)


def attendance_rows():
    # Plain values, not model instances: a million rows of four objects each was most of the build.
    rows = (
        Attendance.objects.filter(meeting__in=Meeting.objects.published())
        # States, then organisations, on every database (SQLite puts NULLs first, PostgreSQL last).
        .order_by("meeting__start_date", "meeting_id", F("state__name").asc(nulls_last=True), "organisation__name")
        .values_list(
            "meeting__slug",
            "meeting__start_date",
            "meeting__body__acronym",
            "state_id",
            "state__name",
            "state__iso_code",
            "organisation__name",
            "organisation__acronym",
            "role",
            "mode",
        )
    )
    for slug, date, acronym, state, state_name, iso_code, organisation, org_acronym, role, mode in rows.iterator(
        chunk_size=CHUNK
    ):
        yield {
            "meeting": slug,
            "meeting_date": date,
            "body_acronym": acronym,
            "party_type": "state" if state else "organisation",
            "party": state_name if state else organisation,
            "party_code": iso_code if state else org_acronym,
            "role": ROLES.get(role, role),
            "mode": MODES.get(mode, mode),
        }


def exercise_rows():
    for e in with_exercise_facts(Exercise.objects.published()).order_by("start_date", "pk").iterator(chunk_size=CHUNK):
        yield {
            "slug": e.slug,
            "title": e.title,
            "kind": e.get_kind_display(),
            "start_date": e.start_date,
            "end_date": e.end_date,
            "days": "; ".join(day.isoformat() for day in e.days),
            "meeting": e.meeting.slug if e.meeting else "",
            "bodies": _names(e.bodies.all(), "acronym"),
            "participants": e.participant_count,
            "member_states": e.member_state_count,
            "sectors": _names(e.sectors.all(), "name"),
            "focus_areas": _names(e.focus_areas.all(), "name"),
            "themes": _names(e.themes.all(), "name"),
            "facilitators": _names([*e.facilitator_organisations.all(), *e.facilitator_states.all()]),
            "experts": _names(e.expert_organisations.all()),
        }


def item_rows():
    latest = ProgressUpdate.objects.filter(item=OuterRef("pk"), kind=ProgressUpdate.Kind.UPDATE).order_by(
        "-date", "-pk"
    )
    items = (
        WorkPlanItem.objects.published()
        .select_related("body", "raised_at", "parent__raised_at")
        .prefetch_related("lead_states", "lead_organisations", "themes")
        .annotate(
            last_update=Subquery(latest.values("date")[:1]),
        )
        .with_latest_percent()
        .order_by("body__name", "pk")
    )
    for i in items.iterator(chunk_size=CHUNK):
        yield {
            "id": i.pk,
            "body_acronym": i.body.acronym,
            "plan_period": i.plan_period,
            "label": i.order_label,
            "title": i.title,
            "kind": i.get_kind_display(),
            "status": i.get_status_display(),
            "topic": i.topic,
            "target_period": i.target_period,
            "target_date": i.target_date,
            "leads": _names([*i.lead_states.all(), *i.lead_organisations.all()]),
            "themes": _names(i.themes.all(), "name"),
            "raised_at": i.raised_at.slug if i.raised_at else "",
            "parent_id": i.public_parent.pk if i.public_parent else None,
            "last_update": i.last_update,
            "percent_complete": i.latest_percent,
        }


@dataclass
class Dataset:
    name: str
    title: str
    rows: object  # a function giving dicts, one per row, keyed by the dataset's columns

    def table(self):
        """The header and a generator of rows: never all rows in memory at once."""
        columns = COLUMNS[self.name]
        return columns, map(operator.itemgetter(*columns), self.rows())


DATASETS = {
    d.name: d
    for d in [
        Dataset("meetings", "Meetings", meeting_rows),
        Dataset("attendance", "Attendance by state and organisation", attendance_rows),
        Dataset("exercises", "Exercises, workshops and webinars", exercise_rows),
        Dataset("workplan", "Work-plan items with their latest status", item_rows),
    ]
}
# The columns of each download, in order: the header a spreadsheet user sees.
COLUMNS = {
    "meetings": [
        "slug",
        "title",
        "body",
        "body_acronym",
        "kind",
        "number",
        "start_date",
        "end_date",
        "format",
        "venue_city",
        "venue_country",
        "co_chairs",
        "declared_participants",
        "declared_states",
        "declared_organisations",
    ],
    "attendance": ["meeting", "meeting_date", "body_acronym", "party_type", "party", "party_code", "role", "mode"],
    "exercises": [
        "slug",
        "title",
        "kind",
        "start_date",
        "end_date",
        "days",
        "meeting",
        "bodies",
        "participants",
        "member_states",
        "sectors",
        "focus_areas",
        "themes",
        "facilitators",
        "experts",
    ],
    "workplan": [
        "id",
        "body_acronym",
        "plan_period",
        "label",
        "title",
        "kind",
        "status",
        "topic",
        "target_period",
        "target_date",
        "leads",
        "themes",
        "raised_at",
        "parent_id",
        "last_update",
        "percent_complete",
    ],
}


def write_csv(dataset: Dataset, path: Path) -> None:
    columns, rows = dataset.table()
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        # Every field quoted: a ";" locale does not split "Bangkok;Bali" into two cells either.
        writer = csv.writer(out, quoting=csv.QUOTE_ALL)
        writer.writerow(columns)
        writer.writerows(map(_csv_field, row) for row in rows)


@functools.lru_cache(maxsize=100_000, typed=True)
def _csv_field(value):
    return "" if value is None else neutralise(value if isinstance(value, int | float) else str(value))


# The XLSX is written by hand, a row as one string: openpyxl, even in write-only mode, made and
# serialised an object per cell, and took minutes for a million rows. The package is the least a
# spreadsheet needs (Office Open XML, ECMA-376): a workbook, one sheet of inline strings, and two
# styles for dates. Dates are days since 1899-12-30, as spreadsheets count them.
XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
        'Target="styles.xml"/></Relationships>'
    ),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SPREADSHEET_EPOCH = datetime.datetime(1899, 12, 30)
# Characters XML 1.0 cannot hold at all (openpyxl refused the whole file for one of them).
NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@functools.lru_cache(maxsize=100_000, typed=True)
def _cell(value) -> str:
    """A cell as XML, in its row's order (the "r" reference is optional). Cached: a big download
    repeats the same names, dates and labels a million times."""
    if value is None or value == "":
        return "<c/>"  # an empty cell, as a spreadsheet has it
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | decimal.Decimal):
        return f"<c><v>{value}</v></c>"
    if isinstance(value, datetime.datetime):
        days = (value.replace(tzinfo=None) - SPREADSHEET_EPOCH) / datetime.timedelta(days=1)
        return f'<c s="2"><v>{days}</v></c>'
    if isinstance(value, datetime.date):
        return f'<c s="1"><v>{(value - SPREADSHEET_EPOCH.date()).days}</v></c>'
    text = NOT_IN_XML.sub("", neutralise(str(value))).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\r", "&#13;")  # kept as typed: a parser would turn a raw one into a line feed
    return f'<c t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def write_xlsx(dataset: Dataset, path: Path) -> None:
    columns, rows = dataset.table()
    # The sheet goes to a file of its own first, then into the package: the archive then knows its
    # size and needs ZIP64 (which some spreadsheets read badly) only past 2 GB.
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, suffix=".xml") as sheet:
        sheet.write(SHEET_HEAD)
        for number, row in enumerate(itertools.chain([columns], rows), start=1):
            sheet.write(f'<row r="{number}">{"".join(map(_cell, row))}</row>')
        sheet.write("</sheetData></worksheet>")
        sheet.flush()
        title = escape(dataset.name[:31])
        workbook = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        )
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as package:
            for name, content in {**XLSX_PARTS, "xl/workbook.xml": workbook}.items():
                package.writestr(name, content)
            package.write(sheet.name, "xl/worksheets/sheet1.xml")


def write_json(dataset: Dataset, path: Path) -> None:
    columns, rows = dataset.table()
    head = json.dumps({"dataset": dataset.name, "title": dataset.title}, ensure_ascii=False)
    with open(path, "w", encoding="utf-8") as out:
        out.write(head[:-1] + ', "rows": [')
        for n, row in enumerate(rows):
            out.write(",\n" if n else "\n")
            out.write(json.dumps(dict(zip(columns, row, strict=True)), cls=DjangoJSONEncoder, ensure_ascii=False))
        out.write("\n]}\n")


FORMATS = {
    "csv": (write_csv, "text/csv; charset=utf-8"),
    "xlsx": (write_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": (write_json, "application/json; charset=utf-8"),
}


def downloads_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "downloads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def current_stamp() -> str:
    return f"{content_stamp():.6f}"


def _newest(folder: Path, name: str, fmt: str):
    """The newest built file of a download and its stamp, open; (None, None) if there is none."""
    for found in sorted(folder.glob(f"{name}-*.{fmt}"), key=lambda f: float(f.stem.rsplit("-", 1)[1]), reverse=True):
        try:
            return open(found, "rb"), found.stem.rsplit("-", 1)[1]
        except FileNotFoundError:  # replaced by a newer one meanwhile
            continue
    return None, None


def open_built(name: str, fmt: str):
    """The file of a download for the current content stamp, open for reading, and its stamp;
    built first if it is not there yet.

    One build at a time per download (a file lock, so also between workers), in a transaction
    (one snapshot, and a server-side cursor that PostgreSQL need not copy out first). While it
    runs, other visitors get the previous version at once rather than each hold a thread for the
    build; only when there is none do they wait for it. Files of older stamps are removed once the
    new one is in place (a reader still streaming one keeps its open file)."""
    stamp = current_stamp()
    folder = downloads_dir()
    path = folder / f"{name}-{stamp}.{fmt}"
    try:
        return open(path, "rb"), stamp
    except FileNotFoundError:
        pass
    with open(folder / f"{name}.{fmt}.lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            previous, previous_stamp = _newest(folder, name, fmt)
            if previous is not None:
                return previous, previous_stamp
            fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            _build(name, fmt, folder, path)
        return open(path, "rb"), stamp


def _build(name: str, fmt: str, folder: Path, path: Path) -> None:
    write, _ = FORMATS[fmt]
    handle, partial = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=f".{fmt}")
    os.close(handle)
    try:
        with transaction.atomic():
            write(DATASETS[name], Path(partial))
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    for older in folder.glob(f"{name}-*.{fmt}"):
        if older != path:
            older.unlink(missing_ok=True)
    # What a build killed half-way left behind (no build runs for an hour).
    for left in folder.glob(".*"):
        if left.stat().st_mtime < time.time() - 3600:
            left.unlink(missing_ok=True)
