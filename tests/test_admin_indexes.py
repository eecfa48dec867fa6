"""The admin's change lists at a million rows: every default ordering, filter and date drill-down
is served by an index, and the page count is estimated where an exact one is not needed."""

import pytest
from django.contrib import admin
from django.db import connection
from django.db.models import ForeignKey, ManyToManyField, ManyToManyRel, ManyToOneRel
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from meetings import admin_paging
from meetings.admin_paging import COUNT_CAP, CappedCountPaginator
from meetings.models import Attendance

from . import factories

pytestmark = pytest.mark.django_db
OUR_APPS = {"meetings", "workplan", "statements", "baliwg"}


def indexed_leading_columns(model) -> set[str]:
    """The columns some index of the table starts with (a foreign key's own index included)."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {
        c["columns"][0]
        for c in constraints.values()
        if c["columns"] and (c["index"] or c["unique"] or c["primary_key"])
    }


def hops(model, path: str):
    """(model, column) for each table a filter or ordering on `path` reads through."""
    *relations, last = path.split("__")
    for name in relations:
        field = model._meta.get_field(name)
        if isinstance(field, ForeignKey):
            yield model, field.column
        elif isinstance(field, ManyToManyField):
            through = field.remote_field.through
            yield through, field.m2m_column_name()
        elif isinstance(field, ManyToOneRel | ManyToManyRel):
            pass  # the other side's foreign key, checked when that model's admin is
        model = field.related_model
    field = model._meta.get_field(last)
    if isinstance(field, ManyToManyField):
        yield field.remote_field.through, field.m2m_column_name()
    else:
        yield model, field.column


def admin_paths(model_admin):
    request = RequestFactory().get("/")
    ordering = model_admin.get_ordering(request) or model_admin.model._meta.ordering or []
    if ordering:
        yield "ordering", str(ordering[0]).lstrip("-")
    for entry in model_admin.list_filter:
        if isinstance(entry, str):
            yield "list_filter", entry
        elif isinstance(entry, tuple):
            yield "list_filter", entry[0]
    if model_admin.date_hierarchy:
        yield "date_hierarchy", model_admin.date_hierarchy


def missing_indexes(model, paths) -> list[str]:
    missing = []
    for role, path in paths:
        for table_model, column in hops(model, path):
            if column not in indexed_leading_columns(table_model):
                missing.append(f"{model.__name__} {role} {path}: {table_model._meta.db_table}.{column}")
    return missing


def test_every_admin_ordering_and_filter_has_an_index():
    missing = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in OUR_APPS:
            missing += missing_indexes(model, admin_paths(model_admin))
    assert missing == [], "\n".join(missing)


def test_the_check_finds_a_filter_without_an_index():
    # The attendance list filtered by the meeting's city would read every meeting: reported.
    assert missing_indexes(Attendance, [("list_filter", "meeting__venue_city")]) == [
        "Attendance list_filter meeting__venue_city: meetings_meeting.venue_city"
    ]
    assert missing_indexes(Attendance, [("list_filter", "meeting__body")]) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's")
def test_an_unfiltered_large_list_is_counted_by_estimate_not_by_reading_the_table(monkeypatch):
    meeting = factories.MeetingFactory()
    for state in factories.MemberStateFactory.create_batch(30):
        Attendance.objects.create(meeting=meeting, state=state)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE meetings_attendance")
    monkeypatch.setattr(admin_paging, "ESTIMATE_ABOVE", 10)  # a million rows, in small
    with CaptureQueriesContext(connection) as queries:
        assert CappedCountPaginator(Attendance.objects.order_by("-id"), 50).count == 30
    assert len(queries) == 1 and "reltuples" in queries[0]["sql"]
    # A filtered list is counted, up to the cap.
    with CaptureQueriesContext(connection) as queries:
        assert CappedCountPaginator(Attendance.objects.filter(role="member").order_by("-id"), 50).count == 30
    assert "COUNT" in queries[0]["sql"].upper() and f"LIMIT {COUNT_CAP + 1}" in queries[0]["sql"]


LARGE_LISTS = [
    "meetings/attendance",
    "meetings/meeting",
    "meetings/delegate",
    "workplan/workplanitem",
    "workplan/progressupdate",
]


@pytest.mark.parametrize("changelist", LARGE_LISTS)
def test_a_large_change_list_costs_the_same_queries_for_five_rows_as_for_fifty(
    client, demo, secretariat_user, changelist
):
    """No list column reads another table row by row: 45 more rows cost no query more."""
    client.force_login(secretariat_user)
    url = f"/admin/{changelist}/"

    def queries_for_page():
        client.get(url)  # warm the session and the content types
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries_for_page()
    add_rows(changelist, 50)
    assert queries_for_page() == few


def add_rows(changelist, count):
    meetings = [factories.MeetingFactory() for _ in range(3)]
    states = factories.MemberStateFactory.create_batch(count // 3 + 1)
    for index in range(count):
        meeting, state = meetings[index % 3], states[index // 3]
        attendance = Attendance.objects.create(meeting=meeting, state=state)
        if changelist == "meetings/delegate":
            factories.DelegateFactory(attendance=attendance)
        elif changelist == "workplan/workplanitem":
            factories.WorkPlanItemFactory(raised_at=meeting, body=meeting.body)
        elif changelist == "workplan/progressupdate":
            factories.ProgressUpdateFactory()
    if changelist == "meetings/meeting":
        for _ in range(count - 3):
            factories.MeetingFactory()
