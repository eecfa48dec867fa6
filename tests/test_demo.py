"""`load_demo` brings the registry and the seventh annual meeting, and repeating it changes nothing."""

import datetime
import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from meetings.models import (
    Alias,
    Attendance,
    Body,
    CoChairTerm,
    Exercise,
    Meeting,
    Membership,
    MemberState,
    Organisation,
)
from workplan.models import WorkPlanItem

pytestmark = pytest.mark.django_db


def snapshot():
    """Every row of both apps, with every field, to compare before and after."""
    rows = {}
    for model in [*apps.get_app_config("meetings").get_models(), *apps.get_app_config("workplan").get_models()]:
        rows[model._meta.label] = sorted(map(str, model.objects.values_list()))
    return rows


def test_registry_holds_the_forum(demo):
    members = MemberState.objects.members()
    assert members.count() == 45
    assert members.filter(kind="territory").count() == 3
    assert MemberState.objects.get(iso_code="NC").parent_state.name == "France"
    assert MemberState.objects.get(iso_code="HK").parent_state.name == "China"
    assert set(Organisation.objects.members().values_list("acronym", flat=True)) == {"IOM", "UNHCR", "UNODC", "ILO"}
    assert Organisation.objects.get(acronym="RSO").kind == Organisation.Kind.SECRETARIAT
    assert Organisation.objects.get(acronym="INZ").state.iso_code == "NZ"
    assert MemberState.objects.observers().count() == 15
    assert {a.name for a in Alias.objects.filter(state__iso_code="VN")} == {"Vietnam", "Việt Nam"}
    assert set(Body.objects.values_list("acronym", flat=True)) >= {"WGD", "WG-TIP", "TPP", "AHG"}
    assert {a.name for a in Alias.objects.filter(body__acronym="WG-TIP")} >= {"TIPWG"}


def test_seventh_annual_meeting_is_recorded_as_the_statement_says(demo):
    meeting = Meeting.objects.get(body__slug="wgd", kind="annual_meeting", number=7)
    assert meeting.display_title.startswith("Seventh Annual Meeting of the Working Group on the Disruption")
    assert (meeting.start_date, meeting.end_date) == (datetime.date(2022, 10, 12), datetime.date(2022, 10, 12))
    assert meeting.format == "hybrid"
    assert (meeting.venue_city, meeting.venue_country) == ("Bangkok", "Thailand")
    assert meeting.is_published
    assert {c.state.iso_code for c in meeting.cochairs.all()} == {"VN", "NZ"}
    states = meeting.attendances.filter(state__isnull=False)
    assert sorted(a.state.iso_code for a in states) == sorted(
        ["AU", "BD", "ID", "MY", "MV", "NZ", "PK", "PH", "LK", "TH", "AE", "US", "VN"]
    )
    organisations = {a.organisation.acronym: a.role for a in meeting.attendances.filter(organisation__isnull=False)}
    assert organisations == {"RSO": "secretariat", "IOM": "member", "UNHCR": "member", "UNODC": "member"}
    assert {t.state.iso_code for t in CoChairTerm.objects.current().filter(body__slug="wgd")} == {"VN", "NZ"}


def test_table_top_exercise_is_recorded_with_its_facts(demo):
    exercise = Exercise.objects.get()
    assert exercise.meeting.number == 7
    assert exercise.kind == "table_top_exercise"
    assert exercise.days == [datetime.date(2022, 10, 10), datetime.date(2022, 10, 11)]
    assert (exercise.participant_count, exercise.member_state_count) == (45, 12)
    assert {s.name for s in exercise.sectors.all()} == {"Immigration", "Police", "Government"}
    assert {f.name for f in exercise.focus_areas.all()} == {"Detection", "Investigation", "Prosecution"}
    assert {b.acronym for b in exercise.bodies.all()} == {"TPP", "WGD"}
    assert {o.acronym for o in exercise.facilitator_organisations.all()} == {"RSO", "INZ"}
    assert {o.acronym for o in exercise.expert_organisations.all()} == {"IOM", "UNODC", "UNHCR"}
    assert exercise.themes.count() == 3


def test_forward_work_plan_has_the_period_of_action_and_suggestions_a_to_c(demo):
    items = WorkPlanItem.objects.filter(raised_at__number=7)
    assert items.count() == 4
    period = items.get(kind="period_of_action")
    assert period.title == "Joint 12-month Period of Action"
    assert "online scams" in period.topic
    assert "2023" in period.target_period
    suggestions = items.exclude(pk=period.pk).order_by("order_label")
    assert [(i.order_label, i.kind) for i in suggestions] == [("a", "training"), ("b", "workshop"), ("c", "training")]
    assert suggestions[0].title.startswith("Training on trauma-informed approaches")
    assert all(item.status == "suggested" for item in items)


def test_running_it_twice_changes_nothing(demo):
    before = snapshot()
    users_before = list(get_user_model().objects.values_list("username", "password"))
    call_command("load_demo", stdout=io.StringIO())
    assert snapshot() == before
    assert list(get_user_model().objects.values_list("username", "password")) == users_before


def test_counts_of_the_demo(demo):
    assert Meeting.objects.count() == 1
    assert Attendance.objects.count() == 17
    assert Exercise.objects.count() == 1
    assert WorkPlanItem.objects.count() == 4
    assert Organisation.objects.filter(membership=Membership.OBSERVER).count() == 6


def test_demo_login_is_made_only_on_a_development_machine(db, settings):
    settings.DEBUG = False
    call_command("load_demo", stdout=io.StringIO())
    assert not get_user_model().objects.exists()


@pytest.fixture
def demo_with_accounts(db, settings):
    settings.DEBUG = True  # the demo accounts are made only on a development machine
    call_command("load_demo", stdout=io.StringIO())


def test_a_second_run_keeps_every_item_as_its_last_update_says(demo_with_accounts, django_capture_on_commit_callbacks):
    from django.core import mail

    from workplan.services import post_update

    cochair = get_user_model().objects.get(username="cochair-vn")
    first, second = WorkPlanItem.objects.filter(raised_at__number=7).order_by("order_label")[:2]
    with django_capture_on_commit_callbacks(execute=True):
        post_update(item=first, by=cochair, text="Agreed by the members.", status="agreed")
        post_update(item=second, by=cochair, text="Agreed.", status="agreed")
        post_update(item=second, by=cochair, text="Under way.", status="in_progress")
    # The demo's officer has an address, so the console shows the secretariat's notifications.
    # (Each update goes to the secretariat and the other co-chair, in one message.)
    assert len(mail.outbox) == 3 and mail.outbox[0].to == ["cochair-nz@example.org", "secretariat@example.org"]

    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    for item in WorkPlanItem.objects.all():
        moved = item.updates.exclude(status_after="").order_by("-date", "-created_at").first()
        assert item.status == (moved.status_after if moved else "suggested"), item.title
    assert WorkPlanItem.objects.get(pk=second.pk).status == "in_progress"


def test_every_demo_account_has_an_email_address(demo_with_accounts):
    users = get_user_model().objects.order_by("username")
    assert list(users.values_list("username", "email")) == [
        ("cochair-nz", "cochair-nz@example.org"),
        ("cochair-vn", "cochair-vn@example.org"),
        ("secretariat", "secretariat@example.org"),
    ]
