"""The secretariat admin: every registered model's pages, for each persona, and its actions."""

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse

from meetings.models import Attendance, Meeting, MeetingCoChair
from workplan.models import ProgressUpdate
from workplan.roles import COCHAIRS, SECRETARIAT

from . import factories
from .admin_forms import form_data
from .factories import ROW_MAKERS

pytestmark = pytest.mark.django_db

OUR_MODELS = sorted(
    model._meta.label_lower for model in admin.site._registry if model._meta.app_label in {"meetings", "workplan"}
)
# Audit trails nobody adds to or edits by hand.
READ_ONLY = {"meetings.erasure"}


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
        expected = 403 if page == "add" and label in READ_ONLY else 200
        assert response.status_code == expected, f"{page} of {label}"
    assert urls["change"] in client.get(urls["changelist"]).content.decode(), "the row is listed"
    assert str(row) in client.get(urls["change"]).content.decode()


@pytest.mark.parametrize("label", OUR_MODELS)
def test_every_column_offered_for_sorting_sorts(client, secretariat_user, label):
    """A column header that is a sort link orders the rows by something: Django offers "__str__"
    (its "__" reads as a lookup) and then orders by nothing, which an officer saw as a broken sort."""
    from django.contrib.admin.templatetags.admin_list import result_headers

    client.force_login(secretariat_user)
    changelist = client.get(admin_urls(label)["changelist"]).context["cl"]
    for index, (header, name) in enumerate(zip(result_headers(changelist), changelist.list_display, strict=True)):
        if header["sortable"]:
            assert changelist.get_ordering_field(name) is not None, f"{label}: column {index} ({name})"


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


def ready_draft(number):
    meeting = factories.MeetingFactory(status=Meeting.Status.DRAFT, number=number, outcome_statement="Agreed.")
    factories.AttendanceFactory(meeting=meeting)
    exercise = factories.ExerciseFactory(meeting=meeting, status="draft")
    return meeting, exercise


def published_records(meeting, exercise):
    meeting.refresh_from_db()
    exercise.refresh_from_db()
    latest = meeting.history.latest("history_date")
    return {
        "status": meeting.status,
        "stamped": meeting.published_at is not None,
        "exercise": exercise.status,
        "history_user": latest.history_user.username,
        "history_status": latest.status,
        "log": LogEntry.objects.filter(object_id=str(meeting.pk)).values_list("change_message", flat=True).first(),
    }


def test_publishing_from_the_form_and_from_the_action_give_the_same_records(client, secretariat_user):
    by_form, form_exercise = ready_draft(1)
    by_action, action_exercise = ready_draft(2)
    client.force_login(secretariat_user)

    page = client.get(reverse("admin:meetings_meeting_change", args=[by_form.pk])).content.decode()
    assert 'name="status"' not in page, "the Status field is not a second way to publish"
    assert 'name="_publish"' in page
    data = {**meeting_form_data(client, by_form), "_publish": "Save and publish"}
    response = client.post(reverse("admin:meetings_meeting_change", args=[by_form.pk]), data, follow=True)
    assert "published; published with it the exercise(s)" in response.content.decode()

    response = client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "publish", "_selected_action": [by_action.pk]},
        follow=True,
    )
    assert "published; published with it the exercise(s)" in response.content.decode()

    form_records, action_records = (
        published_records(by_form, form_exercise),
        published_records(by_action, action_exercise),
    )
    assert form_records["log"] == f"{by_form}: published; published with it the exercise(s) “{form_exercise}”."
    assert action_records["log"] == f"{by_action}: published; published with it the exercise(s) “{action_exercise}”."
    del form_records["log"], action_records["log"]
    assert (
        form_records
        == action_records
        == {
            "status": "published",
            "stamped": True,
            "exercise": "published",
            "history_user": "sam_secretariat",
            "history_status": "published",
        }
    )

    client.post(reverse("admin:meetings_meeting_changelist"), {"action": "unpublish", "_selected_action": [by_form.pk]})
    by_form.refresh_from_db()
    assert by_form.status == "draft"


def test_publishing_many_meetings_at_once_is_told_in_one_line_and_logged_for_each(client, secretariat_user):
    drafts = [ready_draft(number)[0] for number in range(1, 8)]
    already = factories.MeetingFactory(status=Meeting.Status.PUBLISHED, number=9, outcome_statement="Agreed.")
    factories.AttendanceFactory(meeting=already)
    client.force_login(secretariat_user)
    response = client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "publish", "_selected_action": [m.pk for m in [*drafts, already]]},
        follow=True,
    )
    told = [str(message) for message in response.context["messages"]]
    assert len(told) == 2, told
    assert told[0].startswith("Published 7 meetings, 7 of them with their exercises: ")
    assert told[0].endswith(" and 2 more. Each one's history says what was published.")
    assert told[1] == "1 meeting was already published; nothing changed."
    assert Meeting.objects.filter(pk__in=[m.pk for m in drafts], status="published").count() == 7
    logged = LogEntry.objects.filter(object_id__in=[str(m.pk) for m in drafts]).values_list("change_message", flat=True)
    each = [f"{m}: published; published with it the exercise(s) “{m.exercises.get()}”." for m in drafts]
    assert sorted(logged) == sorted(each)


def test_one_new_meeting_among_many_already_published_is_told_in_the_singular(client, secretariat_user):
    draft = ready_draft(1)[0]
    already = [
        factories.MeetingFactory(status=Meeting.Status.PUBLISHED, number=n, outcome_statement="Agreed.")
        for n in (7, 8, 9)
    ]
    for meeting in already:
        factories.AttendanceFactory(meeting=meeting)
    client.force_login(secretariat_user)
    response = client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "publish", "_selected_action": [m.pk for m in [draft, *already]]},
        follow=True,
    )
    told = [str(message) for message in response.context["messages"]]
    assert told == [
        f"Published 1 meeting, 1 of them with their exercises: {draft}. Each one's history says what was published.",
        "3 meetings were already published; nothing changed.",
    ]


def test_posting_a_status_on_the_form_does_not_publish(client, secretariat_user):
    meeting, exercise = ready_draft(1)
    client.force_login(secretariat_user)
    data = {**meeting_form_data(client, meeting), "status": "published"}
    response = client.post(reverse("admin:meetings_meeting_change", args=[meeting.pk]), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "draft" and meeting.published_at is None


def test_a_meeting_not_ready_is_not_published_and_the_officer_is_told_why(client, secretariat_user):
    meeting = factories.MeetingFactory(status=Meeting.Status.DRAFT, outcome_statement="")
    client.force_login(secretariat_user)
    response = client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "publish", "_selected_action": [meeting.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "cannot be published: its outcome statement is empty." in page
    assert "cannot be published: it names no participant and declares no count of them." in page
    meeting.refresh_from_db()
    assert meeting.status == "draft" and meeting.published_at is None


def meeting_form_data(client, meeting):
    """The change form as the browser sends it back unchanged."""
    return form_data(client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk])).content.decode())


def test_secretariat_records_a_meeting_with_the_grid_the_other_participants_and_the_items(client, secretariat_user):
    body = factories.BodyFactory(acronym="WGD")
    viet_nam, new_zealand = (
        factories.MemberStateFactory(name="Viet Nam"),
        factories.MemberStateFactory(name="New Zealand"),
    )
    observer = factories.MemberStateFactory(name="Canada", membership="observer")
    iom = factories.OrganisationFactory(acronym="IOM", membership="member", kind="international")
    agency = factories.OrganisationFactory(name="Immigration New Zealand", kind="national_agency", state=new_zealand)
    client.force_login(secretariat_user)
    add_page = client.get(reverse("admin:meetings_meeting_add")).content.decode()
    assert "Observer states" in add_page and f'name="p-s{observer.pk}"' in add_page
    assert f'name="c-s{viet_nam.pk}"' in add_page and f'name="c-s{observer.pk}"' not in add_page
    form = {
        **form_data(add_page),
        "body": body.pk,
        "number": "8",
        "start_date": "2023-11-15",
        "end_date": "2023-11-17",
        "held_on": "2023-11-17, 2023-11-15",
        "format": "virtual",
        "outcome_statement": "Held online.",
        f"p-s{viet_nam.pk}": "1",
        f"c-s{viet_nam.pk}": "1",
        f"p-s{new_zealand.pk}": "1",
        f"c-s{new_zealand.pk}": "1",
        f"p-s{observer.pk}": "1",
        f"p-o{iom.pk}": "1",
        f"p-o{iom.pk}-role": "expert",
        "attendances-TOTAL_FORMS": "1",
        "attendances-0-organisation": agency.pk,
        "attendances-0-role": "guest",
        "items_raised-TOTAL_FORMS": "2",
        "items_raised-0-order_label": "a",
        "items_raised-0-title": "Training on online scams",
        "items_raised-0-kind": "training",
        "items_raised-1-order_label": "b",
        "items_raised-1-title": "Workshop on data sharing",
        "items_raised-1-kind": "workshop",
    }
    response = client.post(reverse("admin:meetings_meeting_add"), form)
    assert response.status_code == 302, response.content.decode()[:3000]

    meeting = Meeting.objects.get(number=8)
    assert meeting.slug == "wgd-eighth-annual-meeting-2023"
    assert meeting.held_on == ["2023-11-15", "2023-11-17"]
    assert {c.state.name for c in MeetingCoChair.objects.filter(meeting=meeting)} == {"Viet Nam", "New Zealand"}
    rows = {(str(a.party), a.role, a.mode) for a in Attendance.objects.filter(meeting=meeting)}
    assert rows == {
        ("Viet Nam", "member", "virtual"),
        ("New Zealand", "member", "virtual"),
        ("Canada", "observer", "virtual"),
        (str(iom), "expert", "virtual"),
        (str(agency), "guest", ""),
    }
    assert [(i.title, i.body_id) for i in meeting.items_raised.order_by("order_label")] == [
        ("Training on online scams", body.pk),
        ("Workshop on data sharing", body.pk),
    ]

    # The change form shows the days as typed, not a raw JSON box; unticking removes a party.
    change_url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    page = client.get(change_url).content.decode()
    assert 'value="2023-11-15, 2023-11-17"' in page and 'value="[]"' not in page and ">[]</textarea>" not in page
    data = form_data(page)
    del data[f"p-s{observer.pk}"]
    assert client.post(change_url, data).status_code == 302
    assert meeting.attendances.count() == 4 and meeting.cochairs.count() == 2 and meeting.items_raised.count() == 2


def test_unticking_a_party_with_delegates_is_refused_with_a_reason(client, secretariat_user):
    meeting = factories.MeetingFactory()
    attendance = factories.AttendanceFactory(meeting=meeting)
    factories.DelegateFactory(attendance=attendance)
    client.force_login(secretariat_user)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = form_data(client.get(url).content.decode())
    del data[f"p-s{attendance.state_id}"]
    response = client.post(url, data)
    assert response.status_code == 200
    assert "has delegates recorded at this meeting" in response.content.decode()
    assert Attendance.objects.filter(pk=attendance.pk).exists()


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


def test_the_meeting_change_form_weighs_half_what_it_did(client, demo, secretariat_user, django_assert_max_num_queries):
    """The seventh meeting's form was 173 KB in 85 queries (an autocomplete widget and four pop-up
    links per attendance row); the grid renders its rows in one pass."""
    meeting = Meeting.objects.get(number=7)
    client.force_login(secretariat_user)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    # 28, and the admin site's check that the user is the secretariat's (two queries).
    with django_assert_max_num_queries(30):
        response = client.get(url)
    page = response.content.decode()
    assert len(response.content) <= 173_014 // 2
    assert page.count(" checked>") >= 17 + 2, "13 states, 4 organisations and 2 co-chairs ticked"
    assert "Copy the participants of the body" in page


def test_the_publish_command_uses_the_same_service_and_refuses_a_meeting_not_ready(secretariat_user):
    import io

    from django.core.management import CommandError, call_command

    ready, exercise = ready_draft(1)
    out = io.StringIO()
    call_command("publish_meeting", ready.slug, "--reason", "Cleared by both co-chairs", stdout=out)
    assert "published; published with it the exercise(s)" in out.getvalue()
    ready.refresh_from_db()
    exercise.refresh_from_db()
    assert (ready.status, ready.published_at is not None, exercise.status) == ("published", True, "published")
    assert ready.history.latest("history_date").history_change_reason == "Cleared by both co-chairs"

    empty = factories.MeetingFactory(status=Meeting.Status.DRAFT, outcome_statement="")
    with pytest.raises(CommandError, match="its outcome statement is empty"):
        call_command("publish_meeting", empty.slug, stdout=io.StringIO())
    empty.refresh_from_db()
    assert empty.status == "draft"


def _sidebar(client, path="/admin/meetings/meeting/") -> str:
    page = client.get(path).content.decode()
    return page[page.index('id="nav-sidebar"') :].split("</nav>", 1)[0]


def test_the_sidebar_follows_a_changed_permission_at_the_next_page(client, secretariat_user):
    """The sidebar's list of models is worked out once per set of permissions (admin_site.py),
    never kept past a change of them."""
    client.force_login(secretariat_user)
    assert "/admin/meetings/attendance/" in _sidebar(client)
    group = Group.objects.get(name=SECRETARIAT)
    taken = group.permissions.filter(content_type__model="attendance")
    kept = list(taken)
    group.permissions.remove(*kept)
    try:
        sidebar = _sidebar(client)
        assert "/admin/meetings/attendance/" not in sidebar
        assert "/admin/meetings/meeting/" in sidebar
    finally:
        group.permissions.add(*kept)
    assert "/admin/meetings/attendance/" in _sidebar(client)
