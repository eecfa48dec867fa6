"""The secretariat admin: every registered model's pages, for each persona, and its actions."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from meetings.models import Attendance, Meeting, MeetingCoChair
from workplan.models import ProgressUpdate
from workplan.roles import COCHAIRS, SECRETARIAT

from . import factories

pytestmark = pytest.mark.django_db

# One way to make a row of each model the admin manages.
ROW_MAKERS = {
    "meetings.memberstate": factories.MemberStateFactory,
    "meetings.organisation": factories.OrganisationFactory,
    "meetings.body": factories.BodyFactory,
    "meetings.alias": factories.AliasFactory,
    "meetings.theme": factories.ThemeFactory,
    "meetings.sector": factories.SectorFactory,
    "meetings.focusarea": factories.FocusAreaFactory,
    "meetings.cochairterm": factories.CoChairTermFactory,
    "meetings.meeting": factories.MeetingFactory,
    "meetings.meetingcochair": factories.MeetingCoChairFactory,
    "meetings.attendance": factories.AttendanceFactory,
    "meetings.delegate": factories.DelegateFactory,
    "meetings.exercise": factories.ExerciseFactory,
    "workplan.workplanitem": factories.WorkPlanItemFactory,
    "workplan.progressupdate": factories.ProgressUpdateFactory,
    "workplan.representative": factories.RepresentativeFactory,
    "workplan.statusatmeeting": factories.StatusAtMeetingFactory,
    "workplan.remindersent": factories.ReminderSentFactory,
}
OUR_MODELS = sorted(
    model._meta.label_lower for model in admin.site._registry if model._meta.app_label in {"meetings", "workplan"}
)


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


@pytest.fixture
def staff_cochair(db):
    """A co-chair of the Working Group on Disruptions's co-chair state who was given staff access by
    mistake (and, worse, the Secretariat group too): the admin must still be closed to them."""
    user = factories.UserFactory(username="staff_cochair", is_staff=True)
    user.groups.add(Group.objects.get(name=COCHAIRS), Group.objects.get(name=SECRETARIAT))
    return user


def test_the_cochairs_group_holds_no_permission_of_the_admin():
    assert list(Group.objects.get(name=COCHAIRS).permissions.all()) == []


@pytest.mark.parametrize("label", OUR_MODELS)
def test_a_staff_cochair_gets_no_admin_page_of_any_model(client, staff_cochair, label):
    urls = admin_urls(label)
    client.force_login(staff_cochair)
    for page in ("changelist", "add", "change"):
        response = client.get(urls[page])
        assert response.status_code == 302 and response.url.startswith(reverse("admin:login")), page


def test_a_staff_cochair_cannot_edit_another_bodys_item_or_post_an_update(client, staff_cochair):
    """The finding: a staff co-chair moved any body's item to completed, to another body, and posted
    public updates. Representing a state makes the account a co-chair whatever its groups."""
    staff_cochair.groups.remove(Group.objects.get(name=COCHAIRS))
    factories.RepresentativeFactory(user=staff_cochair)
    item = factories.WorkPlanItemFactory(status="agreed")
    other_body = factories.BodyFactory()
    client.force_login(staff_cochair)
    response = client.post(
        reverse("admin:workplan_workplanitem_change", args=[item.pk]),
        {"title": item.title, "body": other_body.pk, "status": "completed", "new_status": "completed"},
    )
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    response = client.post(reverse("admin:workplan_progressupdate_add"), {"item": item.pk, "text": "Done"})
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    item.refresh_from_db()
    assert (item.status, item.body_id) == ("agreed", item.body_id)
    assert not ProgressUpdate.objects.filter(item=item).exists()
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_admin_item_form_moves_a_status_only_through_the_workflow(client, secretariat_user):
    item = factories.WorkPlanItemFactory(status="suggested")
    client.force_login(secretariat_user)
    url = reverse("admin:workplan_workplanitem_change", args=[item.pk])
    page = client.get(url)
    form = {**page.context["adminform"].form.initial}
    data = {
        name: value
        for name, value in form.items()
        if value is not None and not isinstance(value, list) and name not in ("status",)
    }
    data.update(
        {"seen_version": item.version, "body": item.body_id, "updates-TOTAL_FORMS": "0", "updates-INITIAL_FORMS": "0"}
    )
    for name in ("lead_states", "lead_organisations", "themes", "reported_at"):
        data.pop(name, None)

    data["new_status"] = "completed"  # suggested -> completed skips agreed and in progress
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "new_status": [
            "An item cannot move from suggested to completed. From suggested an item can move to: agreed, dropped."
        ]
    }
    item.refresh_from_db()
    assert item.status == "suggested"

    data["new_status"] = "agreed"
    data["seen_version"] = item.version
    data["status_note"] = "Agreed at the annual meeting."
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    item.refresh_from_db()
    assert item.status == "agreed"
    update = ProgressUpdate.objects.get(item=item)
    assert (update.status_before, update.status_after, update.text, update.author) == (
        "suggested",
        "agreed",
        "Agreed at the annual meeting.",
        secretariat_user,
    )


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
