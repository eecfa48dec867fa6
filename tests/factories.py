"""One factory per model: plain, predictable, no hidden side effects."""

import datetime

import factory
from django.contrib.auth import get_user_model

from meetings.models import (
    Alias,
    Attendance,
    Body,
    CoChairTerm,
    Delegate,
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


class AgencyFactory(OrganisationFactory):
    kind = Organisation.Kind.NATIONAL_AGENCY
    state = factory.SubFactory(MemberStateFactory)


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
