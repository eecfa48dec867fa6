"""Erasing a delegate leaves the name and e-mail nowhere in the database, and an audit line."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from meetings.models import Delegate, Erasure

from . import factories

pytestmark = pytest.mark.django_db

NAME = "Quillon Vantablack-Orrery"
EMAIL = "q.vantablack@example.net"


def places_holding(text: str) -> list[str]:
    """Every table and column of the database whose value contains the text (any case)."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                quoted_table, quoted_column = connection.ops.quote_name(table), connection.ops.quote_name(column.name)
                cursor.execute(
                    f"SELECT 1 FROM {quoted_table} WHERE LOWER(CAST({quoted_column} AS TEXT)) LIKE %s LIMIT 1",
                    [f"%{text.lower()}%"],
                )
                if cursor.fetchone():
                    found.append(f"{table}.{column.name}")
    return found


def record_through_the_admin(client, attendance) -> Delegate:
    """Added, then corrected, in the admin: its log and the history hold the name and e-mail."""
    add = {"attendance": attendance.pk, "full_name": NAME, "position": "Director", "email": EMAIL, "phone": ""}
    client.post(reverse("admin:meetings_delegate_add"), {**add, "passport_number": "", "notes": ""})
    delegate = Delegate.objects.get(full_name=NAME)
    change = {**add, "position": "Deputy Director", "passport_number": "", "notes": f"Call {NAME} first"}
    client.post(reverse("admin:meetings_delegate_change", args=[delegate.pk]), change)
    return delegate


def test_an_erased_delegate_is_found_nowhere_in_the_database_and_the_erasure_is_recorded(client, secretariat_user):
    attendance = factories.AttendanceFactory()
    client.force_login(secretariat_user)
    delegate = record_through_the_admin(client, attendance)
    assert "django_admin_log.object_repr" in places_holding(NAME)
    assert places_holding(EMAIL), "the e-mail is stored before the erasure"
    assert NAME in client.get(reverse("admin:index")).content.decode(), "Recent actions name the delegate"

    client.post(
        reverse("admin:meetings_delegate_changelist"),
        {"action": "erase_delegates", "_selected_action": [delegate.pk]},
    )

    assert places_holding(NAME) == []
    assert places_holding(EMAIL) == []
    assert places_holding("Vantablack") == []
    assert NAME not in client.get(reverse("admin:index")).content.decode()
    erasure = Erasure.objects.get()
    assert (erasure.delegate_id, erasure.erased_by, erasure.reason) == (delegate.pk, secretariat_user, "request")
    # The attendance the delegate belonged to stays true.
    assert Delegate.objects.get(pk=delegate.pk).attendance == attendance


def test_the_command_erases_by_email_as_completely(client, secretariat_user):
    attendance = factories.AttendanceFactory()
    client.force_login(secretariat_user)
    record_through_the_admin(client, attendance)
    out = io.StringIO()
    call_command("erase_delegate", "--email", EMAIL.upper(), stdout=out)
    assert EMAIL not in out.getvalue()
    assert places_holding(NAME) == [] and places_holding(EMAIL) == []
    assert Erasure.objects.get().erased_by is None
