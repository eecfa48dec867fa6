"""Search across meetings, exercises and work-plan items: title, statement text and themes.

PostgreSQL ranks with full-text search over a stored, GIN-indexed vector and marks the matches
with ts_headline; SQLite, for a laptop, matches words with LIKE and scores a title hit above a
text hit. Both return the same
shape, so the page does not care which database answered.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from meetings.models import Exercise, Meeting
from workplan.models import WorkPlanItem

# The best ten of each kind: enough to find a record, and each shown result costs a headline
# (PostgreSQL's ts_headline over the statement, the dearest part of a search) and its rendering.
PER_KIND = 10
CANDIDATES = 200
MAX_QUERY_LENGTH = 200
# Sentinels that ts_headline puts around a match; never found in real text.
START, STOP = "\x02", "\x03"


@dataclass
class Result:
    kind: str
    title: str
    url: str
    snippet: SafeString
    rank: float
    date: object


@dataclass(frozen=True)
class Source:
    """One kind of record that search finds, and how a result of it reads."""

    kind: str
    records: Callable  # user -> the queryset this user may search
    related: list[str]  # what its title needs from other tables
    title_fields: list[str]
    text_fields: list[str]  # the first is the one PostgreSQL quotes in the snippet
    theme_paths: list[str]
    shown_fields: list[str]  # all a result reads on PostgreSQL: the long texts stay in the database
    title: Callable
    text: Callable  # for the snippet where the database gives none (SQLite)
    date: Callable


# A meeting's themes are those of the exercises held with it and the items it raised.
SOURCES = [
    Source(
        "Meeting",
        lambda user: Meeting.objects.visible_to(user),
        ["body"],
        ["title", "body__name", "body__short_name", "venue_city"],
        ["outcome_statement"],
        ["exercises__themes__name", "items_raised__themes__name"],
        ["slug", "title", "kind", "number", "start_date", "body__name"],
        title=lambda m: m.display_title,
        text=lambda m: m.outcome_statement,
        date=lambda m: m.start_date,
    ),
    Source(
        "Exercise",
        lambda user: Exercise.objects.visible_to(user),
        [],
        ["title"],
        ["scenario", "description"],
        ["themes__name"],
        ["slug", "title", "start_date"],
        title=lambda e: e.title,
        text=lambda e: f"{e.scenario} {e.description}".strip(),
        date=lambda e: e.start_date,
    ),
    Source(
        "Work-plan item",
        lambda user: WorkPlanItem.objects.visible_to(user),
        [],
        ["title", "topic"],
        ["description"],
        ["themes__name"],
        ["title"],
        title=lambda i: i.title,
        text=lambda i: f"{i.topic} {i.description}".strip(),
        date=lambda i: None,
    ),
]


def search(query: str, user) -> list[Result]:
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    words = re.findall(r"\w+", query)
    if not words:
        return []
    results = []
    for source in SOURCES:
        queryset = source.records(user).select_related(*source.related)
        if connection.vendor == "postgresql":
            found = _postgres(queryset, query, source)
        else:
            theme_match = Q()
            for path in source.theme_paths:
                theme_match |= Q(*[Q(**{f"{path}__icontains": word}) for word in words])
            theme_hits = queryset.model.objects.filter(theme_match).values("pk")
            found = _simple(queryset, words, source, theme_hits)
        for obj, rank, snippet in found:
            snippet = snippet if snippet is not None else _highlight(source.text(obj), words)
            results.append(
                Result(source.kind, source.title(obj), obj.get_absolute_url(), snippet, rank, source.date(obj))
            )
    return sorted(results, key=lambda r: (-r.rank, r.title))


def _postgres(queryset, query, source):
    """Ranked by the stored vector (titles, text and themes; baliwg/search/index.py), GIN-indexed."""
    search_query = SearchQuery(query, search_type="websearch", config="english")
    headline = SearchHeadline(
        source.text_fields[0],
        search_query,
        config="english",
        start_sel=START,
        stop_sel=STOP,
        max_words=35,
        min_words=15,
    )
    # Rank only the newest CANDIDATES matches: ranking reads every matching row's whole vector,
    # which for a common word is most of the table; the index finds the candidates alone.
    candidates = queryset.filter(search_vector=search_query).order_by("-pk").values("pk")[:CANDIDATES]
    # The candidates are those the user may see: the outer query needs no second visibility test
    # (building the SQL is a third of a search's time).
    rows = (
        queryset.model.objects.select_related(*source.related)
        .filter(pk__in=candidates)
        .only(*source.shown_fields)
        .annotate(rank=SearchRank(F("search_vector"), search_query), headline=headline)
        .order_by("-rank")[:PER_KIND]
    )
    # Where the words matched a title or a theme only, the headline is the text's opening.
    return [(row, float(row.rank) or 0.05, _marked(row.headline)) for row in rows]


def _simple(queryset, words, source, theme_hits):
    def any_field(fields, word):
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": word})
        return condition

    title_fields, text_fields = source.title_fields, source.text_fields
    every_word = Q()
    for word in words:
        every_word &= any_field(title_fields + text_fields, word)
    rows = queryset.filter(every_word | Q(pk__in=theme_hits))[: PER_KIND * 4]
    scored = []
    for row in rows:
        title_text = " ".join(str(_value(row, field)) for field in title_fields).lower()
        body_text = " ".join(str(_value(row, field)) for field in text_fields).lower()
        rank = sum(2 for w in words if w.lower() in title_text) + sum(1 for w in words if w.lower() in body_text)
        scored.append((row, max(rank, 0.5), None))
    scored.sort(key=lambda entry: -entry[1])
    return scored[:PER_KIND]


def _value(obj, dotted):
    for part in dotted.split("__"):
        obj = getattr(obj, part, "") or ""
    return obj


def _marked(headline: str) -> SafeString:
    """ts_headline's text, escaped, with its sentinels turned into <mark>."""
    return mark_safe(escape(headline).replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


def _highlight(text: str, words: list[str], width: int = 220) -> SafeString:
    """A window of the text around the first match, escaped, every match in <mark>."""
    if not text:
        return mark_safe("")
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    first = pattern.search(text)
    start = max(0, (first.start() if first else 0) - width // 3)
    window = text[start : start + width]
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(text) else ""
    pieces, last = [], 0
    for match in pattern.finditer(window):
        pieces.append(escape(window[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    pieces.append(escape(window[last:]))
    return mark_safe(prefix + "".join(pieces) + suffix)  # noqa: S308
