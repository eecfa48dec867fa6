"""What the models tell a reader: titles, days held, current co-chairs, what is public."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.text import fold, ordinal_word
from meetings.models import CoChairTerm, Exercise, Meeting
from workplan.models import WorkPlanItem

from .factories import (
    BodyFactory,
    CoChairTermFactory,
    ExerciseFactory,
    MeetingFactory,
    WorkPlanItemFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("number", "word"),
    [
        (1, "first"),
        (7, "seventh"),
        (12, "twelfth"),
        (20, "twentieth"),
        (21, "twenty-first"),
        (99, "ninety-ninth"),
        (101, "101st"),
        (112, "112th"),
    ],
)
def test_ordinal_words(number, word):
    assert ordinal_word(number) == word


def test_fold_makes_spellings_of_one_name_equal():
    assert fold("Việt  Nam") == fold("viet nam") == "viet nam"


def test_meeting_title_is_built_from_number_kind_and_body():
    body = BodyFactory(name="Working Group on the Disruption of People Smuggling and Trafficking in Persons Networks")
    meeting = MeetingFactory(body=body, number=7, kind=Meeting.Kind.ANNUAL)
    assert meeting.display_title == (
        "Seventh Annual Meeting of the Working Group on the Disruption of People Smuggling and Trafficking in "
        "Persons Networks"
    )


def test_a_given_title_wins_over_the_built_one():
    assert MeetingFactory(title="Special session").display_title == "Special session"


def test_clean_fills_a_one_day_end_date_and_a_slug():
    body = BodyFactory(acronym="WGD")
    meeting = Meeting(body=body, number=7, kind=Meeting.Kind.ANNUAL, start_date=datetime.date(2022, 10, 12))
    meeting.full_clean()
    assert meeting.end_date == datetime.date(2022, 10, 12)
    assert meeting.slug == "wgd-seventh-annual-meeting-2022"


def test_days_held_are_every_day_from_start_to_end_unless_listed():
    contiguous = ExerciseFactory(start_date=datetime.date(2022, 10, 10), end_date=datetime.date(2022, 10, 11))
    assert contiguous.days == [datetime.date(2022, 10, 10), datetime.date(2022, 10, 11)]
    apart = ExerciseFactory.build(
        start_date=datetime.date(2021, 9, 21), end_date=datetime.date(2021, 9, 23), held_on=["2021-09-23", "2021-09-21"]
    )
    apart.full_clean()
    assert apart.days == [datetime.date(2021, 9, 21), datetime.date(2021, 9, 23)]


def test_listed_days_must_start_and_end_with_the_event():
    exercise = ExerciseFactory.build(
        start_date=datetime.date(2021, 9, 21), end_date=datetime.date(2021, 9, 23), held_on=["2021-09-22"]
    )
    with pytest.raises(ValidationError) as refusal:
        exercise.full_clean()
    assert refusal.value.message_dict["held_on"] == ["The first and last days must be the start and end dates."]


def test_current_cochair_terms_are_those_running_today():
    today = datetime.date(2024, 6, 1)
    running = CoChairTermFactory(start_date=datetime.date(2023, 1, 1), end_date=None)
    CoChairTermFactory(start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2022, 12, 31))
    CoChairTermFactory(start_date=datetime.date(2025, 1, 1), end_date=None)
    assert list(CoChairTerm.objects.current(on=today)) == [running]


def test_exercises_and_items_of_a_draft_meeting_are_not_published():
    draft = MeetingFactory(status=Meeting.Status.DRAFT)
    published = MeetingFactory()
    hidden = ExerciseFactory(meeting=draft)
    shown = ExerciseFactory(meeting=published)
    standalone = ExerciseFactory(meeting=None)
    ExerciseFactory(meeting=None, status=Exercise.Status.DRAFT)
    assert set(Exercise.objects.published()) == {shown, standalone}
    assert hidden not in Exercise.objects.published()

    WorkPlanItemFactory(raised_at=draft)
    visible = WorkPlanItemFactory(raised_at=published)
    assert list(WorkPlanItem.objects.published()) == [visible]
    assert list(Meeting.objects.published()) == [published]


def test_open_items_of_a_body():
    body = BodyFactory()
    open_item = WorkPlanItemFactory(body=body, status=WorkPlanItem.Status.AGREED)
    WorkPlanItemFactory(body=body, status=WorkPlanItem.Status.COMPLETED)
    WorkPlanItemFactory(status=WorkPlanItem.Status.AGREED)
    assert list(WorkPlanItem.objects.for_body(body).open()) == [open_item]
