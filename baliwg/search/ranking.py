"""Search across meetings, exercises and work-plan items: title, statement text and themes.

One SQL statement answers a search. For each kind of record it takes the newest CANDIDATES matches
the visitor may see, ranks them, keeps the PER_KIND best with only the columns a result shows, and
joins the kinds with UNION ALL, best first. So a common word costs what a rare one does: the
ranking never reads more than CANDIDATES rows of a kind.

PostgreSQL matches and ranks over a stored, GIN-indexed vector (index.py); SQLite, for a laptop,
matches words with LIKE and scores a title hit above a text hit. Both return the same shape, and the
snippet of each shown result is marked in Python (with the words' stems on PostgreSQL): ts_headline,
a third of a millisecond of the database's time per statement shown, was most of a common word's cost.
"""

import datetime
import functools
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Case, CharField, F, FloatField, Q, Value, When
from django.db.models.functions import Concat, Greatest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from meetings.models import Exercise, Meeting
from meetings.models.base import PublicationStatus
from meetings.permissions import can_preview_drafts
from workplan.models import WorkPlanItem

# The best ten of each kind: enough to find a record, and each shown result costs a snippet.
PER_KIND = 10
# Of a common word, only the newest this many matches of each kind are ranked: ranking reads each
# candidate's whole vector, and the index finds the newest matches without reading the others.
CANDIDATES = 200
MAX_QUERY_LENGTH = 200
# The columns a result may show, whatever its kind (a kind without one gives NULL).
COLUMNS = ("slug", "title", "kind", "number", "start_date", "body_id", "body_name", "status")


@dataclass
class Result:
    kind: str
    title: str
    url: str
    snippet: SafeString
    rank: float
    date: object
    draft: bool = False  # shown only to those who may see drafts (the secretariat)
    date_note: str = ""  # what the date is, where it is not the record's own: "raised"


@dataclass
class Found:
    """The results, best first, and how many records of each kind matched (at most CANDIDATES)."""

    results: list[Result] = field(default_factory=list)
    matched: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    """One kind of record that search finds, and how a result of it reads."""

    kind: str
    plural: str
    model: type
    newest: tuple[str, ...]  # the order candidates are taken in
    columns: dict[str, str]  # of COLUMNS, those this kind shows: the long texts stay in the database
    title_fields: list[str]
    text_fields: list[str]
    snippet_fields: list[str]  # the text a result's snippet is cut from
    theme_paths: list[str]
    shown: Callable  # (pk, columns) -> (title, url, date)
    date_note: str = ""


def _meeting(pk, row):
    title = row["title"] or Meeting.usual_title(row["kind"], row["number"], row["body_name"])
    return title, Meeting.url_for(row["slug"]), row["start_date"]


def _exercise(pk, row):
    return row["title"], Exercise.url_for(row["slug"]), row["start_date"]


def _item(pk, row):
    return row["title"], WorkPlanItem.url_for(pk), row["start_date"]


# A meeting's themes are those of the exercises held with it and the items it raised.
SOURCES = [
    Source(
        "Meeting",
        "meetings",
        Meeting,
        ("-start_date", "-pk"),
        {
            "slug": "slug",
            "title": "title",
            "kind": "kind",
            "number": "number",
            "start_date": "start_date",
            "body_id": "body_id",
            "body_name": "body__name",
            "status": "status",
        },
        ["title", "body__name", "body__short_name", "venue_city"],
        ["outcome_statement"],
        ["outcome_statement"],
        ["exercises__themes__name", "items_raised__themes__name"],
        _meeting,
    ),
    Source(
        "Exercise",
        "exercises",
        Exercise,
        ("-start_date", "-pk"),
        {"slug": "slug", "title": "title", "start_date": "start_date", "status": "status"},
        ["title"],
        ["scenario", "description"],
        ["scenario", "description"],
        ["themes__name"],
        _exercise,
    ),
    Source(
        "Work-plan item",
        "work-plan items",
        WorkPlanItem,
        ("-pk",),
        # An item is a draft while the meeting that raised it is, and is dated by that meeting.
        {"title": "title", "start_date": "raised_at__start_date", "status": "raised_at__status"},
        ["title", "topic"],
        ["description"],
        ["topic", "description"],  # a match in the topic shows in the snippet too
        ["themes__name"],
        _item,
        date_note="raised",
    ),
]


def search(query: str, user) -> Found:
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    words = re.findall(r"\w+", query)
    if not words:
        return Found()
    if connection.vendor == "postgresql":
        sql, template = _postgres_statement(can_preview_drafts(user))
        params = [query if param is _WORDS else param for param in template]
    else:
        sql, params = _compose([_simple_candidates(source, user, words) for source in SOURCES], "r_rank")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = Found(matched={source.kind: 0 for source in SOURCES})
    for index, pk, rank, matched, text, stems, *values in rows:
        source = SOURCES[index]
        columns = dict(zip(COLUMNS, values, strict=True))
        title, url, date = source.shown(pk, columns)
        if isinstance(date, str):  # SQLite gives a raw cursor its dates as text
            date = datetime.date.fromisoformat(date)
        snippet = _highlight(text, words, stems)
        draft = columns["status"] == PublicationStatus.DRAFT
        found.results.append(Result(source.kind, title, url, snippet, float(rank), date, draft, source.date_note))
        found.matched[source.kind] = matched
    found.results.sort(key=lambda r: (-r.rank, r.title))
    return found


def _compose(candidates, rank: str, rank_params=(), stems: str = "NULL", stems_params=()) -> tuple[str, list]:
    """One statement: of each kind's candidates, the PER_KIND best by `rank` and how many candidates
    there were, the same columns for every kind; the kinds joined, best first. The rank is computed
    here, outside the candidates' query, so that it is computed for the candidates alone whatever
    plan finds them (a sort of every match by date would otherwise rank them all)."""
    parts, params = [], []
    for index, (source, queryset) in enumerate(zip(SOURCES, candidates, strict=True)):
        sql, candidate_params = queryset.query.sql_with_params()
        shown = ", ".join(f"r_{c}" for c in source.columns)
        # NULL for a column this kind lacks, at the UNION's level, where it takes the other kinds' type.
        columns = ", ".join(f"r_{c}" if c in source.columns else f"NULL AS r_{c}" for c in COLUMNS)
        parts.append(
            f"SELECT source, r_pk, r_rank, r_matched, r_text, stems, {columns} FROM ("
            f"SELECT {index} AS source, r_pk, {rank} AS r_rank, COUNT(*) OVER () AS r_matched, r_text, "
            f"{stems} AS stems, {shown} FROM ({sql}) AS c{index} ORDER BY 3 DESC, 2 DESC LIMIT {PER_KIND}"
            f") AS r{index}"
        )
        params += [*rank_params, *stems_params, *candidate_params]
    return " UNION ALL ".join(parts) + " ORDER BY 3 DESC", params


def _candidates(source, matching, drafts: bool, **extra):
    """The newest CANDIDATES records of a kind that match, with what a result shows (its status
    only where drafts are shown: to the public every result is published)."""
    pieces = [piece for name in source.snippet_fields for piece in (F(name), Value(" "))][:-1]
    text = Concat(*pieces, output_field=CharField()) if len(pieces) > 1 else F(source.snippet_fields[0])
    columns = {f"r_{name}": F(path) for name, path in source.columns.items()}
    if not drafts:
        columns["r_status"] = Value(PublicationStatus.PUBLISHED.value, output_field=CharField())
    return (
        matching.annotate(r_pk=F("pk"), r_text=text, **columns, **extra)
        .order_by(*source.newest)
        .values("r_pk", "r_text", *columns, *extra)[:CANDIDATES]
    )


# Stands for the visitor's words in the cached statement.
_WORDS = object()


@functools.cache
def _postgres_statement(drafts: bool) -> tuple[str, list]:
    """The statement and its parameters, the words as _WORDS: built once per process for each
    visibility, since making the SQL was a third of a search's time and only the words change."""
    marker = "\x1esearch words\x1e"
    query = SearchQuery(marker, search_type="websearch", config="english")
    candidates = [
        _candidates(
            source,
            source.model.objects.visible(drafts=drafts).filter(search_vector=query),
            drafts,
            r_vector=F("search_vector"),
        )
        for source in SOURCES
    ]
    sql, params = _compose(
        candidates,
        "ts_rank(r_vector, websearch_to_tsquery('english'::regconfig, %s))",
        [marker],
        # The words' stems, to mark "trafficked" where "trafficking" was asked (a constant, computed
        # once when the statement is planned).
        "tsvector_to_array(to_tsvector('english'::regconfig, %s))",
        [marker],
    )
    return sql, [_WORDS if param == marker else param for param in params]


def _simple_candidates(source, user, words):
    """SQLite: every word in a title or text field, or any word in a theme's name; a title hit
    scores 2, a text hit 1, a theme alone 0.5."""

    def any_field(fields, word):
        return functools.reduce(operator.or_, (Q(**{f"{f}__icontains": word}) for f in fields))

    title_fields, text_fields = source.title_fields, source.text_fields
    every_word = functools.reduce(operator.and_, (any_field(title_fields + text_fields, w) for w in words))
    theme_match = functools.reduce(
        operator.or_, (Q(**{f"{path}__icontains": w}) for path in source.theme_paths for w in words)
    )
    theme_hits = source.model.objects.filter(theme_match).values("pk")
    drafts = can_preview_drafts(user)
    candidates = source.model.objects.visible(drafts=drafts).filter(every_word | Q(pk__in=theme_hits))
    score = functools.reduce(
        operator.add,
        [Case(When(any_field(title_fields, w), then=2.0), default=0.0) for w in words]
        + [Case(When(any_field(text_fields, w), then=1.0), default=0.0) for w in words],
    )
    return _candidates(source, candidates, drafts, r_rank=Greatest(score, Value(0.5), output_field=FloatField()))


def _highlight(text: str, words: list[str], stems=None, width: int = 220) -> SafeString:
    """A window of the text around the first match, escaped, every match in <mark>. With stems
    (PostgreSQL's), a word that begins with a stem matches, as the index does; without (SQLite's
    LIKE), any text that holds a word does."""
    if not text:
        return mark_safe("")
    pattern = _pattern((*words,), "") if stems is None else _pattern((*stems, *words), r"\b", r"\w*")
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


@functools.lru_cache(maxsize=256)
def _pattern(words: tuple[str, ...], before: str, after: str = "") -> re.Pattern:
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(f"{before}(?:{alternatives}){after}", re.IGNORECASE)
