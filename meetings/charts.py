"""Geometry for the server-rendered SVG pictures of meetings: who took part, and when.

Templates in templates/includes/ draw what these functions compute; no JavaScript, no CDN. Each
picture keeps its natural size and scrolls inside its own box on a narrow screen, so its text
stays at 12 px on a phone instead of shrinking with the page; each has a table or list giving the
same figures in words.
"""

import datetime
from dataclasses import dataclass, field

from core.text import ordinal_numeral

from .models import Attendance, Membership

MATRIX_MEETINGS = 12  # columns of the participation matrix: the latest published meetings
CELL_WIDTH = 46  # room for "2022" in 12 px text, unrotated
CELL_HEIGHT = 24
LABEL_WIDTH = 170
HEADER_HEIGHT = 58  # three lines: year, ordinal, body

# One letter per role inside a cell; in person filled, virtual outlined, mode not recorded grey.
ROLE_LETTERS = {
    Attendance.Role.MEMBER: "M",
    Attendance.Role.OBSERVER: "O",
    Attendance.Role.GUEST: "G",
    Attendance.Role.EXPERT: "E",
    Attendance.Role.HOST: "H",
    Attendance.Role.SECRETARIAT: "S",
}


@dataclass
class Cell:
    x: int
    attendance: Attendance | None = None

    @property
    def letter(self) -> str:
        return ROLE_LETTERS.get(self.attendance.role, "?") if self.attendance else ""

    @property
    def mode_class(self) -> str:
        if self.attendance is None:
            return "absent"
        return self.attendance.mode or "unknown"

    @property
    def words(self) -> str:
        """ "Member, in person", "Observer, virtually", "Member" (mode not recorded), "Did not attend"."""
        if self.attendance is None:
            return "Did not attend"
        role = self.attendance.get_role_display()
        return f"{role}, {self.attendance.get_mode_display().lower()}" if self.attendance.mode else role


@dataclass
class MatrixRow:
    party: object
    group: str
    y: int
    cells: list


@dataclass
class Matrix:
    meetings: list
    rows: list = field(default_factory=list)
    groups: list = field(default_factory=list)  # (heading, y) of each group's heading line
    columns: list = field(default_factory=list)  # (meeting, x, year, ordinal, body)
    width: int = 0
    height: int = 0

    @property
    def attended(self) -> int:
        return sum(1 for row in self.rows for cell in row.cells if cell.attendance)


def participation_matrix(meetings_queryset, states, organisations) -> Matrix:
    """Every member and observer (states, then organisations) by the latest meetings, each cell
    the party's role and mode there. `states` and `organisations` are the caller's loaded lists
    (members and observers); two queries here whatever the size."""
    meetings = list(meetings_queryset.select_related("body").order_by("-start_date", "-pk")[:MATRIX_MEETINGS])
    meetings.reverse()
    found = {}
    for attendance in Attendance.objects.filter(meeting__in=meetings).only(
        "meeting_id", "state_id", "organisation_id", "role", "mode"
    ):
        key = ("state", attendance.state_id) if attendance.state_id else ("organisation", attendance.organisation_id)
        found[(key, attendance.meeting_id)] = attendance
    matrix = Matrix(meetings=meetings)
    for index, meeting in enumerate(meetings):
        x = LABEL_WIDTH + index * CELL_WIDTH + CELL_WIDTH // 2
        ordinal = ordinal_numeral(meeting.number) if meeting.number else meeting.start_date.strftime("%b")
        matrix.columns.append((meeting, x, meeting.start_date.year, ordinal, meeting.body.acronym or ""))
    groups = [
        ("Member states", "state", [s for s in states if s.membership == Membership.MEMBER]),
        ("Observer states", "state", [s for s in states if s.membership == Membership.OBSERVER]),
        ("Member organisations", "organisation", [o for o in organisations if o.membership == Membership.MEMBER]),
        ("Observer organisations", "organisation", [o for o in organisations if o.membership == Membership.OBSERVER]),
    ]
    y = HEADER_HEIGHT
    for heading, kind, parties in groups:
        if not parties:
            continue
        matrix.groups.append((heading, y + CELL_HEIGHT - 8))
        y += CELL_HEIGHT
        for party in parties:
            cells = [
                Cell(x=x, attendance=found.get(((kind, party.pk), meeting.pk))) for meeting, x, *_ in matrix.columns
            ]
            matrix.rows.append(MatrixRow(party=party, group=heading, y=y + CELL_HEIGHT // 2, cells=cells))
            y += CELL_HEIGHT
    matrix.width = LABEL_WIDTH + len(meetings) * CELL_WIDTH + 4
    matrix.height = y + 4
    return matrix


MARK = 14  # a mark's width; two marks closer than this share no lane
LANE_HEIGHT = 20


@dataclass
class Mark:
    kind: str  # "meeting" or "exercise"
    label: str
    url: str
    x: int
    y: int
    day: datetime.date


@dataclass
class Timeline:
    marks: list
    ticks: list  # (year, x)
    width: int = 720
    height: int = 90
    axis_y: int = 0

    @property
    def meetings(self) -> int:
        return sum(1 for m in self.marks if m.kind == "meeting")

    @property
    def exercises(self) -> int:
        return sum(1 for m in self.marks if m.kind == "exercise")


YEAR_WIDTH = 110  # px per year: room for a year's label and a few marks apart


def body_timeline(meetings, exercises) -> Timeline:
    """Meetings and exercises of a body on one time axis, a tick per year. A mark that would touch
    one already placed goes up a lane, so no mark ever hides another (an exercise held the day
    before a meeting sits above it)."""
    events = [("meeting", m.display_title, m.get_absolute_url(), m.start_date) for m in meetings]
    events += [("exercise", e.title, e.get_absolute_url(), e.start_date) for e in exercises]
    if not events:
        return Timeline(marks=[], ticks=[])
    first_year = min(day for *_, day in events).year
    last_year = max(day for *_, day in events).year + 1
    start, end = datetime.date(first_year, 1, 1), datetime.date(last_year, 1, 1)
    margin = 24
    width = max(320, (last_year - first_year) * YEAR_WIDTH + 2 * margin)
    span = (end - start).days

    def x_of(day: datetime.date) -> int:
        return margin + round((day - start).days / span * (width - 2 * margin))

    lanes: list[list[int]] = []  # the x of each mark placed in each lane
    placed = []
    for kind, label, url, day in sorted(events, key=lambda e: (e[3], e[0])):
        x = x_of(day)
        lane = next((n for n, xs in enumerate(lanes) if all(abs(x - other) > MARK + 2 for other in xs)), None)
        if lane is None:
            lanes.append([])
            lane = len(lanes) - 1
        lanes[lane].append(x)
        placed.append((kind, label, url, x, lane, day))
    axis_y = 16 + len(lanes) * LANE_HEIGHT
    marks = [
        Mark(kind, label, url, x, axis_y - 12 - lane * LANE_HEIGHT, day) for kind, label, url, x, lane, day in placed
    ]
    ticks = [(year, x_of(datetime.date(year, 1, 1))) for year in range(first_year, last_year + 1)]
    return Timeline(marks=marks, ticks=ticks, width=width, height=axis_y + 30, axis_y=axis_y)
