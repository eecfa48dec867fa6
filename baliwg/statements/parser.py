"""Read a co-chairs' statement into a draft: the meeting, who co-chaired and attended, the exercises
held with it and the forward work plan. Deterministic rules over the registry; no network.

Everything the rules could not resolve is listed in `unresolved` with its sentence, never dropped.
Parsing never writes to the database; importer.py turns a reviewed draft into records.
"""

import re
from dataclasses import dataclass, field

from core.layout import Section, split_sections
from core.text import ORDINAL_WORDS
from meetings.models import Attendance, Body, Exercise, Meeting, Membership, Organisation

from .dates import DateMention, find_dates, likely_year
from .resolver import Found, Resolver, words

MAX_CHARACTERS = 200_000

KIND_PATTERNS = [
    (Meeting.Kind.ANNUAL, r"annual\s+meeting"),
    (Meeting.Kind.SENIOR_OFFICIALS, r"senior\s+officials['’]?\s+meeting"),
    (Meeting.Kind.MINISTERIAL, r"ministerial\s+(?:conference|meeting)"),
    (Meeting.Kind.TECHNICAL, r"technical\s+meeting"),
    (Meeting.Kind.AD_HOC, r"ad\s+hoc\s+meeting"),
    (Meeting.Kind.OTHER, r"meeting"),
]
ORDINAL = r"(?P<ordinal>\d{1,3}(?:st|nd|rd|th)|[a-z]+(?:-[a-z]+)?)"
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
    r"participat|attend|took part|present|represent|joined|delegat|observer|member states? (?:were|was)", re.I
)
COUNT = r"(?P<n>\d{1,4}|" + "|".join(NUMBER_WORDS) + r")"


@dataclass
class Unresolved:
    text: str
    sentence: str
    context: str  # what it was meant to be: participant, co-chair, observer, expert, facilitator, theme, date ...
    exercise: int | None = None  # for an expert or facilitator: which exercise of the draft


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
            "unresolved": [{"text": u.text, "sentence": u.sentence, "context": u.context} for u in self.unresolved],
        }


def _iso(day):
    return day.isoformat() if day else None


def _code(party) -> str:
    """ISO code of a state; acronym (or name) of an organisation."""
    return getattr(party, "iso_code", None) or party.acronym or party.name


def _add(collection: list, *objects) -> None:
    for obj in objects:
        if obj not in collection:
            collection.append(obj)


def _number(value: str) -> int:
    return int(value) if value.isdigit() else NUMBER_WORDS[value.lower()]


def _clean_title(text: str) -> str:
    text = " ".join(text.split()).strip(" ;,.")
    return text[:1].upper() + text[1:]


class StatementParser:
    def __init__(self, text: str, *, body: Body | None = None):
        self.text = text[:MAX_CHARACTERS].replace("\x00", "")
        self.draft = Draft(statement=self.text, body=body)
        self.forced_body = body is not None
        self.resolver = Resolver()
        self.year = likely_year(self.text)
        self.current_exercise: int | None = None  # the exercise being read, for unresolved names

    def parse(self) -> Draft:
        sections = split_sections(self.text)
        meeting_sections, exercise_sections, plan_sections = [], [], []
        for section in sections:
            if section.heading and WORKPLAN_HEADING.search(section.heading):
                plan_sections.append(section)
            elif section.heading and self._exercise_kind(section.heading):
                exercise_sections.append(section)
            else:
                meeting_sections.append(section)
        meeting_sentences = [s for section in meeting_sections for s in section.sentences]
        self._meeting(meeting_sentences)
        self._parties(meeting_sentences)
        for section in exercise_sections:
            self._exercise_section(section)
        self._exercises_in_passing(meeting_sentences)
        for section in plan_sections:
            self._work_plan(section)
        return self.draft

    # --- the meeting ---------------------------------------------------------------------------

    def _meeting(self, sentences: list[str]) -> None:
        draft = self.draft
        meeting_sentence = ""
        for kind, pattern in KIND_PATTERNS:
            for sentence in sentences:
                match = re.search(rf"(?:\b{ORDINAL}\s+)?\b(?P<kind>{pattern})\b", sentence, re.I)
                if match:
                    draft.kind, meeting_sentence = str(kind), sentence
                    draft.number = self._ordinal(match.group("ordinal"))
                    draft.sources["kind"] = sentence
                    if match.group("ordinal"):
                        draft.sources["number"] = sentence
                    if not draft.number:
                        draft.number = self._ordinal_in_parentheses(sentence)
                    break
            if meeting_sentence:
                break
        if not self.forced_body:
            draft.body = self._body(meeting_sentence or " ".join(sentences[:2]), after=draft.kind)
            if draft.body:
                draft.sources["body"] = meeting_sentence or sentences[0]
        self._dates(meeting_sentence, sentences)
        self._format_and_venue(sentences)
        self._declared_counts(sentences)

    def _ordinal(self, word: str | None) -> int | None:
        if not word:
            return None
        word = word.lower()
        if re.fullmatch(r"\d{1,3}(st|nd|rd|th)", word):
            return int(word[:-2])
        return ORDINAL_WORDS.get(word)

    def _ordinal_in_parentheses(self, sentence: str) -> int | None:
        match = re.search(r"\((?:the\s+)?(\d{1,3}(?:st|nd|rd|th)|[a-z-]+)\)", sentence, re.I)
        return self._ordinal(match.group(1)) if match else None

    def _body(self, sentence: str, after: str | None) -> Body | None:
        bodies = [f for f in self.resolver.find(sentence) if f.kind == "body"]
        if not bodies:
            return None
        specific = [f for f in bodies if f.obj.kind != Body.Kind.FORUM]
        return (specific or bodies)[0].obj

    def _dates(self, meeting_sentence: str, sentences: list[str]) -> None:
        for sentence in [meeting_sentence, *sentences]:
            for mention in find_dates(sentence, self.year):
                if mention.days:
                    self.draft.days = mention.days
                    self.draft.sources["dates"] = sentence
                    return
                self._unreadable_date(mention, sentence)
                return

    def _unreadable_date(self, mention: DateMention, sentence: str) -> None:
        self.draft.unresolved.append(Unresolved(f"{mention.text} ({mention.problem})", sentence, "date"))

    def _format_and_venue(self, sentences: list[str]) -> None:
        draft = self.draft
        for sentence in sentences:
            venue = re.search(
                r"\bin\s+(?P<city>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,2}),\s*(?P<country>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})",
                sentence,
            ) or re.search(
                r"\b(?:in|at)\s+(?P<city>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,2})(?=\s+(?:and\s+online|and\s+virtually|with\b)|[.;]|$)",
                sentence,
            )
            if venue and not draft.venue_city and not self._names_party_or_body(venue.group("city")):
                draft.venue_city = venue.group("city")
                country = venue.groupdict().get("country") or ""
                found = self.resolver.resolve(country) if country else None
                draft.venue_country = found.obj.name if found and found.kind == "state" else country
                draft.sources["venue"] = sentence
        text = " ".join(sentences).lower()
        online = re.search(r"\bvirtual(ly)?\b|\bonline\b|video ?conferenc|\bremotely\b", text)
        if "hybrid" in text or (online and draft.venue_city):
            draft.format = Meeting.Format.HYBRID
        elif online:
            draft.format = Meeting.Format.VIRTUAL
        elif draft.venue_city or re.search(r"\bin[- ]person\b", text):
            draft.format = Meeting.Format.IN_PERSON
        if draft.format:
            draft.sources["format"] = next(
                (s for s in sentences if re.search(r"hybrid|virtual|online|in[- ]person|video", s, re.I)),
                draft.sources.get("venue", ""),
            )

    def _names_party_or_body(self, phrase: str) -> bool:
        return bool(self.resolver.find(phrase))

    def _declared_counts(self, sentences: list[str]) -> None:
        draft = self.draft
        for sentence in sentences:
            if not PARTICIPATION_CUE.search(sentence):
                continue
            lowered = sentence.lower()
            if m := re.search(rf"\b{COUNT}\s+(?:\w+\s+){{0,3}}?(?:members|member states|states|countries)\b", lowered):
                draft.declared_states = _number(m.group("n"))
                draft.sources["declared_states"] = sentence
            if m := re.search(rf"\b{COUNT}\s+(?:participants|delegates|officials|representatives)\b", lowered):
                draft.declared_participants = _number(m.group("n"))
                draft.sources["declared_participants"] = sentence
            if m := re.search(rf"\b{COUNT}\s+(?:\w+\s+)?organi[sz]ations\b", lowered):
                draft.declared_organisations = _number(m.group("n"))
                draft.sources["declared_organisations"] = sentence

    # --- who co-chaired and who took part --------------------------------------------------------

    def _parties(self, sentences: list[str]) -> None:
        draft = self.draft
        cochair_sentences = [s for s in sentences if re.search(r"co-?chair", s, re.I)]
        cochair_sentences.sort(key=lambda s: "meeting" not in s.lower())
        if cochair_sentences:
            self._co_chairs(cochair_sentences[0])
        for sentence in sentences:
            if not PARTICIPATION_CUE.search(sentence) or sentence in cochair_sentences[:1]:
                continue
            observer_sentence = "observer" in sentence.lower()
            for found in self._parties_in(sentence, context="observer" if observer_sentence else "participant"):
                self._attend(found.obj)
                if observer_sentence:
                    _add(draft.observers, found.obj)
            draft.sources.setdefault("participants", sentence)
        for state in draft.co_chairs:
            self._attend(state)

    def _attend(self, party) -> None:
        if getattr(party, "iso_code", None):
            _add(self.draft.states, party)
        else:
            _add(self.draft.organisations, party)

    def _co_chairs(self, sentence: str) -> None:
        draft = self.draft
        match = re.search(r"co-?chaired\s+by\s+(?P<after>[^.;]+)", sentence, re.I)
        part = match.group("after") if match else re.split(r"\bco-?chair", sentence, flags=re.I)[0]
        draft.sources["co_chairs"] = sentence
        for found in self._parties_in(part, context="co-chair", sentence=sentence):
            if found.kind == "state":
                _add(draft.co_chairs, found.obj)
            elif found.kind == "organisation" and found.obj.state_id:
                state = found.obj.state
                _add(draft.co_chairs, state)
                draft.co_chair_agencies[state.pk] = found.obj

    def _parties_in(self, text: str, *, context: str, sentence: str | None = None) -> list[Found]:
        """States and organisations named in a text; each listed name that resolves to nothing is
        reported, with a co-chair's state still taken from the adjective of an unknown agency."""
        sentence = sentence or text
        named = self.resolver.find(text)
        for chunk, start, end in _list_chunks(text):
            if any(f.start < end and f.end > start for f in named):
                continue  # a known party or body
            if not _looks_like_a_name(chunk):
                continue
            self.draft.unresolved.append(Unresolved(chunk, sentence, context, self.current_exercise))
            if context == "co-chair" and (state := self.resolver.demonym_state(chunk)):
                _add(self.draft.co_chairs, state)
        found = [f for f in named if f.kind in ("state", "organisation")]
        return found

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
            match = re.search(
                r"\b(?:a|an|the|two|three)\s+(?P<name>(?:table[- ]?top\s+exercise|webinar|workshop|training)s?"
                r"(?:\s+(?:on|about)\s+[^,.;]+)?)",
                sentence,
                re.I,
            )
            if not match or not any(m.days for m in find_dates(sentence, self.year)):
                continue
            if re.search(r"\b(suggest|propos|future|will|plan to)", sentence, re.I):
                continue  # a plan, not something held
            exercise = DraftExercise(
                kind=self._exercise_kind(match.group("name")), title=_clean_title(match.group("name"))
            )
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

    def _work_plan(self, section: Section) -> None:
        draft = self.draft
        sentences = section.sentences
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
    r"\s+(?:also\s+)?(?:attended|participated|took part|joined|were represented|as observers?).*$", re.I
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
    return len(capitals) >= max(1, len(chunk.split()) // 2) and not re.match(r"^(The|This|It|They|We)\b", chunk)


def parse_statement(text: str, *, body: Body | None = None) -> Draft:
    """The draft of a statement's text; never writes to the database, never raises on odd text."""
    return StatementParser(text, body=body).parse()


__all__ = ["Draft", "parse_statement"]
