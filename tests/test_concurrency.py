"""Conflicting saves at the same moment, on real PostgreSQL: every stale save is refused with a
message, no edit is lost, and a duplicate row sent twice at once is a form error, never a 500.

SQLite takes one writer at a time and has no row locks, so these run on PostgreSQL only (CI runs
the whole suite on both).
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from meetings.models import Attendance, Meeting, MemberState
from workplan.models import WorkPlanItem

from . import factories

PAIRS = 50
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def at_once(*requests):
    """Run the requests in threads released together; return their responses in order."""
    barrier = threading.Barrier(len(requests))
    responses = [None] * len(requests)

    def run(index, request):
        try:
            barrier.wait()
            responses[index] = request()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(db):
    from django.contrib.auth.models import Group

    from workplan.roles import SECRETARIAT

    body = factories.BodyFactory(slug="wgd")
    state = factories.MemberStateFactory()
    factories.CoChairTermFactory(body=body, state=state, start_date=None)
    cochair = factories.UserFactory(username="cochair")
    factories.RepresentativeFactory(user=cochair, state=state)
    officers = []
    for name in ("officer_a", "officer_b"):
        officer = factories.UserFactory(username=name, is_staff=True)
        officer.groups.add(Group.objects.get(name=SECRETARIAT))
        officers.append(officer)
    return {"body": body, "cochair": cochair, "officers": officers}


def check_pair(responses, texts, current_text, refusal):
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 302], statuses
    winner = texts[[r.status_code for r in responses].index(302)]
    loser_index = [r.status_code for r in responses].index(200)
    assert current_text == winner  # the saved edit is whole
    assert refusal in responses[loser_index].content.decode()
    assert texts[loser_index] in responses[loser_index].content.decode()  # the refused text is kept


def test_conflicting_workspace_edits(people):
    item = factories.WorkPlanItemFactory(body=people["body"])
    a, b = logged_in(people["cochair"]), logged_in(people["officers"][0])
    url = f"/workspace/items/{item.pk}/edit/"
    lost = 0
    for n in range(PAIRS):
        versions = [c.get(url).context["form"]["version"].value() for c in (a, b)]
        texts = [f"Edit {n} by the co-chair", f"Edit {n} by the secretariat"]
        responses = at_once(
            *[
                (
                    lambda c=c, t=t, v=v: c.post(
                        url, {"description": t, "version": v, "target_period": "", "target_date": ""}
                    )
                )
                for c, t, v in zip((a, b), texts, versions, strict=True)
            ]
        )
        item.refresh_from_db()
        check_pair(responses, texts, item.description, "Someone else saved this item")
        lost += item.description not in texts
    assert lost == 0
    assert item.version == 1 + PAIRS


def admin_item_form(item, title, seen):
    return {
        "body": item.body_id,
        "title": title,
        "kind": item.kind,
        "status": item.status,
        "seen_version": seen,
        "plan_period": "",
        "topic": "",
        "description": "",
        "target_period": "",
        "order_label": "",
        "updates-TOTAL_FORMS": "0",
        "updates-INITIAL_FORMS": "0",
    }


def test_conflicting_admin_saves_of_an_item(people):
    item = factories.WorkPlanItemFactory(body=people["body"])
    a, b = (logged_in(o) for o in people["officers"])
    url = f"/admin/workplan/workplanitem/{item.pk}/change/"
    for n in range(PAIRS):
        seen = [c.get(url).context["adminform"].form["seen_version"].value() for c in (a, b)]
        texts = [f"Title {n} from A", f"Title {n} from B"]
        responses = at_once(
            *[
                (lambda c=c, t=t, s=s: c.post(url, admin_item_form(item, t, s)))
                for c, t, s in zip((a, b), texts, seen, strict=True)
            ]
        )
        item.refresh_from_db()
        check_pair(responses, texts, item.title, "Someone else saved this record")


def test_conflicting_admin_saves_of_a_meeting(people):
    meeting = factories.MeetingFactory(body=people["body"], number=1)
    a, b = (logged_in(o) for o in people["officers"])
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"

    def form(statement, seen):
        return {
            "body": meeting.body_id,
            "kind": meeting.kind,
            "number": "1",
            "title": "",
            "slug": meeting.slug,
            "status": "draft",
            "start_date": "2022-10-12",
            "end_date": "2022-10-12",
            "held_on": "[]",
            "format": "hybrid",
            "venue_city": "Bangkok",
            "venue_country": "Thailand",
            "outcome_statement": statement,
            "seen_version": seen,
            "attendances-TOTAL_FORMS": "0",
            "attendances-INITIAL_FORMS": "0",
            "exercises-TOTAL_FORMS": "0",
            "exercises-INITIAL_FORMS": "0",
            "items_raised-TOTAL_FORMS": "0",
            "items_raised-INITIAL_FORMS": "0",
        }

    for n in range(PAIRS):
        seen = [c.get(url).context["adminform"].form["seen_version"].value() for c in (a, b)]
        texts = [f"Statement {n} as A wrote it", f"Statement {n} as B wrote it"]
        responses = at_once(
            *[(lambda c=c, t=t, s=s: c.post(url, form(t, s))) for c, t, s in zip((a, b), texts, seen, strict=True)]
        )
        meeting.refresh_from_db()
        check_pair(responses, texts, meeting.outcome_statement, "Someone else saved this record")


def test_duplicate_attendance_sent_twice_at_once_is_a_form_error(people):
    a, b = (logged_in(o) for o in people["officers"])
    for _ in range(10):
        meeting = factories.MeetingFactory(body=people["body"])
        state = factories.MemberStateFactory()
        data = {"meeting": meeting.pk, "state": state.pk, "role": "member", "mode": ""}
        responses = at_once(
            lambda data=data: a.post("/admin/meetings/attendance/add/", data),
            lambda data=data: b.post("/admin/meetings/attendance/add/", data),
        )
        assert sorted(r.status_code for r in responses) == [200, 302]
        refused = next(r for r in responses if r.status_code == 200)
        assert "This state is already listed for this meeting." in refused.content.decode()
        assert Attendance.objects.filter(meeting=meeting, state=state).count() == 1
    assert Meeting.objects.count() == 10 and MemberState.objects.count() >= 10
    assert WorkPlanItem.objects.count() == 0
