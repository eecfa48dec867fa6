"""Dates as statements write them: '12 October 2022', '10-11 October 2022', '10 to 11 October 2022',
'October 12, 2022', '21 and 23 September 2021', '30 September - 2 October 2022', 'OCTOBER 12, 2022',
'2023-03-15' and '15/03/2023' (day first, as the forum's members write it).

Every pattern is linear: each repetition is bounded and no two quantifiers compete for the same text."""

import datetime
import re
from collections import Counter
from dataclasses import dataclass

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_FULL = "January|February|March|April|June|July|August|September|October|November|December"
_SHORT = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
# Full names in any case ("NOVEMBER"); "May" and short forms capitalised or in capitals only, so the
# verb "may" and words like "mar" are not dates.
M = rf"(?:(?i:{_FULL})|May|MAY|(?:{_SHORT}|{_SHORT.upper()})\.?)(?![A-Za-z])"
D = r"(?<![\d.])\d{1,2}(?:st|nd|rd|th)?(?![\d:/])"
Y = r"(?:19|20)\d{2}(?!\d)"
DASH = r"\s{0,3}(?:-|–|—|to|until|through)\s{0,3}"

# In order of preference when two start at the same place.
PATTERNS = [
    re.compile(rf"(?P<d1>{D})\s+(?P<m1>{M})(?:,?\s+(?P<y1>{Y}))?{DASH}(?P<d2>{D})\s+(?P<m2>{M})(?:,?\s+(?P<y>{Y}))?"),
    re.compile(rf"(?P<d1>{D}){DASH}(?P<d2>{D})\s+(?P<m>{M})(?:,?\s+(?P<y>{Y}))?"),
    re.compile(rf"(?P<days>{D}(?:\s?,\s?{D}){{0,10}}\s?,?\s?and\s{{1,3}}{D})\s+(?P<m>{M})(?:,?\s+(?P<y>{Y}))?"),
    re.compile(rf"(?P<m>{M})\s+(?P<d1>{D}){DASH}(?P<d2>{D}),?\s+(?P<y>{Y})"),
    re.compile(rf"(?P<m>{M})\s+(?P<d1>{D}),?\s+(?P<y>{Y})"),
    re.compile(rf"(?P<d1>{D})\s+(?P<m>{M})(?:,?\s+(?P<y>{Y}))?"),
    re.compile(r"(?<![\d/.-])(?P<iy>(?:19|20)\d{2})-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?![\d-])"),
    re.compile(r"(?<![\d/.-])(?P<id>\d{1,2})/(?P<im>\d{1,2})/(?P<iy>(?:19|20)\d{2})(?![\d/])"),
]
YEAR = re.compile(rf"\b{Y}\b")


@dataclass
class DateMention:
    text: str
    start: int  # position in the text searched
    days: list  # every day, sorted; empty when the mention could not be read
    problem: str = ""  # why it could not be read
    year_inferred: bool = False  # the mention gave no year: it was taken from the rest of the text

    @property
    def first(self):
        return self.days[0] if self.days else None

    @property
    def last(self):
        return self.days[-1] if self.days else None


def _day(value: str) -> int:
    return int(re.match(r"\d+", value).group())


def _month(value: str) -> int:
    return MONTHS[value.rstrip(".").lower()]


def likely_year(text: str) -> int | None:
    """The year a statement is about: the one it names most often (the latest on a tie)."""
    years = Counter(int(y) for y in YEAR.findall(text))
    if not years:
        return None
    return max(years, key=lambda year: (years[year], year))


def _days_of(match: re.Match, default_year: int | None) -> tuple[list, str]:
    groups = match.groupdict()
    if groups.get("iy"):
        return [datetime.date(int(groups["iy"]), int(groups["im"]), int(groups["id"]))], ""
    year = groups.get("y") or groups.get("y1")
    if year is None and default_year is None:
        return [], "the date has no year and the statement names none"
    year = int(year) if year else default_year
    if groups.get("m1"):
        start = datetime.date(int(groups["y1"] or year), _month(groups["m1"]), _day(groups["d1"]))
        end = datetime.date(year, _month(groups["m2"]), _day(groups["d2"]))
        return _span(start, end)
    month = _month(groups["m"])
    if groups.get("days"):
        days = sorted({datetime.date(year, month, _day(d)) for d in re.findall(r"\d{1,2}", groups["days"])})
        return days, ""
    start = datetime.date(year, month, _day(groups["d1"]))
    if groups.get("d2"):
        return _span(start, datetime.date(year, month, _day(groups["d2"])))
    return [start], ""


def _span(start, end) -> tuple[list, str]:
    if end < start:
        return [], "the range ends before it starts"
    if (end - start).days > 366:
        return [], "the range is longer than a year"
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)], ""


def find_dates(text: str, default_year: int | None = None) -> list[DateMention]:
    """Every date mention in the text, left to right, none overlapping."""
    candidates = []
    for priority, pattern in enumerate(PATTERNS):
        for match in pattern.finditer(text):
            candidates.append((match.start(), priority, -len(match.group()), match))
    candidates.sort(key=lambda c: c[:3])
    mentions, taken_until = [], -1
    for start, _priority, _length, match in candidates:
        if start < taken_until:
            continue
        try:
            days, problem = _days_of(match, default_year)
        except ValueError:
            days, problem = [], "no such day in the calendar"
        groups = match.groupdict()
        inferred = bool(days) and not (groups.get("y") or groups.get("y1") or groups.get("iy"))
        mentions.append(DateMention(match.group(), start, days, problem, year_inferred=inferred))
        taken_until = match.end()
    return mentions
