"""The admin's "Import a co-chairs' statement": paste or upload, review field by field, create.

The review page carries the statement's text, not the draft: on submit the text is parsed again
(the parser is deterministic) and the officer's corrections are laid over the fresh draft, so
nothing the browser sends can smuggle in records the officer did not see.
"""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify

from core.limits import IMPORT_SECONDS, MAX_UPLOAD_BYTES, Deadline, InputTooBig
from meetings.admin_widgets import SafeModelMultipleChoiceField
from meetings.models import Alias, Body, Exercise, Meeting, MemberState, Organisation
from workplan.models import ItemStatus, WorkPlanItem

from .extract import StatementError, text_from_upload
from .importer import DuplicateMeeting, existing_meeting, import_draft, unique_slug
from .parser import MAX_CHARACTERS, Draft, parse_statement
from .resolver import demonym_code

SELECT_SIZE = {"size": 8}


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
            if not text:
                raise ValidationError("Paste the statement's text or upload a file.")
            draft = parse_statement(text, body=cleaned.get("body"))
            deadline.check()
        except (StatementError, InputTooBig) as error:
            raise ValidationError(str(error)) from error
        if not draft.is_meeting:
            raise ValidationError(
                "No meeting was recognised in this text: it should name a body of the forum (or choose one "
                "below) and the date of the meeting."
            )
        cleaned["text"], self.draft = text, draft
        return cleaned


def _party_choices():
    states = [(f"state-{s.pk}", s.name) for s in MemberState.objects.order_by("name")]
    organisations = [(f"org-{o.pk}", str(o)) for o in Organisation.objects.order_by("name")]
    return [("", "—"), ("States", states), ("Organisations", organisations)]


class ReviewForm(forms.Form):
    """The meeting's fields as the parser read them, each open to correction."""

    statement = forms.CharField(widget=forms.HiddenInput, max_length=MAX_CHARACTERS)
    chosen_body = forms.CharField(widget=forms.HiddenInput, required=False)
    body = forms.ModelChoiceField(queryset=Body.objects.order_by("name"))
    kind = forms.ChoiceField(choices=Meeting.Kind.choices)
    number = forms.IntegerField(required=False, min_value=1, max_value=999)
    start_date = forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    end_date = forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    format = forms.ChoiceField(choices=Meeting.Format.choices)
    venue_city = forms.CharField(required=False, max_length=100)
    venue_country = forms.CharField(required=False, max_length=100)
    declared_participants = forms.IntegerField(required=False, min_value=0)
    declared_states = forms.IntegerField(required=False, min_value=0)
    declared_organisations = forms.IntegerField(required=False, min_value=0)
    co_chairs = SafeModelMultipleChoiceField(
        MemberState.objects.order_by("name"), required=False, widget=forms.SelectMultiple(attrs=SELECT_SIZE)
    )
    states = SafeModelMultipleChoiceField(
        MemberState.objects.order_by("name"), required=False, widget=forms.SelectMultiple(attrs=SELECT_SIZE)
    )
    organisations = SafeModelMultipleChoiceField(
        Organisation.objects.order_by("name"), required=False, widget=forms.SelectMultiple(attrs=SELECT_SIZE)
    )
    observer_states = SafeModelMultipleChoiceField(
        MemberState.objects.order_by("name"), required=False, widget=forms.SelectMultiple(attrs=SELECT_SIZE)
    )
    observer_organisations = SafeModelMultipleChoiceField(
        Organisation.objects.order_by("name"), required=False, widget=forms.SelectMultiple(attrs=SELECT_SIZE)
    )
    update_existing = forms.BooleanField(
        required=False, label="Update the meeting already recorded instead of creating a duplicate"
    )

    def __init__(self, *args, existing: Meeting | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = existing

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date cannot be before the start date.")
        number, body, kind = cleaned.get("number"), cleaned.get("body"), cleaned.get("kind")
        clash = Meeting.objects.filter(body=body, kind=kind, number=number).first() if number else None
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
            "body": draft.body,
            "kind": draft.kind,
            "number": draft.number,
            "start_date": draft.start_date,
            "end_date": draft.end_date,
            "format": draft.format or Meeting.Format.IN_PERSON,
            "venue_city": draft.venue_city,
            "venue_country": draft.venue_country,
            "declared_participants": draft.declared_participants,
            "declared_states": draft.declared_states,
            "declared_organisations": draft.declared_organisations,
            "co_chairs": draft.co_chairs,
            "states": draft.states,
            "organisations": draft.organisations,
            "observer_states": [p for p in draft.observers if isinstance(p, MemberState)],
            "observer_organisations": [p for p in draft.observers if isinstance(p, Organisation)],
        }


class ExerciseReviewForm(forms.Form):
    include = forms.BooleanField(required=False, initial=True)
    title = forms.CharField(max_length=300, widget=forms.TextInput(attrs={"size": 50}))
    kind = forms.ChoiceField(choices=Exercise.Kind.choices)
    start_date = forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    end_date = forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    participant_count = forms.IntegerField(required=False, min_value=0)
    member_state_count = forms.IntegerField(required=False, min_value=0)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start_date") and cleaned.get("end_date") and cleaned["end_date"] < cleaned["start_date"]:
            self.add_error("end_date", "The end date cannot be before the start date.")
        return cleaned


class ItemReviewForm(forms.Form):
    include = forms.BooleanField(required=False, initial=True)
    label = forms.CharField(max_length=10, required=False, widget=forms.TextInput(attrs={"size": 3}))
    title = forms.CharField(max_length=300, widget=forms.TextInput(attrs={"size": 80}))
    kind = forms.ChoiceField(choices=WorkPlanItem.Kind.choices)
    status = forms.ChoiceField(choices=ItemStatus.choices)


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
ItemFormSet = forms.formset_factory(ItemReviewForm, extra=0)
UnresolvedFormSet = forms.formset_factory(UnresolvedForm, extra=0)

PARTY_CONTEXTS = {"participant", "observer", "co-chair", "facilitator", "expert"}


def _bound_forms(request, draft: Draft, chosen_body: Body | None):
    data = request.POST if request.method == "POST" and "confirm" in request.POST else None
    party_choices = _party_choices()
    unresolved = [u for u in draft.unresolved if u.context in PARTY_CONTEXTS]
    return {
        "form": ReviewForm(data, initial=ReviewForm.initial_from(draft, chosen_body), existing=existing_meeting(draft)),
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
            initial=[{"label": i.label, "title": i.title, "kind": i.kind, "status": i.status} for i in draft.items],
        ),
        "unresolved": UnresolvedFormSet(
            data,
            prefix="unresolved",
            initial=[{"text": u.text[:300]} for u in unresolved],
            form_kwargs={"party_choices": party_choices},
        ),
        "unresolved_rows": unresolved,
        "other_unresolved": [u for u in draft.unresolved if u.context not in PARTY_CONTEXTS],
    }


def _party(value: str):
    kind, _, pk = value.partition("-")
    model = MemberState if kind == "state" else Organisation
    return model.objects.get(pk=pk)


def _apply_review(draft: Draft, forms_: dict) -> Draft:
    """The draft with the officer's corrections and resolutions laid over it (writes registry rows
    for names the officer resolved; the caller holds the transaction)."""
    data = forms_["form"].cleaned_data
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
    draft.co_chairs = list(data["co_chairs"])
    draft.observers = [*data["observer_states"], *data["observer_organisations"]]
    draft.states = list(dict.fromkeys([*data["states"], *data["observer_states"], *draft.co_chairs]))
    draft.organisations = list(dict.fromkeys([*data["organisations"], *data["observer_organisations"]]))

    for row, unresolved in zip(forms_["unresolved"].cleaned_data, forms_["unresolved_rows"], strict=True):
        party = _resolve(row)
        if party is None:
            continue
        is_state = isinstance(party, MemberState)
        if unresolved.context in ("facilitator", "expert") and unresolved.exercise is not None:
            exercise = draft.exercises[unresolved.exercise]
            (exercise.facilitators if unresolved.context == "facilitator" else exercise.experts).append(party)
            continue
        if unresolved.context == "co-chair":
            state = party if is_state else party.state
            if state and state not in draft.co_chairs:
                draft.co_chairs.append(state)
            if not is_state and state:
                draft.co_chair_agencies[state.pk] = party
        if unresolved.context == "observer":
            draft.observers.append(party)
        (draft.states if is_state else draft.organisations).append(party)

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
    for row, item in zip(forms_["items"].cleaned_data, draft.items, strict=True):
        if row.get("include"):
            item.label, item.title, item.kind, item.status = row["label"], row["title"], row["kind"], row["status"]
            items.append(item)
    draft.items = items
    return draft


def _every_day(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


def _resolve(row: dict):
    """The registry entry an unresolved name was resolved to, made or aliased as asked; or None."""
    action, name = row["action"], row["text"]
    if action == "map":
        party = _party(row["map_to"])
        key = {"state": party} if isinstance(party, MemberState) else {"organisation": party}
        if not Alias.objects.filter(name__iexact=name).exists():
            Alias.objects.create(name=name, **key)
        return party
    if action == "create_state":
        return MemberState.objects.create(
            name=name,
            slug=unique_slug(MemberState, slugify(name)[:120] or row["iso_code"].lower()),
            iso_code=row["iso_code"],
            membership="none",
        )
    if action == "create_organisation":
        # "the Thai Ministry of ..." is a national agency of Thailand; anything else starts as an
        # international organisation, which the secretariat can correct in the registry.
        code = demonym_code(name)
        state = MemberState.objects.filter(iso_code=code).first() if code else None
        return Organisation.objects.create(
            name=name,
            acronym=row["acronym"],
            slug=unique_slug(Organisation, slugify(row["acronym"] or name)[:120]),
            kind=Organisation.Kind.NATIONAL_AGENCY if state else Organisation.Kind.INTERNATIONAL,
            state=state,
        )
    return None


def import_statement_view(model_admin, request):
    """Step one: the text; step two (POST with 'review'): the review; step three ('confirm'): create."""
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
        return _review(request, context, draft, _bound_forms(request, draft, form.cleaned_data["body"]))
    return TemplateResponse(request, "statements/read.html", {**context, "form": form})


# Which of the parser's sources each review field came from.
FIELD_SOURCES = {
    "start_date": "dates",
    "end_date": "dates",
    "venue_city": "venue",
    "venue_country": "venue",
    "states": "participants",
    "organisations": "participants",
    "observer_states": "participants",
    "observer_organisations": "participants",
}


def _review(request, context, draft, forms_):
    form = forms_["form"]
    rows = []
    for field in form.visible_fields():
        sentence = draft.sources.get(FIELD_SOURCES.get(field.name, field.name), "")
        chosen = ""
        if isinstance(field.field, forms.ModelMultipleChoiceField):
            # A long list hides what is selected: name it.
            chosen = ", ".join(str(p) for p in form.initial.get(field.name) or []) or "none"
        rows.append((field, sentence, chosen))
    return TemplateResponse(
        request,
        "statements/review.html",
        {
            "meeting_rows": rows,
            **context,
            "title": "Review the imported statement",
            "draft": draft,
            "existing": existing_meeting(draft),
            **forms_,
        },
    )


def _confirm(model_admin, request, context):
    statement = request.POST.get("statement", "")[:MAX_CHARACTERS]
    chosen = request.POST.get("chosen_body", "")
    body = Body.objects.filter(pk=chosen).first() if chosen.isdigit() else None
    draft = parse_statement(statement, body=body)
    forms_ = _bound_forms(request, draft, body)
    valid = all(
        [
            forms_["form"].is_valid(),
            forms_["exercises"].is_valid(),
            forms_["items"].is_valid(),
            forms_["unresolved"].is_valid(),
        ]
    )
    if not valid:
        return _review(request, context, draft, forms_)
    try:
        with transaction.atomic():
            corrected = _apply_review(draft, forms_)
            update = existing_meeting(corrected) if forms_["form"].cleaned_data["update_existing"] else None
            meeting = import_draft(corrected, by=request.user, update=update)
    except (DuplicateMeeting, StatementError, ValidationError, IntegrityError) as error:
        forms_["form"].add_error(None, _message(error))
        return _review(request, context, draft, forms_)
    model_admin.log_addition(request, meeting, "Imported from a co-chairs' statement")
    messages.success(
        request,
        f"The {meeting} is recorded as a draft with {meeting.attendances.count()} parties, "
        f"{meeting.exercises.count()} exercise(s) and {meeting.items_raised.count()} work-plan item(s). "
        "Check it, then publish it.",
    )
    return redirect(reverse("admin:meetings_meeting_change", args=[meeting.pk]))


def _message(error) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    if isinstance(error, IntegrityError):
        return "The records clash with ones already stored; nothing was saved. Check the numbers and names."
    return str(error)
