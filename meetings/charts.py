"""Geometry for the server-rendered SVG pictures of meetings: who took part, and when.

Templates in templates/includes/ draw what these functions compute; no JavaScript, no CDN.
"""

import datetime
from dataclasses import dataclass, field

from .models import Attendance

MATRIX_MEETINGS = 12  # columns of the participation matrix: the latest published meetings
CELL = 22
LABEL_WIDTH = 150
HEADER_HEIGHT = 90


@dataclass
class Matrix:
    meetings: list
    rows: list = field(default_factory=list)  # (state, [attended?, ...], y)
    width: int = 0
    height: int = 0
    columns: list = field(default_factory=list)  # (meeting, x)


def participation_matrix(meetings_queryset) -> Matrix:
    """States by the latest meetings: a dot where the state attended. Two queries whatever the size."""
    meetings = list(meetings_queryset.select_related("body").order_by("-start_date", "-pk")[:MATRIX_MEETINGS])
    meetings.reverse()
    attended = {}
    for attendance in Attendance.objects.filter(meeting__in=meetings, state__isnull=False).select_related("state"):
        attended.setdefault(attendance.state, set()).add(attendance.meeting_id)
    states = sorted(attended, key=lambda state: state.name)
    matrix = Matrix(meetings=meetings)
    matrix.columns = [(meeting, LABEL_WIDTH + index * CELL + CELL // 2) for index, meeting in enumerate(meetings)]
    for index, state in enumerate(states):
        y = HEADER_HEIGHT + index * CELL + CELL // 2
        cells = [(meeting.pk in attended[state], x) for meeting, x in matrix.columns]
        matrix.rows.append((state, cells, y))
    matrix.width = LABEL_WIDTH + len(meetings) * CELL + 60  # room for the last slanted label
    matrix.height = HEADER_HEIGHT + len(states) * CELL + 10
    return matrix


@dataclass
class Timeline:
    marks: list  # (kind, label, url, x, date text)
    ticks: list  # (year, x)
    width: int = 720
    height: int = 90


def body_timeline(meetings, exercises, width: int = 720) -> Timeline:
    """Meetings and exercises of a body on one time axis, a tick per year."""
    events = [("meeting", m.display_title, m.get_absolute_url(), m.start_date) for m in meetings]
    events += [("exercise", e.title, e.get_absolute_url(), e.start_date) for e in exercises]
    if not events:
        return Timeline(marks=[], ticks=[], width=width)
    first_year = min(day for *_, day in events).year
    last_year = max(day for *_, day in events).year + 1
    start, end = datetime.date(first_year, 1, 1), datetime.date(last_year, 1, 1)
    span = (end - start).days
    margin = 20

    def x_of(day: datetime.date) -> int:
        return margin + round((day - start).days / span * (width - 2 * margin))

    marks = [(kind, label, url, x_of(day), day) for kind, label, url, day in sorted(events, key=lambda e: e[3])]
    ticks = [(year, x_of(datetime.date(year, 1, 1))) for year in range(first_year, last_year + 1)]
    return Timeline(marks=marks, ticks=ticks, width=width)
