"""One factory per model: plain, predictable, no hidden side effects."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.urls import reverse

from meetings.models import (
    Alias,
    Attendance,
    Body,
    CoChairTerm,
    Delegate,
    Erasure,
    Exercise,
    FocusArea,
    Meeting,
    MeetingCoChair,
    Membership,
    MemberState,
    Organisation,
    Sector,
    Theme,
)
from workplan.models import ProgressUpdate, ReminderSent, Representative, StatusAtMeeting, WorkPlanItem


def _free_codes():
    """Two-letter codes the demo registry does not use, so factories and the demo never clash."""
    from itertools import product
    from string import ascii_uppercase

    from meetings import demo

    taken = {
        row[2]
        for rows in (demo.MEMBER_STATES, demo.MEMBER_TERRITORIES, demo.OTHER_STATES, demo.OBSERVER_STATES)
        for row in rows
    }
    return [a + b for a, b in product("XQZWYJ" + ascii_uppercase, ascii_uppercase) if a + b not in taken]


FREE_CODES = list(dict.fromkeys(_free_codes()))


def _iso_code(n: int) -> str:
    return FREE_CODES[n % len(FREE_CODES)]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


class MemberStateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberState

    name = factory.Sequence(lambda n: f"State {n}")
    slug = factory.Sequence(lambda n: f"state-{n}")
    iso_code = factory.Sequence(_iso_code)
    membership = Membership.MEMBER


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    acronym = factory.Sequence(lambda n: f"ORG{n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    kind = Organisation.Kind.INTERNATIONAL


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    name = factory.Sequence(lambda n: f"Working Group {n}")
    acronym = factory.Sequence(lambda n: f"WG{n}")
    slug = factory.Sequence(lambda n: f"wg-{n}")


class AliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alias

    name = factory.Sequence(lambda n: f"Alias {n}")
    state = factory.SubFactory(MemberStateFactory)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector

    name = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.Sequence(lambda n: f"sector-{n}")


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    name = factory.Sequence(lambda n: f"Focus area {n}")
    slug = factory.Sequence(lambda n: f"focus-area-{n}")


class CoChairTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoChairTerm

    body = factory.SubFactory(BodyFactory)
    state = factory.SubFactory(MemberStateFactory)
    start_date = datetime.date(2022, 1, 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    kind = Meeting.Kind.ANNUAL
    number = factory.Sequence(lambda n: n + 1)
    slug = factory.Sequence(lambda n: f"meeting-{n}")
    start_date = datetime.date(2022, 10, 12)
    end_date = factory.LazyAttribute(lambda meeting: meeting.start_date)
    format = Meeting.Format.IN_PERSON
    venue_city = "Bangkok"
    venue_country = "Thailand"
    status = Meeting.Status.PUBLISHED


class MeetingCoChairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingCoChair

    meeting = factory.SubFactory(MeetingFactory)
    state = factory.SubFactory(MemberStateFactory)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    state = factory.SubFactory(MemberStateFactory)
    role = Attendance.Role.MEMBER


class DelegateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegate

    attendance = factory.SubFactory(AttendanceFactory)
    full_name = factory.Sequence(lambda n: f"Delegate Person {n}")
    email = factory.Sequence(lambda n: f"delegate{n}@example.org")
    phone = factory.Sequence(lambda n: f"+66 2 000 {n:04d}")
    passport_number = factory.Sequence(lambda n: f"P{n:08d}")


class ErasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Erasure

    delegate_id = factory.Sequence(lambda n: n + 1)


class ExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exercise

    title = factory.Sequence(lambda n: f"Table-top exercise {n}")
    slug = factory.Sequence(lambda n: f"exercise-{n}")
    kind = Exercise.Kind.TABLE_TOP
    status = Exercise.Status.PUBLISHED
    start_date = datetime.date(2022, 10, 10)
    end_date = datetime.date(2022, 10, 11)


class WorkPlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkPlanItem

    body = factory.SubFactory(BodyFactory)
    title = factory.Sequence(lambda n: f"Work-plan item {n}")
    kind = WorkPlanItem.Kind.TRAINING
    status = WorkPlanItem.Status.SUGGESTED


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    item = factory.SubFactory(WorkPlanItemFactory)
    date = datetime.date(2023, 3, 1)
    text = factory.Sequence(lambda n: f"Progress note {n}")


class RepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representative

    user = factory.SubFactory(UserFactory)
    state = factory.SubFactory(MemberStateFactory)


class StatusAtMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusAtMeeting

    item = factory.SubFactory(WorkPlanItemFactory)
    meeting = factory.SubFactory(MeetingFactory)
    status = WorkPlanItem.Status.SUGGESTED
    reason = "Corrected from the minutes."


class ReminderSentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReminderSent

    item = factory.SubFactory(WorkPlanItemFactory)
    threshold = ReminderSent.Threshold.DUE_TODAY
    due_date = datetime.date(2024, 1, 1)


def bulk(factory_class, rows):
    """Many rows in one INSERT: each built by the factory from its dict (every foreign key given,
    so nothing is saved one by one), then stored with bulk_create. No save(), signals or history:
    for the volume a query budget needs, not for behaviour that hangs on a save."""
    model = factory_class._meta.model
    return model.objects.bulk_create([factory_class.build(**row) for row in rows])


def bulk_link(field, pairs):
    """Rows of a many-to-many field (e.g. WorkPlanItem.lead_states) in one INSERT: (source, target) pairs."""
    through = field.through
    source, target = field.field.m2m_field_name(), field.field.m2m_reverse_field_name()
    through.objects.bulk_create([through(**{source: a, target: b}) for a, b in pairs])


# --- shared by several test modules (one copy of each) ----------------------------------------------

# One way to make a row of each model the admin manages.
ROW_MAKERS = {
    "meetings.memberstate": MemberStateFactory,
    "meetings.organisation": OrganisationFactory,
    "meetings.body": BodyFactory,
    "meetings.alias": AliasFactory,
    "meetings.theme": ThemeFactory,
    "meetings.sector": SectorFactory,
    "meetings.focusarea": FocusAreaFactory,
    "meetings.cochairterm": CoChairTermFactory,
    "meetings.meeting": MeetingFactory,
    "meetings.meetingcochair": MeetingCoChairFactory,
    "meetings.attendance": AttendanceFactory,
    "meetings.delegate": DelegateFactory,
    "meetings.erasure": ErasureFactory,
    "meetings.exercise": ExerciseFactory,
    "workplan.workplanitem": WorkPlanItemFactory,
    "workplan.progressupdate": ProgressUpdateFactory,
    "workplan.representative": RepresentativeFactory,
    "workplan.statusatmeeting": StatusAtMeetingFactory,
    "workplan.remindersent": ReminderSentFactory,
}


MEETING_URL = "/meetings/wgd-seventh-annual-meeting-2022/"
PUBLIC_PAGES = [
    "/",
    "/meetings/",
    MEETING_URL,
    MEETING_URL + "print/",
    "/exercises/",
    "/exercises/table-top-exercise-investigations-2022/",
    "/bodies/",
    "/bodies/wgd/",
    "/members/",
    "/members/states/viet-nam/",
    "/members/organisations/iom/",
    "/themes/online-scams/",
    "/workplan/",
    "/search/?q=scams",
]


CANARIES = {
    "full_name": "Canary Zzyzx-Personname",
    "email": "canary.zzyzx@example.net",
    "phone": "+66 99 123 4567",
    "passport_number": "ZX9876543",
    "position": "Canary Position Qwerty",
    "notes": "Canary notes Plugh",
}


def all_public_urls():
    urls = list(PUBLIC_PAGES)
    for model in (Meeting, Exercise, Body, MemberState, Organisation, Theme, WorkPlanItem):
        urls += [obj.get_absolute_url() for obj in model.objects.all()]
    urls += [reverse("meetings:print", args=[m.slug]) for m in Meeting.objects.all()]
    # Searches for the canaries echo the visitor's own words; the next test covers them.
    return urls


EXPECTED_COLUMNS = {
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


API_ENDPOINTS = ["states", "organisations", "bodies", "meetings", "exercises", "workplan-items"]


def body_of(response) -> bytes:
    """A response's bytes, streamed (downloads) or not."""
    return b"".join(response.streaming_content) if response.streaming else response.content
