"""The co-chairs' workspace: who may do what, the status workflow, lost edits, e-mails, reports."""

import datetime
import io
import itertools
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from meetings.clearance import ClearanceMissing, clear_statement, missing_clearances, send_for_clearance
from meetings.models import ClearanceComment, Meeting
from meetings.services import publish_meeting
from workplan.models import ItemStatus, ProgressUpdate, ReminderSent, StatusAtMeeting, WorkPlanItem
from workplan.services import post_update
from workplan.status_history import report_rows
from workplan.workflow import TRANSITIONS, TransitionRefused

from . import factories
from .html import text_of

pytestmark = pytest.mark.django_db
TOMORROW = "tomorrow"  # a date field's value, made a date when the test runs (not when it is collected)


def today():
    return timezone.localdate()


@pytest.fixture
def body():
    return factories.BodyFactory(name="Working Group on Disruptions", acronym="WGD", slug="wgd")


@pytest.fixture
def item(body):
    meeting = factories.MeetingFactory(body=body, start_date=datetime.date(2022, 10, 12))
    return factories.WorkPlanItemFactory(body=body, raised_at=meeting, title="Training on trauma-informed approaches")


def representative_of(state, username, *, bodies=(), ended=False):
    for body in bodies:
        factories.CoChairTermFactory(
            body=body,
            state=state,
            start_date=datetime.date(2022, 1, 1),
            end_date=datetime.date(2023, 1, 1) if ended else None,
        )
    user = factories.UserFactory(username=username, email=f"{username}@example.org")
    factories.RepresentativeFactory(user=user, state=state)
    return user


@pytest.fixture
def cochair(body):
    return representative_of(factories.MemberStateFactory(name="Viet Nam"), "vn", bodies=[body])


@pytest.fixture
def other_cochair():
    other_body = factories.BodyFactory(name="Working Group on Trafficking in Persons")
    return representative_of(factories.MemberStateFactory(name="Fiji"), "fj", bodies=[other_body])


@pytest.fixture
def former_cochair(body):
    return representative_of(factories.MemberStateFactory(name="Nauru"), "nr", bodies=[body], ended=True)


def update_form(**changes):
    return {
        "text": "Agreed by members at the meeting.",
        "status": "",
        "seen_status": "",
        "reason": "",
        "percent_complete": "",
        "date": today().isoformat(),
        **changes,
    }


def edit_form(item, **changes):
    return {
        "description": item.description,
        "target_period": item.target_period,
        "target_date": "",
        "owner_name": item.owner_name,
        "owner_email": item.owner_email,
        "version": item.version,
        **changes,
    }


# --- permissions ---------------------------------------------------------------------------------

PERSONAS = ["anonymous", "plain_user", "other_cochair", "former_cochair", "cochair", "secretariat_user"]
ALLOWED = {"cochair", "secretariat_user"}


def workspace_requests(item):
    meeting = item.raised_at
    return [
        ("GET", reverse("workplan:workspace"), None),
        ("GET", reverse("workplan:workspace-item", args=[item.pk]), None),
        ("POST", reverse("workplan:workspace-item", args=[item.pk]), update_form()),
        ("GET", reverse("workplan:edit-item", args=[item.pk]), None),
        ("POST", reverse("workplan:edit-item", args=[item.pk]), edit_form(item, description="New")),
        ("GET", reverse("workplan:report", args=[meeting.slug]), None),
        ("GET", reverse("workplan:report-docx", args=[meeting.slug]), None),
    ]


def expected_status(persona, method, url):
    if persona == "anonymous":
        return 302  # to the login page
    if persona == "other_cochair" and url == reverse("workplan:workspace"):
        return 200  # their own body's plan
    if persona in ("plain_user", "former_cochair") and url == reverse("workplan:workspace"):
        return 403  # a page saying they have no term, and whom to ask
    if persona not in ALLOWED:
        return 404  # nothing tells them the item exists
    return 302 if method == "POST" else 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_workspace_permission_matrix(client, item, persona, request):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    for method, url, data in workspace_requests(item):
        response = client.post(url, data) if method == "POST" else client.get(url)
        assert response.status_code == expected_status(persona, method, url), (persona, method, url)
        if persona == "anonymous":
            assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["other_cochair", "former_cochair", "plain_user"])
def test_outsiders_change_nothing_by_post(client, item, persona, request):
    client.force_login(request.getfixturevalue(persona))
    client.post(reverse("workplan:workspace-item", args=[item.pk]), update_form(status="agreed"))
    client.post(reverse("workplan:edit-item", args=[item.pk]), edit_form(item, description="Hijacked"))
    item.refresh_from_db()
    assert (item.status, item.description, item.updates.count()) == ("suggested", "", 0)


def test_guessed_ids_answer_404_like_other_bodies_items(client, cochair, item):
    client.force_login(cochair)
    assert client.get(reverse("workplan:workspace-item", args=[item.pk + 1000])).status_code == 404


def test_cochair_sees_only_their_bodies_items(client, cochair, item, other_cochair):
    hidden = factories.WorkPlanItemFactory(title="Someone else's item")
    client.force_login(cochair)
    text = text_of(client.get(reverse("workplan:workspace")))
    assert "Training on trauma-informed approaches" in text
    assert hidden.title not in text
    assert "You work for Viet Nam, co-chair of Working Group on Disruptions." in text


def test_secretariat_sees_every_body(client, secretariat_user, item):
    other = factories.WorkPlanItemFactory(title="Item of another body")
    client.force_login(secretariat_user)
    text = text_of(client.get(reverse("workplan:workspace")))
    assert item.title in text and other.title in text
    assert "Secretariat view of" in text


def test_workspace_groups_counts_filters_and_overdue(client, cochair, body, item):
    factories.WorkPlanItemFactory(
        body=body,
        title="Late workshop",
        kind="workshop",
        status="agreed",
        target_date=today() - datetime.timedelta(days=3),
    )
    client.force_login(cochair)
    text = text_of(client.get(reverse("workplan:workspace")))
    assert "Suggested: 1 Agreed: 1 In progress: 0" in text
    assert "Late workshop Overdue" in text
    filtered = text_of(client.get(reverse("workplan:workspace") + "?kind=workshop"))
    assert "Late workshop" in filtered and item.title not in filtered


def test_the_plan_table_writes_dates_in_full_and_a_dash_for_no_lead(client, cochair, body):
    """The workspace writes a date as every other page does ("30 June 2023"), and an item with no
    lead or no target says so rather than leaving its cell blank."""
    factories.WorkPlanItemFactory(
        body=body, title="Regional workshop", status="agreed", target_date=datetime.date(2023, 6, 30)
    )
    client.force_login(cochair)
    factories.WorkPlanItemFactory(body=body, title="Open-ended study", status="agreed", target_period="")
    text = text_of(client.get(reverse("workplan:workspace")))
    assert "Regional workshop Overdue WGD — — due 30 June 2023 —" in text
    assert "Open-ended study WGD — — — —" in text  # no target of either kind


# --- the workflow --------------------------------------------------------------------------------

PAIRS = [(a, b) for a, b in itertools.product(ItemStatus.values, repeat=2) if a != b]


@pytest.mark.parametrize(("before", "after"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_each_transition_is_allowed_or_refused_as_documented(secretariat_user, before, after):
    item = factories.WorkPlanItemFactory(status=before)
    allowed = after in TRANSITIONS[before]
    if allowed:
        post_update(item=item, by=secretariat_user, text="Moving on", status=after, reason="New evidence")
        item.refresh_from_db()
        assert item.status == after
        assert item.updates.get().status_before == before
    else:
        with pytest.raises(TransitionRefused) as refusal:
            post_update(item=item, by=secretariat_user, text="Moving on", status=after, reason="New evidence")
        item.refresh_from_db()
        assert item.status == before
        assert not item.updates.exists()
        assert "can move to" in str(refusal.value) or "cannot change status" in str(refusal.value)


def test_reopening_a_completed_item_needs_a_reason(secretariat_user):
    item = factories.WorkPlanItemFactory(status="completed")
    with pytest.raises(TransitionRefused, match="needs a reason"):
        post_update(item=item, by=secretariat_user, text="Reopen", status="in_progress")
    post_update(item=item, by=secretariat_user, text="Reopen", status="in_progress", reason="Second phase funded")
    item.refresh_from_db()
    assert item.status == "in_progress"


def test_an_illegal_move_through_the_form_says_which_moves_are_allowed(client, cochair, item):
    client.force_login(cochair)
    response = client.post(reverse("workplan:workspace-item", args=[item.pk]), update_form(status="completed"))
    assert response.status_code == 200
    assert "An item cannot move from suggested to completed. From suggested an item can move to: agreed, dropped." in (
        text_of(response)
    )
    assert not item.updates.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"text": "   "}, "text", "Write what happened."),
        ({"text": ""}, "text", "Write what happened."),
        ({"percent_complete": "101"}, "percent_complete", "Ensure this value is less than or equal to 100."),
        ({"percent_complete": "-1"}, "percent_complete", "Ensure this value is greater than or equal to 0."),
        ({"date": "2022-10-11"}, "date", "The date cannot be before the item was raised (12 October 2022)."),
        ({"date": TOMORROW}, "date", "The date cannot be in the future."),
        ({"date": "not a date"}, "date", "Enter a valid date."),
        ({"status": "bogus"}, "status", "“bogus” is not a status."),
        ({"status": "in_progress"}, "status", "An item cannot move from suggested to in progress."),
        ({"status": "suggested"}, "status", "The item is already suggested."),
    ],
)
def test_bad_updates_are_refused_beside_the_field_and_write_nothing(client, cochair, item, changes, field, message):
    if changes.get("date") == TOMORROW:
        changes = {**changes, "date": (today() + datetime.timedelta(days=1)).isoformat()}
    client.force_login(cochair)
    response = client.post(reverse("workplan:workspace-item", args=[item.pk]), update_form(**changes))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not ProgressUpdate.objects.exists()
    item.refresh_from_db()
    assert item.status == "suggested"


# --- no edit is lost -----------------------------------------------------------------------------


def open_two_edits(item, first_user, second_user):
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(first_user)
    second.force_login(second_user)
    url = reverse("workplan:edit-item", args=[item.pk])
    return (
        first,
        second,
        url,
        first.get(url).context["form"]["version"].value(),
        second.get(url).context["form"]["version"].value(),
    )


def test_a_stale_edit_is_refused_with_their_version_beside_yours_and_a_plain_save_never_overwrites(
    client, item, cochair, secretariat_user
):
    first, second, url, v1, v2 = open_two_edits(item, cochair, secretariat_user)
    assert first.post(url, edit_form(item, description="Scope agreed with IOM.", version=v1)).status_code == 302
    refused = second.post(url, edit_form(item, description="Budget of 20,000 USD.", target_period="2024", version=v2))

    assert refused.status_code == 200
    text = text_of(refused)
    assert "Someone else saved this item after you opened this form" in text
    assert "Description Scope agreed with IOM. Budget of 20,000 USD." in text  # theirs, then yours
    assert "Overwrite theirs: their description, target period will be lost" in text
    item.refresh_from_db()
    assert item.description == "Scope agreed with IOM."

    # The refusal page keeps the version the form was opened on: Save again is refused again.
    again = second.post(url, refused.context["form"].data.copy())
    assert again.status_code == 200 and "Their version beside yours" in text_of(again)
    item.refresh_from_db()
    assert item.description == "Scope agreed with IOM."

    # The explicit overwrite saves over the version it showed, and names what it replaced.
    overwrite = {**refused.context["form"].data.dict(), "resolve": "overwrite"}
    assert second.post(url, overwrite).status_code == 302
    item.refresh_from_db()
    assert (item.description, item.target_period) == ("Budget of 20,000 USD.", "2024")


def test_taking_yours_for_chosen_fields_keeps_theirs_for_the_rest(client, item, cochair, secretariat_user):
    first, second, url, v1, v2 = open_two_edits(item, cochair, secretariat_user)
    first.post(url, edit_form(item, description="Theirs", target_period="2025", version=v1))
    refused = second.post(url, edit_form(item, description="Mine", target_period="2026", version=v2))
    data = {**refused.context["form"].data.dict(), "resolve": "chosen", "take": ["target_period"]}
    assert second.post(url, data).status_code == 302
    item.refresh_from_db()
    assert (item.description, item.target_period) == ("Theirs", "2026")


def test_an_overwrite_over_a_version_newer_than_the_one_shown_is_refused_again(client, item, cochair, secretariat_user):
    first, second, url, v1, v2 = open_two_edits(item, cochair, secretariat_user)
    first.post(url, edit_form(item, description="First", version=v1))
    refused = second.post(url, edit_form(item, description="Mine", version=v2))
    post_update(item=item, by=cochair, text="Agreed", status="agreed")  # a third save meanwhile
    again = second.post(url, {**refused.context["form"].data.dict(), "resolve": "overwrite"})
    assert again.status_code == 200
    item.refresh_from_db()
    assert item.description == "First"


def test_a_stale_admin_save_lists_their_version_and_saves_over_it_only_when_told(item, secretariat_user):
    from django.test import Client

    officer_b = factories.UserFactory(username="officer_b", is_staff=True)
    officer_b.groups.set(secretariat_user.groups.all())
    a, b = Client(), Client()
    a.force_login(secretariat_user)
    b.force_login(officer_b)
    url = reverse("admin:workplan_workplanitem_change", args=[item.pk])
    seen = item.version

    def form(title, **extra):
        return {
            "body": item.body_id,
            "title": title,
            "kind": item.kind,
            "status": item.status,
            "seen_version": seen,
            "raised_at": item.raised_at_id,
            "updates-TOTAL_FORMS": "0",
            "updates-INITIAL_FORMS": "0",
            **extra,
        }

    assert a.post(url, form("Title by A")).status_code == 302
    refused = b.post(url, form("Title by B"))
    assert refused.status_code == 200
    text = text_of(refused)
    assert "Title: theirs “Title by A”; yours “Title by B”" in text
    assert "Overwrite their version" in text and "Their title will be lost." in text
    again = b.post(url, refused.context["adminform"].form.data.copy())  # a plain second Save
    assert again.status_code == 200
    item.refresh_from_db()
    assert item.title == "Title by A"
    told = {**refused.context["adminform"].form.data.dict(), "overwrite_theirs": "on"}
    assert b.post(url, told).status_code == 302
    item.refresh_from_db()
    assert item.title == "Title by B"


def test_a_status_change_after_the_form_opened_also_counts_as_a_save(client, item, cochair, secretariat_user):
    client.force_login(cochair)
    url = reverse("workplan:edit-item", args=[item.pk])
    version = client.get(url).context["form"]["version"].value()
    post_update(item=item, by=secretariat_user, text="Agreed", status="agreed")
    assert client.post(url, edit_form(item, description="Late edit", version=version)).status_code == 200
    item.refresh_from_db()
    assert item.description == ""


def test_editing_leads_themes_and_target(client, cochair, item):
    state, theme = factories.MemberStateFactory(name="New Zealand"), factories.ThemeFactory(name="Online scams")
    client.force_login(cochair)
    form = edit_form(item, lead_states=[state.pk], themes=[theme.pk], target_period="2024", target_date="2024-06-30")
    assert client.post(reverse("workplan:edit-item", args=[item.pk]), form).status_code == 302
    item.refresh_from_db()
    assert list(item.lead_states.all()) == [state] and list(item.themes.all()) == [theme]
    assert (item.target_period, item.target_date) == ("2024", datetime.date(2024, 6, 30))
    entry = item.updates.get()
    assert entry.text == "Changed: target period, target date, lead states, themes."
    assert entry.author == cochair


def test_fields_a_cochair_may_not_change_are_ignored(client, cochair, body, item):
    other_body = factories.BodyFactory()
    raised_at = item.raised_at_id
    client.force_login(cochair)
    response = client.post(
        reverse("workplan:edit-item", args=[item.pk]),
        edit_form(item, body=other_body.pk, status="completed", title="Renamed", raised_at="", description="Kept"),
    )
    assert response.status_code == 302  # the form was saved; only its own fields were taken
    item.refresh_from_db()
    assert (item.body_id, item.status, item.title, item.raised_at_id, item.description) == (
        body.pk,
        "suggested",
        "Training on trauma-informed approaches",
        raised_at,
        "Kept",
    )


# --- e-mails -------------------------------------------------------------------------------------


def test_the_secretariat_is_emailed_once_per_update(
    client, cochair, item, secretariat_user, django_capture_on_commit_callbacks
):
    secretariat_user.email = "rso@example.org"
    secretariat_user.save()
    client.force_login(cochair)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workplan:workspace-item", args=[item.pk]), update_form(status="agreed"))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rso@example.org"]
    assert message.subject == "[WGD] Training on trauma-informed approaches: Status: Suggested -> Agreed"
    assert "Co-chair, Viet Nam posted an update" in message.body
    assert "Agreed by members at the meeting." in message.body
    assert f"/workplan/items/{item.pk}/" in message.body


def test_reminders_go_once_per_item_and_threshold_within_a_settable_window(body, cochair, settings):
    settings.WORKPLAN_DUE_SOON_DAYS = 7
    lead = factories.MemberStateFactory(contact_email="focal.point@example.gov")
    due = {
        "soon": factories.WorkPlanItemFactory(body=body, title="Due soon", target_date=today() + datetime.timedelta(5)),
        "today": factories.WorkPlanItemFactory(body=body, title="Due today", target_date=today()),
        "overdue": factories.WorkPlanItemFactory(
            body=body, title="Overdue", target_date=today() - datetime.timedelta(3)
        ),
    }
    later = factories.WorkPlanItemFactory(body=body, title="Not yet", target_date=today() + datetime.timedelta(10))
    factories.WorkPlanItemFactory(body=body, title="Done", status="completed", target_date=today())
    for item in due.values():
        item.lead_states.add(lead)
    due["soon"].owner_email = "owner@example.org"
    due["soon"].save()

    call_command("send_reminders", stdout=io.StringIO())
    assert sorted(m.subject for m in mail.outbox) == [
        "[WGD] Due in 5 days: Due soon",
        "[WGD] Due today: Due today",
        "[WGD] Overdue: Overdue",
    ]
    by_subject = {m.subject: m.to for m in mail.outbox}
    assert by_subject["[WGD] Due in 5 days: Due soon"] == [
        "focal.point@example.gov",
        "owner@example.org",
        "vn@example.org",
    ]
    assert by_subject["[WGD] Overdue: Overdue"] == ["focal.point@example.gov", "vn@example.org"]

    call_command("send_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 3  # once per item and threshold, however often it runs
    # A wider window, given on the command line, reaches the later item, once.
    call_command("send_reminders", "--days", "10", stdout=io.StringIO())
    call_command("send_reminders", "--days", "10", stdout=io.StringIO())
    assert [m.subject for m in mail.outbox[3:]] == ["[WGD] Due in 10 days: Not yet"]
    assert ReminderSent.objects.filter(item=later).count() == 1


# --- roll-up and the progress report -------------------------------------------------------------


def test_a_period_of_action_rolls_up_its_children(client, cochair, body, secretariat_user):
    period = factories.WorkPlanItemFactory(body=body, kind="period_of_action", status="in_progress")
    done = factories.WorkPlanItemFactory(body=body, parent=period, status="completed")
    going = factories.WorkPlanItemFactory(body=body, parent=period, status="in_progress")
    dropped = factories.WorkPlanItemFactory(body=body, parent=period, status="dropped")
    factories.ProgressUpdateFactory(item=going, percent_complete=50)

    client.force_login(cochair)
    text = text_of(client.get(reverse("workplan:workspace-item", args=[period.pk])))
    assert "3 items within this one: 75% complete on average." in text

    with pytest.raises(TransitionRefused, match="cannot be completed while 1 item"):
        post_update(item=period, by=secretariat_user, text="Done", status="completed")
    post_update(item=going, by=secretariat_user, text="Done", status="completed")
    text = text_of(client.get(reverse("workplan:workspace-item", args=[period.pk])))
    assert "3 items within this one: 100% complete on average." in text
    post_update(item=period, by=secretariat_user, text="All done", status="completed")
    for row in (period, done, going, dropped):
        row.refresh_from_db()
    # The period is completed; the items within it keep the statuses they had.
    assert [period.status, done.status, going.status, dropped.status] == [
        "completed",
        "completed",
        "completed",
        "dropped",
    ]


@pytest.fixture
def three_meetings(body, cochair):
    """Three annual meetings (2021, 2022, 2023) and a draft (2024); an item raised at each of the first
    two, one at the draft; updates before, between and after the meetings, one on a meeting's day."""
    sixth = factories.MeetingFactory(body=body, number=6, start_date=datetime.date(2021, 10, 1))
    seventh = factories.MeetingFactory(body=body, number=7, start_date=datetime.date(2022, 10, 12))
    eighth = factories.MeetingFactory(body=body, number=8, start_date=datetime.date(2023, 10, 10))
    draft = factories.MeetingFactory(
        body=body, number=9, start_date=datetime.date(2024, 10, 1), status=Meeting.Status.DRAFT
    )
    workshop = factories.WorkPlanItemFactory(body=body, raised_at=sixth, title="Data workshop")
    guide = factories.WorkPlanItemFactory(body=body, raised_at=seventh, title="Policy guide")
    factories.WorkPlanItemFactory(body=body, raised_at=eighth, title="Raised later")
    factories.WorkPlanItemFactory(body=body, raised_at=draft, title="Raised at the draft")
    post_update(item=workshop, by=cochair, text="Agreed in writing", status="agreed", date=datetime.date(2022, 3, 1))
    post_update(item=workshop, by=cochair, text="On the day", date=datetime.date(2022, 10, 12))
    post_update(item=workshop, by=cochair, text="Started", status="in_progress", date=datetime.date(2023, 1, 5))
    post_update(item=guide, by=cochair, text="Agreed", status="agreed", date=datetime.date(2022, 10, 12))
    post_update(item=workshop, by=cochair, text="Finished", status="completed", date=datetime.date(2024, 2, 1))
    return {"sixth": sixth, "seventh": seventh, "eighth": eighth, "workshop": workshop, "guide": guide}


def test_the_report_of_a_past_meeting_gives_the_statuses_as_of_its_date(client, cochair, three_meetings):
    seventh = three_meetings["seventh"]
    previous, items = report_rows(seventh)
    assert previous == three_meetings["sixth"]
    rows = [(i.title, i.at_previous, i.at_meeting, [u.text for u in i.period_updates]) for i in items]
    assert rows == [
        ("Data workshop", "suggested", "agreed", ["Agreed in writing", "On the day"]),
        ("Policy guide", None, "agreed", ["Agreed"]),
    ]
    client.force_login(cochair)
    text = text_of(client.get(reverse("workplan:report", args=[seventh.slug])))
    assert "Data workshop Suggested Agreed 1 March 2022 (suggested → agreed): Agreed in writing" in text
    assert "Policy guide — Agreed" in text
    for later in ("Started", "Finished", "Raised later", "Raised at the draft"):
        assert later not in text


def test_each_update_is_in_exactly_one_report(three_meetings):
    reported = []
    for meeting in ("sixth", "seventh", "eighth"):
        reported += [u.text for i in report_rows(three_meetings[meeting])[1] for u in i.period_updates]
    assert sorted(reported) == ["Agreed", "Agreed in writing", "On the day", "Started"]  # "Finished" is after all


def test_a_corrected_status_shows_with_its_reason_and_keeps_it_in_history(client, cochair, three_meetings):
    eighth, workshop = three_meetings["eighth"], three_meetings["workshop"]
    assert [i.at_meeting for i in report_rows(eighth)[1] if i == workshop] == ["in_progress"]
    correction = StatusAtMeeting(
        item=workshop, meeting=eighth, status="agreed", reason="Work began only after the meeting."
    )
    correction.full_clean()
    correction.save()
    client.force_login(cochair)
    text = text_of(client.get(reverse("workplan:report", args=[eighth.slug])))
    assert "Data workshop Agreed Agreed (corrected: Work began only after the meeting.)" in text
    correction.reason, correction.status = "The minutes say so.", "in_progress"
    correction.save()
    assert [(h.status, h.reason) for h in correction.history.order_by("history_date")] == [
        ("agreed", "Work began only after the meeting."),
        ("in_progress", "The minutes say so."),
    ]


def test_the_secretariat_corrects_a_status_in_the_admin_only_with_a_reason(client, secretariat_user, three_meetings):
    client.force_login(secretariat_user)
    url = reverse("admin:workplan_statusatmeeting_add")
    form = {"item": three_meetings["guide"].pk, "meeting": three_meetings["seventh"].pk, "status": "suggested"}
    refused = client.post(url, {**form, "reason": " "})
    assert refused.status_code == 200 and "Say why the status derived from the updates is wrong." in text_of(refused)
    assert client.post(url, {**form, "reason": "Agreed only in writing after the meeting."}).status_code == 302
    correction = StatusAtMeeting.objects.get()
    assert (correction.recorded_by, correction.history.get().reason) == (
        secretariat_user,
        "Agreed only in writing after the meeting.",
    )
    rows = {i.title: i.at_meeting for i in report_rows(three_meetings["seventh"])[1]}
    assert rows["Policy guide"] == "suggested"


def test_a_correction_needs_a_reason(three_meetings):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Say why"):
        StatusAtMeeting(item=three_meetings["workshop"], meeting=three_meetings["eighth"], status="agreed").full_clean()


def test_the_word_report_is_a_table_of_the_statuses(client, cochair, three_meetings):
    import docx

    client.force_login(cochair)
    response = client.get(reverse("workplan:report-docx", args=[three_meetings["seventh"].slug]))
    table = docx.Document(io.BytesIO(response.content)).tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Item", "Status at the previous meeting", "Status at this meeting", "Updates in between"]
    assert rows[1][:3] == ["Data workshop", "Suggested", "Agreed"]
    assert rows[1][3].splitlines() == [
        "01 March 2022 (Suggested → Agreed): Agreed in writing",
        "12 October 2022: On the day",
    ]
    assert rows[2][:3] == ["Policy guide", "—", "Agreed"]


def test_cochairs_get_nothing_of_a_draft_meeting_and_no_button_to_keep_statuses(client, cochair, body):
    draft = factories.MeetingFactory(body=body, status=Meeting.Status.DRAFT)
    published = factories.MeetingFactory(body=body, start_date=datetime.date(2020, 1, 1))
    of_draft = factories.WorkPlanItemFactory(body=body, raised_at=draft, title="Raised at the draft")
    client.force_login(cochair)
    assert client.get(reverse("workplan:report", args=[draft.slug])).status_code == 404
    # Nothing can be recorded against a draft: its items are not in the workspace.
    assert client.get(reverse("workplan:workspace-item", args=[of_draft.pk])).status_code == 404
    client.post(reverse("workplan:workspace-item", args=[of_draft.pk]), update_form(status="agreed"))
    assert not of_draft.updates.exists()
    assert "Raised at the draft" not in text_of(client.get(reverse("workplan:workspace")))
    text = text_of(client.get(reverse("workplan:report", args=[published.slug])))
    assert "Keep today" not in text
    assert draft.display_title not in text_of(client.get(reverse("workplan:workspace")))


# --- a stale status update -----------------------------------------------------------------------


def test_a_status_asked_after_someone_moved_the_item_is_asked_again_with_what_changed(
    client, cochair, item, secretariat_user
):
    client.force_login(cochair)
    url = reverse("workplan:workspace-item", args=[item.pk])
    assert client.get(url).context["form"]["seen_status"].value() == "suggested"
    post_update(item=item, by=secretariat_user, text="Agreed at the meeting", status="agreed")
    response = client.post(url, update_form(status="agreed", seen_status="suggested", text="We agreed it"))
    assert response.status_code == 200
    assert (
        "While you were writing, the item moved from suggested to agreed "
        f"(Secretariat, {today().day} {today():%B %Y}). "
        "Check that your update still applies and choose the status again."
    ) in text_of(response)
    assert "We agreed it" in response.content.decode()
    assert item.updates.count() == 1
    # Asked again: the form now knows the status as it is, and posts.
    again = response.context["form"].data.copy()
    again["status"] = "in_progress"
    assert client.post(url, again).status_code == 302
    item.refresh_from_db()
    assert item.status == "in_progress"


# --- clearance of the draft statement ------------------------------------------------------------


@pytest.fixture
def new_zealand_cochair(body):
    return representative_of(factories.MemberStateFactory(name="New Zealand"), "nz", bodies=[body])


@pytest.fixture
def draft(body, cochair, new_zealand_cochair):
    meeting = factories.MeetingFactory(
        body=body,
        number=9,
        slug="wgd-ninth",
        status=Meeting.Status.DRAFT,
        start_date=datetime.date(2025, 10, 1),
        outcome_statement="The ninth meeting agreed a new period of action.",
        declared_participant_count=20,
    )
    for user in (cochair, new_zealand_cochair):
        factories.MeetingCoChairFactory(meeting=meeting, state=user.representative.state)
    return meeting


def test_both_cochairs_clear_the_draft_and_publication_is_enabled_and_in_the_history(
    client, draft, cochair, new_zealand_cochair, secretariat_user, django_capture_on_commit_callbacks
):
    with pytest.raises(ClearanceMissing):
        publish_meeting(meeting=draft, by=secretariat_user)  # not even sent
    with django_capture_on_commit_callbacks(execute=True):
        send_for_clearance(meeting=draft, by=secretariat_user)
    assert sorted(to for m in mail.outbox for to in m.to) == ["nz@example.org", "vn@example.org"]
    assert "/workspace/meetings/wgd-ninth/clearance/" in mail.outbox[0].body

    url = reverse("workplan:clearance", args=[draft.slug])
    client.force_login(cochair)
    page = text_of(client.get(url))
    assert "The ninth meeting agreed a new period of action." in page
    client.post(url, {"decision": "comment", "comment": "Please name IOM in paragraph 2."})
    client.post(url, {"decision": "clear", "comment": ""})
    with pytest.raises(ClearanceMissing, match="New Zealand has not cleared"):
        publish_meeting(meeting=draft, by=secretariat_user)

    client.force_login(new_zealand_cochair)
    client.post(url, {"decision": "clear", "comment": "Cleared for New Zealand."})
    assert missing_clearances(draft) == []
    publish_meeting(meeting=draft, by=secretariat_user)
    draft.refresh_from_db()
    assert draft.is_published

    cleared = draft.clearances.order_by("state__name")
    assert [(c.state.name, c.cleared_by.username) for c in cleared] == [("New Zealand", "nz"), ("Viet Nam", "vn")]
    history = [(h.state.name, h.cleared_by_id is not None) for h in cleared[1].history.order_by("history_date")]
    assert history == [("Viet Nam", False), ("Viet Nam", True)]  # sent, then cleared, each kept
    assert [c.text for c in ClearanceComment.objects.filter(meeting=draft)] == [
        "Please name IOM in paragraph 2.",
        "Cleared for New Zealand.",
    ]


def test_a_statement_changed_after_clearance_is_no_longer_cleared(draft, cochair, new_zealand_cochair):
    send_for_clearance(meeting=draft)
    for user in (cochair, new_zealand_cochair):
        clear_statement(meeting=draft, state=user.representative.state, by=user)
    draft.outcome_statement += " And one more thing."
    draft.save()
    assert [s.name for s in missing_clearances(draft)] == ["New Zealand", "Viet Nam"]


def test_publishing_without_clearance_needs_and_records_a_reason(client, draft, secretariat_user):
    client.force_login(secretariat_user)
    changelist = reverse("admin:meetings_meeting_changelist")
    asked = client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    assert "Not cleared by: New Zealand and Viet Nam." in text_of(asked)
    draft.refresh_from_db()
    assert not draft.is_published
    client.post(
        changelist,
        {"action": "publish", "_selected_action": [draft.pk], "clearance_reason": "The co-chairs agreed by phone."},
    )
    draft.refresh_from_db()
    assert draft.is_published
    reason = ClearanceComment.objects.get(meeting=draft, kind="published_without")
    assert reason.text == "Published without the clearance of New Zealand, Viet Nam: The co-chairs agreed by phone."
    assert reason.author == secretariat_user


def test_the_admin_sends_a_draft_for_clearance_and_shows_who_cleared_it(
    client, draft, cochair, secretariat_user, django_capture_on_commit_callbacks
):
    client.force_login(secretariat_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:meetings_meeting_changelist"),
            {"action": "send_for_clearance_action", "_selected_action": [draft.pk]},
        )
    assert len(mail.outbox) == 1
    clear_statement(meeting=draft, state=cochair.representative.state, by=cochair)
    page = text_of(client.get(reverse("admin:meetings_meeting_change", args=[draft.pk])))
    assert re.search(r"New Zealand: sent [^;]+; not cleared yet", page)
    assert re.search(r"Viet Nam: sent [^;]+; cleared [^;]+ by vn", page)


@pytest.mark.parametrize("term", ["another body's", "none now"])
def test_a_meeting_cochair_without_a_term_of_its_body_clears_it_from_the_emailed_link(
    client, body, cochair, term, django_capture_on_commit_callbacks
):
    """New Zealand co-chaired this draft meeting but holds no term of its body (it co-chairs another,
    or its term has ended): the secretariat's request reaches it, and its link opens the draft."""
    if term == "none now":
        new_zealand = representative_of(
            factories.MemberStateFactory(name="New Zealand"), "nz", bodies=[body], ended=True
        )
    else:
        other = factories.BodyFactory(name="Working Group on Regional Cooperation")
        new_zealand = representative_of(factories.MemberStateFactory(name="New Zealand"), "nz", bodies=[other])
    meeting = factories.MeetingFactory(
        body=body, status=Meeting.Status.DRAFT, slug="joint-draft", outcome_statement="A joint meeting agreed."
    )
    for user in (cochair, new_zealand):
        factories.MeetingCoChairFactory(meeting=meeting, state=user.representative.state)
    with django_capture_on_commit_callbacks(execute=True):
        send_for_clearance(meeting=meeting)
    [to_nz] = [m for m in mail.outbox if "nz@example.org" in m.to]
    url = reverse("workplan:clearance", args=[meeting.slug])
    assert url in to_nz.body
    client.force_login(new_zealand)
    assert meeting.display_title in text_of(client.get(reverse("workplan:workspace")))
    assert "A joint meeting agreed." in text_of(client.get(url))
    client.post(url, {"decision": "clear"})
    assert [s.name for s in missing_clearances(meeting)] == ["Viet Nam"]
    # The secretariat corrects the co-chairs and sends it again: New Zealand's link closes.
    meeting.cochairs.filter(state=new_zealand.representative.state).delete()
    send_for_clearance(meeting=meeting)
    assert client.get(url).status_code == 404
    assert meeting.display_title not in text_of(client.get(reverse("workplan:workspace")))


def test_cochairs_see_only_the_drafts_sent_to_them(client, draft, cochair, other_cochair, body, secretariat_user):
    unsent = factories.MeetingFactory(body=body, status=Meeting.Status.DRAFT, title="Unsent draft")
    send_for_clearance(meeting=draft)
    client.force_login(cochair)
    workspace = text_of(client.get(reverse("workplan:workspace")))
    assert draft.display_title in workspace and "Unsent draft" not in workspace
    assert client.get(reverse("workplan:clearance", args=[unsent.slug])).status_code == 404
    # A co-chair of another body: 404 to read and to clear, and nothing changes.
    client.force_login(other_cochair)
    url = reverse("workplan:clearance", args=[draft.slug])
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "clear"}).status_code == 404
    assert draft.display_title not in text_of(client.get(reverse("workplan:workspace")))
    assert missing_clearances(draft) and not draft.clearances.filter(cleared_at__isnull=False).exists()
    # The public never sees it.
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


# --- owners and what needs attention -------------------------------------------------------------


def test_the_workspace_opens_on_what_needs_attention(client, cochair, body, settings, draft):
    settings.WORKPLAN_DUE_SOON_DAYS, settings.WORKPLAN_QUIET_DAYS = 10, 30
    late = factories.WorkPlanItemFactory(body=body, title="Late one", target_date=today() - datetime.timedelta(1))
    factories.ProgressUpdateFactory(item=late, date=today())
    soon = factories.WorkPlanItemFactory(body=body, title="Soon one", target_date=today() + datetime.timedelta(9))
    factories.ProgressUpdateFactory(item=soon, date=today())
    quiet = factories.WorkPlanItemFactory(body=body, title="Quiet one", target_date=today() + datetime.timedelta(60))
    posted_then = factories.ProgressUpdateFactory(item=quiet, date=today() - datetime.timedelta(31))
    ProgressUpdate.objects.filter(pk=posted_then.pk).update(created_at=timezone.now() - datetime.timedelta(31))
    # Progress on a past meeting's work, reported today: the item is not neglected.
    reported_today = factories.WorkPlanItemFactory(
        body=body, title="Reported today", target_date=today() + datetime.timedelta(60)
    )
    factories.ProgressUpdateFactory(item=reported_today, date=today() - datetime.timedelta(400))
    fresh = factories.WorkPlanItemFactory(body=body, title="Fresh one", target_date=today() + datetime.timedelta(11))
    factories.ProgressUpdateFactory(item=fresh, date=today() - datetime.timedelta(29))
    send_for_clearance(meeting=draft)
    client.force_login(cochair)
    text = text_of(client.get(reverse("workplan:workspace")))
    attention = text.split("Needs attention", 1)[1].split("The whole plan", 1)[0]
    assert f"Draft statements awaiting clearance {draft.display_title}" in attention
    assert f"Overdue Late one · WGD · was due {(today() - datetime.timedelta(1)):%-d %B %Y}" in attention
    assert "Due in the next 10 days Soon one" in attention
    assert "No update in 30 days Quiet one" in attention
    assert "Fresh one" not in attention
    assert "Reported today" not in attention


def test_both_cochairs_and_the_owner_are_told_of_each_update(
    client, cochair, new_zealand_cochair, item, secretariat_user, django_capture_on_commit_callbacks
):
    secretariat_user.email = "rso@example.org"
    secretariat_user.save()
    client.force_login(cochair)
    client.post(
        reverse("workplan:edit-item", args=[item.pk]),
        edit_form(item, owner_name="Ana Officer", owner_email="ana@iom.example.org"),
    )
    item.refresh_from_db()
    assert (item.owner_name, item.owner_email) == ("Ana Officer", "ana@iom.example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workplan:workspace-item", args=[item.pk]), update_form(status="agreed"))
    assert [m.to for m in mail.outbox] == [["ana@iom.example.org", "nz@example.org", "rso@example.org"]]
    client.logout()
    public = client.get(item.get_absolute_url()).content.decode()
    assert "Ana Officer" not in public and "ana@iom.example.org" not in public


def test_a_user_without_a_term_is_told_whom_to_ask_and_has_no_workspace_link(client, former_cochair, settings):
    settings.SECRETARIAT_CONTACT_EMAIL = "rso@baliprocess.example"
    client.force_login(former_cochair)
    response = client.get(reverse("workplan:workspace"))
    assert response.status_code == 403
    text = text_of(response)
    assert "No workspace for this account" in text and "rso@baliprocess.example" in text
    assert 'href="/workspace/"' not in client.get("/meetings/").content.decode()


def test_a_cochair_has_the_workspace_link(client, cochair):
    client.force_login(cochair)
    assert 'href="/workspace/"' in client.get("/meetings/").content.decode()


# --- the demo journey and accounts ---------------------------------------------------------------


def test_demo_cochair_moves_the_training_to_agreed_and_the_public_sees_it(client, db, settings):
    settings.DEBUG = True  # the demo accounts exist only on a development machine
    call_command("load_demo", stdout=io.StringIO())
    response = client.post(reverse("accounts:login"), {"username": "cochair-vn", "password": "bali-process-demo"})
    assert response.url == reverse("workplan:workspace")
    text = text_of(client.get(reverse("workplan:workspace")))
    assert "You work for Viet Nam, co-chair of" in text and "Joint 12-month Period of Action" in text
    item = WorkPlanItem.objects.get(title__startswith="Training on trauma-informed approaches")
    client.post(reverse("workplan:workspace-item", args=[item.pk]), update_form(status="agreed"))
    item.refresh_from_db()
    assert item.status == "agreed"
    client.post(reverse("accounts:logout"))
    public = text_of(client.get(item.get_absolute_url()))
    assert f"{today().day} {today():%B %Y} · Co-chair, Viet Nam · status suggested → agreed" in public
    assert "Agreed by members at the meeting." in public


def test_login_refuses_a_wrong_password_with_a_message(client, cochair):
    response = client.post(reverse("accounts:login"), {"username": "vn", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in text_of(response)


def test_password_change_page_works(client, cochair):
    client.force_login(cochair)
    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": "correct-horse-battery",
            "new_password1": "another-long-passphrase-9",
            "new_password2": "another-long-passphrase-9",
        },
    )
    assert response.url == reverse("accounts:password-changed")
    cochair.refresh_from_db()
    assert cochair.check_password("another-long-passphrase-9")


# --- query budget --------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [5, 200])
def test_workspace_query_budget(client, cochair, body, size, django_assert_num_queries):
    lead = factories.MemberStateFactory()
    items = factories.bulk(
        factories.WorkPlanItemFactory,
        [{"body": body, "status": ItemStatus.values[n % 5]} for n in range(size)],
    )
    factories.bulk_link(WorkPlanItem.lead_states, [(item, lead) for item in items])
    factories.bulk(factories.ProgressUpdateFactory, [{"item": item} for item in items])
    client.force_login(cochair)
    # session, user, secretariat group?, representative, its state, any body?, bodies, items,
    # leads (2), theme choices, items needing attention, drafts awaiting clearance, meetings, the
    # count of each status (the session is not written: renewed for the idle timeout about once a
    # minute, baliwg/sessions.py)
    with django_assert_num_queries(15):
        response = client.get(reverse("workplan:workspace"))
    assert len(response.context["groups"][0][2]) == len(range(0, size, 5))


def test_a_large_plan_shows_each_statuss_first_rows_and_pages_the_rest(client, cochair, body):
    """A body of thousands of items: the workspace showed every one on one page (3 s, 170,000 px
    tall). Each status shows its first GROUP_ROWS, says how many it has and links to all of them,
    a page at a time."""
    from workplan.workspace import GROUP_ROWS, PAGE_ROWS

    n = PAGE_ROWS + 20
    factories.bulk(
        factories.WorkPlanItemFactory,
        [{"body": body, "title": f"Plan item {k:04}", "status": "in_progress"} for k in range(n)]
        + [{"body": body, "title": "The one agreed item", "status": "agreed"}],
    )
    client.force_login(cochair)
    page = client.get(reverse("workplan:workspace"))
    text = text_of(page)
    assert f"In progress {n} Item Body" in text and f"Plan item {GROUP_ROWS - 1:04}" in text
    assert f"Plan item {GROUP_ROWS:04}" not in text and "The one agreed item" in text
    assert f"All {n} in progress items (the first {GROUP_ROWS} are shown here)" in text
    link = re.search(r'href="(\?status=in_progress)">All', page.content.decode()).group(1)
    first = text_of(client.get(reverse("workplan:workspace") + link))
    assert f"Plan item {PAGE_ROWS - 1:04}" in first and f"Plan item {PAGE_ROWS:04}" not in first
    assert "Page 1 of 2" in first and "The one agreed item" not in first
    second = text_of(client.get(reverse("workplan:workspace") + link + "&page=2"))
    assert f"Plan item {n - 1:04}" in second and f"Plan item {PAGE_ROWS - 1:04}" not in second


def test_the_update_form_offers_today_in_the_date_field(client, cochair, item):
    # A date input only shows an ISO value; a local format would leave the field empty.
    client.force_login(cochair)
    content = client.get(reverse("workplan:workspace-item", args=[item.pk])).content.decode()
    assert f'type="date" name="date" value="{today().isoformat()}"' in content


@pytest.mark.parametrize("size", [5, 100])
def test_progress_report_query_budget(client, cochair, body, size, django_assert_max_num_queries):
    earlier = factories.MeetingFactory(body=body, start_date=datetime.date(2021, 10, 1))
    meeting = factories.MeetingFactory(body=body, start_date=datetime.date(2022, 10, 12))
    for _ in range(size):
        item = factories.WorkPlanItemFactory(body=body, raised_at=earlier)
        factories.ProgressUpdateFactory(item=item, date=datetime.date(2022, 3, 1), status_after="agreed")
        factories.StatusAtMeetingFactory(item=item, meeting=meeting, status="agreed")
    client.force_login(cochair)
    # session, user, secretariat group?, representative, its state, any body?, the meeting, the
    # previous meeting, items, their status changes, their updates in the period, corrections
    with django_assert_max_num_queries(12):
        response = client.get(reverse("workplan:report", args=[meeting.slug]))
    assert len(response.context["items"]) == size


def test_a_status_move_dated_before_the_last_one_is_refused_and_a_note_still_goes(item, cochair):
    """Back-dating a move past the last one would make the item's dated history (and so its status
    at past meetings) contradict itself."""
    post_update(item=item, by=cochair, text="Agreed", status="agreed", date=datetime.date(2024, 6, 1))
    post_update(item=item, by=cochair, text="Started", status="in_progress", date=datetime.date(2024, 11, 20))
    with pytest.raises(TransitionRefused, match="last moved on 20 November 2024"):
        post_update(item=item, by=cochair, text="Done", status="completed", date=datetime.date(2024, 10, 1))
    item.refresh_from_db()
    assert item.status == "in_progress" and item.updates.count() == 2
    note = post_update(item=item, by=cochair, text="A note about October", date=datetime.date(2024, 10, 1))
    assert note.status_after == "" and item.updates.count() == 3
    post_update(item=item, by=cochair, text="Done", status="completed", date=datetime.date(2024, 11, 20))
    item.refresh_from_db()
    assert item.status == "completed"


def test_the_secretariat_is_told_when_a_cochair_comments_or_clears(
    client, draft, cochair, secretariat_user, django_capture_on_commit_callbacks
):
    secretariat_user.email = "officer@example.org"
    secretariat_user.save()
    send_for_clearance(meeting=draft, by=secretariat_user)
    mail.outbox.clear()
    client.force_login(cochair)
    url = reverse("workplan:clearance", args=[draft.slug])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "comment", "comment": "Please name IOM in paragraph 2."})
        client.post(url, {"decision": "clear", "comment": ""})
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["officer@example.org"], "[WGD] Viet Nam commented on the draft statement"),
        (["officer@example.org"], "[WGD] Viet Nam cleared the draft statement"),
    ]
    assert "Please name IOM in paragraph 2." in mail.outbox[0].body


def test_a_long_reason_for_publishing_without_clearance_fits_the_history(draft, secretariat_user):
    reason = "The co-chairs agreed the text by telephone; " * 10  # free text, far past the column's 100
    publish_meeting(meeting=draft, by=secretariat_user, reason=reason)
    latest = Meeting.history.filter(id=draft.pk).latest("history_date")
    assert latest.status == "published" and len(latest.history_change_reason) == 100
    assert ClearanceComment.objects.get(meeting=draft, kind="published_without").text.endswith(reason.strip())
