"""Turn a reviewed statement draft into records: a draft meeting with its co-chairs, attendance,
exercises and the work-plan items it raised or reported on. Called by the admin's import screen and
by `manage.py import_statement`; all or nothing.

Also what the review shows before anything is written: the changes an update would make to a
meeting already recorded (`diff_meeting`), the recorded work-plan items a statement's items continue
(`continuing_matches`) and the co-chair terms its co-chairs would end and open (`term_change`).
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify
from rapidfuzz import fuzz

from meetings.models import Attendance, CoChairTerm, Exercise, Meeting, MeetingCoChair, MemberState
from meetings.models.base import PublicationStatus, attribute_to, change_reason
from workplan.models import WorkPlanItem

from .extract import StatementError
from .parser import Draft

# Title similarity (0-100, rapidfuzz's token sort ratio, plus a bonus for the same order label)
# from which a recorded item is offered as the one a statement reports on, and from which the
# review ticks "same item" for the officer.
MATCH_SCORE = 75
STRONG_SCORE = 90
LABEL_BONUS = 10


class DuplicateMeeting(Exception):
    """The body already has a meeting of this kind and number; the caller may choose to update it."""

    def __init__(self, meeting: Meeting):
        super().__init__(f"{meeting} is already recorded.")
        self.meeting = meeting


def missing_fields(draft: Draft) -> list[str]:
    """The meeting's facts the statement did not give (or the parser could not read): the officer
    must fill them in before anything is saved. The parser may flag more than these two."""
    flags = ["date" if flag == "dates" else flag for flag in getattr(draft, "flags", []) or []]
    flags += ["body", "date"]
    given = {"body": draft.body is not None, "date": draft.start_date is not None}  # given since, by hand
    return [flag for flag in dict.fromkeys(flags) if not given.get(flag)]


def existing_meeting(draft: Draft) -> Meeting | None:
    if not (draft.body and draft.kind and draft.number):
        return None
    return Meeting.objects.filter(body=draft.body, kind=draft.kind, number=draft.number).first()


def unique_slug(model, base: str, exclude_pk=None) -> str:
    """`base`, or `base-2`, `base-3`, ... whichever no row of the model has yet."""
    base = base[:150] or "untitled"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def party_key(party) -> str:
    """'state-5' or 'org-3': one party of a meeting, as forms and choices name it."""
    return f"state-{party.pk}" if isinstance(party, MemberState) else f"org-{party.pk}"


def _held_on(days: list) -> list[str]:
    """The days, when they are not every day from the first to the last; else nothing."""
    if not days or (days[-1] - days[0]).days + 1 == len(days):
        return []
    return [day.isoformat() for day in days]


def save_with_history(obj, *, by, reason: str) -> None:
    """Save a row with who did it and why in its history."""
    attribute_to(obj, by)._change_reason = change_reason(reason)
    obj.save()


def delete_with_history(obj, *, by, reason: str) -> None:
    attribute_to(obj, by)._change_reason = change_reason(reason)
    obj.delete()


@dataclass
class ImportChoices:
    """What the officer decided in the review, beyond the facts of the draft.

    roles: party key -> attendance role, overriding what the draft's role_of() says.
    remove: party keys ('state-5', 'org-3') and co-chairs ('cochair-5', a state's pk) of the
        meeting already recorded that the statement does not mention and the officer ticked to remove;
        nothing else is ever removed.
    same_items: index of a draft item -> the recorded item it continues (reported at, not created).
    update_terms: end the body's co-chair terms that differ and open the statement's.
    resolutions: what the officer confirmed ("'UN Drugs Office' is UNODC"), kept in the log.
    """

    roles: dict = field(default_factory=dict)
    remove: set = field(default_factory=set)
    same_items: dict = field(default_factory=dict)
    update_terms: bool = False
    resolutions: list = field(default_factory=list)


@transaction.atomic
def import_draft(draft: Draft, *, by=None, update: Meeting | None = None, choices: ImportChoices | None = None):
    """Create (or, when `update` is given, update) the meeting a statement describes.

    Side effects: a new meeting is a draft (nothing is public until the secretariat publishes it);
    an updated one keeps its status. Its co-chairs and attendance are added or changed as the
    statement lists them; rows the statement does not mention are kept unless `choices.remove`
    names them. Exercises are matched by title; work-plan items raised here by title, and items
    continued from earlier meetings (`choices.same_items`) get this meeting in their reports. With
    `choices.update_terms`, the body's co-chair terms follow the statement from the meeting's date.
    Every row saved carries `by` and a reason in its history. Raises StatementError when the body
    or the date is missing, DuplicateMeeting when the meeting exists and no update was asked for.
    Any failure leaves the database as it was.
    """
    choices = choices or ImportChoices()
    if draft.body is None or draft.start_date is None:
        raise StatementError("The meeting's body and date are needed; the statement does not give them.")
    existing = existing_meeting(draft)
    if existing and update is None:
        raise DuplicateMeeting(existing)
    who = f" by {by}" if by else ""
    meeting = update or Meeting(body=draft.body, status=PublicationStatus.DRAFT)
    reason = f"{'Updated' if update else 'Imported'} from a co-chairs' statement{who}"
    _meeting_fields(meeting, draft)
    if not meeting.slug:
        meeting.slug = unique_slug(Meeting, meeting.default_slug())
    meeting.full_clean(validate_unique=False)
    save_with_history(meeting, by=by, reason=reason)

    _import_cochairs(meeting, draft, choices, by=by, reason=reason)
    _import_attendance(meeting, draft, choices, by=by, reason=reason)
    for exercise in draft.exercises:
        _import_exercise(meeting, exercise, by=by, reason=reason)
    _import_items(meeting, draft, choices, by=by, reason=reason)
    if choices.update_terms:
        change = term_change(meeting.body, meeting.start_date, draft.co_chairs, draft.co_chair_agencies)
        if change:
            change.apply(by=by, reason=f"Co-chairs of the {meeting}, confirmed{who}")
    return meeting


def _meeting_fields(meeting: Meeting, draft: Draft) -> None:
    meeting.body, meeting.kind, meeting.number = draft.body, draft.kind or Meeting.Kind.OTHER, draft.number
    meeting.start_date, meeting.end_date, meeting.held_on = draft.start_date, draft.end_date, _held_on(draft.days)
    meeting.format = draft.format or Meeting.Format.IN_PERSON
    meeting.venue_city, meeting.venue_country = draft.venue_city[:100], draft.venue_country[:100]
    meeting.declared_participant_count = draft.declared_participants
    meeting.declared_state_count = draft.declared_states
    meeting.declared_organisation_count = draft.declared_organisations
    meeting.outcome_statement = draft.statement.strip()


def _parties(draft: Draft) -> list:
    return list(dict.fromkeys([*draft.states, *draft.organisations]))


def _role(draft: Draft, choices: ImportChoices, party) -> str:
    return choices.roles.get(party_key(party)) or draft.role_of(party)


def _import_cochairs(meeting, draft, choices, *, by, reason) -> None:
    for cochair in meeting.cochairs.select_related("state"):
        if cochair.state not in draft.co_chairs and f"cochair-{cochair.state_id}" in choices.remove:
            delete_with_history(cochair, by=by, reason=reason)
    current = {c.state_id: c for c in meeting.cochairs.all()}
    for position, state in enumerate(draft.co_chairs):  # in the order the statement names them
        agency = draft.co_chair_agencies.get(state.pk)
        cochair = current.get(state.pk) or MeetingCoChair(meeting=meeting, state=state)
        if cochair.pk and (agency is None or cochair.agency == agency) and cochair.position == position:
            continue  # already recorded; an agency added by hand is not forgotten
        cochair.agency = agency if agency is not None or not cochair.pk else cochair.agency
        cochair.position = position
        cochair.full_clean(validate_unique=False)
        save_with_history(cochair, by=by, reason=reason)


def _import_attendance(meeting, draft, choices, *, by, reason) -> None:
    mentioned = {party_key(p) for p in _parties(draft)}
    for row in meeting.attendances.select_related("state", "organisation"):
        key = party_key(row.party)
        if key not in mentioned and key in choices.remove:
            delete_with_history(row, by=by, reason=reason)
    recorded = {party_key(row.party): row for row in meeting.attendances.select_related("state", "organisation")}
    for party in _parties(draft):
        role = _role(draft, choices, party)
        row = recorded.get(party_key(party))
        if row is None:
            is_state = isinstance(party, MemberState)
            row = Attendance(meeting=meeting, state=party if is_state else None)
            row.organisation = None if is_state else party
        elif row.role == role:
            continue
        row.role = role
        save_with_history(row, by=by, reason=reason)


def _import_exercise(meeting: Meeting, draft_exercise, *, by, reason) -> Exercise:
    exercise = Exercise.objects.filter(meeting=meeting, title=draft_exercise.title[:300]).first() or Exercise(
        meeting=meeting, title=draft_exercise.title[:300], status=PublicationStatus.DRAFT
    )
    exercise.kind = draft_exercise.kind or Exercise.Kind.WORKSHOP
    days = draft_exercise.days or [meeting.start_date]
    exercise.start_date, exercise.end_date, exercise.held_on = days[0], days[-1], _held_on(days)
    exercise.participant_count = draft_exercise.participant_count
    exercise.member_state_count = draft_exercise.member_state_count
    exercise.scenario = draft_exercise.scenario
    if not exercise.slug:
        year = exercise.start_date.year if isinstance(exercise.start_date, datetime.date) else ""
        exercise.slug = unique_slug(Exercise, slugify(f"{draft_exercise.title[:100]} {year}"))
    exercise.full_clean(validate_unique=False)
    save_with_history(exercise, by=by, reason=reason)
    exercise.bodies.set(draft_exercise.bodies or [meeting.body])
    exercise.sectors.set(draft_exercise.sectors)
    exercise.focus_areas.set(draft_exercise.focus_areas)
    exercise.themes.set(draft_exercise.themes)
    exercise.facilitator_organisations.set([p for p in draft_exercise.facilitators if not hasattr(p, "iso_code")])
    exercise.facilitator_states.set([p for p in draft_exercise.facilitators if hasattr(p, "iso_code")])
    exercise.expert_organisations.set([p for p in draft_exercise.experts if not hasattr(p, "iso_code")])
    return exercise


def _import_items(meeting: Meeting, draft: Draft, choices: ImportChoices, *, by, reason) -> None:
    by_title = {}
    for index, draft_item in enumerate(draft.items):
        continued = choices.same_items.get(index)
        if continued is not None:
            # The statement reports on an item recorded before: one item, reported here too.
            if not continued.reported_at.filter(pk=meeting.pk).exists():
                attribute_to(continued, by)
                continued._change_reason = change_reason(
                    f"Reported at the {meeting}; the same item, confirmed{_by(by)}"
                )
                continued.reported_at.add(meeting)
            by_title[draft_item.title] = continued
            continue
        item = WorkPlanItem.objects.filter(body=meeting.body, raised_at=meeting, title=draft_item.title[:300]).first()
        if item is None:
            item = WorkPlanItem(
                body=meeting.body, raised_at=meeting, title=draft_item.title[:300], status=draft_item.status
            )
        item.kind = draft_item.kind
        item.order_label = (draft_item.label or "")[:10]
        item.topic = draft_item.topic[:300]
        item.target_period = draft_item.target_period[:40]
        item.parent = by_title.get(draft_item.parent)
        item.full_clean()
        save_with_history(item, by=by, reason=reason)
        by_title[draft_item.title] = item


def _by(user) -> str:
    return f" by {user}" if user else ""


# --- continuing work-plan items ------------------------------------------------------------------


@dataclass
class ItemMatch:
    item: WorkPlanItem
    score: int  # how alike the titles are, 0-100
    same_label: bool = False

    @property
    def strong(self) -> bool:
        """Alike enough to tick "same item" for the officer; the label alone never is."""
        return self.score >= STRONG_SCORE


def _comparable(title: str) -> str:
    return re.sub(r"[^\w\s]", " ", title.lower())


def continuing_matches(draft_items: list, body, *, meeting: Meeting | None = None) -> list[ItemMatch | None]:
    """For each item of a statement's work plan, the open item of the same body already recorded
    (raised at another meeting) that it most likely is, or None. Each recorded item is offered for
    one statement item at most, the closest first."""
    if body is None or not draft_items:
        return [None] * len(draft_items)
    recorded = WorkPlanItem.objects.for_body(body).open().select_related("raised_at")
    if meeting is not None and meeting.pk:
        recorded = recorded.exclude(raised_at=meeting)  # this meeting's own items are updated in place
    recorded = list(recorded)
    scored = []
    for index, draft_item in enumerate(draft_items):
        for item in recorded:
            score = int(fuzz.token_sort_ratio(_comparable(draft_item.title), _comparable(item.title)))
            same_label = bool(draft_item.label) and draft_item.label.lower() == item.order_label.lower()
            if score + (LABEL_BONUS if same_label else 0) >= MATCH_SCORE:
                scored.append((score + (LABEL_BONUS if same_label else 0), score, same_label, index, item))
    matches: list[ItemMatch | None] = [None] * len(draft_items)
    taken = set()
    for _rank, score, same_label, index, item in sorted(scored, key=lambda s: (-s[0], s[3], s[4].pk)):
        if matches[index] is None and item.pk not in taken:
            matches[index] = ItemMatch(item, score, same_label)
            taken.add(item.pk)
    return matches


# --- co-chair terms ------------------------------------------------------------------------------


@dataclass
class TermChange:
    """The body's co-chair terms running on a meeting's date that the statement's co-chairs
    contradict: the ones to end the day before, the states to open terms for from that day."""

    body: object
    day: datetime.date
    ending: list  # CoChairTerm
    opening: list  # (state, agency or None)

    def apply(self, *, by, reason: str) -> None:
        for term in self.ending:
            term.end_date = max(self.day - datetime.timedelta(days=1), term.start_date or datetime.date.min)
            save_with_history(term, by=by, reason=reason)
        for position, (state, agency) in enumerate(self.opening):  # the statement's order
            term = CoChairTerm(body=self.body, state=state, agency=agency, start_date=self.day, position=position)
            term.full_clean()
            save_with_history(term, by=by, reason=reason)


def term_change(body, day, co_chairs: list, agencies: dict | None = None) -> TermChange | None:
    """What would make the body's terms say the statement's co-chairs from `day`; None when they
    already do, when the statement names no co-chair, or when later terms are recorded (the
    statement is then an older one, and today's terms are not its business)."""
    if body is None or day is None or not co_chairs:
        return None
    terms = CoChairTerm.objects.filter(body=body)
    if terms.filter(start_date__gt=day).exists():
        return None
    running = list(terms.current(on=day).select_related("state"))
    named = set(co_chairs)
    ending = [t for t in running if t.state not in named]
    running_states = {t.state for t in running}
    agencies = agencies or {}
    opening = [(s, agencies.get(s.pk)) for s in co_chairs if s not in running_states]
    if not ending and not opening:
        return None
    return TermChange(body=body, day=day, ending=ending, opening=opening)


# --- the diff of an update -----------------------------------------------------------------------

DIFF_FIELDS = [
    ("kind", "Kind"),
    ("number", "Number"),
    ("start_date", "Start date"),
    ("end_date", "End date"),
    ("held_on", "Days held"),
    ("format", "Format"),
    ("venue_city", "Venue city"),
    ("venue_country", "Venue country"),
    ("declared_participant_count", "Declared participants"),
    ("declared_state_count", "Declared states"),
    ("declared_organisation_count", "Declared organisations"),
    ("outcome_statement", "Outcome statement"),
]


@dataclass
class PartyChange:
    key: str
    name: str
    change: str  # "added", "removed", "changed", "kept" (in the record, not in the statement)
    before: str = ""
    after: str = ""


@dataclass
class MeetingDiff:
    """What an update would write to a meeting already recorded, before it is written."""

    meeting: Meeting
    fields: list = field(default_factory=list)  # (label, before, after)
    parties: list = field(default_factory=list)  # PartyChange, co-chairs first
    items: list = field(default_factory=list)  # (title, "new" or "reported")
    exercises: list = field(default_factory=list)  # (title, "new" or "changed")

    @property
    def kept(self) -> list:
        return [p for p in self.parties if p.change == "kept"]

    def signature(self) -> str:
        """A short digest of the changes, so a confirmation applies to the diff the officer saw."""
        import hashlib

        text = repr((self.fields, [(p.key, p.change, p.after) for p in self.parties], self.items, self.exercises))
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _shown(meeting: Meeting, name: str, value) -> str:
    if value in (None, "", []):
        return "—"
    if name == "kind":
        return str(Meeting.Kind(value).label)
    if name == "format":
        return str(Meeting.Format(value).label)
    if name == "outcome_statement":
        return f"{len(value.split())} words"
    if name == "held_on":
        return ", ".join(value)
    return str(value)


def diff_meeting(meeting: Meeting, draft: Draft, choices: ImportChoices | None = None) -> MeetingDiff:
    """The changes import_draft(draft, update=meeting, choices=choices) would make; writes nothing."""
    choices = choices or ImportChoices()
    diff = MeetingDiff(meeting=meeting)
    proposed = Meeting(pk=meeting.pk, body=meeting.body)
    _meeting_fields(proposed, draft)
    for name, label in DIFF_FIELDS:
        before, after = getattr(meeting, name), getattr(proposed, name)
        if before != after:
            diff.fields.append((label, _shown(meeting, name, before), _shown(proposed, name, after)))
    if draft.body is not None and draft.body != meeting.body:
        diff.fields.insert(0, ("Body", str(meeting.body), str(draft.body)))

    cochairs = {c.state_id: c for c in meeting.cochairs.select_related("state", "agency")}
    for state in draft.co_chairs:
        agency = draft.co_chair_agencies.get(state.pk)
        if state.pk not in cochairs:
            diff.parties.append(PartyChange(f"cochair-{state.pk}", str(state), "added", after="co-chair"))
        elif agency and cochairs[state.pk].agency != agency:
            before = str(cochairs[state.pk].agency or "—")
            diff.parties.append(PartyChange(f"cochair-{state.pk}", str(state), "changed", before, f"through {agency}"))
    for pk, cochair in cochairs.items():
        if cochair.state not in draft.co_chairs:
            key = f"cochair-{pk}"
            change = "removed" if key in choices.remove else "kept"
            diff.parties.append(PartyChange(key, str(cochair.state), change, before="co-chair"))

    recorded = {party_key(row.party): row for row in meeting.attendances.select_related("state", "organisation")}
    roles = dict(Attendance.Role.choices)
    mentioned = set()
    for party in _parties(draft):
        key, role = party_key(party), _role(draft, choices, party)
        mentioned.add(key)
        row = recorded.get(key)
        if row is None:
            diff.parties.append(PartyChange(key, str(party), "added", after=str(roles[role])))
        elif row.role != role:
            diff.parties.append(PartyChange(key, str(party), "changed", str(roles[row.role]), str(roles[role])))
    for key, row in recorded.items():
        if key not in mentioned:
            change = "removed" if key in choices.remove else "kept"
            diff.parties.append(PartyChange(key, str(row.party), change, before=str(roles[row.role])))

    raised = set(meeting.items_raised.values_list("title", flat=True))
    for index, item in enumerate(draft.items):
        if index in choices.same_items:
            diff.items.append((item.title, "reported"))
        elif item.title[:300] not in raised:
            diff.items.append((item.title, "new"))
    held = set(meeting.exercises.values_list("title", flat=True))
    for exercise in draft.exercises:
        diff.exercises.append((exercise.title, "changed" if exercise.title[:300] in held else "new"))
    return diff
