"""The admin's "Import a co-chairs' statement": paste or upload, review field by field, create.

The review page carries the statement's text, not the draft: on submit the text is parsed again
(the parser is deterministic) and the officer's corrections are laid over the fresh draft, so
nothing the browser sends can smuggle in records the officer did not see. An update of a meeting
already recorded is written only once the officer has seen the diff it makes (its digest travels
with the form; a different diff is shown again instead of written).
"""

import datetime
import re
from collections import defaultdict

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from core.limits import IMPORT_SECONDS, MAX_UPLOAD_BYTES, Deadline, InputTooBig
from meetings.models import Alias, Attendance, Body, Exercise, Meeting, MemberState, Organisation
from workplan.models import ItemStatus, WorkPlanItem

from .extract import StatementError, text_from_upload
from .importer import (
    DuplicateMeeting,
    ImportChoices,
    continuing_matches,
    diff_meeting,
    existing_meeting,
    import_draft,
    missing_fields,
    party_key,
    save_with_history,
    term_change,
    unique_slug,
)
from .parser import MAX_CHARACTERS, Draft, parse_statement
from .resolver import Resolver, demonym_code

COCHAIR = "co-chair"
ROLE_GROUPS = {
    Attendance.Role.MEMBER: "Members",
    Attendance.Role.OBSERVER: "Observers",
    Attendance.Role.GUEST: "Guests",
    Attendance.Role.SECRETARIAT: "Secretariat",
    Attendance.Role.EXPERT: "Experts",
    Attendance.Role.HOST: "Hosts",
}
# Unresolved names the parser meant as something other than a party of the meeting.
NOT_PARTIES = {"theme", "date", "body", "venue", "kind", "number", "format", "count", "sector", "focus_area", "item"}
MISSING_MESSAGES = {
    "body": "The statement does not say which body met, or it could not be read: choose the body.",
    "date": "The statement's date could not be read: give the first day of the meeting.",
    "kind": "The kind of meeting could not be read: it is set to “Meeting”; choose the right kind.",
}


class StatementForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 18, "cols": 100}),
        required=False,
        max_length=MAX_CHARACTERS,
        label="Paste the statement",
    )
    upload = forms.FileField(required=False, label="or upload it", help_text="A .txt, .docx or .pdf file, up to 2 MB.")
    body = forms.ModelChoiceField(
        queryset=Body.objects.order_by("name"),
        required=False,
        help_text="Only if the statement does not name the body.",
    )

    def clean(self):
        """Only an empty or unreadable text is refused: a statement whose body or date cannot be
        read still goes to the review, with those fields flagged for the officer."""
        cleaned = super().clean()
        text, upload = cleaned.get("text", "").strip(), cleaned.get("upload")
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("The file is larger than 2 MB; a statement is smaller.")
        # One time limit for the whole reading: the file's extraction checks it as it goes; the parser,
        # whose patterns are linear, is checked once it is done.
        deadline = Deadline(IMPORT_SECONDS)
        try:
            if upload:
                text = text_from_upload(upload.name, upload.read(), deadline)
            if not text.strip():
                raise ValidationError("Paste the statement's text or upload a file.")
            draft = parse_statement(text, body=cleaned.get("body"))
            deadline.check()
        except (StatementError, InputTooBig) as error:
            raise ValidationError(str(error)) from error
        if not text.strip():
            raise ValidationError("Paste the statement's text or upload a file.")
        cleaned["text"], self.draft = text, draft
        return cleaned


def _registry_choices(*, states_only: bool = False):
    states = [(f"state-{s.pk}", s.name) for s in MemberState.objects.order_by("name")]
    if states_only:
        return [("", "—"), ("States", states)]
    organisations = [(f"org-{o.pk}", str(o)) for o in Organisation.objects.order_by("name")]
    return [("", "—"), ("States", states), ("Organisations", organisations)]


def _party(value: str):
    kind, _, pk = value.partition("-")
    model = MemberState if kind == "state" else Organisation
    return model.objects.filter(pk=pk).first() if pk.isdigit() else None


def party_groups(draft: Draft) -> list[tuple[str, str, list]]:
    """The parties the statement names, grouped by their role, as checklist fields: (field name,
    heading, [(party key, the registry's name)]). Co-chairs first; they also attend."""
    groups = []
    cochairs = []
    for state in draft.co_chairs:
        agency = draft.co_chair_agencies.get(state.pk)
        cochairs.append((party_key(state), f"{state.name}, through {agency.name}" if agency else state.name))
    groups.append(("co_chairs", "Co-chairs", cochairs))
    by_role = defaultdict(list)
    for party in dict.fromkeys([*draft.states, *draft.organisations]):
        by_role[draft.role_of(party)].append((party_key(party), str(party)))
    for role, heading in ROLE_GROUPS.items():
        if by_role[role]:
            groups.append((f"role_{role}", heading, by_role[role]))
    return groups


class ReviewForm(forms.Form):
    """The meeting's fields as the parser read them, each open to correction; the parties as
    checklists grouped by role."""

    statement = forms.CharField(widget=forms.HiddenInput, max_length=MAX_CHARACTERS)
    chosen_body = forms.CharField(widget=forms.HiddenInput, required=False)
    diff_signature = forms.CharField(widget=forms.HiddenInput, required=False)
    items_body = forms.CharField(widget=forms.HiddenInput, required=False)  # the body the item matches are for
    body = forms.ModelChoiceField(
        queryset=Body.objects.order_by("name"), error_messages={"required": MISSING_MESSAGES["body"]}
    )
    kind = forms.ChoiceField(choices=Meeting.Kind.choices)
    number = forms.IntegerField(required=False, min_value=1, max_value=999)
    start_date = forms.DateField(
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"required": MISSING_MESSAGES["date"]},
    )
    end_date = forms.DateField(
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text="Leave blank for a one-day meeting.",
    )
    format = forms.ChoiceField(choices=Meeting.Format.choices)
    venue_city = forms.CharField(required=False, max_length=100)
    venue_country = forms.CharField(required=False, max_length=100)
    declared_participants = forms.IntegerField(required=False, min_value=0, max_value=100_000)
    declared_states = forms.IntegerField(required=False, min_value=0, max_value=100_000)
    declared_organisations = forms.IntegerField(required=False, min_value=0, max_value=100_000)
    update_existing = forms.BooleanField(
        required=False, label="Update the meeting already recorded instead of creating a duplicate"
    )
    remove = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple, label="Remove")
    update_terms = forms.BooleanField(required=False, initial=False, label="Update the body's co-chair terms as shown")

    MEETING_FIELDS = [
        "body",
        "kind",
        "number",
        "start_date",
        "end_date",
        "format",
        "venue_city",
        "venue_country",
        "declared_participants",
        "declared_states",
        "declared_organisations",
    ]

    def __init__(self, *args, groups=(), existing: Meeting | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = existing
        self.groups = groups
        for name, heading, choices in groups:
            self.fields[name] = forms.MultipleChoiceField(
                choices=choices, required=False, widget=forms.CheckboxSelectMultiple, label=heading
            )
            self.initial.setdefault(name, [key for key, _ in choices])
        if existing is not None:
            rows = existing.attendances.select_related("state", "organisation")
            cochairs = existing.cochairs.select_related("state")
            self.fields["remove"].choices = [
                *((f"cochair-{c.state_id}", f"{c.state} as co-chair") for c in cochairs),
                *((party_key(row.party), str(row.party)) for row in rows),
            ]

    def meeting_fields(self):
        return [self[name] for name in self.MEETING_FIELDS]

    def party_fields(self):
        return [self[name] for name, _, _ in self.groups]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and not end:
            cleaned["end_date"] = start
        elif start and end and end < start:
            self.add_error("end_date", "The end date cannot be before the start date.")
        number, body, kind = cleaned.get("number"), cleaned.get("body"), cleaned.get("kind")
        clash = Meeting.objects.filter(body=body, kind=kind, number=number).first() if number and body else None
        if clash and not cleaned.get("update_existing"):
            raise ValidationError(
                f"The {clash} is already recorded. Tick “update the meeting already recorded” to update it, "
                "or correct the number."
            )
        return cleaned

    @classmethod
    def initial_from(cls, draft: Draft, chosen_body: Body | None) -> dict:
        return {
            "statement": draft.statement,
            "chosen_body": chosen_body.pk if chosen_body else "",
            "items_body": draft.body.pk if draft.body else "",
            "body": draft.body,
            "kind": draft.kind or Meeting.Kind.OTHER,
            "number": draft.number,
            "start_date": draft.start_date,
            "end_date": draft.end_date,
            "format": draft.format or Meeting.Format.IN_PERSON,
            "venue_city": draft.venue_city,
            "venue_country": draft.venue_country,
            "declared_participants": draft.declared_participants,
            "declared_states": draft.declared_states,
            "declared_organisations": draft.declared_organisations,
        }


class AddPartyForm(forms.Form):
    """A party the statement does not name (or names in another role), added by the officer."""

    ROLES = [(COCHAIR, "Co-chair"), *Attendance.Role.choices]
    party = forms.ChoiceField(required=False, label="Party")
    role = forms.ChoiceField(choices=ROLES, initial=Attendance.Role.MEMBER, label="As")

    def __init__(self, *args, party_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = party_choices

    def clean(self):
        cleaned = super().clean()
        value = cleaned.get("party")
        cleaned["party_obj"] = _party(value) if value else None
        if cleaned.get("role") == COCHAIR and value and not value.startswith("state-"):
            self.add_error("role", "Only a member state can co-chair; add its agency as a party.")
        return cleaned


class ExerciseReviewForm(forms.Form):
    include = forms.BooleanField(required=False, initial=True, label="Keep")
    title = forms.CharField(max_length=300)
    kind = forms.ChoiceField(choices=Exercise.Kind.choices)
    start_date = forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    end_date = forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    participant_count = forms.IntegerField(required=False, min_value=0, max_value=100_000, label="Participants")
    member_state_count = forms.IntegerField(required=False, min_value=0, max_value=100_000, label="Member states")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start_date") and cleaned.get("end_date") and cleaned["end_date"] < cleaned["start_date"]:
            self.add_error("end_date", "The end date cannot be before the start date.")
        return cleaned


class ItemReviewForm(forms.Form):
    include = forms.BooleanField(required=False, initial=True, label="Keep")
    label = forms.CharField(required=False, max_length=10)
    title = forms.CharField(max_length=300)
    kind = forms.ChoiceField(choices=WorkPlanItem.Kind.choices)
    status = forms.ChoiceField(choices=ItemStatus.choices)
    continues = forms.ChoiceField(
        widget=forms.RadioSelect,
        required=False,
        label="Is it an item already recorded?",
        error_messages={"required": "Say whether this is the item already recorded or a new one."},
    )

    def __init__(self, *args, match=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.match = match
        if match is None:
            self.fields["continues"].choices = [("new", "New item")]
            self.fields["continues"].widget = forms.HiddenInput()
            self.initial.setdefault("continues", "new")
        else:
            item = match.item
            raised = f", raised at the {item.raised_at}" if item.raised_at else ""
            self.fields["continues"].choices = [
                (str(item.pk), f"Same item: “{item}”{raised}, {item.get_status_display().lower()}"),
                ("new", "New item"),
            ]
            # A near-certain match is ticked for the officer; a doubtful one waits for their answer.
            self.fields["continues"].required = True
            if match.strong:
                self.initial.setdefault("continues", str(item.pk))


class _ItemFormSet(forms.BaseFormSet):
    def __init__(self, *args, matches=(), **kwargs):
        self.matches = list(matches)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["match"] = self.matches[index] if index is not None and index < len(self.matches) else None
        return kwargs


class UnresolvedForm(forms.Form):
    ACTIONS = [
        ("ignore", "Leave it out"),
        ("map", "It is this registry entry (and remember the name as an alias)"),
        ("create_organisation", "Create a new organisation with this name"),
        ("create_state", "Create a new state with this name"),
    ]
    text = forms.CharField(widget=forms.HiddenInput, max_length=300)
    action = forms.ChoiceField(choices=ACTIONS, initial="ignore")
    map_to = forms.ChoiceField(required=False, label="Registry entry")
    iso_code = forms.CharField(required=False, max_length=2, label="ISO code (new state)")
    acronym = forms.CharField(required=False, max_length=30, label="Acronym (new organisation)")

    def __init__(self, *args, party_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["map_to"].choices = party_choices

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == "map" and not cleaned.get("map_to"):
            self.add_error("map_to", "Choose the registry entry this name means.")
        if action == "create_state":
            code = (cleaned.get("iso_code") or "").upper()
            if len(code) != 2 or not code.isalpha():
                self.add_error("iso_code", "A new state needs its two-letter ISO 3166 code.")
            elif MemberState.objects.filter(iso_code=code).exists():
                self.add_error("iso_code", "A state with this ISO code exists: choose it instead.")
            cleaned["iso_code"] = code
        if action in ("create_state", "create_organisation"):
            name = cleaned.get("text", "")
            model = MemberState if action == "create_state" else Organisation
            if model.objects.filter(name__iexact=name).exists():
                self.add_error("action", "An entry with this name exists: choose it instead.")
        return cleaned


ExerciseFormSet = forms.formset_factory(ExerciseReviewForm, extra=0)
ItemFormSet = forms.formset_factory(ItemReviewForm, formset=_ItemFormSet, extra=0)
UnresolvedFormSet = forms.formset_factory(UnresolvedForm, extra=0)
AddPartyFormSet = forms.formset_factory(AddPartyForm, extra=3, max_num=20)


def _is_party_name(unresolved) -> bool:
    return unresolved.context not in NOT_PARTIES


def _review_body(data, draft: Draft):
    """The body the officer's form names (for the continuing items), else the one read."""
    value = data.get("body", "") if data is not None else ""
    return (Body.objects.filter(pk=value).first() if value.isdigit() else None) or draft.body


def _bound_forms(request, draft: Draft, chosen_body: Body | None, data=None):
    if data is None and request.method == "POST" and "confirm" in request.POST:
        data = request.POST
    party_choices = _registry_choices()
    unresolved = [u for u in draft.unresolved if _is_party_name(u)]
    existing = existing_meeting(draft)
    matches = continuing_matches(draft.items, _review_body(data, draft), meeting=existing)
    return {
        "form": ReviewForm(
            data, initial=ReviewForm.initial_from(draft, chosen_body), groups=party_groups(draft), existing=existing
        ),
        "add_parties": AddPartyFormSet(data, prefix="add", form_kwargs={"party_choices": party_choices}),
        "exercises": ExerciseFormSet(
            data,
            prefix="exercises",
            initial=[
                {
                    "title": e.title,
                    "kind": e.kind,
                    "start_date": e.start_date or draft.start_date,
                    "end_date": e.end_date or draft.end_date,
                    "participant_count": e.participant_count,
                    "member_state_count": e.member_state_count,
                }
                for e in draft.exercises
            ],
        ),
        "items": ItemFormSet(
            data,
            prefix="items",
            matches=matches,
            initial=[{"label": i.label, "title": i.title, "kind": i.kind, "status": i.status} for i in draft.items],
        ),
        "unresolved": UnresolvedFormSet(
            data,
            prefix="unresolved",
            initial=[{"text": u.text[:300], "acronym": getattr(u, "alias", "")[:30]} for u in unresolved],
            form_kwargs={"party_choices": party_choices},
        ),
        "unresolved_rows": unresolved,
        "other_unresolved": [u for u in draft.unresolved if not _is_party_name(u)],
        "existing": existing,
    }


def _every_day(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


def _apply_review(draft: Draft, forms_: dict, *, by=None) -> tuple[Draft, ImportChoices]:
    """The draft with the officer's corrections and resolutions laid over it, and what else they
    decided (writes registry rows for names the officer resolved; the caller holds the transaction).
    Raises ValidationError for a party listed twice."""
    form = forms_["form"]
    data = form.cleaned_data
    choices = ImportChoices(remove=set(data["remove"]), update_terms=data["update_terms"])
    for name in (
        "body",
        "kind",
        "number",
        "format",
        "venue_city",
        "venue_country",
        "declared_participants",
        "declared_states",
        "declared_organisations",
    ):
        setattr(draft, name, data[name])
    if [draft.start_date, draft.end_date] != [data["start_date"], data["end_date"]]:
        draft.days = _every_day(data["start_date"], data["end_date"])

    found = {party_key(p): p for p in [*draft.states, *draft.organisations, *draft.co_chairs]}
    co_chairs = [found[key] for key in data.get("co_chairs", []) if key in found]
    agencies = {s.pk: draft.co_chair_agencies[s.pk] for s in co_chairs if s.pk in draft.co_chair_agencies}
    parties, roles = {}, {}

    def attend(party, role):
        key = party_key(party)
        if key in roles and roles[key] != role:
            raise ValidationError(
                f"{party} is listed twice, as {roles[key]} and as {role}: untick it in one of the two lists."
            )
        parties[key], roles[key] = party, role

    for name, _heading, _choices in form.groups:
        if name.startswith("role_"):
            for key in data.get(name, []):
                if key in found:
                    attend(found[key], name.removeprefix("role_"))
    for row in forms_["add_parties"].cleaned_data:
        party = row.get("party_obj")
        if party is None:
            continue
        if row["role"] == COCHAIR:
            if party not in co_chairs:
                co_chairs.append(party)
            choices.resolutions.append(f"added {party} as a co-chair")
        else:
            attend(party, row["role"])
            choices.resolutions.append(f"added {party} as {row['role']}")

    for row, unresolved in zip(forms_["unresolved"].cleaned_data, forms_["unresolved_rows"], strict=True):
        party, how = _resolve(row, by=by, state_code=getattr(unresolved, "state", "") or "")
        if party is None:
            continue
        choices.resolutions.append(f"“{row['text']}” is {party} ({how})")
        is_state = isinstance(party, MemberState)
        if unresolved.context in ("facilitator", "expert") and unresolved.exercise is not None:
            exercise = draft.exercises[unresolved.exercise]
            (exercise.facilitators if unresolved.context == "facilitator" else exercise.experts).append(party)
            continue
        if unresolved.context == COCHAIR:
            state = party if is_state else party.state
            if state and state not in co_chairs:
                co_chairs.append(state)
            if not is_state and state:
                agencies[state.pk] = party
            if state:
                party = state
        if party_key(party) in roles:
            continue
        role = Attendance.Role.OBSERVER if unresolved.context == "observer" else draft.role_of(party)
        attend(party, role)
    for state in co_chairs:
        if party_key(state) not in roles:
            attend(state, Attendance.Role.MEMBER)

    draft.co_chairs, draft.co_chair_agencies = co_chairs, agencies
    draft.states = [p for p in parties.values() if isinstance(p, MemberState)]
    draft.organisations = [p for p in parties.values() if not isinstance(p, MemberState)]
    draft.observers = [p for key, p in parties.items() if roles[key] == Attendance.Role.OBSERVER]
    choices.roles = roles

    exercises = []
    for row, exercise in zip(forms_["exercises"].cleaned_data, draft.exercises, strict=True):
        if not row.get("include"):
            continue
        exercise.title, exercise.kind = row["title"], row["kind"]
        exercise.participant_count, exercise.member_state_count = row["participant_count"], row["member_state_count"]
        if [exercise.start_date, exercise.end_date] != [row["start_date"], row["end_date"]]:
            exercise.days = _every_day(row["start_date"], row["end_date"])
        exercise.start_date, exercise.end_date = row["start_date"], row["end_date"]
        exercises.append(exercise)
    draft.exercises = exercises
    items = []
    for form_, item in zip(forms_["items"].forms, draft.items, strict=True):
        row = form_.cleaned_data
        if not row.get("include"):
            continue
        item.label, item.title, item.kind, item.status = row["label"], row["title"], row["kind"], row["status"]
        if form_.match is not None and row.get("continues") == str(form_.match.item.pk):
            choices.same_items[len(items)] = form_.match.item
            choices.resolutions.append(f"“{item.title}” is the item recorded as “{form_.match.item}” (same item)")
        items.append(item)
    draft.items = items
    return draft, choices


def _agency_state(name: str, state_code: str = ""):
    """The state of an agency named 'X of <state>' or '<adjective> X' (or as the parser read it), or None."""
    if state_code and (state := MemberState.objects.filter(iso_code=state_code).first()):
        return state
    found = [f for f in Resolver().find(name) if f.kind == "state"]
    if found and not name[found[-1].end :].strip(" .,)"):
        return found[-1].obj
    code = demonym_code(name)
    return MemberState.objects.filter(iso_code=code).first() if code else None


def _resolve(row: dict, *, by=None, state_code: str = ""):
    """The registry entry an unresolved name was resolved to, made or aliased as asked, and how; or
    (None, "")."""
    action, name = row["action"], row["text"]
    reason = f"Named “{name}” in a co-chairs' statement"
    if action == "map":
        party = _party(row["map_to"])
        if party is None:
            return None, ""
        key = {"state": party} if isinstance(party, MemberState) else {"organisation": party}
        if not Alias.objects.filter(name__iexact=name).exists():
            save_with_history(Alias(name=name, **key), by=by, reason=reason)
        return party, "remembered as its alias"
    if action == "create_state":
        state = MemberState(
            name=name,
            slug=unique_slug(MemberState, slugify(name)[:120] or row["iso_code"].lower()),
            iso_code=row["iso_code"],
            membership="none",
        )
        save_with_history(state, by=by, reason=reason)
        return state, "a new state"
    if action == "create_organisation":
        # "the National Anti-Scam Centre of Cambodia" or "the Thai Ministry of ..." is a national
        # agency of that state; anything else starts as an international organisation, which the
        # secretariat can correct in the registry.
        state = _agency_state(name, state_code)
        organisation = Organisation(
            name=name,
            acronym=row["acronym"],
            slug=unique_slug(Organisation, slugify(row["acronym"] or name)[:120]),
            kind=Organisation.Kind.NATIONAL_AGENCY if state else Organisation.Kind.INTERNATIONAL,
            state=state,
        )
        save_with_history(organisation, by=by, reason=reason)
        return organisation, f"a new agency of {state}" if state else "a new organisation"
    return None, ""


def import_statement_view(model_admin, request):
    """Step one: the text; step two (POST with 'review'): the review; step three ('confirm'): create
    or, for a meeting already recorded, show the diff and then update."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Meeting._meta,
        "title": "Import a co-chairs' statement",
    }
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(model_admin, request, context)
    form = StatementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        draft = form.draft
        return render_review(request, context, draft, _bound_forms(request, draft, form.cleaned_data["body"]))
    return TemplateResponse(request, "statements/read.html", {**context, "form": form})


# Where each review field's fact came from: the field's own source if the parser gives one, else these.
FIELD_SOURCES = {
    "number": ["kind"],
    "start_date": ["dates", "date"],
    "end_date": ["dates", "date"],
    "venue_city": ["venue"],
    "venue_country": ["venue"],
    "co_chairs": ["co_chairs"],
    "role_observer": ["observers", "participants"],
}


def _quote_pattern(quote: str):
    words = re.findall(r"\w+", quote)
    if not words:
        return None
    return re.compile(r"\W+".join(re.escape(w) for w in words[:200]), re.IGNORECASE)


def source_marks(text: str, quotes: dict) -> tuple[str, dict]:
    """The statement as HTML with each quoted passage in a <mark id="src-N">, and for each key of
    `quotes` (whose values are lists of candidate quotes, best first) the N of its mark. A passage
    quoted by several facts is marked once; overlapping passages share one mark."""
    spans = {}
    for key, candidates in quotes.items():
        for quote in candidates:
            pattern = _quote_pattern(quote or "")
            match = pattern.search(text) if pattern else None
            if match:
                # The quote's closing stop or bracket belongs to it too.
                end = match.end() + len(re.match(r"[.!?;:)\]\"”’']*", text[match.end() :]).group(0))
                spans[key] = (match.start(), end)
                break
    merged: list[list[int]] = []
    for start, end in sorted(set(spans.values())):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    number_of = {}
    for key, (start, _end) in spans.items():
        number_of[key] = next(n for n, (s, e) in enumerate(merged, 1) if s <= start < e)
    pieces, position = [], 0
    for n, (start, end) in enumerate(merged, 1):
        pieces.append(conditional_escape(text[position:start]))
        pieces.append(
            format_html(
                '<mark id="src-{}" tabindex="-1"><sup class="src-number">{}</sup>{}</mark>', n, n, text[start:end]
            )
        )
        position = end
    pieces.append(conditional_escape(text[position:]))
    return mark_safe("".join(str(p) for p in pieces)), number_of


def _quotes(draft: Draft, form: ReviewForm, unresolved_rows: list) -> dict:
    sources = draft.sources
    quotes = {}
    for name in [*ReviewForm.MEETING_FIELDS, *(n for n, _, _ in form.groups)]:
        keys = [name, *FIELD_SOURCES.get(name, []), "participants"] if name.startswith("role_") else None
        keys = keys or [name, *FIELD_SOURCES.get(name, [])]
        quotes[name] = [sources[k] for k in keys if sources.get(k)][:1]
    for index, exercise in enumerate(draft.exercises):
        quotes[f"exercise-{index}"] = [*exercise.sources.values(), exercise.title][:1] or [exercise.title]
    for index, item in enumerate(draft.items):
        quotes[f"item-{index}"] = [item.source, item.title]
    for index, unresolved in enumerate(unresolved_rows):
        quotes[f"unresolved-{index}"] = [unresolved.sentence, unresolved.text]
    return quotes


def render_review(request, context, draft: Draft, forms_: dict, *, diff=None):
    """The review page: the statement with its facts marked beside the facts as form fields."""
    form = forms_["form"]
    existing = forms_["existing"]
    if existing is not None and diff is None:
        initial_choices = ImportChoices(
            same_items={
                i: f.match.item
                for i, f in enumerate(forms_["items"].forms)
                if f.match and f.initial.get("continues") == str(f.match.item.pk)
            }
        )
        diff = diff_meeting(existing, draft, initial_choices)
        if not form.is_bound:
            form.initial["diff_signature"] = diff.signature()
    marked, mark_of = source_marks(draft.statement, _quotes(draft, form, forms_["unresolved_rows"]))
    missing = missing_fields(draft)
    change = term_change(draft.body, draft.start_date, draft.co_chairs, draft.co_chair_agencies)
    return TemplateResponse(
        request,
        "statements/review.html",
        {
            **context,
            **forms_,
            "title": "Review the imported statement",
            "draft": draft,
            "marked_statement": marked,
            "mark_of": mark_of,
            "meeting_rows": [
                (f, mark_of.get(f.name), f.name in _flagged_fields(missing)) for f in form.meeting_fields()
            ],
            "party_rows": [(f, mark_of.get(f.name)) for f in form.party_fields()],
            "item_rows": [(f, mark_of.get(f"item-{i}")) for i, f in enumerate(forms_["items"].forms)],
            "exercise_rows": [
                (f, draft.exercises[i] if i < len(draft.exercises) else None, mark_of.get(f"exercise-{i}"))
                for i, f in enumerate(forms_["exercises"].forms)
            ],
            "unresolved_pairs": [
                (f, u, mark_of.get(f"unresolved-{i}"))
                for i, (f, u) in enumerate(zip(forms_["unresolved"].forms, forms_["unresolved_rows"], strict=False))
            ],
            "missing": [MISSING_MESSAGES.get(name, f"The {name} could not be read: fill it in.") for name in missing],
            "inferred": [_inferred_note(name, value) for name, value in (getattr(draft, "inferred", {}) or {}).items()],
            "diff": diff,
            "removable": {p.key for p in diff.parties if p.change in ("kept", "removed")} if diff else set(),
            "term_change": change,
        },
    )


def _inferred_note(name: str, value) -> str:
    if name == "year":
        return f"The year {value} is not written beside the date; it was taken from the statement's other dates."
    return f"{str(name).replace('_', ' ').capitalize()}: {value}, inferred, not written in the statement."


def _flagged_fields(missing: list[str]) -> set[str]:
    names = set(missing)
    if "date" in names:
        names |= {"start_date"}
    return names


class _ShowDiff(Exception):
    """The update would write a diff the officer has not seen yet: undo, and show it."""

    def __init__(self, diff):
        self.diff = diff


def _confirm(model_admin, request, context):
    statement = request.POST.get("statement", "")[:MAX_CHARACTERS]
    chosen = request.POST.get("chosen_body", "")
    body = Body.objects.filter(pk=chosen).first() if chosen.isdigit() else None

    def fresh():
        draft = parse_statement(statement, body=body)
        return draft, _bound_forms(request, draft, body)

    draft, forms_ = fresh()
    if request.POST.get("body", "") != request.POST.get("items_body", "") and any(
        f.match for f in forms_["items"].forms
    ):
        # The officer chose the body after the items were shown: they may continue items of that
        # body, which the officer has not been asked about yet.
        data = request.POST.copy()
        for key in [k for k in data if k.endswith("-continues")]:
            del data[key]
        data["items_body"] = data.get("body", "")
        forms_ = _bound_forms(request, draft, body, data=data)
        for form_ in forms_.values():
            if hasattr(form_, "is_valid"):
                form_.is_valid()
        messages.warning(request, "Some work-plan items may be items this body has recorded: answer for each.")
        return render_review(request, context, draft, forms_)
    valid = [forms_[name].is_valid() for name in ("form", "add_parties", "exercises", "items", "unresolved")]
    counts = [
        (forms_["exercises"], draft.exercises),
        (forms_["items"], draft.items),
        (forms_["unresolved"], forms_["unresolved_rows"]),
    ]
    if any(formset.total_form_count() != len(rows) for formset, rows in counts):
        draft, forms_ = fresh()
        forms_["form"].is_valid()
        forms_["form"].add_error(None, "The form no longer matches the statement; nothing was saved. Check it again.")
        return render_review(request, context, draft, forms_)
    if not all(valid):
        return render_review(request, context, draft, forms_)
    form = forms_["form"]
    try:
        with transaction.atomic():
            corrected, choices = _apply_review(draft, forms_, by=request.user)
            update = existing_meeting(corrected) if form.cleaned_data["update_existing"] else None
            if update is not None:
                diff = diff_meeting(update, corrected, choices)
                if diff.signature() != form.cleaned_data["diff_signature"]:
                    raise _ShowDiff(diff)
            meeting = import_draft(corrected, by=request.user, update=update, choices=choices)
    except _ShowDiff as show:
        draft, forms_ = fresh()
        forms_["form"].is_valid()
        data = forms_["form"].data.copy()
        data["diff_signature"] = show.diff.signature()
        forms_["form"].data = data
        messages.warning(request, "Check the changes this update makes, below, then confirm again.")
        return render_review(request, context, draft, forms_, diff=show.diff)
    except (DuplicateMeeting, StatementError, ValidationError, IntegrityError) as error:
        draft, forms_ = fresh()
        forms_["form"].is_valid()
        forms_["form"].add_error(None, _message(error))
        return render_review(request, context, draft, forms_)
    confirmed = f" Confirmed by {request.user}: " + "; ".join(choices.resolutions) + "." if choices.resolutions else ""
    if update is None:
        model_admin.log_addition(request, meeting, f"Imported from a co-chairs' statement.{confirmed}")
    else:
        model_admin.log_change(request, meeting, f"Updated from a co-chairs' statement.{confirmed}")
    messages.success(request, _outcome(meeting, updated=update is not None))
    return redirect(reverse("admin:meetings_meeting_change", args=[meeting.pk]))


def _outcome(meeting: Meeting, *, updated: bool) -> str:
    """What happened, with the meeting's real status afterwards."""
    counts = (
        f"{meeting.attendances.count()} parties, {meeting.exercises.count()} exercise(s), "
        f"{meeting.items_raised.count()} work-plan item(s) raised and {meeting.items_reported.count()} reported on"
    )
    if not updated:
        return f"The {meeting} is recorded as a draft with {counts}. Check it, then publish it."
    if meeting.is_published:
        return f"The {meeting} is updated ({counts}). It is still published: the changes are public now."
    return f"The {meeting} is updated ({counts}). It is still a draft: check it, then publish it."


def _message(error) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    if isinstance(error, IntegrityError):
        return "The records clash with ones already stored; nothing was saved. Check the numbers and names."
    return str(error)
