"""The stored search vectors of meetings, exercises and work-plan items (PostgreSQL only).

Each row's vector holds its title words (weight A), its text (B) and its themes' names (C), and
is refreshed by one UPDATE per model after a save (see workplan/apps.py) or after a bulk load.
A GIN index (migration meetings 0005 and workplan 0006) makes the search an index lookup.
On SQLite there is no vector: search there matches words with LIKE.
"""

from django.db import connection

from meetings.models import Exercise, Meeting
from workplan.models import WorkPlanItem

SQL = {
    Meeting: """
        UPDATE meetings_meeting m SET search_vector =
            setweight(to_tsvector('english', concat_ws(' ', m.title, b.name, b.short_name, b.acronym,
                      replace(m.kind, '_', ' '), m.venue_city, m.venue_country)), 'A')
            || setweight(to_tsvector('english', coalesce(m.outcome_statement, '')), 'B')
            || setweight(to_tsvector('english', coalesce((
                   SELECT string_agg(t.name, ' ') FROM meetings_theme t WHERE t.id IN (
                       SELECT et.theme_id FROM meetings_exercise_themes et
                       JOIN meetings_exercise e ON e.id = et.exercise_id WHERE e.meeting_id = m.id
                       UNION
                       SELECT it.theme_id FROM workplan_workplanitem_themes it
                       JOIN workplan_workplanitem i ON i.id = it.workplanitem_id WHERE i.raised_at_id = m.id)
               ), '')), 'C')
        FROM meetings_body b WHERE b.id = m.body_id {where}""",
    Exercise: """
        UPDATE meetings_exercise e SET search_vector =
            setweight(to_tsvector('english', coalesce(e.title, '')), 'A')
            || setweight(to_tsvector('english', concat_ws(' ', e.scenario, e.description)), 'B')
            || setweight(to_tsvector('english', coalesce((
                   SELECT string_agg(t.name, ' ') FROM meetings_theme t
                   JOIN meetings_exercise_themes et ON et.theme_id = t.id WHERE et.exercise_id = e.id
               ), '')), 'C')
        WHERE TRUE {where}""",
    WorkPlanItem: """
        UPDATE workplan_workplanitem i SET search_vector =
            setweight(to_tsvector('english', concat_ws(' ', i.title, i.topic)), 'A')
            || setweight(to_tsvector('english', coalesce(i.description, '')), 'B')
            || setweight(to_tsvector('english', coalesce((
                   SELECT string_agg(t.name, ' ') FROM meetings_theme t
                   JOIN workplan_workplanitem_themes it ON it.theme_id = t.id WHERE it.workplanitem_id = i.id
               ), '')), 'C')
        WHERE TRUE {where}""",
}
ALIAS = {Meeting: "m", Exercise: "e", WorkPlanItem: "i"}


def refresh_search_vectors(model, pks=None) -> None:
    """Recompute the vectors of these rows (of every row when pks is None)."""
    if connection.vendor != "postgresql" or model not in SQL:
        return
    where, params = "", []
    if pks is not None:
        pks = [pk for pk in pks if pk is not None]
        if not pks:
            return
        where, params = f"AND {ALIAS[model]}.id = ANY(%s)", [pks]
    with connection.cursor() as cursor:
        cursor.execute(SQL[model].format(where=where), params)


def refresh_all() -> None:
    for model in SQL:
        refresh_search_vectors(model)


def create_gin_indexes(schema_editor, tables) -> None:
    """For the migrations that add the vectors: one GIN index per table, on PostgreSQL only."""
    if schema_editor.connection.vendor == "postgresql":
        for table in tables:
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {table}_search ON {table} USING gin (search_vector)")


def drop_gin_indexes(schema_editor, tables) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for table in tables:
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search")
