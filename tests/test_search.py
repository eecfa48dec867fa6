"""Search, on SQLite and PostgreSQL alike: one statement whatever the number of matches, the best
match first, and drafts never in a public result."""

import datetime

import pytest
from django.core.cache import cache

from baliwg.search.index import refresh_all
from baliwg.search.ranking import CANDIDATES, PER_KIND

from . import factories
from .factories import bulk
from .html import text_of

pytestmark = pytest.mark.django_db
WORD = "commonplace"
FIRST_DAY = datetime.date(2000, 1, 1)


def matching(n: int):
    """n meetings, n exercises and n work-plan items whose text holds WORD, each newer than the one
    before; in the middle one of each kind, which is among the newest CANDIDATES, the title holds it too."""
    body = factories.BodyFactory(name="Working Group on Testing")
    best = n // 2

    def title(kind, k):
        return f"The {WORD} {kind}" if k == best else f"{kind.capitalize()} number {k}"

    def day(k):
        return FIRST_DAY + datetime.timedelta(days=k)

    meetings = bulk(
        factories.MeetingFactory,
        [
            {"body": body, "title": title("meeting", k), "start_date": day(k), "outcome_statement": f"A {WORD} text."}
            for k in range(n)
        ],
    )
    bulk(
        factories.ExerciseFactory,
        [{"title": title("exercise", k), "start_date": day(k), "end_date": day(k), "scenario": WORD} for k in range(n)],
    )
    bulk(
        factories.WorkPlanItemFactory,
        [{"body": body, "title": title("item", k), "description": f"A {WORD} plan."} for k in range(n)],
    )
    refresh_all()  # the vectors a save would have refreshed (PostgreSQL)
    return meetings


def search(client, word=WORD):
    page = client.get("/search/", {"q": word})
    assert page.status_code == 200
    return page


@pytest.mark.parametrize("n", [3, 300])
def test_a_search_is_one_statement_however_many_records_match(client, django_assert_num_queries, n):
    matching(n)
    with django_assert_num_queries(1):
        page = search(client)
    shown = min(n, PER_KIND)
    assert len(page.context["results"]) == 3 * shown
    if n > CANDIDATES:
        # Only the newest CANDIDATES of each kind were ranked, and the page says so.
        assert (
            f"Over {CANDIDATES} meetings, over {CANDIDATES} exercises and over {CANDIDATES} work-plan items "
            f"match “{WORD}”. The {3 * PER_KIND} best are shown: at most {PER_KIND} of each kind, and of the "
            f"meetings, exercises and work-plan items only the newest {CANDIDATES} of each were ranked."
        ) in text_of(page)
    else:
        assert "best are shown" not in text_of(page)


@pytest.mark.parametrize("n", [3, 300])
def test_the_best_match_comes_first(client, n):
    matching(n)
    results = search(client).context["results"]
    # A title that holds the word outranks every text that holds it, in each kind and overall.
    best = {f"The {WORD} meeting", f"The {WORD} exercise", f"The {WORD} item"}
    assert {result.title for result in results[:3]} == best
    for kind in ("Meeting", "Exercise", "Work-plan item"):
        assert [r for r in results if r.kind == kind][0].title in best
    meeting = results[[r.kind for r in results].index("Meeting")]
    assert meeting.url.startswith("/meetings/") and meeting.date == FIRST_DAY + datetime.timedelta(days=n // 2)
    assert f"<mark>{WORD}</mark>" in meeting.snippet


def test_an_untitled_meeting_is_named_as_on_its_page(client):
    body = factories.BodyFactory(name="Working Group on Testing")
    meeting = factories.MeetingFactory(
        body=body, number=7, title="", outcome_statement=f"A {WORD} text.", start_date=datetime.date(2022, 10, 12)
    )
    refresh_all()
    page = search(client)
    [result] = page.context["results"]
    assert result.title == meeting.display_title == "Seventh Annual Meeting of the Working Group on Testing"
    assert result.url == meeting.get_absolute_url()
    assert "Seventh Annual Meeting of the Working Group on Testing 12 October 2022" in text_of(page)


def test_an_item_found_by_its_topic_shows_the_topic_and_the_day_it_was_raised(client):
    """A work-plan item matched in its topic shows where the word is, as a meeting's result does,
    and is dated by the meeting that raised it; an item no meeting raised has no date."""
    body = factories.BodyFactory(name="Working Group on Testing")
    raised_at = factories.MeetingFactory(body=body, start_date=datetime.date(2022, 10, 12))
    factories.WorkPlanItemFactory(
        body=body, raised_at=raised_at, title="Training plan", topic=f"Building {WORD} skills", description=""
    )
    factories.WorkPlanItemFactory(body=body, raised_at=None, title="Undated plan", topic=WORD, description="")
    refresh_all()
    page = search(client)
    by_title = {result.title: result for result in page.context["results"]}
    assert f"Building <mark>{WORD}</mark> skills" in by_title["Training plan"].snippet
    assert "Work-plan item Training plan raised 12 October 2022 Building commonplace skills" in text_of(page)
    assert by_title["Undated plan"].date is None and "Undated plan commonplace" in text_of(page)


def test_drafts_never_reach_a_public_result(client, secretariat_user, cochair_user):
    """A draft meeting whose title holds the word would rank first; with it, an exercise held at it,
    an item raised at it and a draft exercise. The public never sees them, before or after the
    secretariat (who previews drafts) has searched the same word."""
    matching(30)
    body = factories.BodyFactory(name="Working Group on Drafting")
    draft = factories.MeetingFactory(
        body=body, title=f"Draft {WORD} meeting", status="draft", outcome_statement=f"{WORD} {WORD}."
    )
    factories.ExerciseFactory(meeting=draft, title=f"Exercise {WORD} at the draft", scenario=WORD)
    factories.ExerciseFactory(title=f"Draft {WORD} exercise", status="draft", scenario=WORD)
    factories.WorkPlanItemFactory(body=body, raised_at=draft, title=f"Item {WORD} raised at the draft")
    refresh_all()
    hidden = [f"Draft {WORD} meeting", f"Exercise {WORD} at the draft", f"Draft {WORD} exercise"]
    hidden.append(f"Item {WORD} raised at the draft")

    def titles():
        return [result.title for result in search(client).context["results"]]

    public = titles()
    assert len(public) == 3 * PER_KIND and not set(hidden) & set(public)
    client.force_login(secretariat_user)
    assert set(hidden) <= set(titles())
    client.force_login(cochair_user)
    assert not set(hidden) & set(titles())
    client.logout()
    cache.clear()  # the public page again, not the copy the page cache kept
    assert titles() == public
    content = search(client).content.decode()
    assert not [title for title in hidden if title in content]


def test_a_common_word_ranks_only_the_newest_matches(client):
    """The work is bounded: of more than CANDIDATES matches, an older one is not even ranked, be it
    the best (a title match), and the page says what it shows."""
    body = factories.BodyFactory()
    titles = [f"The {WORD} item"] + [f"Item number {k}" for k in range(1, CANDIDATES + 50)]
    bulk(factories.WorkPlanItemFactory, [{"body": body, "title": t, "description": WORD} for t in titles])
    refresh_all()
    page = search(client)
    results = page.context["results"]
    assert len(results) == PER_KIND and f"The {WORD} item" not in [r.title for r in results]
    assert page.context["capped"] == [{"name": "work-plan items", "matched": CANDIDATES, "many": True}]
    assert f"Over {CANDIDATES} work-plan items match “{WORD}”. The {PER_KIND} best are shown" in text_of(page)
    assert f"of the work-plan items only the newest {CANDIDATES} were ranked" in text_of(page)


def test_the_page_says_how_many_of_each_kind_match_when_it_shows_only_the_best(client):
    body = factories.BodyFactory()
    bulk(factories.MeetingFactory, [{"body": body, "title": f"{WORD} meeting {k}"} for k in range(PER_KIND + 2)])
    factories.ExerciseFactory(title=f"The {WORD} exercise")
    refresh_all()
    page = search(client)
    assert len(page.context["results"]) == PER_KIND + 1
    expected = f"{PER_KIND + 2} meetings and 1 exercise match “{WORD}”. The {PER_KIND + 1} best are shown"
    assert expected in text_of(page)
    assert "only the newest" not in text_of(page)  # every match was ranked


def test_a_search_that_finds_nothing_says_what_to_try(client):
    assert "No result for “zzqx”. Very common words" in text_of(search(client, "zzqx"))
