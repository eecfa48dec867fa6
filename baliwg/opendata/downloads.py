"""Downloads of published data as CSV, XLSX and JSON: meetings, attendance by party, exercises,
and work-plan items with their latest status.

Only published records; never a person. A CSV or XLSX cell that a spreadsheet would run as a
formula is neutralised; CSV is UTF-8 with a byte-order mark so that Excel reads it as UTF-8.

Each file is written once per content stamp, row by row into a file on disk (CSV and JSON as
text streams, XLSX in openpyxl's write-only mode, rows read from the database in chunks), and
served from there as a stream: memory stays bounded whatever the number of rows, and however
many visitors (or random query strings) ask for it, it is built once until the records change.
"""

import csv
import fcntl
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import OuterRef, Prefetch, Subquery
from openpyxl import Workbook

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


def attendance_rows():
    rows = (
        Attendance.objects.filter(meeting__in=Meeting.objects.published())
        .select_related("meeting__body", "state", "organisation")
        .order_by("meeting__start_date", "meeting_id", "state__name", "organisation__name")
    )
    for a in rows.iterator(chunk_size=CHUNK):
        yield {
            "meeting": a.meeting.slug,
            "meeting_date": a.meeting.start_date,
            "body_acronym": a.meeting.body.acronym,
            "party_type": "state" if a.state_id else "organisation",
            "party": a.state.name if a.state_id else a.organisation.name,
            "party_code": a.state.iso_code if a.state_id else a.organisation.acronym,
            "role": a.get_role_display(),
            "mode": a.get_mode_display(),
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
        return columns, ([row[c] for c in columns] for row in self.rows())


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
        for row in rows:
            writer.writerow(["" if v is None else neutralise(v if isinstance(v, int | float) else str(v)) for v in row])


def write_xlsx(dataset: Dataset, path: Path) -> None:
    columns, rows = dataset.table()
    workbook = Workbook(write_only=True)  # rows go to disk as they come
    sheet = workbook.create_sheet(dataset.name)
    sheet.append(columns)
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    workbook.save(path)


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


def built_file(name: str, fmt: str) -> Path:
    """The file of a download for today's content stamp, written if it is not there yet.

    One writer at a time per download (a file lock, so also between workers): the others wait and
    then read what it wrote. Files of older stamps are removed once the new one is in place (a
    reader still streaming one keeps its open file)."""
    stamp = f"{content_stamp():.6f}"
    folder = downloads_dir()
    path = folder / f"{name}-{stamp}.{fmt}"
    if path.exists():
        return path
    with open(folder / f"{name}.{fmt}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            write, _ = FORMATS[fmt]
            handle, partial = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=f".{fmt}")
            os.close(handle)
            try:
                write(DATASETS[name], Path(partial))
                os.replace(partial, path)
            finally:
                if os.path.exists(partial):
                    os.unlink(partial)
            for older in folder.glob(f"{name}-*.{fmt}"):
                if older != path:
                    older.unlink(missing_ok=True)
    return path
