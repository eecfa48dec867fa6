"""Generated and hostile input to every workspace form, the admin's main forms and the import:
never a server error, and a refused form writes nothing."""

from contextlib import contextmanager

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings.models import Body, Meeting
from workplan.models import WorkPlanItem

from .html import dangerous_markup

pytestmark = pytest.mark.django_db
EXAMPLES = 25
HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(document.cookie)",
    "'; DROP TABLE meetings_meeting; --",
    "\x00",
    "abc\x00def",
    "\u202e\ufeff\u0000",
    "{{ settings.SECRET_KEY }}",
    "-1",
    "1e309",
    "99999999999999999999999",
    "2022-02-31",
    '["2021-09-21", "\\u0000"]',
    '{"a": 1}',
    "",
    " ",
]
values = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=200),
    st.text(alphabet=st.characters(max_codepoint=31), max_size=20),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.just("A" * 120_000),
)
hypothesis_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.large_base_example],
)


def row_counts():
    return {
        m._meta.label: m.objects.count()
        for app in ("meetings", "workplan")
        for m in apps.get_app_config(app).get_models()
    }


@contextmanager
def independent_example():
    """Hypothesis runs many examples in one test (one database, one fixture): each example's writes
    and cached pages are undone after it, so every example starts from the same demo."""
    start = row_counts()
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
    assert row_counts() == start


def post_and_check(client, url, data, *, success_statuses=(302,)):
    """Post; never a 5xx; if the form was refused, nothing was written."""
    with independent_example():
        before = row_counts()
        response = client.post(url, data)
        assert response.status_code < 500, (url, data)
        if response.status_code not in success_statuses:
            assert row_counts() == before, (url, data)
    return response


@pytest.fixture
def officer(client, demo, secretariat_user):
    client.force_login(secretariat_user)
    return client


@hypothesis_settings
@given(text=values, status=values, percent=values, date=values, reason=values)
def test_workspace_update_form(officer, text, status, percent, date, reason):
    item = WorkPlanItem.objects.get(order_label="c")
    post_and_check(
        officer,
        reverse("workplan:workspace-item", args=[item.pk]),
        {"text": text, "status": status, "percent_complete": percent, "date": date, "reason": reason},
    )


@hypothesis_settings
@given(description=values, target_period=values, target_date=values, version=values, lead=values)
def test_workspace_edit_form(officer, description, target_period, target_date, version, lead):
    item = WorkPlanItem.objects.get(order_label="c")
    post_and_check(
        officer,
        reverse("workplan:edit-item", args=[item.pk]),
        {
            "description": description,
            "target_period": target_period,
            "target_date": target_date,
            "version": version,
            "lead_states": [lead],
            "themes": [lead],
        },
    )


MEETING_FORMSETS = {
    "cochairs-TOTAL_FORMS": "1",
    "cochairs-INITIAL_FORMS": "0",
    "attendances-TOTAL_FORMS": "1",
    "attendances-INITIAL_FORMS": "0",
    "exercises-TOTAL_FORMS": "0",
    "exercises-INITIAL_FORMS": "0",
}


@hypothesis_settings
@given(number=values, title=values, start=values, held_on=values, city=values, count=values, party=values)
def test_admin_meeting_add_form(officer, number, title, start, held_on, city, count, party):
    data = {
        "body": Body.objects.get(slug="wg-tip").pk,
        "kind": "annual_meeting",
        "number": number,
        "title": title,
        "slug": "",
        "status": "draft",
        "start_date": start,
        "end_date": "",
        "held_on": held_on,
        "format": "hybrid",
        "venue_city": city,
        "venue_country": city,
        "declared_state_count": count,
        "outcome_statement": title,
        **MEETING_FORMSETS,
        "cochairs-0-state": party,
        "attendances-0-state": party,
        "attendances-0-role": "member",
    }
    post_and_check(officer, "/admin/meetings/meeting/add/", data)


@hypothesis_settings
@given(statement=values, venue=values, version=values, count=values)
def test_admin_meeting_change_form(officer, statement, venue, version, count):
    meeting = Meeting.objects.get(number=7)
    data = {
        "body": meeting.body_id,
        "kind": meeting.kind,
        "number": meeting.number,
        "title": "",
        "slug": meeting.slug,
        "status": "published",
        "start_date": "2022-10-12",
        "end_date": "2022-10-12",
        "held_on": "[]",
        "format": "hybrid",
        "venue_city": venue,
        "venue_country": "Thailand",
        "declared_participant_count": count,
        "outcome_statement": statement,
        "seen_version": version,
        "cochairs-TOTAL_FORMS": "0",
        "cochairs-INITIAL_FORMS": "0",
        "attendances-TOTAL_FORMS": "0",
        "attendances-INITIAL_FORMS": "0",
        "exercises-TOTAL_FORMS": "0",
        "exercises-INITIAL_FORMS": "0",
    }
    post_and_check(officer, f"/admin/meetings/meeting/{meeting.pk}/change/", data)


@hypothesis_settings
@given(meeting=values, state=values, role=values, mode=values)
def test_admin_attendance_form(officer, meeting, state, role, mode):
    post_and_check(
        officer,
        "/admin/meetings/attendance/add/",
        {"meeting": meeting, "state": state, "organisation": state, "role": role, "mode": mode},
    )


@hypothesis_settings
@given(title=values, kind=values, status=values, target=values, version=values)
def test_admin_item_change_form(officer, title, kind, status, target, version):
    item = WorkPlanItem.objects.get(order_label="c")
    post_and_check(
        officer,
        f"/admin/workplan/workplanitem/{item.pk}/change/",
        {
            "body": item.body_id,
            "title": title,
            "kind": kind,
            "status": status,
            "target_date": target,
            "seen_version": version,
            "updates-TOTAL_FORMS": "0",
            "updates-INITIAL_FORMS": "0",
        },
    )


@hypothesis_settings
@given(name=values, code=values, kind=values, parent=values, since=values)
def test_admin_member_state_form(officer, name, code, kind, parent, since):
    post_and_check(
        officer,
        "/admin/meetings/memberstate/add/",
        {
            "name": name,
            "slug": name,
            "iso_code": code,
            "kind": kind,
            "parent_state": parent,
            "membership": "member",
            "member_since": since,
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
        },
    )


@hypothesis_settings
@given(text=values)
def test_statement_import_form(officer, text):
    with independent_example():
        before = row_counts()
        response = officer.post("/admin/meetings/meeting/import-statement/", {"review": "1", "text": text})
        assert response.status_code < 500
        assert row_counts() == before  # reading and reviewing never writes


@hypothesis_settings
@given(statement=values, number=values, state=values)
def test_statement_import_confirmation(officer, statement, number, state):
    post_and_check(
        officer,
        "/admin/meetings/meeting/import-statement/",
        {
            "confirm": "1",
            "statement": statement,
            "body": "",
            "kind": "annual_meeting",
            "number": number,
            "start_date": "2024-05-03",
            "end_date": "2024-05-03",
            "format": "virtual",
            "states": [state],
            "exercises-TOTAL_FORMS": "0",
            "exercises-INITIAL_FORMS": "0",
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
            "unresolved-TOTAL_FORMS": "0",
            "unresolved-INITIAL_FORMS": "0",
        },
    )


def test_scripts_in_statements_and_updates_are_shown_as_text(client, demo, secretariat_user):
    meeting = Meeting.objects.get(number=7)
    meeting.outcome_statement = '<script>alert(1)</script> <a href="javascript:alert(1)" onclick="x()">link</a>'
    meeting.save()
    item = WorkPlanItem.objects.get(order_label="a")
    item.updates.create(date="2023-01-01", text="<img src=x onerror=alert(1)>")
    for url in (meeting.get_absolute_url(), item.get_absolute_url(), f"/meetings/{meeting.slug}/print/"):
        page = client.get(url).content.decode()
        assert dangerous_markup(page) == [], url
        assert "&lt;script&gt;" in page or "&lt;img" in page  # shown as the text it is
