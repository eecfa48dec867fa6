"""The forward work plan that the seventh annual meeting of the Working Group on Disruptions raised,
and the demo's user accounts."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from meetings.demo import set_if_changed, upsert
from meetings.models import Meeting, MemberState, Theme

from .models import Representative, WorkPlanItem
from .roles import COCHAIRS, SECRETARIAT

# (label, title, kind, theme names)
SUGGESTIONS = [
    (
        "a",
        "Training on trauma-informed approaches to addressing people smuggling and trafficking in "
        "persons, including returns and reintegration considerations",
        WorkPlanItem.Kind.TRAINING,
        ["Trauma-informed approaches", "Returns and reintegration"],
    ),
    (
        "b",
        "Workshops on improving collection and sharing of standardised or anonymised data",
        WorkPlanItem.Kind.WORKSHOP,
        ["Data collection and sharing"],
    ),
    (
        "c",
        "Training on ethical use of data, biometrics and personal information",
        WorkPlanItem.Kind.TRAINING,
        ["Ethical use of data and biometrics"],
    ),
]

DEMO_PASSWORD = "bali-process-demo"
DEMO_COCHAIRS = [("cochair-vn", "VN"), ("cochair-nz", "NZ")]


def demo_email(username: str) -> str:
    return f"{username}@example.org"


def load_seventh_meeting_workplan(meeting: Meeting) -> list[WorkPlanItem]:
    common = {"body": meeting.body, "raised_at": meeting}
    period = upsert(
        WorkPlanItem,
        {**common, "title": "Joint 12-month Period of Action"},
        kind=WorkPlanItem.Kind.PERIOD_OF_ACTION,
        topic="Investigating the links between trafficking in persons and online scams",
        target_period="Topic to be finalised in 2023",
        description="Participating countries and international organisations are keen to take part in a "
        "joint period of action, so that tangible outcomes from larger and longer-term investigations "
        "can be progressed and reported on. The topic will be finalised in consultation with members.",
    )
    set_if_changed(period.themes, Theme.objects.filter(name="Online scams"))
    items = [period]
    for label, title, kind, theme_names in SUGGESTIONS:
        item = upsert(
            WorkPlanItem,
            {**common, "title": title},
            kind=kind,
            order_label=label,
        )
        set_if_changed(item.themes, Theme.objects.filter(name__in=theme_names))
        items.append(item)
    for item in items:
        keep_status_true_to_updates(item)
    return items


def keep_status_true_to_updates(item: WorkPlanItem) -> None:
    """An item says what its latest status change says, or "Suggested" (as the statement raised it)
    when nobody has moved it: a second run must not put it back above an update that moved it."""
    moved = item.updates.exclude(status_after="").order_by("-date", "-created_at").first()
    status = moved.status_after if moved else WorkPlanItem.Status.SUGGESTED
    if item.status != status:
        item.status = status
        item.save(update_fields=["status", "updated_at"])


def create_demo_users() -> list[str]:
    """A secretariat officer's account and the two co-chairs', only on a development machine (DEBUG on).

    Returns lines telling how to log in; creates nothing and returns nothing in production,
    where a known password would be an open door. Existing accounts are left as they are.
    """
    if not settings.DEBUG:
        return []
    User = get_user_model()
    if not User.objects.filter(username="secretariat").exists():
        officer = User.objects.create_user(
            "secretariat",
            password=DEMO_PASSWORD,
            email=demo_email("secretariat"),
            is_staff=True,
            first_name="Secretariat",
            last_name="Officer",
        )
        officer.groups.add(Group.objects.get(name=SECRETARIAT))
    for username, code in DEMO_COCHAIRS:
        if not User.objects.filter(username=username).exists():
            user = User.objects.create_user(username, password=DEMO_PASSWORD, email=demo_email(username))
            user.groups.add(Group.objects.get(name=COCHAIRS))
            Representative.objects.create(user=user, state=MemberState.objects.get(iso_code=code))
    # Accounts made by an older demo had no address, so no notification ever showed on the console.
    for username in ["secretariat", *(name for name, _ in DEMO_COCHAIRS)]:
        User.objects.filter(username=username, email="").update(email=demo_email(username))
    return [
        f"Admin:     http://127.0.0.1:8000/admin/      user 'secretariat', password '{DEMO_PASSWORD}'",
        f"Workspace: http://127.0.0.1:8000/workspace/  user 'cochair-vn' (Viet Nam) or 'cochair-nz', "
        f"password '{DEMO_PASSWORD}'",
        "E-mail (invitations, password resets, the secretariat's notifications) is printed on this console.",
    ]
