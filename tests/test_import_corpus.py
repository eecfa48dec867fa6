"""The parser over the corpus of statements in tests/import_corpus, scored as `make import-eval` scores it."""

from pathlib import Path

import pytest

from baliwg.statements.scoring import evaluate_corpus, score

pytestmark = pytest.mark.django_db
CORPUS = Path(__file__).parent / "import_corpus"


def test_the_corpus_is_read_well_the_seed_exactly_and_nothing_is_invented(demo):
    totals, seed_exact = evaluate_corpus(CORPUS)
    assert len(totals.results) >= 25
    assert seed_exact is True
    assert totals.refused == []
    invented = {
        "co-chairs": totals.invented("co_chairs"),
        "observers": totals.invented("observers"),
        "venues": totals.invented_venues,
    }
    assert invented == {"co-chairs": 0, "observers": 0, "venues": 0}
    misses = [(r.name, f.field, f.missed, f.wrong) for r in totals.results for f in r.fields if f.missed or f.wrong]
    assert totals.score >= 0.97, misses


def test_the_scorer_counts_what_is_missed_and_what_is_invented():
    expected = {"meeting": {"venue_city": None, "number": 3}, "co_chairs": ["AU", "ID"], "observers": ["CA"]}
    got = {"meeting": {"venue_city": "Kuala", "number": None}, "co_chairs": ["ID", "AU", "FJ"], "observers": []}
    result = score("x", expected, got)
    assert result.invented("co_chairs") == ["FJ"]
    assert result.invented("venue_city") == [(None, "Kuala")]
    # right: AU, ID; missed: the number, CA; wrong: the venue, FJ, the co-chairs' order
    assert (result.right, result.checked) == (2, 7)
