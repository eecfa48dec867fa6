"""The statement parser: the seventh annual meeting's facts, and the variants statements come in."""

import datetime
import io
from pathlib import Path

import pytest

from baliwg.statements.dates import find_dates
from baliwg.statements.parser import parse_statement
from meetings.models import Exercise, Meeting
from workplan.models import WorkPlanItem

pytestmark = pytest.mark.django_db
STATEMENTS = Path(__file__).parent / "statements"
SEVENTH = (STATEMENTS / "seventh_annual_meeting.txt").read_text()


def parse(text, **kwargs):
    return parse_statement(text, **kwargs).to_json()


def statement(meeting_sentence: str, rest: str = "") -> str:
    return f"{meeting_sentence}\n{rest}"


def test_the_seventh_annual_meeting_parses_to_the_records_load_demo_holds(demo):
    draft = parse(SEVENTH)
    meeting = Meeting.objects.get(body__slug="wgd", number=7)
    assert draft["body"] == meeting.body.slug
    assert draft["meeting"] == {
        "kind": meeting.kind,
        "number": meeting.number,
        "title": meeting.display_title,
        "start_date": meeting.start_date.isoformat(),
        "end_date": meeting.end_date.isoformat(),
        "dates": [day.isoformat() for day in meeting.days],
        "format": meeting.format,
        "venue_city": meeting.venue_city,
        "venue_country": meeting.venue_country,
        "declared_counts": {"participants": None, "states": None, "organisations": None},
    }
    assert sorted(draft["co_chairs"]) == sorted(c.state.iso_code for c in meeting.cochairs.all())
    assert sorted(draft["states"]) == sorted(a.state.iso_code for a in meeting.attendances.filter(state__isnull=False))
    assert sorted(draft["organisations"]) == sorted(
        a.organisation.acronym for a in meeting.attendances.filter(organisation__isnull=False)
    )
    assert draft["observers"] == []

    exercise = Exercise.objects.get(meeting=meeting)
    [parsed] = draft["exercises"]
    assert parsed == {
        "kind": exercise.kind,
        "title": exercise.title,
        "start_date": exercise.start_date.isoformat(),
        "end_date": exercise.end_date.isoformat(),
        "participant_count": exercise.participant_count,
        "member_state_count": exercise.member_state_count,
        "sectors": sorted([s.name for s in exercise.sectors.all()], key=parsed["sectors"].index),
        "facilitators": sorted(
            [o.acronym for o in exercise.facilitator_organisations.all()], key=parsed["facilitators"].index
        ),
        "experts": sorted([o.acronym for o in exercise.expert_organisations.all()], key=parsed["experts"].index),
        "themes": sorted([t.name for t in exercise.themes.all()], key=parsed["themes"].index),
        "focus_areas": sorted([f.name for f in exercise.focus_areas.all()], key=parsed["focus_areas"].index),
        "bodies": sorted([b.slug for b in exercise.bodies.all()], key=parsed["bodies"].index),
        "scenario": exercise.scenario,
    }

    items = WorkPlanItem.objects.filter(raised_at=meeting)
    expected = [
        {
            "title": i.title,
            "kind": i.kind,
            "label": i.order_label or None,
            "status": i.status,
            "parent": i.parent.title if i.parent else None,
            "topic": i.topic or None,
            "target_period": i.target_period or None,
        }
        for i in sorted(items, key=lambda i: (i.order_label, i.title))
    ]
    assert draft["workplan_items"] == expected
    assert draft["unresolved"] == []


@pytest.mark.parametrize(
    ("written", "days"),
    [
        ("on 12 October 2022", ["2022-10-12"]),
        ("from 10-11 October 2022", ["2022-10-10", "2022-10-11"]),
        ("from 10–11 October 2022", ["2022-10-10", "2022-10-11"]),
        ("from 10 to 11 October 2022", ["2022-10-10", "2022-10-11"]),
        ("on October 12, 2022", ["2022-10-12"]),
        ("on 21 and 23 September 2021", ["2021-09-21", "2021-09-23"]),
        ("from 30 September to 2 October 2022", ["2022-09-30", "2022-10-01", "2022-10-02"]),
        ("on 12 October", ["2022-10-12"]),  # the year from the rest of the text
    ],
)
def test_each_date_form(demo, written, days):
    text = statement(
        f"New Zealand and Viet Nam co-chaired the seventh Annual Meeting of the Working Group on Disruptions "
        f"{written}.",
        "The co-chairs will report to the Ad Hoc Group in 2022.",
    )
    draft = parse(text)
    assert draft["meeting"]["dates"] == days
    assert (draft["meeting"]["start_date"], draft["meeting"]["end_date"]) == (days[0], days[-1])


def test_a_date_without_a_year_anywhere_is_reported(demo):
    draft = parse("Fiji co-chaired the Annual Meeting of the Working Group on Disruptions on 12 October.")
    assert draft["meeting"]["start_date"] is None
    assert draft["unresolved"][0]["text"].startswith("12 October (the date has no year")
    assert draft["unresolved"][0]["context"] == "date"


def test_an_impossible_date_is_reported_with_its_sentence(demo):
    sentence = "The Working Group on Disruptions held its Annual Meeting on 31 February 2023."
    draft = parse(sentence)
    assert draft["unresolved"] == [
        {"text": "31 February 2023 (no such day in the calendar)", "sentence": sentence, "context": "date"}
    ]


@pytest.mark.parametrize(
    ("phrase", "number"),
    [
        ("seventh Annual Meeting", 7),
        ("7th Annual Meeting", 7),
        ("Twenty-First Annual Meeting", 21),
        ("Annual Meeting (the eighth)", 8),
        ("Annual Meeting", None),
    ],
)
def test_numerals_and_ordinals(demo, phrase, number):
    draft = parse(f"The {phrase} of the Working Group on Disruptions was held on 3 May 2024 in Jakarta, Indonesia.")
    assert draft["meeting"]["number"] == number
    assert draft["meeting"]["kind"] == "annual_meeting"


@pytest.mark.parametrize(
    ("sentence", "format", "city", "country"),
    [
        ("The meeting was held virtually on 3 May 2024.", "virtual", None, None),
        ("The meeting was held online on 3 May 2024.", "virtual", None, None),
        ("The meeting was held in Jakarta, Indonesia on 3 May 2024.", "in_person", "Jakarta", "Indonesia"),
        ("The meeting was held in person in Suva, Fiji on 3 May 2024.", "in_person", "Suva", "Fiji"),
        # The country of a city named alone comes from the table of usual venues.
        ("The meeting was held in Bangkok and online on 3 May 2024.", "hybrid", "Bangkok", "Thailand"),
        (
            "The meeting was conducted in a hybrid format in Bangkok, Thailand on 3 May 2024.",
            "hybrid",
            "Bangkok",
            "Thailand",
        ),
    ],
)
def test_format_and_venue_wording(demo, sentence, format, city, country):
    draft = parse(f"Australia and Fiji co-chaired the Annual Meeting of the WG-TIP. {sentence}")
    assert draft["body"] == "wg-tip"
    assert (draft["meeting"]["format"], draft["meeting"]["venue_city"], draft["meeting"]["venue_country"]) == (
        format,
        city,
        country,
    )


@pytest.mark.parametrize("name", ["WG-TIP", "TIPWG", "Working Group on Trafficking in Persons"])
def test_a_body_by_any_of_its_names(demo, name):
    assert parse(f"The Annual Meeting of the {name} was held on 3 May 2024.")["body"] == "wg-tip"


def test_cochairs_named_as_agencies_mean_their_states(demo):
    draft = parse_statement(
        "The Indonesian Ministry of Foreign Affairs and the Australian Border Force co-chaired the eighth "
        "Annual Meeting of the Working Group on Disruptions on 20 September 2023."
    )
    assert [s.iso_code for s in draft.co_chairs] == ["ID", "AU"]
    assert {
        state.iso_code: agency.acronym
        for state, agency in ((s, draft.co_chair_agencies[s.pk]) for s in draft.co_chairs)
    } == {"ID": "Kemlu", "AU": "ABF"}


def test_an_unknown_agency_still_gives_its_state_and_is_reported(demo):
    draft = parse(
        "The Thai Ministry of Social Development and Fiji co-chaired the Annual Meeting of the Working Group on "
        "Disruptions on 20 September 2023."
    )
    assert draft["co_chairs"] == ["TH", "FJ"]  # as written
    assert draft["unresolved"][0]["text"] == "Thai Ministry of Social Development"
    assert draft["unresolved"][0]["context"] == "co-chair"


def test_observers_and_declared_counts(demo):
    draft = parse(
        "Viet Nam and New Zealand co-chaired the eighth Annual Meeting of the Working Group on Disruptions on "
        "20 September 2023. The meeting was attended by 14 Working Group members and 40 participants. "
        "Canada and the International Committee of the Red Cross attended as observers."
    )
    assert draft["observers"] == ["CA", "ICRC"]
    assert "CA" in draft["states"] and "ICRC" in draft["organisations"]
    assert draft["meeting"]["declared_counts"] == {"participants": 40, "states": 14, "organisations": None}


def test_footnote_marks_do_not_hide_names(demo):
    draft = parse(
        "Fiji co-chaired the Annual Meeting of the Working Group on Disruptions on 3 May 2024. "
        "Participating countries included Thailand1, Malaysia*, Việt Nam² and Nepal."
    )
    assert draft["states"] == ["TH", "MY", "VN", "NP", "FJ"]
    assert draft["unresolved"] == []


def test_unknown_names_are_reported_with_their_sentence(demo):
    sentence = "Participating countries included Australia, Ruritania and the Grand Duchy of Fenwick."
    draft = parse(f"Fiji co-chaired the Annual Meeting of the Working Group on Disruptions on 3 May 2024. {sentence}")
    assert draft["states"] == ["AU", "FJ"]
    assert draft["unresolved"] == [
        {"text": "Ruritania", "sentence": sentence, "context": "participant"},
        {"text": "Grand Duchy of Fenwick", "sentence": sentence, "context": "participant"},
    ]


def test_a_meeting_without_exercises(demo):
    draft = parse("Fiji co-chaired the Annual Meeting of the Working Group on Disruptions on 3 May 2024.")
    assert draft["exercises"] == []
    assert draft["workplan_items"] == []


def test_a_webinar_instead_of_an_exercise(demo):
    draft = parse(
        "Fiji and Australia co-chaired the sixth Annual Meeting of the Working Group on Disruptions on "
        "12 October 2021. On 21 and 23 September 2021, the Working Group held a webinar on online scams, "
        "attended by 60 participants from 15 member states, with expert input from UNODC."
    )
    [webinar] = draft["exercises"]
    assert webinar["kind"] == "webinar"
    assert webinar["title"] == "Webinar on online scams"
    assert (webinar["start_date"], webinar["end_date"]) == ("2021-09-21", "2021-09-23")
    assert (webinar["participant_count"], webinar["member_state_count"]) == (60, 15)
    assert webinar["experts"] == ["UNODC"]
    assert draft["meeting"]["start_date"] == "2021-10-12"


@pytest.mark.parametrize("marks", [["1.", "2.", "3."], ["-", "-", "-"], ["•", "•", "•"], ["(i)", "(ii)", "(iii)"]])
def test_numbered_or_bulleted_suggestions(demo, marks):
    text = (
        "Fiji co-chaired the Annual Meeting of the Working Group on Disruptions on 3 May 2024.\n\n"
        "Forward work plan\n"
        "The co-chairs agreed the following actions:\n"
        f"{marks[0]} Training on financial investigations\n"
        f"{marks[1]} A policy guide on victim identification\n"
        f"{marks[2]} Research on online recruitment\n"
    )
    items = parse(text)["workplan_items"]
    assert [(i["title"], i["kind"], i["status"]) for i in items] == [
        ("Training on financial investigations", "training", "agreed"),
        ("A policy guide on victim identification", "product", "agreed"),
        ("Research on online recruitment", "research", "agreed"),
    ]
    labels = [i["label"] for i in items]
    assert labels == ([m.strip("().") for m in marks] if marks[0][0] not in "-•" else [None, None, None])


def test_a_body_given_by_hand_wins(demo):
    draft = parse("The Annual Meeting was held on 3 May 2024 in Suva, Fiji.", body=None)
    assert draft["body"] is None
    from meetings.models import Body

    assert parse("The Annual Meeting was held on 3 May 2024.", body=Body.objects.get(slug="tpp"))["body"] == "tpp"


def test_find_dates_reads_each_form():
    assert [m.days for m in find_dates("10 to 11 October 2022 and October 12, 2022")] == [
        [datetime.date(2022, 10, 10), datetime.date(2022, 10, 11)],
        [datetime.date(2022, 10, 12)],
    ]


# --- the forms other statements come in (issue 13) ------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The Annual Meeting of the Working Group on Disruptions was co-chaired by Fiji and Japan in Suva "
        "on 3 May 2024.",
        "The Co-Chairs, Fiji and Japan, opened the Annual Meeting of the Working Group on Disruptions on 3 May 2024.",
        "The Annual Meeting of the Working Group on Disruptions met under the co-chairmanship of Fiji and Japan "
        "on 3 May 2024.",
        "Fiji and Japan, Co-Chairs of the Working Group on Disruptions, opened its Annual Meeting on 3 May 2024.",
        "Fiji, through its Ministry of Home Affairs, and Japan co\u2011chaired the Annual Meeting of the Working Group "
        "on Disruptions on 3 May 2024.",
    ],
)
def test_cochairs_in_every_common_wording_and_nothing_after_the_list(demo, sentence):
    draft = parse(sentence)
    assert draft["co_chairs"] == ["FJ", "JP"]
    assert draft["meeting"]["start_date"] == "2024-05-03"


def test_observers_are_only_those_the_clause_names(demo):
    draft = parse(
        "Viet Nam and New Zealand co-chaired the Annual Meeting of the Working Group on Disruptions on 3 May 2024. "
        "Delegations from Thailand, Malaysia and Nepal took part, with Canada and Fiji as observers."
    )
    assert draft["observers"] == ["CA", "FJ"]
    assert {"TH", "MY", "NP", "CA", "FJ"} <= set(draft["states"])


def test_an_unknown_agency_of_a_member_state_is_reported_whole_and_is_not_the_state(demo):
    draft = parse(
        "Fiji and Japan co-chaired the Annual Meeting of the Working Group on Disruptions on 3 May 2024. "
        "The National Anti-Scam Centre of Cambodia and the Scam Prevention Taskforce (SPT) briefed participants."
    )
    assert "KH" not in draft["states"] + draft["co_chairs"]
    named = {u["text"]: u for u in draft["unresolved"]}
    assert named["National Anti-Scam Centre of Cambodia"]["state"] == "KH"
    assert named["Scam Prevention Taskforce"]["alias"] == "SPT"


def test_a_meeting_recalled_or_announced_is_not_the_meeting(demo):
    draft = parse(
        "Members recalled the sixth Annual Meeting of the Working Group on Trafficking in Persons, held online on "
        "2 June 2022. The Working Group on Disruptions held its inaugural Technical Meeting in Dhaka, Bangladesh "
        "on 4 April 2023. The next Annual Meeting will be held in Suva, Fiji in 2024."
    )
    assert (draft["body"], draft["meeting"]["kind"], draft["meeting"]["number"]) == ("wgd", "technical_meeting", 1)
    assert draft["meeting"]["dates"] == ["2023-04-04"]
    assert (draft["meeting"]["format"], draft["meeting"]["venue_city"]) == ("in_person", "Dhaka")


def test_a_missing_body_or_date_is_flagged_and_an_inferred_year_reported(demo):
    no_body = parse("The Annual Meeting was held in Bangkok, Thailand on 4 April 2024.")
    assert no_body["body"] is None and no_body["flags"] == ["body"]
    no_date = parse("The Annual Meeting of the Working Group on Disruptions was held in Colombo.")
    assert no_date["flags"] == ["dates"] and no_date["meeting"]["venue_country"] == "Sri Lanka"
    inferred = parse("The Working Group on Disruptions met on 5 JUNE in Suva. It will report to the AHG in 2024.")
    assert inferred["meeting"]["dates"] == ["2024-06-05"] and inferred["inferred"] == {"year": 2024}


def test_numbered_paragraphs_are_read_and_word_numbering_survives_docx(demo):
    import docx

    from baliwg.statements.extract import text_from_upload

    document = docx.Document()
    for text in [
        "The Working Group on Disruptions held its ninth Annual Meeting on 2 December 2024.",
        "Australia, Fiji and Samoa took part.",
    ]:
        document.add_paragraph(text, style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    text = text_from_upload("statement.docx", buffer.getvalue())
    assert text.splitlines()[0].startswith("1. The Working Group")
    draft = parse(text)
    assert (draft["meeting"]["number"], draft["meeting"]["start_date"]) == (9, "2024-12-02")
    assert draft["states"] == ["AU", "FJ", "WS"]


def test_utf16_text_is_read():
    from baliwg.statements.extract import text_from_upload

    text = "The Working Group on Disruptions met in Hà Nội on 2 December 2024."
    assert text_from_upload("s.txt", text.encode("utf-16")) == text
    assert text_from_upload("s.txt", text.encode("utf-16-le")) == text
