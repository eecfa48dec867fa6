"""The secretariat admin: every registered model's pages, for each persona, and its actions."""

import pytest
from django.contrib import admin
from django.urls import reverse

from meetings.models import Attendance, Meeting, MeetingCoChair

from . import factories
from .factories import ROW_MAKERS

pytestmark = pytest.mark.django_db

OUR_MODELS = sorted(
    model._meta.label_lower for model in admin.site._registry if model._meta.app_label in {"meetings", "workplan"}
)
# What the Co-chairs group may do beyond viewing; delegates are hidden from them entirely.
COCHAIR_CAN_ADD = {"workplan.progressupdate"}
COCHAIR_CAN_CHANGE = {"workplan.workplanitem"}
COCHAIR_CANNOT_VIEW = {"meetings.delegate"}


def admin_urls(label):
    row = ROW_MAKERS[label]()
    app_label, model_name = label.split(".")
    return {
        "row": row,
        "changelist": reverse(f"admin:{app_label}_{model_name}_changelist"),
        "add": reverse(f"admin:{app_label}_{model_name}_add"),
        "change": reverse(f"admin:{app_label}_{model_name}_change", args=[row.pk]),
    }


def test_every_model_of_the_apps_is_registered_and_covered_here():
    assert sorted(ROW_MAKERS) == OUR_MODELS


@pytest.mark.parametrize("label", OUR_MODELS)
def test_secretariat_opens_changelist_add_and_change_pages(client, secretariat_user, label):
    urls = admin_urls(label)
    row = urls.pop("row")
    client.force_login(secretariat_user)
    for page, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, f"{page} of {label}"
    assert urls["change"] in client.get(urls["changelist"]).content.decode(), "the row is listed"
    assert str(row) in client.get(urls["change"]).content.decode()


@pytest.mark.parametrize("label", OUR_MODELS)
def test_anonymous_is_sent_to_the_login_page(client, label):
    urls = admin_urls(label)
    del urls["row"]
    for url in urls.values():
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("label", OUR_MODELS)
def test_cochair_is_refused_what_the_group_may_not_do(client, cochair_user, label):
    urls = admin_urls(label)
    client.force_login(cochair_user)
    view_status = 403 if label in COCHAIR_CANNOT_VIEW else 200
    assert client.get(urls["changelist"]).status_code == view_status
    assert client.get(urls["change"]).status_code == view_status
    assert client.get(urls["add"]).status_code == (200 if label in COCHAIR_CAN_ADD else 403)
    if label not in COCHAIR_CAN_CHANGE and label not in COCHAIR_CANNOT_VIEW:
        # A read-only change page: posting to it changes nothing.
        assert client.post(urls["change"], {}).status_code == 403


def test_a_user_without_staff_access_never_reaches_the_admin(client, plain_user):
    client.force_login(plain_user)
    response = client.get(reverse("admin:meetings_meeting_changelist"))
    assert response.status_code == 302


def test_admin_is_titled_for_the_forum(client, secretariat_user):
    client.force_login(secretariat_user)
    response = client.get(reverse("admin:index"))
    assert "Bali Process Working Groups — Secretariat" in response.content.decode()


def test_publish_and_unpublish_actions(client, secretariat_user):
    draft = factories.MeetingFactory(status=Meeting.Status.DRAFT)
    exercise = factories.ExerciseFactory(meeting=draft, status="draft")
    client.force_login(secretariat_user)
    url = reverse("admin:meetings_meeting_changelist")

    client.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    exercise.refresh_from_db()
    assert draft.status == "published" and draft.published_at is not None
    assert exercise.status == "published"

    client.post(url, {"action": "unpublish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_secretariat_records_a_meeting_with_cochairs_and_attendance_through_the_inlines(client, secretariat_user):
    body = factories.BodyFactory(acronym="WGD")
    viet_nam, new_zealand = (
        factories.MemberStateFactory(name="Viet Nam"),
        factories.MemberStateFactory(name="New Zealand"),
    )
    iom = factories.OrganisationFactory(acronym="IOM")
    client.force_login(secretariat_user)
    form = {
        "body": body.pk,
        "kind": "annual_meeting",
        "number": "8",
        "title": "",
        "slug": "",
        "status": "draft",
        "start_date": "2023-11-15",
        "end_date": "",
        "held_on": "[]",
        "format": "virtual",
        "venue_city": "",
        "venue_country": "",
        "outcome_statement": "Held online.",
        "cochairs-TOTAL_FORMS": "2",
        "cochairs-INITIAL_FORMS": "0",
        "cochairs-0-state": viet_nam.pk,
        "cochairs-1-state": new_zealand.pk,
        "attendances-TOTAL_FORMS": "2",
        "attendances-INITIAL_FORMS": "0",
        "attendances-0-state": viet_nam.pk,
        "attendances-0-role": "member",
        "attendances-0-mode": "virtual",
        "attendances-1-organisation": iom.pk,
        "attendances-1-role": "member",
        "attendances-1-mode": "virtual",
        "exercises-TOTAL_FORMS": "0",
        "exercises-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:meetings_meeting_add"), form)
    assert response.status_code == 302, response.content.decode()[:3000]

    meeting = Meeting.objects.get(number=8)
    assert meeting.slug == "wgd-eighth-annual-meeting-2023"
    assert meeting.end_date == meeting.start_date
    assert {c.state.name for c in MeetingCoChair.objects.filter(meeting=meeting)} == {"Viet Nam", "New Zealand"}
    assert {str(a.party) for a in Attendance.objects.filter(meeting=meeting)} == {"Viet Nam", str(iom)}


def test_a_duplicate_attendance_row_is_a_form_error_not_a_crash(client, secretariat_user):
    meeting = factories.MeetingFactory()
    state = factories.MemberStateFactory()
    client.force_login(secretariat_user)
    response = client.post(
        reverse("admin:meetings_attendance_add"), {"meeting": meeting.pk, "state": state.pk, "role": "member"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("admin:meetings_attendance_add"), {"meeting": meeting.pk, "state": state.pk, "role": "member"}
    )
    assert response.status_code == 200
    assert "This state is already listed for this meeting." in response.content.decode()
    assert Attendance.objects.count() == 1


def test_large_lists_show_fifty_rows_whose_checkboxes_select_them_for_an_action(client, secretariat_user):
    meeting = factories.MeetingFactory()
    rows = [factories.AttendanceFactory(meeting=meeting) for _ in range(55)]
    client.force_login(secretariat_user)
    page = client.get("/admin/meetings/attendance/").content.decode()
    assert page.count('class="action-select"') == 50
    newest = rows[-1]
    assert f'name="_selected_action" value="{newest.pk}"' in page
    assert f'aria-label="Select this object for an action - {newest}"' in page
    chosen = [rows[-1].pk, rows[-2].pk]
    confirm = client.post("/admin/meetings/attendance/", {"action": "delete_selected", "_selected_action": chosen})
    assert confirm.status_code == 200 and "Are you sure" in confirm.content.decode()
    client.post(
        "/admin/meetings/attendance/",
        {"action": "delete_selected", "_selected_action": chosen, "post": "yes"},
    )
    assert not Attendance.objects.filter(pk__in=chosen).exists()
    assert Attendance.objects.count() == 53
