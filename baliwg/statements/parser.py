"""Read a co-chairs' statement into a draft: the meeting, who co-chaired and attended, the exercises
held with it and the forward work plan. Deterministic rules over the registry; no network.

Everything the rules could not resolve is listed in `unresolved` with its sentence, never dropped.
Parsing never writes to the database; importer.py turns a reviewed draft into records.
"""

import bisect
import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from core.layout import Section, split_sections, split_sentences
from core.text import ORDINAL_WORDS
from meetings.models import Attendance, Body, Exercise, Meeting, Membership, Organisation

from .dates import MONTHS, DateMention, find_dates, likely_year
from .places import country_code
from .resolver import Found, Resolver, demonym_code, words

MAX_CHARACTERS = 200_000

EXERCISE_KINDS = [
    (Exercise.Kind.TABLE_TOP, r"table[- ]?top\s+exercise|\bttx\b"),
    (Exercise.Kind.WEBINAR, r"webinar"),
    (Exercise.Kind.WORKSHOP, r"workshop"),
    (Exercise.Kind.TRAINING, r"training"),
]
WORKPLAN_HEADING = re.compile(r"work\s*plan|future priorities|next steps|way forward|action items|outcomes", re.I)
ITEM_KINDS = [
    ("period_of_action", r"period of action"),
    ("investigation_plan", r"investigation plan"),
    ("training", r"^training|\btraining\b"),
    ("workshop", r"^workshops?\b|\bworkshop"),
    ("exercise", r"exercise"),
    ("research", r"^research|\bstudy\b|\bmapping\b|\banalysis\b"),
    ("product", r"\bguide\b|\btoolkit\b|\bhandbook\b|\bmanual\b|\breport\b|\bguidelines\b"),
    ("meeting", r"\bmeeting\b|\bdialogue\b|\broundtable\b|\bforum\b"),
]
NUMBER_WORDS = {
    word: number
    for number, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
PARTICIPATION_CUE = re.compile(
    r"participa(?:t|nt)|attend|took part|present|represent|join(?:ed|ing)|delegat|observer|briefed|heard from|"
    r"speakers?\b|member states? (?:were|was)",
    re.I,
)


@dataclass
class Unresolved:
    text: str
    sentence: str
    context: str  # what it was meant to be: participant, co-chair, observer, expert, facilitator, theme, date ...
    exercise: int | None = None  # for an expert or facilitator: which exercise of the draft
    alias: str = ""  # an acronym the statement gave in brackets after the name
    state: str = ""  # ISO code of the state an unknown agency belongs to ('... of Cambodia', 'Thai ...')


@dataclass
class DraftExercise:
    kind: str
    title: str
    start_date: object = None
    end_date: object = None
    days: list = field(default_factory=list)
    participant_count: int | None = None
    member_state_count: int | None = None
    sectors: list = field(default_factory=list)
    focus_areas: list = field(default_factory=list)
    themes: list = field(default_factory=list)
    bodies: list = field(default_factory=list)
    facilitators: list = field(default_factory=list)  # states and organisations
    experts: list = field(default_factory=list)
    scenario: str = ""
    sources: dict = field(default_factory=dict)


@dataclass
class DraftItem:
    title: str
    kind: str
    label: str = ""
    status: str = "suggested"
    parent: str = ""
    topic: str = ""
    target_period: str = ""
    source: str = ""


@dataclass
class Draft:
    body: Body | None = None
    kind: str | None = None
    number: int | None = None
    days: list = field(default_factory=list)
    format: str | None = None
    venue_city: str = ""
    venue_country: str = ""
    declared_participants: int | None = None
    declared_states: int | None = None
    declared_organisations: int | None = None
    co_chairs: list = field(default_factory=list)  # states
    co_chair_agencies: dict = field(default_factory=dict)  # state pk -> agency
    states: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    observers: list = field(default_factory=list)  # states and organisations
    exercises: list = field(default_factory=list)
    items: list = field(default_factory=list)
    unresolved: list = field(default_factory=list)
    sources: dict = field(default_factory=dict)  # field name -> the sentence it came from
    statement: str = ""
    flags: list = field(default_factory=list)  # fields the statement did not give: "body", "dates", "kind"
    inferred: dict = field(default_factory=dict)  # facts not written but inferred: {"year": 2024}
    joint_bodies: list = field(default_factory=list)  # every body of a joint meeting, `body` first

    @property
    def start_date(self):
        return self.days[0] if self.days else None

    @property
    def end_date(self):
        return self.days[-1] if self.days else None

    @property
    def is_meeting(self) -> bool:
        """A statement is about a meeting when it names a body and when the meeting was held."""
        return self.body is not None and self.start_date is not None

    @property
    def readable(self) -> bool:
        """A statement of a meeting at all: it names a meeting, a body or a date. A draft that is
        readable but not `is_meeting` goes to review with its `flags`; only an unreadable text is refused."""
        return bool(self.kind or self.body or self.days)

    def title(self) -> str:
        if not self.body or not self.kind:
            return ""
        return Meeting(body=self.body, kind=self.kind, number=self.number).display_title

    def role_of(self, party) -> str:
        """The role a party had at the meeting, as the statement tells or its membership implies."""
        if party in self.observers:
            return Attendance.Role.OBSERVER
        if isinstance(party, Organisation) and party.kind == Organisation.Kind.SECRETARIAT:
            return Attendance.Role.SECRETARIAT
        if party.membership == Membership.MEMBER or party in self.co_chairs:
            return Attendance.Role.MEMBER
        if party.membership == Membership.OBSERVER:
            return Attendance.Role.OBSERVER
        return Attendance.Role.GUEST

    def to_json(self) -> dict:
        return {
            "body": self.body.slug if self.body else None,
            "meeting": {
                "kind": self.kind,
                "number": self.number,
                "title": self.title() or None,
                "start_date": _iso(self.start_date),
                "end_date": _iso(self.end_date),
                "dates": [_iso(d) for d in self.days],
                "format": self.format,
                "venue_city": self.venue_city or None,
                "venue_country": self.venue_country or None,
                "declared_counts": {
                    "participants": self.declared_participants,
                    "states": self.declared_states,
                    "organisations": self.declared_organisations,
                },
            },
            "co_chairs": [s.iso_code for s in self.co_chairs],
            "states": [s.iso_code for s in self.states],
            "organisations": [_code(o) for o in self.organisations],
            "observers": [_code(p) for p in self.observers],
            "exercises": [
                {
                    "kind": e.kind,
                    "title": e.title,
                    "start_date": _iso(e.start_date),
                    "end_date": _iso(e.end_date),
                    "participant_count": e.participant_count,
                    "member_state_count": e.member_state_count,
                    "sectors": [s.name for s in e.sectors],
                    "facilitators": [_code(p) for p in e.facilitators],
                    "experts": [_code(p) for p in e.experts],
                    "themes": [t.name for t in e.themes],
                    "focus_areas": [f.name for f in e.focus_areas],
                    "bodies": [b.slug for b in e.bodies],
                    "scenario": e.scenario or None,
                }
                for e in self.exercises
            ],
            "workplan_items": [
                {
                    "title": i.title,
                    "kind": i.kind,
                    "label": i.label or None,
                    "status": i.status,
                    "parent": i.parent or None,
                    "topic": i.topic or None,
                    "target_period": i.target_period or None,
                }
                for i in self.items
            ],
            "unresolved": [_unresolved_json(u) for u in self.unresolved],
            "flags": list(self.flags),
            "inferred": dict(self.inferred),
            "joint_bodies": [b.slug for b in self.joint_bodies],
        }


def _unresolved_json(u: Unresolved) -> dict:
    out = {"text": u.text, "sentence": u.sentence, "context": u.context}
    if u.alias:
        out["alias"] = u.alias
    if u.state:
        out["state"] = u.state
    return out


def _iso(day):
    return day.isoformat() if day else None


def _code(party) -> str:
    """ISO code of a state; acronym (or name) of an organisation."""
    return getattr(party, "iso_code", None) or party.acronym or party.name


def _add(collection: list, *objects) -> None:
    for obj in objects:
        if obj not in collection:
            collection.append(obj)


TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
NAME_CONNECTORS = {"of", "the", "for", "on", "and", "in", "de", "du", "la", "des"}


def _number(value: str) -> int:
    """'12', 'twelve', 'twenty-five'."""
    value = value.lower()
    if value.isdigit():
        return int(value)
    tens, _, unit = value.partition("-")
    if tens in TENS:
        return TENS[tens] + (NUMBER_WORDS[unit] if unit else 0)
    return NUMBER_WORDS[value]


def _clean_title(text: str) -> str:
    text = " ".join(text.split()).strip(" ;,.")
    return text[:1].upper() + text[1:]


# --- reading meetings ------------------------------------------------------------------------------

MEETING_GROUPS = [
    (str(Meeting.Kind.ANNUAL), "annual"),
    (str(Meeting.Kind.SENIOR_OFFICIALS), "som"),
    (str(Meeting.Kind.MINISTERIAL), "ministerial"),
    (str(Meeting.Kind.TECHNICAL), "technical"),
    (str(Meeting.Kind.AD_HOC), "adhoc"),
    (str(Meeting.Kind.OTHER), "other"),
]
MEETING_MENTION = re.compile(
    r"\b(?:(?P<annual>annual\s+meeting)|(?P<som>senior\s+officials?['’]?\s+meeting"
    r"|meeting\s+of\s+(?:the\s+)?(?:(?<![\w-])[\w-]+\s+){0,6}?senior\s+officials\b)"
    r"|(?P<ministerial>ministerial\s+(?:conference|meeting))|(?P<technical>technical\s+meeting)"
    r"|(?P<adhoc>ad\s+hoc\s+meeting)|(?P<other>meeting))\b",
    re.I,
)
EVENT_MENTION = re.compile(r"\b(?:table[- ]?top\s+exercise|webinar|workshop|training\s+(?:course|session))s?\b", re.I)
EXERCISE_NAME = re.compile(
    r"\b(?:(?:a|an|the|two|three)\s+)?(?:(?<![\w-])[\w-]+\s+){0,3}?"
    r"(?P<name>(?:table[- ]?top\s+exercise|webinar|workshop|training)s?(?:\s+(?:on|about)\s+[^,.;]+)?)",
    re.I,
)
ORDINAL_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
PARENTHESISED_ORDINAL = re.compile(r"\s{0,3}\((?:the\s+)?(\d{1,3}(?:st|nd|rd|th)|[a-z-]{3,20})\)", re.I)
JOINT = re.compile(r"\bjoint\s+(?:annual\s+|technical\s+)?meeting\b|\bheld\s+a\s+joint\b", re.I)
# A meeting the text places before this one or after it: 'recalled the outcomes of the ...', 'the next ...',
# '... which will be held in Manila'. Read within the clause, so a second clause can still be the meeting.
EARLIER_OR_LATER = re.compile(
    r"\b(?:recall\w*|previous|preceding|last|earlier|prior\s+to|building\s+on|outcomes?\s+of|following|since|"
    r"ahead\s+of|before|after|next|upcoming|forthcoming|future|towards|host(?:ing)?|offer\w*|report\w*\s+to|"
    r"look\w*\s+forward|founded|established|until|at\s+its\s+last)\b",
    re.I,
)
LATER_AFTER = re.compile(
    r"^[\s,]{0,3}(?:(?:which|that)\s+)?(?:will|would|shall|is\s+to|are\s+to|to\s+be|is\s+scheduled|again)\b", re.I
)
PLANNED = re.compile(r"\b(?:suggest\w*|propos\w*|future|will|plan\s+to|plans?\s+for|agreed\s+to\s+hold)\b", re.I)
ONLINE = re.compile(
    r"\bvirtual(?:ly)?\b(?!\s+(?:asset|currenc))|\bremotely\b|video[\s-]?conferenc|\bvia\s+(?:zoom|teams|webex)\b"
    r"|\bonline\s+(?:format|meeting|workshop|webinar|session|platform|conference|event|dialogue|training)\b"
    r"|\bonline(?=\s{0,3}(?:[.,;)]|$|and\b|from\b|via\b|on\b|in\b|while\b|with\b|only\b))",
    re.I,
)
VENUE = re.compile(
    r"\b(?:in|at)\s+(?P<city>[A-Z][\w'’.-]*(?:\s[A-Z][\w'’.-]*){0,3})"
    r"(?:,\s{0,3}(?P<country>[A-Z][\w'’-]*(?:\s[A-Z][\w'’-]*){0,3}))?"
)
COUNT_CUE = re.compile(r"brought\s+together|gathered|welcomed|comprising", re.I)
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
NUMBER = rf"(?:\d{{1,4}}|(?:{_TENS})(?:-(?:{_UNITS}))?|{_TEENS}|{_UNITS}|zero)"
COUNT = rf"(?P<n>\d{{1,4}}|(?:{_TENS})(?:-(?:{_UNITS}))?|{_TEENS}|{_UNITS}|zero)"
PARTICIPANT_COUNT = re.compile(
    rf"\b{COUNT}\s+(?:[a-z]+\s+)?(?:participants|delegates|officials|representatives|attendees|people)\b"
)
STATE_COUNT = re.compile(
    rf"\b{COUNT}\s+(?:bali\s+process\s+|participating\s+|different\s+)?(?:member\s+states|member\s+countries|states|countries)\b"
)
MEMBER_COUNT = re.compile(
    rf"\b{COUNT}\s+(?:bali\s+process\s+|working\s+group\s+|participating\s+)?members\b(?!\s+and\s+observers)"
)
ORGANISATIONS_AMONG = re.compile(
    rf",?\s{{1,3}}(?:including\s+|(?={NUMBER}\s+of\s+(?:them|which|whom)\b)){COUNT}(?:\s+of\s+(?:them|which|whom))?"
    r"(?:\s+(?:were|being|as))?"
    r"\s+(?:[a-z]+\s+)?organi[sz]ations\b"
)
ORGANISATION_COUNT = re.compile(rf"\b{COUNT}\s+(?:[a-z]+\s+)?organi[sz]ations\b")
COCHAIRED_BY = re.compile(r"\bco-?chair(?:ed|s)?\s+by\s+|\bco-?chair(?:man|person|wo)?ship\s+of\s+", re.I)
COCHAIRS_APPOSITIVE = re.compile(r"\bco-?chairs?\s*,\s*", re.I)
# 'New Zealand and Viet Nam, Co-Chairs of the Working Group, convened ...', 'A and B, the Taskforce Co-Chairs, led'
LIST_THEN_COCHAIRS = re.compile(r",\s{0,3}(?:the\s+)?(?:[A-Z][\w-]*\s+){0,3}?[Cc]o-?[Cc]hairs?\b")
COCHAIRED = re.compile(r"\bco-?chaired\b|\b(?:as|were|are)\s+(?:the\s+)?co-?chairs\b", re.I)
WORDINGS_OF_COCHAIRS = [
    (COCHAIRED_BY, True),
    (COCHAIRS_APPOSITIVE, True),
    (LIST_THEN_COCHAIRS, False),
    (COCHAIRED, False),
]
AS_OBSERVERS = re.compile(r"\bas\s+(?:an?\s+)?observers?\b", re.I)
OBSERVER_VERB = re.compile(
    r"[\s,]*(?:(?:also|both)\s+)?(?:attended|attending|participated|participating|joined|joining|took\s+part|"
    r"taking\s+part|were\s+present|was\s+present|were\s+represented|was\s+represented|present)?\s*$",
    re.I,
)
OBSERVERS_WERE = re.compile(r"\bobservers?\s+(?:included|including|were|from)\s+|\bobservers?\s*:\s*", re.I)
# (?<!\s) before a run of spaces: the run is tried once from its start, not from each of its spaces.
LIST_SPLIT = re.compile(r",\s{0,3}(?:and\s+|as\s+well\s+as\s+)?|(?<!\s)\s+(?:and|as\s+well\s+as)\s+")
LIST_LEAD = re.compile(
    r"^(?:(?:the|with|and|also|while|including|both|as\s+well\s+as|its|their|through|by|"
    r"governments?\s+of|representatives?\s+of|delegations?\s+(?:of|from)|officials?\s+from)\s+)+",
    re.I,
)
ACRONYM_AFTER = re.compile(r"\s{0,3}\(([A-Z][A-Za-z0-9&-]{1,11})\)")
WORKPLAN_LEAD_IN = re.compile(
    r"work\s*plan|agreed\s+(?:the\s+following|to)\b|the\s+following\s+(?:activities|actions|priorities|items)|"
    r"next\s+steps|future\s+activities|way\s+forward",
    re.I,
)
HYPHENS = {ord(c): "-" for c in "\u2010\u2011\u2012\u2043\u2212\ufe63\uff0d"}
SPACES = {
    ord(c): " " for c in "\t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
}
INVISIBLE = {ord(c): None for c in "\u00ad\u200b\u200c\u200d\u2060\ufeff"}
# Words of a statement's own vocabulary: capitalised, but never the name of a party.
VOCABULARY = set(
    [
        "a",
        "an",
        "the",
        "we",
        "it",
        "they",
        "this",
        "these",
        "those",
        "our",
        "its",
        "their",
        "he",
        "she",
        "governments",
        "government",
        "participating",
        "participants",
        "participant",
        "representatives",
        "representative",
        "members",
        "member",
        "states",
        "state",
        "delegations",
        "delegation",
        "delegates",
        "officials",
        "official",
        "senior",
        "co-chairs",
        "co-chair",
        "co-chairs'",
        "chair",
        "chairs",
        "ministers",
        "minister",
        "observers",
        "observer",
        "countries",
        "country",
        "meeting",
        "meetings",
        "annual",
        "ministerial",
        "conference",
        "working",
        "group",
        "taskforce",
        "task",
        "force",
        "ad",
        "hoc",
        "technical",
        "joint",
        "period",
        "action",
        "plan",
        "work",
        "statement",
        "summary",
        "declaration",
        "secretariat",
        "speakers",
        "speaker",
        "experts",
        "expert",
        "session",
        "day",
        "days",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "inaugural",
        "table-top",
        "exercise",
        "exercises",
        "workshop",
        "workshops",
        "webinar",
        "webinars",
        "training",
        "owing",
        "following",
        "before",
        "after",
        "during",
        "on",
        "in",
        "at",
        "both",
        "all",
        "other",
        "each",
        "some",
        "most",
        "building",
        "around",
        "more",
        "over",
        "also",
        "further",
        "however",
        "next",
        "last",
        "first",
        "host",
        "hosts",
        "online",
        "virtual",
        "hybrid",
        "format",
        "date",
        "dates",
        "venue",
        "agenda",
        "item",
        "items",
        "outcomes",
        "outcome",
        "report",
        "reports",
        "participated",
        "attended",
        "organisations",
        "organizations",
        "organisation",
        "organization",
        "forum",
        "process",
        "statement:",
        "chairs'",
        "members'",
        "thanks",
        "welcome",
        "finally",
        "further",
        "additionally",
        "then",
        "there",
        "here",
        "many",
        "several",
    ]
)


@dataclass
class Candidate:
    """A mention of a meeting, and how likely it is to be the meeting the statement is about."""

    kind: str
    number: int | None
    sentence: str
    start: int
    end: int
    index: int
    in_title: bool = False
    demoted: bool = False
    event: str | None = None  # an exercise kind, for a workshop or webinar held on its own
    others: list = field(default_factory=list)
    bodies: list = field(default_factory=list)
    score: int = 0


def normalise(text: str) -> str:
    """Unicode hyphens and spaces as plain ones, compatibility forms folded (NFKC), so that
    'co\u2011chaired' and a non-breaking space in '12\u00a0October' read like any other."""
    text = unicodedata.normalize("NFKC", text.translate(INVISIBLE))
    return text.translate(HYPHENS).translate(SPACES)


def title_block(text: str) -> list[str]:
    """The lines above the first sentence: the title, a dateline, 'Date:' and 'Venue:' lines."""
    lines = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            if lines and len(lines) >= 6:
                break
            continue
        if line.endswith((".", ";")) or len(line.split()) > 30 or LIST_MARK_START.match(line):
            break
        lines.append(line.lstrip("#").strip())
        if len(lines) >= 6:
            break
    return lines


LIST_MARK_START = re.compile(r"^\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})[).]\s|^[-•*–▪◦]\s")


def _first_paragraph(sections: list, title: set) -> list[str]:
    for section in sections:
        for paragraph in section.paragraphs:
            sentences = [s for s in split_sentences(paragraph) if s not in title]
            if sentences:
                return sentences
    return []


def _demoted(sentence: str, start: int, end: int) -> bool:
    """Whether the text places the meeting mentioned at [start, end) before or after the one the
    statement is about."""
    clause_start = max(sentence.rfind(",", 0, start), sentence.rfind(";", 0, start)) + 1
    before = sentence[max(clause_start, start - 100) : start]
    return bool(EARLIER_OR_LATER.search(before) or LATER_AFTER.match(sentence, end))


def _segments(text: str, hits: list) -> list[str]:
    """The pieces of a list ('A, B and the C'), never cutting inside a registry name ('Office on
    Drugs and Crime')."""
    pieces, position = [], 0
    inside = _inside(hits)
    for match in LIST_SPLIT.finditer(text):
        if inside(match.start()):
            continue
        pieces.append(text[position : match.start()])
        position = match.end()
    pieces.append(text[position:])
    return [p.strip() for p in pieces]


def _inside(hits: list):
    """A test whether a position lies strictly inside one of the (ordered, disjoint) hits, in
    logarithmic time."""
    starts = [f.start for f in hits]

    def test(position: int) -> bool:
        index = bisect.bisect_left(starts, position) - 1
        return index >= 0 and hits[index].start < position < hits[index].end

    return test


def _is_vocabulary(phrase: str) -> bool:
    tokens = [w.lower() for w in phrase.replace("’", "'").split()]
    return bool(tokens) and all(
        t in VOCABULARY
        or t.strip("'s") in VOCABULARY
        or t in MONTHS
        or t.rstrip(".") in MONTHS
        or t in ORDINAL_WORDS
        or t in NAME_CONNECTORS
        or re.fullmatch(
            r"[\d,.-]+|\d{1,3}(?:st|nd|rd|th)|"
            + "|".join(NUMBER_WORDS)
            + r"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-\w+)?",
            t,
        )
        for t in tokens
    )


def _is_acronym_in_brackets(sentence: str, start: int, end: int) -> bool:
    return sentence[max(0, start - 1) : start] == "(" and sentence[end : end + 1] == ")"


def _title_case(text: str) -> str:
    return " ".join(w.capitalize() if w.isupper() else w for w in text.split())


EXERCISE_IN_PASSING = re.compile(
    r"\b(?:a|an|the|two|three)\s+(?:(?<![\w-])[\w-]+\s+){0,3}?"
    r"(?P<name>(?:table[- ]?top\s+exercise|webinar|workshop|training)s?(?:\s+(?:on|about)\s+[^,.;]+)?)",
    re.I,
)


class CachedResolver(Resolver):
    """The registry's names found once per text: the parser asks about the same sentence often."""

    def __init__(self):
        super().__init__()
        self._found: dict[str, list] = {}

    def find(self, text: str) -> list[Found]:
        if text not in self._found:
            if len(self._found) > 5000:
                self._found.clear()
            self._found[text] = super().find(text)
        return self._found[text]


MAX_LIST = 1000
MAX_MENTIONS = 20  # meeting mentions read per sentence; a real sentence has one or two


class StatementParser:
    def __init__(self, text: str, *, body: Body | None = None):
        self.text = text[:MAX_CHARACTERS].replace("\x00", "")
        self.draft = Draft(statement=self.text, body=body)
        self.forced_body = body is not None
        self.resolver = CachedResolver()
        self.plain = normalise(self.text)
        self.year = likely_year(self.plain)
        self.current_exercise: int | None = None  # the exercise being read, for unresolved names
        self.venue_spans: dict[str, list] = {}  # sentence -> spans of a place named as a venue

    def parse(self) -> Draft:
        sections = split_sections(self.plain)
        meeting_sections, exercise_sections, plan_sections = [], [], []
        self.title = title_block(self.plain)
        for section in sections:
            if section.heading in self.title:
                meeting_sections.append(section)  # the title names the event itself, even 'Webinar on ...'
            elif section.heading and WORKPLAN_HEADING.search(section.heading):
                plan_sections.append(section)
            elif section.heading and self._exercise_kind(section.heading):
                exercise_sections.append(section)
            else:
                meeting_sections.append(section)
        meeting_sentences = [s for section in meeting_sections for s in section.sentences]
        title_text = " ".join(self.title)
        # A sentence made of title lines (a heading and its dateline joined) is the title, not the body.
        title_set = {s for s in meeting_sentences if s in title_text} | set(self.title)
        body_sentences = [s for s in meeting_sentences if s not in title_set]
        self.first_paragraph = set(_first_paragraph(meeting_sections, title_set))
        self._meeting(body_sentences)
        self._parties(body_sentences)
        for section in exercise_sections:
            self._exercise_section(section)
        self._exercises_in_passing(body_sentences)
        self._standalone_event()
        for section in plan_sections:
            self._work_plan(section)
        for section in meeting_sections:
            if any(WORKPLAN_LEAD_IN.search(item.lead_in) for item in section.items):
                self._work_plan(section, lead_in_only=True)
        self._flag_missing()
        return self.draft

    # --- the meeting ---------------------------------------------------------------------------

    def _candidates(self, sentences: list[str]) -> list[Candidate]:
        """Every mention of a meeting (or, failing one, of an event such as a workshop), scored."""
        found = []
        ordered = [(s, True) for s in self.title] + [(s, False) for s in sentences]
        for index, (sentence, in_title) in enumerate(ordered):
            spans = []
            for match in itertools.islice(MEETING_MENTION.finditer(sentence), MAX_MENTIONS):
                kind = next(k for k, name in MEETING_GROUPS if match.group(name))
                number, start = self._ordinal_before(sentence, match.start())
                if number is None and (m := PARENTHESISED_ORDINAL.match(sentence, match.end())):
                    number = self._ordinal(m.group(1))
                spans.append(Candidate(kind, number, sentence, start, match.end(), index, in_title))
            for candidate in spans:
                candidate.demoted = _demoted(sentence, candidate.start, candidate.end)
                candidate.others = [(c.start, c.end) for c in spans if c is not candidate]
            found.extend(spans)
        if not any(not c.demoted for c in found):
            for index, (sentence, in_title) in enumerate(ordered):
                for match in itertools.islice(EVENT_MENTION.finditer(sentence), MAX_MENTIONS):
                    candidate = Candidate(str(Meeting.Kind.OTHER), None, sentence, match.start(), match.end(), index)
                    candidate.in_title, candidate.event = in_title, self._exercise_kind(match.group())
                    candidate.demoted = _demoted(sentence, match.start(), match.end()) or bool(PLANNED.search(sentence))
                    found.append(candidate)
        for candidate in found:
            bodies = self._bodies_near(candidate)
            candidate.bodies = bodies
            candidate.score = (
                (3 if candidate.in_title else 0)
                + (2 if candidate.sentence in self.first_paragraph else 0)
                + (3 if candidate.kind not in (str(Meeting.Kind.OTHER),) else 0)
                + (1 if candidate.number else 0)
                + (1 if bodies else 0)
                - (10 if candidate.demoted else 0)
            )
        return found

    def _ordinal_before(self, sentence: str, start: int) -> tuple[int | None, int]:
        """The ordinal naming a meeting, read back over the capitalised words of its name:
        'the 21st Ad Hoc Group Senior Officials' Meeting', 'EIGHTH ANNUAL MEETING', 'inaugural meeting'."""
        tokens = list(ORDINAL_WORD.finditer(sentence[max(0, start - 120) : start]))
        offset = max(0, start - 120)
        position = start
        for token in reversed(tokens[-8:]):
            gap = sentence[offset + token.end() : position]
            if gap.strip(" ’'") and not re.fullmatch(r"[\s'’]*", gap):
                break
            word = token.group()
            number = self._ordinal(word)
            if number:
                return number, offset + token.start()
            if not word[:1].isupper():
                break
            position = offset + token.start()
        return None, start

    def _ordinal(self, word: str | None) -> int | None:
        if not word:
            return None
        word = word.lower()
        if re.fullmatch(r"\d{1,3}(st|nd|rd|th)", word):
            return int(word[:-2])
        if word == "inaugural":
            return 1
        return ORDINAL_WORDS.get(word)

    def _bodies_near(self, candidate: Candidate) -> list:
        """The bodies a meeting mention belongs to: named in its own words or nearest to it in its
        sentence, never those inside another meeting the sentence mentions."""
        sentence = candidate.sentence
        found = [
            f
            for f in self.resolver.find(sentence)
            if f.kind == "body" and not any(s <= f.start and f.end <= e for s, e in candidate.others)
        ]

        def distance(f):
            if candidate.start <= f.start and f.end <= candidate.end:
                return 0
            if f.start >= candidate.end:
                return f.start - candidate.end
            return candidate.start - f.end + 1

        # 'the Bali Process Working Group on ...': the forum's name qualifies the body that follows it.
        found = [
            f
            for f in found
            if not (
                f.obj.kind == Body.Kind.FORUM
                and any(g.start > f.start and not sentence[f.end : g.start].strip() for g in found)
            )
        ]
        found.sort(key=lambda f: (distance(f), f.obj.kind == Body.Kind.FORUM))
        return found

    def _meeting(self, sentences: list[str]) -> None:
        draft = self.draft
        candidates = self._candidates(sentences)
        best = max(candidates, key=lambda c: (c.score, -c.index, -c.start), default=None)
        self.best = best
        meeting_sentence = best.sentence if best else ""
        self.meeting_sentence = meeting_sentence
        self.demoted = {c.sentence for c in candidates if c.demoted} - {c.sentence for c in candidates if not c.demoted}
        if best:
            joint = JOINT.search(best.sentence)
            draft.kind = best.kind if not joint or best.kind != str(Meeting.Kind.OTHER) else best.kind
            draft.number = best.number
            draft.sources["kind"] = best.sentence
            if best.number:
                draft.sources["number"] = best.sentence
        if not self.forced_body:
            bodies = best.bodies if best else []
            if best and JOINT.search(best.sentence):
                joint = []
                for f in sorted(bodies, key=lambda f: f.start):
                    if f.obj.kind != Body.Kind.FORUM and f.obj not in joint:
                        joint.append(f.obj)
                if len(joint) >= 2:
                    draft.joint_bodies = joint
                    bodies = [f for f in bodies if f.obj is joint[0]]
            if not bodies:
                for sentence in [*self.title, *[s for s in sentences if s not in self.demoted]]:
                    found = [f for f in self.resolver.find(sentence) if f.kind == "body"]
                    if found:
                        specific = [f for f in found if f.obj.kind != Body.Kind.FORUM]
                        bodies = [(specific or found)[0]]
                        meeting_sentence = meeting_sentence or sentence
                        break
            if bodies:
                draft.body = bodies[0].obj
                draft.sources["body"] = best.sentence if best and bodies[0] in best.bodies else meeting_sentence
        self._dates(sentences)
        self._format_and_venue(sentences)
        self._declared_counts([s for s in sentences if s not in self.demoted])

    def _ordered_sentences(self, sentences: list[str]) -> list[str]:
        """Where to look for the meeting's facts: its own sentence, the title block, the first
        paragraph, then the rest; never a sentence about another meeting."""
        ordered = [self.meeting_sentence, *self.title]
        ordered += [s for s in sentences if s in self.first_paragraph]
        ordered += sentences
        seen, out = set(), []
        for sentence in ordered:
            if sentence and sentence not in seen and sentence not in self.demoted:
                seen.add(sentence)
                out.append(sentence)
        return out

    def _dates(self, sentences: list[str]) -> None:
        for sentence in self._ordered_sentences(sentences):
            for mention in find_dates(sentence, self.year):
                if mention.days:
                    self.draft.days = mention.days
                    self.draft.sources["dates"] = sentence
                    if mention.year_inferred:
                        self.draft.inferred["year"] = mention.days[0].year
                    return
                self._unreadable_date(mention, sentence)
                return

    def _unreadable_date(self, mention: DateMention, sentence: str) -> None:
        self.draft.unresolved.append(Unresolved(f"{mention.text} ({mention.problem})", sentence, "date"))

    def _venue_in(self, sentence: str, *, title: bool) -> tuple[str, str, tuple] | None:
        """A venue a sentence names: 'in Bangkok, Thailand', 'in Denpasar', or a dateline
        'BANGKOK, THAILAND, 14 NOVEMBER 2023'. Only a city of the table or one followed by a state."""
        if title:
            rest = sentence
            for mention in reversed(find_dates(sentence)):
                rest = rest[: mention.start] + rest[mention.start + len(mention.text) :]
            if rest != sentence:
                rest = re.sub(r"^\s*(?:venue|place|location)\s*:\s*", "", rest, flags=re.I)
                parts = [p.strip(" .") for p in rest.split(",") if p.strip(" .")]
                if 1 <= len(parts) <= 2 and len(parts[0].split()) <= 4:
                    city = _title_case(parts[0])
                    country = self._state_name(parts[1]) if len(parts) == 2 else None
                    if country or country_code(city):
                        return city, country or self._country_of(city), (0, len(sentence))
        for match in VENUE.finditer(sentence):
            city = match.group("city").rstrip(".")
            words_ = city.split()
            # 'in Chiang Mai Province' -> the longest run of words that the table knows
            known = next(
                (" ".join(words_[:n]) for n in range(len(words_), 0, -1) if country_code(" ".join(words_[:n]))), ""
            )
            country = self._state_name(match.group("country")) if match.group("country") else None
            if country and not self.resolver.find(city):
                return city, country, match.span()
            if known:
                return known, country or self._country_of(known), match.span()
        return None

    def _state_name(self, phrase: str | None) -> str | None:
        found = self.resolver.resolve(phrase.strip(" .")) if phrase else None
        if found and found.kind == "state" and found.start == 0:
            return found.obj.name
        return None

    def _country_of(self, city: str) -> str:
        code = country_code(city)
        state = self.resolver.states_by_code.get(code) if code else None
        return state.name if state else ""

    def _format_and_venue(self, sentences: list[str]) -> None:
        draft = self.draft
        title = set(self.title)
        for sentence in self._ordered_sentences(sentences):
            venue = self._venue_in(sentence, title=sentence in title)
            if venue:
                self.venue_spans.setdefault(sentence, []).append(venue[2])
                if not draft.venue_city:
                    draft.venue_city, draft.venue_country = venue[0], venue[1] or ""
                    draft.sources["venue"] = sentence
        considered = [s for s in [*self.title, *sentences] if s not in self.demoted]
        text = " ".join(considered)
        online = ONLINE.search(text)
        in_person = re.search(r"\bin[- ]person\b", text, re.I)
        if re.search(r"\bhybrid\b", text, re.I) or (online and (draft.venue_city or in_person)):
            draft.format = Meeting.Format.HYBRID
        elif online:
            draft.format = Meeting.Format.VIRTUAL
        elif draft.venue_city or in_person:
            draft.format = Meeting.Format.IN_PERSON
        if draft.format:
            draft.sources["format"] = next(
                (s for s in considered if re.search(r"hybrid|virtual|online|in[- ]person|video", s, re.I)),
                draft.sources.get("venue", ""),
            )

    def _declared_counts(self, sentences: list[str]) -> None:
        draft = self.draft
        for sentence in sentences:
            if not (PARTICIPATION_CUE.search(sentence) or COUNT_CUE.search(sentence)):
                continue
            lowered = sentence.lower()
            if draft.declared_participants is None and (m := PARTICIPANT_COUNT.search(lowered)):
                draft.declared_participants = _number(m.group("n"))
                draft.sources["declared_participants"] = sentence
            if draft.declared_states is None:
                if m := STATE_COUNT.search(lowered):
                    draft.declared_states = _number(m.group("n"))
                    draft.sources["declared_states"] = sentence
                elif m := MEMBER_COUNT.search(lowered):
                    members = _number(m.group("n"))
                    if q := ORGANISATIONS_AMONG.match(lowered, m.end()):
                        organisations = _number(q.group("n"))
                        members -= organisations
                        draft.declared_organisations = organisations
                        draft.sources["declared_organisations"] = sentence
                    draft.declared_states = max(members, 0)
                    draft.sources["declared_states"] = sentence
            if draft.declared_organisations is None and (m := ORGANISATION_COUNT.search(lowered)):
                draft.declared_organisations = _number(m.group("n"))
                draft.sources["declared_organisations"] = sentence

    # --- who co-chaired and who took part --------------------------------------------------------

    def _parties(self, sentences: list[str]) -> None:
        draft = self.draft
        for sentence in self._ordered_sentences(sentences):
            if self._co_chairs(sentence):
                break
        consumed: dict[str, list] = {}
        for sentence in sentences:
            if sentence in self.demoted:
                continue
            cue = PARTICIPATION_CUE.search(sentence)
            consumed[sentence] = self._unknown_names(sentence, "participant" if cue else "named")
        for sentence in sentences:
            if sentence in self.demoted:
                continue
            for found in self._observers(sentence):
                _add(draft.observers, found.obj)
                self._attend(found.obj)
            if not PARTICIPATION_CUE.search(sentence):
                continue
            skip = consumed.get(sentence, []) + self.venue_spans.get(sentence, [])
            for found in self.resolver.find(sentence):
                if found.kind not in ("state", "organisation"):
                    continue
                if any(s <= found.start and found.end <= e for s, e in skip):
                    continue
                self._attend(found.obj)
            draft.sources.setdefault("participants", sentence)
        for state in draft.co_chairs:
            self._attend(state)

    def _attend(self, party) -> None:
        if getattr(party, "iso_code", None):
            _add(self.draft.states, party)
        else:
            _add(self.draft.organisations, party)

    def _co_chairs(self, sentence: str) -> bool:
        """Co-chairs from 'co-chaired by A and B', 'A and B co-chaired', 'The Co-Chairs, A and B,
        opened', 'under the co-chairmanship of A and B', 'A, through its agency X, and B ...'; the
        list is read up to where it ends."""
        draft = self.draft
        listed = []
        for pattern, forward in WORDINGS_OF_COCHAIRS:
            if not listed and (m := pattern.search(sentence)):
                at = m.end() if forward else m.start()
                listed = self._party_list(sentence, at, forward=forward, context="co-chair")
        if not listed:
            return False
        draft.sources["co_chairs"] = sentence
        for item in listed:
            if isinstance(item, Unresolved):
                if state := self.resolver.demonym_state(item.text):
                    _add(draft.co_chairs, state)
                continue
            if item.kind == "state":
                _add(draft.co_chairs, item.obj)
            elif item.kind == "organisation" and item.obj.state_id:
                state = item.obj.state
                _add(draft.co_chairs, state)
                draft.co_chair_agencies[state.pk] = item.obj
        return bool(draft.co_chairs)

    def _observers(self, sentence: str) -> list[Found]:
        """The parties a clause names as observers: 'with Canada and Fiji as observers', 'France
        attended as an observer', 'observers included A and B'. Only those."""
        found = []
        for m in itertools.islice(AS_OBSERVERS.finditer(sentence), MAX_MENTIONS):
            before = OBSERVER_VERB.sub("", sentence[max(0, m.start() - MAX_LIST) : m.start()])
            found += self._party_list(before, len(before), forward=False, context="observer")
        for m in itertools.islice(OBSERVERS_WERE.finditer(sentence), MAX_MENTIONS):
            found += self._party_list(sentence, m.end(), forward=True, context="observer")
        if found:
            self.draft.sources.setdefault("observers", sentence)
        return [f for f in found if isinstance(f, Found)]

    def _party_list(self, text: str, at: int, *, forward: bool, context: str) -> list:
        """The parties listed from `at` onwards (or backwards up to it): 'A, B and the C'. The list
        ends at the first piece that is neither a known party nor a name; a piece that starts (or,
        read backwards, ends) with a party and goes on with other words closes it."""
        # A list of co-chairs or observers is short: read at most MAX_LIST characters of it.
        part = text[at : at + MAX_LIST] if forward else text[max(0, at - MAX_LIST) : at]
        cut = re.search(r"[.;:]", part) if forward else None
        if cut:
            part = part[: cut.start()]
        elif not forward:
            last = max(part.rfind(";"), part.rfind(":"), part.rfind(". "))
            part = part[last + 1 :]
        pieces = _segments(part, self.resolver.find(part))
        if not forward:
            pieces.reverse()
        out = []
        for piece in pieces:
            cleaned = LIST_LEAD.sub("", piece).strip(" ,")
            cleaned = re.sub(r"\s+\([^)]*\)$", "", cleaned)
            if not cleaned:
                break
            hits = [f for f in self.resolver.find(cleaned) if f.kind in ("state", "organisation")]
            whole = len(hits) == 1 and hits[0].start == 0 and not cleaned[hits[0].end :].strip(" .,")
            if whole:
                out.append(hits[0])
                continue
            if hits and forward and hits[0].start == 0:
                out.append(hits[0])
                break
            if hits and not forward and not cleaned[hits[-1].end :].strip(" .,") and hits[-1].start > 0:
                before = cleaned[: hits[-1].start].strip()
                if not _looks_like_a_name(before) or before.split()[-1] in {"and", "of"}:
                    out.append(hits[-1])
                    break
            if not hits and _looks_like_a_name(cleaned) and not _is_vocabulary(cleaned):
                unresolved = Unresolved(cleaned, text, context, self.current_exercise)
                unresolved.state = demonym_code(cleaned) or ""
                self._report(unresolved)
                out.append(unresolved)
                continue
            break
        if not forward:
            out.reverse()
        return out

    def _parties_in(self, text: str, *, context: str, sentence: str | None = None) -> list[Found]:
        """States and organisations named in a text (an exercise's facilitators or experts); each
        listed name that resolves to nothing is reported."""
        sentence = sentence or text
        named = self.resolver.find(text)
        for chunk, start, end in _list_chunks(text):
            if any(f.start < end and f.end > start for f in named):
                continue  # a known party or body
            if _looks_like_a_name(chunk):
                self._report(Unresolved(chunk, sentence, context, self.current_exercise))
        return [f for f in named if f.kind in ("state", "organisation")]

    def _report(self, unresolved: Unresolved) -> None:
        if not any(u.text == unresolved.text for u in self.draft.unresolved):
            self.draft.unresolved.append(unresolved)

    def _unknown_names(self, sentence: str, context: str) -> list:
        """Names the registry does not know, each reported whole: runs of capitalised words that no
        registry name covers. 'the National Anti-Scam Centre of Cambodia' is an unknown agency of
        Cambodia (not Cambodia itself); an acronym in brackets after a name is offered as its alias.
        Returns the spans of registry names that belong to an unknown name."""
        hits = self.resolver.find(sentence)
        covered = [(f.start, f.end, f) for f in hits]
        consumed = []
        starts = [s for s, _e, _f in covered]

        def hit_at(position):
            index = bisect.bisect_right(starts, position) - 1
            return covered[index][2] if index >= 0 and position < covered[index][1] else None

        tokens = [(written, start, end, hit_at(start)) for _folded, start, end, written in words(sentence)]
        runs, run = [], []
        for index, token in enumerate(tokens):
            written, start, end, hit = token
            gap = sentence[run[-1][2] : start] if run else ""
            joinable = not gap.strip()
            # 'Ruritania and the Grand Duchy of Fenwick', 'A, B and C': a listing 'and' ends a name.
            listing_and = written.lower() == "and" and (
                (index + 1 < len(tokens) and tokens[index + 1][0].lower() == "the")
                or (run and sentence[max(0, run[0][1] - 2) : run[0][1]].strip() == ",")
            )
            if listing_and:
                runs.append((run, None))
                run = []
                continue
            if hit is None and joinable and (written[:1].isupper() or (run and written.lower() in NAME_CONNECTORS)):
                run.append(token)
                continue
            if hit is None and written[:1].isupper():
                runs.append((run, None))
                run = [token]
                continue
            runs.append((run, hit if joinable else None))
            run = []
        runs.append((run, None))
        for run, following in runs:
            while (
                run
                and run[-1][0].lower() in NAME_CONNECTORS
                and not (run[-1][0].lower() == "of" and following is not None)
            ):
                run = run[:-1]
            agency_of = run and run[-1][0].lower() == "of" and following is not None and following.kind == "state"
            if run and run[-1][0].lower() == "of" and not agency_of:
                run = run[:-1]
            while run and (run[0][0].lower() in NAME_CONNECTORS or _is_vocabulary(run[0][0])):
                run = run[1:]
            if not run or (run[0][1] == 0 and len(run) == 1 and not agency_of):
                continue
            names = [t for t in run if t[0].lower() not in NAME_CONNECTORS]
            if not agency_of and all(_is_vocabulary(t[0]) or country_code(t[0]) for t in names):
                continue
            if not agency_of and country_code(" ".join(t[0] for t in run)):
                continue
            if not agency_of and len(names) == 1 and _is_acronym_in_brackets(sentence, run[0][1], run[-1][2]):
                continue
            end = following.end if agency_of else run[-1][2]
            text = sentence[run[0][1] : end]
            unresolved = Unresolved(text, sentence, context, self.current_exercise)
            if agency_of:
                unresolved.state = following.obj.iso_code
                consumed.append((following.start, following.end))
            else:
                unresolved.state = demonym_code(text) or ""
            if alias := ACRONYM_AFTER.match(sentence, end):
                unresolved.alias = alias.group(1)
            self._report(unresolved)
        return consumed

    def _flag_missing(self) -> None:
        """The facts a draft for review needs that the statement did not give: flagged, not refused."""
        draft = self.draft
        if draft.body is None:
            draft.flags.append("body")
        if not draft.days:
            draft.flags.append("dates")
        if draft.kind is None:
            draft.flags.append("kind")

    def _standalone_event(self) -> None:
        """A workshop or webinar held on its own is both the meeting of record and its exercise."""
        best = getattr(self, "best", None)
        if not best or not best.event or self.draft.exercises:
            return
        match = EXERCISE_NAME.search(best.sentence)
        title = _clean_title(match.group("name")) if match else best.event.replace("_", " ").capitalize()
        exercise = DraftExercise(kind=best.event, title=title)
        exercise.days = list(self.draft.days)
        exercise.start_date, exercise.end_date = self.draft.start_date, self.draft.end_date
        self.draft.exercises.append(exercise)

    # --- exercises -----------------------------------------------------------------------------

    def _exercise_kind(self, text: str) -> str | None:
        for kind, pattern in EXERCISE_KINDS:
            if re.search(pattern, text, re.I):
                return str(kind)
        return None

    def _exercise_section(self, section: Section) -> None:
        exercise = DraftExercise(kind=self._exercise_kind(section.heading), title=_clean_title(section.heading))
        self._read_exercise(exercise, section.sentences)

    def _exercises_in_passing(self, sentences: list[str]) -> None:
        """An exercise or webinar told in the meeting's own paragraphs: 'On 21 and 23 September 2021
        the Working Group held a webinar on ...'."""
        for index, sentence in enumerate(sentences):
            match = EXERCISE_IN_PASSING.search(sentence)
            if not match or not any(m.days for m in find_dates(sentence, self.year)):
                continue
            if re.search(r"\b(suggest|propos|future|will|plan to)", sentence, re.I):
                continue  # a plan, not something held
            name = match.group("name")
            # 'a workshop on labour migration on 10 March 2019': the date is not part of its title
            dated = find_dates(name, self.year)
            name = name[: dated[0].start].removesuffix(" on ").strip() if dated else name
            exercise = DraftExercise(kind=self._exercise_kind(name), title=_clean_title(name))
            self._read_exercise(exercise, sentences[index : index + 3])

    def _read_exercise(self, exercise: DraftExercise, sentences: list[str]) -> None:
        self.current_exercise = len(self.draft.exercises)
        self._exercise_facts(exercise, sentences)
        self.draft.exercises.append(exercise)
        self.current_exercise = None

    def _exercise_facts(self, exercise: DraftExercise, sentences: list[str]) -> None:
        resolver = self.resolver
        for sentence in sentences:
            lowered = sentence.lower()
            if not exercise.days:
                for mention in find_dates(sentence, self.year):
                    if mention.days:
                        exercise.days = mention.days
                        exercise.start_date, exercise.end_date = mention.first, mention.last
                        exercise.sources["dates"] = sentence
                    else:
                        self._unreadable_date(mention, sentence)
                    break
            if exercise.participant_count is None and (
                m := re.search(rf"\b{COUNT}\s+(?:participants|officials|delegates|practitioners)\b", lowered)
            ):
                exercise.participant_count = _number(m.group("n"))
                exercise.sources["participant_count"] = sentence
            if exercise.member_state_count is None and (
                m := re.search(
                    rf"\bfrom\s+{COUNT}\s+(?:[\w-]+\s+){{0,3}}?(?:member states|countries|states)\b", lowered
                )
            ):
                exercise.member_state_count = _number(m.group("n"))
                exercise.sources["member_state_count"] = sentence
            if m := re.search(r"\b(?:across|from\s+the|in\s+the)\s+(?P<list>[^.;]+)", sentence):
                listed = re.split(r",?\s+(?:came|to|in order|who|which|where|at the)\b", m.group("list"))[0]
                sectors = [
                    tag for phrase, *_ in _list_chunks(listed) for tag in resolver.tags(phrase, resolver.sectors)
                ]
                if sectors:
                    _add(exercise.sectors, *sectors)
                    exercise.sources["sectors"] = sentence
            areas = resolver.tags(sentence, resolver.focus_areas)
            if areas and re.search(r"detection|investigat|prosecut|identif|protect|prevent", lowered):
                _add(exercise.focus_areas, *areas)
                exercise.sources["focus_areas"] = sentence
            for found in resolver.find(sentence):
                # "Bali Process Member States" names the forum, not a body that held the exercise.
                if found.kind == "body" and found.obj.kind != Body.Kind.FORUM:
                    _add(exercise.bodies, found.obj)
            if "facilitat" in lowered:
                before_experts = re.split(r"expert", sentence, flags=re.I)[0]
                for found in self._parties_in(before_experts, context="facilitator", sentence=sentence):
                    _add(exercise.facilitators, found.obj)
                exercise.sources["facilitators"] = sentence
            if "expert" in lowered:
                experts = re.split(r"expert", sentence, flags=re.I, maxsplit=1)[1]
                for found in self._parties_in(experts, context="expert", sentence=sentence):
                    _add(exercise.experts, found.obj)
                exercise.sources["experts"] = sentence
            if m := re.search(
                r"(?:using|around|based on|through)\s+(?P<s>an?\s+[^,;]*?scenario[^,;.]*)", sentence, re.I
            ):
                exercise.scenario = _clean_title(m.group("s"))
                exercise.sources["scenario"] = sentence
            if m := re.search(
                r"(?:themat\w*|themes?|issues)\s+(?:issues\s+)?(?:including|such as|of|:)\s+(?P<list>[^.;]+)",
                sentence,
                re.I,
            ):
                self._themes(exercise, m.group("list"), sentence)

    def _themes(self, exercise: DraftExercise, listed: str, sentence: str) -> None:
        for phrase, _start, _end in _list_chunks(listed, names_only=False, split_on_and=False):
            themes = self.resolver.tags(phrase, self.resolver.themes)
            if themes:
                _add(exercise.themes, *themes)
            elif len(phrase.split()) >= 2:
                self.draft.unresolved.append(Unresolved(phrase, sentence, "theme", self.current_exercise))
        exercise.sources["themes"] = sentence

    # --- the forward work plan -----------------------------------------------------------------

    def _work_plan(self, section: Section, *, lead_in_only: bool = False) -> None:
        """The items of a work-plan section; with lead_in_only, the lists of another section that a
        sentence introduces as a plan ('The Working Group agreed the following work plan:')."""
        draft = self.draft
        sentences = [] if lead_in_only else section.sentences
        period = None
        for index, sentence in enumerate(sentences):
            match = re.search(
                r"(?P<title>(?:Joint\s+)?(?:\d+|[a-z]+)-month\s+Period\s+of\s+Action|(?:Joint\s+)?Period\s+of\s+Action)",
                sentence,
                re.I,
            )
            if not match or period:
                continue
            period = DraftItem(title=_clean_title(match.group("title")), kind="period_of_action", source=sentence)
            for follow in sentences[index : index + 4]:
                if m := re.search(
                    r"(?:suggestion for this activity|proposed topic|topic (?:is|was|would be))"
                    r"\s*(?:[-–—:]|is|was)?\s*(?P<topic>[^.;]+)",
                    follow,
                    re.I,
                ):
                    period.topic = _clean_title(m.group("topic"))
                if m := re.search(
                    r"\b(?P<subject>topic|activity|period of action)\s+will\s+be\s+"
                    r"(?P<verb>finali[sz]ed|agreed|decided|confirmed|launched|held)\s+"
                    r"(?P<when>(?:in|by)\s+(?:early\s+|mid-|late\s+)?(?:19|20)\d{2})",
                    follow,
                    re.I,
                ):
                    period.target_period = (
                        f"{m.group('subject').capitalize()} to be {m.group('verb')} {m.group('when')}"
                    )
            draft.items.append(period)
        for item in section.items:
            if lead_in_only and not WORKPLAN_LEAD_IN.search(item.lead_in):
                continue
            title = _clean_title(item.text)
            if not title:
                continue
            agreed = re.search(r"\b(agreed|endorsed|adopted|approved)\b", item.lead_in, re.I)
            parent = period.title if period and re.search(r"period of action", item.lead_in, re.I) else ""
            draft.items.append(
                DraftItem(
                    title=title,
                    kind=_item_kind(title),
                    label=item.label,
                    status="agreed" if agreed else "suggested",
                    parent=parent,
                    source=f"{item.lead_in} {item.label}) {item.text}".strip(),
                )
            )


def _item_kind(title: str) -> str:
    lowered = title.lower()
    for kind, pattern in ITEM_KINDS:
        if re.search(pattern, lowered):
            return kind
    return "other"


LEADING = re.compile(
    r"^(?:(?:participating countries|countries|representatives|delegations?|observers?|members?)\s+"
    r"(?:included|including|from|of|were)\s+|included\s+|including\s+|from\s+|and\s+|the\s+|also\s+|by\s+)+",
    re.I,
)
TRAILING = re.compile(
    r"(?<!\s)\s+(?:also\s+)?(?:attended|participated|took part|joined|were represented|as observers?).*$", re.I
)


def _list_chunks(text: str, *, names_only: bool = True, split_on_and: bool = True) -> list[tuple[str, int, int]]:
    """The items of a list in a sentence ('A, B and C'), each with its place in the text. A list of
    themes keeps a bare 'and' inside an item ('women and children')."""
    separator = r"(,\s*(?:and\s+)?|;\s*|\s+and\s+|:\s*)" if split_on_and else r"(,\s*(?:and\s+)?|;\s*|:\s*)"
    chunks, position = [], 0
    for piece in re.split(separator, text):
        start, end = position, position + len(piece)
        position = end
        if re.fullmatch(separator, piece):
            continue
        cleaned = TRAILING.sub("", LEADING.sub("", piece.strip())) if names_only else piece.strip()
        cleaned = re.sub(r"^(?:the\s+)?(?:governments?|government)\s+of\s+", "", cleaned, flags=re.I)
        cleaned = re.sub(r"^(?:the\s+)?(?:growing|need to account for|increasing)\s+", "", cleaned, flags=re.I)
        if cleaned:
            chunks.append((cleaned.strip(" .;:"), start, end))
    return chunks


def _looks_like_a_name(chunk: str) -> bool:
    """A listed party's name: capitalised words, not a clause of the sentence."""
    tokens = [w for w, *_ in words(chunk)]
    if not tokens or len(tokens) > 12:
        return False
    capitals = [w for w in chunk.split() if w[:1].isupper()]
    return (
        chunk[:1].isupper()
        and len(capitals) >= max(1, len(chunk.split()) // 2)
        and not re.match(r"^(The|This|It|They|We)\b", chunk)
    )


def parse_statement(text: str, *, body: Body | None = None) -> Draft:
    """The draft of a statement's text; never writes to the database, never raises on odd text."""
    return StatementParser(text, body=body).parse()


__all__ = ["Draft", "parse_statement"]
