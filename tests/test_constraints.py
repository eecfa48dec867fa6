"""Each database constraint refuses the bad row it exists for, on SQLite and PostgreSQL alike."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meetings.models import Alias, Attendance, Meeting, MemberState, Organisation
from workplan.models import ProgressUpdate

from .factories import (
    AliasFactory,
    AttendanceFactory,
    BodyFactory,
    CoChairTermFactory,
    ExerciseFactory,
    MeetingCoChairFactory,
    MeetingFactory,
    MemberStateFactory,
    OrganisationFactory,
    ProgressUpdateFactory,
)

pytestmark = pytest.mark.django_db

OCT_12 = datetime.date(2022, 10, 12)
OCT_11 = datetime.date(2022, 10, 11)


def refused_by_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_meeting_cannot_end_before_it_starts():
    refused_by_database(lambda: MeetingFactory(start_date=OCT_12, end_date=OCT_11))


def test_exercise_cannot_end_before_it_starts():
    refused_by_database(lambda: ExerciseFactory(start_date=OCT_12, end_date=OCT_11))


def test_cochair_term_cannot_end_before_it_starts():
    refused_by_database(lambda: CoChairTermFactory(start_date=OCT_12, end_date=OCT_11))


def test_one_meeting_per_body_kind_and_number():
    first = MeetingFactory(number=7)
    refused_by_database(lambda: MeetingFactory(body=first.body, kind=first.kind, number=7))


def test_meetings_without_a_number_may_share_body_and_kind():
    first = MeetingFactory(number=None)
    MeetingFactory(body=first.body, kind=first.kind, number=None)
    assert Meeting.objects.filter(body=first.body).count() == 2


def test_attendance_must_name_a_party():
    refused_by_database(lambda: AttendanceFactory(state=None))


def test_attendance_cannot_name_both_a_state_and_an_organisation():
    refused_by_database(lambda: AttendanceFactory(organisation=OrganisationFactory()))


def test_a_state_attends_a_meeting_once():
    first = AttendanceFactory()
    refused_by_database(lambda: AttendanceFactory(meeting=first.meeting, state=first.state))


def test_an_organisation_attends_a_meeting_once():
    first = AttendanceFactory(state=None, organisation=OrganisationFactory())
    refused_by_database(lambda: AttendanceFactory(meeting=first.meeting, state=None, organisation=first.organisation))


def test_duplicate_attendance_gets_a_readable_message_before_the_database():
    first = AttendanceFactory()
    duplicate = Attendance(meeting=first.meeting, state=first.state)
    with pytest.raises(ValidationError) as refusal:
        duplicate.full_clean()
    assert "This state is already listed for this meeting." in str(refusal.value)


def test_a_state_cochairs_a_meeting_once():
    first = MeetingCoChairFactory()
    refused_by_database(lambda: MeetingCoChairFactory(meeting=first.meeting, state=first.state))


def test_a_cochair_must_be_a_member_not_an_observer():
    observer = MemberStateFactory(membership="observer")
    cochair = MeetingCoChairFactory.build(meeting=MeetingFactory(), state=observer)
    with pytest.raises(ValidationError) as refusal:
        cochair.full_clean()
    assert "Only a member state can co-chair a meeting." in refusal.value.message_dict["state"]


def test_a_cochair_term_must_be_held_by_a_member():
    observer = MemberStateFactory(membership="observer")
    term = CoChairTermFactory.build(body=BodyFactory(), state=observer)
    with pytest.raises(ValidationError) as refusal:
        term.full_clean()
    assert "Only a member state can co-chair a body." in refusal.value.message_dict["state"]


@pytest.mark.parametrize("field", ["declared_participant_count", "declared_state_count", "declared_organisation_count"])
def test_meeting_counts_are_not_negative(field):
    refused_by_database(lambda: MeetingFactory(**{field: -1}))


@pytest.mark.parametrize("field", ["participant_count", "member_state_count"])
def test_exercise_counts_are_not_negative(field):
    refused_by_database(lambda: ExerciseFactory(**{field: -1}))


@pytest.mark.parametrize("percent", [-1, 101])
def test_percent_complete_is_between_0_and_100(percent):
    refused_by_database(lambda: ProgressUpdateFactory(percent_complete=percent))


def test_percent_complete_of_100_is_accepted():
    assert ProgressUpdateFactory(percent_complete=100).percent_complete == 100
    assert ProgressUpdate.objects.count() == 1


def test_only_a_territory_has_a_parent_state():
    france = MemberStateFactory()
    refused_by_database(lambda: MemberStateFactory(kind=MemberState.Kind.STATE, parent_state=france))
    territory = MemberStateFactory(kind=MemberState.Kind.TERRITORY, parent_state=france)
    assert list(france.territories.all()) == [territory]


def test_a_national_agency_belongs_to_a_state():
    refused_by_database(lambda: OrganisationFactory(kind=Organisation.Kind.NATIONAL_AGENCY, state=None))


def test_an_alias_names_exactly_one_party():
    refused_by_database(lambda: AliasFactory(state=None))
    refused_by_database(lambda: AliasFactory(organisation=OrganisationFactory()))


def test_an_alias_means_one_thing_whatever_its_case():
    AliasFactory(name="Vietnam")
    refused_by_database(lambda: AliasFactory(name="VIETNAM"))
    assert Alias.objects.filter(name__iexact="vietnam").count() == 1
