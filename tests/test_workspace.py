"""The co-chairs' workspace: who may do what, the status workflow, lost edits, e-mails, reports."""

import datetime
import io
import itertools

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from workplan.models import ItemStatus, ProgressUpdate, ReminderSent, StatusAtMeeting, WorkPlanItem
from workplan.services import post_update, record_statuses_at
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
        ("POST", reverse("workplan:record-statuses", args=[meeting.slug]), {}),
    ]


def expected_status(persona, method, url):
    if persona == "anonymous":
        return 302  # to the login page
    if persona == "other_cochair" and url == reverse("workplan:workspace"):
        return 200  # their own body's plan
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


def test_two_users_save_the_same_item_the_second_is_refused_and_keeps_their_text(
    client, item, cochair, secretariat_user
):
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(cochair)
    second.force_login(secretariat_user)
    url = reverse("workplan:edit-item", args=[item.pk])
    version_first = first.get(url).context["form"]["version"].value()
    version_second = second.get(url).context["form"]["version"].value()

    assert (
        first.post(url, edit_form(item, description="Scope agreed with IOM.", version=version_first)).status_code == 302
    )
    refused = second.post(url, edit_form(item, description="Budget of 20,000 USD.", version=version_second))

    assert refused.status_code == 200
    assert "Someone else saved this item after you opened this form" in text_of(refused)
    assert "Budget of 20,000 USD." in refused.content.decode()  # the second user's text is still there
    item.refresh_from_db()
    assert item.description == "Scope agreed with IOM."  # nothing of the first is lost

    resubmitted = refused.context["form"].data.copy()
    assert second.post(url, resubmitted).status_code == 302
    item.refresh_from_db()
    assert item.description == "Budget of 20,000 USD."
    assert [u.text for u in item.updates.filter(kind="edit")] == ["Changed: description.", "Changed: description."]


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


def test_reminders_go_once_per_item_and_threshold(body, cochair):
    day = today()
    lead = factories.MemberStateFactory(contact_email="focal.point@example.gov")
    due = {
        "week": factories.WorkPlanItemFactory(
            body=body, title="Due in a week", target_date=day + datetime.timedelta(7)
        ),
        "today": factories.WorkPlanItemFactory(body=body, title="Due today", target_date=day),
        "overdue": factories.WorkPlanItemFactory(body=body, title="Overdue", target_date=day - datetime.timedelta(3)),
    }
    factories.WorkPlanItemFactory(body=body, title="Not yet", target_date=day + datetime.timedelta(3))
    factories.WorkPlanItemFactory(body=body, title="Done", status="completed", target_date=day)
    for item in due.values():
        item.lead_states.add(lead)

    call_command("send_reminders", stdout=io.StringIO())
    assert sorted(m.subject for m in mail.outbox) == [
        "[WGD] Due in a week: Due in a week",
        "[WGD] Due today: Due today",
        "[WGD] Overdue: Overdue",
    ]
    assert all(m.to == ["focal.point@example.gov", "vn@example.org"] for m in mail.outbox)

    call_command("send_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 3
    # A week later each item has crossed into a new threshold, and is reminded once more; the item
    # already overdue is not reminded again.
    call_command("send_reminders", "--today", (day + datetime.timedelta(7)).isoformat(), stdout=io.StringIO())
    assert sorted(m.subject for m in mail.outbox[3:]) == [
        "[WGD] Due today: Due in a week",
        "[WGD] Overdue: Due today",
        "[WGD] Overdue: Not yet",
    ]
    assert ReminderSent.objects.filter(item=due["week"]).count() == 2


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


def test_progress_report_keeps_statuses_at_two_meetings(client, cochair, body, secretariat_user):
    sixth = factories.MeetingFactory(body=body, number=6, start_date=datetime.date(2021, 10, 1))
    seventh = factories.MeetingFactory(body=body, number=7, start_date=datetime.date(2022, 10, 12))
    item = factories.WorkPlanItemFactory(body=body, raised_at=sixth, title="Data workshop")
    record_statuses_at(meeting=sixth)
    post_update(item=item, by=cochair, text="Agreed in writing", status="agreed", date=datetime.date(2022, 3, 1))
    client.force_login(cochair)
    client.post(reverse("workplan:record-statuses", args=[seventh.slug]))
    post_update(item=item, by=cochair, text="Started", status="in_progress")

    text = text_of(client.get(reverse("workplan:report", args=[seventh.slug])))
    assert "Data workshop Suggested Agreed In progress" in text
    assert "1 Mar 2022 (suggested → agreed): Agreed in writing" in text
    assert "Started" not in text.split("Data workshop", 1)[1]  # after the meeting: not in between
    assert [s.status for s in StatusAtMeeting.objects.filter(item=item)] == ["suggested", "agreed"]
    # Keeping again changes nothing that was kept.
    assert record_statuses_at(meeting=seventh) == 0


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
    # leads (2), theme choices, meetings; then the session renewed for the idle timeout
    # (savepoint, update, release). The same at 5 items and at 200: an N+1 would add ~195.
    with django_assert_num_queries(15):
        response = client.get(reverse("workplan:workspace"))
    assert len(response.context["groups"][0][2]) == len(range(0, size, 5))


def test_the_update_form_offers_today_in_the_date_field(client, cochair, item):
    # A date input only shows an ISO value; a local format would leave the field empty.
    client.force_login(cochair)
    content = client.get(reverse("workplan:workspace-item", args=[item.pk])).content.decode()
    assert f'type="date" name="date" value="{today().isoformat()}"' in content
