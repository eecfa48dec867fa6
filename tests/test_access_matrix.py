"""Every URL pattern of the site, for every persona: the status each gets.

The patterns come from the URL resolver, so a new URL that this file does not know fails the
test until someone decides who may see it. Outsiders get 404 where a 403 would reveal that a
record exists; the admin answers 403 only to staff who lack a permission.
"""

import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.db import transaction

from meetings.clearance import send_for_clearance
from meetings.models import Body, Meeting, MemberState
from workplan.models import WorkPlanItem
from workplan.roles import COCHAIRS, SECRETARIAT

from . import factories
from .conftest import load_demo
from .factories import ROW_MAKERS
from .helpers import all_patterns, concrete

pytestmark = pytest.mark.django_db

# cochair_staff: a co-chair of the same state given staff access by mistake; the admin stays shut.
PERSONAS = ["anonymous", "no_role", "cochair_this", "cochair_staff", "cochair_other", "secretariat", "superuser"]
LOGGED_IN = set(PERSONAS) - {"anonymous"}
STAFF = {"secretariat", "superuser"}
WORKS_ON_WGD = {"cochair_this", "cochair_staff", "secretariat", "superuser"}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo, with a user for each persona and a row of every admin model: built once for the
    module inside a transaction that is rolled back after it (each test's own writes are rolled back
    to this state by its `db` savepoint)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            data = build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield data
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def build_world():
    load_demo()
    wgd, wg_tip = Body.objects.get(slug="wgd"), Body.objects.get(slug="wg-tip")
    users = {}
    users["no_role"] = factories.UserFactory(username="no_role")
    for persona, code in [("cochair_this", "VN"), ("cochair_staff", "VN"), ("cochair_other", "FJ")]:
        user = factories.UserFactory(username=persona, is_staff=persona == "cochair_staff")
        user.groups.add(Group.objects.get(name=COCHAIRS))
        factories.RepresentativeFactory(user=user, state=MemberState.objects.get(iso_code=code))
        users[persona] = user
    # Viet Nam co-chairs the Working Group on Disruptions in the demo; Fiji co-chairs WG-TIP here.
    factories.CoChairTermFactory(body=wg_tip, state=users["cochair_other"].representative.state, start_date=None)
    users["secretariat"] = factories.UserFactory(username="secretariat_officer", is_staff=True)
    users["secretariat"].groups.add(Group.objects.get(name=SECRETARIAT))
    users["superuser"] = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    rows = {label: maker() for label, maker in ROW_MAKERS.items()}
    rows["auth.user"] = users["no_role"]
    rows["auth.group"] = Group.objects.get(name=COCHAIRS)
    attempt = {
        "user_agent": "test",
        "ip_address": "127.0.0.1",
        "username": "someone",
        "http_accept": "*/*",
        "path_info": "/accounts/login/",
    }
    rows["axes.accessattempt"] = AccessAttempt.objects.create(
        **attempt, failures_since_start=1, get_data="", post_data=""
    )
    rows["axes.accesslog"] = AccessLog.objects.create(**attempt)
    rows["axes.accessfailurelog"] = AccessFailureLog.objects.create(**attempt, locked_out=False)
    # A draft of the Working Group on Disruptions sent to its co-chairs (Viet Nam, New Zealand) for clearance.
    draft = factories.MeetingFactory(
        body=wgd, number=99, slug="wgd-draft-for-clearance", status=Meeting.Status.DRAFT, outcome_statement="Draft."
    )
    send_for_clearance(meeting=draft)
    return {
        "users": users,
        "rows": rows,
        "draft": draft,
        "meeting": Meeting.objects.get(number=7, body=wgd),
        "item": WorkPlanItem.objects.get(order_label="a"),
    }


ADMIN_MODEL = re.compile(r"^admin:(?P<app>\w+?)_(?P<model>[a-z]+)_(?P<action>\w+)$")
SECRETARIAT_APPS = {"meetings", "workplan"}


def expected(persona: str, name: str, route: str) -> int:
    """Who may see what, as rules: the matrix's answer for one cell."""
    if name.startswith(("site:", "meetings:", "api:", "opendata:")) or name in ("workplan:board", "workplan:item"):
        return 200
    if name == "workplan:workspace":
        return {"anonymous": 302, "no_role": 403}.get(persona, 200)  # 403: a page saying whom to ask
    if name.startswith("workplan:"):  # an item, meeting or draft of the Working Group on Disruptions
        if persona == "anonymous":
            return 302
        return 200 if persona in WORKS_ON_WGD else 404
    if name == "accounts:login":
        return 200 if persona == "anonymous" else 302
    if name == "accounts:logout":
        return 405  # POST only
    if name in ("accounts:reset", "accounts:reset-sent", "accounts:reset-confirm", "admin_password_reset"):
        return 200  # a forgotten password, for anyone (a bad link says so)
    if name.startswith("accounts:"):
        return 302 if persona == "anonymous" else 200
    # The admin: staff only; anyone else is sent to its login page.
    if name == "admin:login":
        return 302 if persona in STAFF else 200
    if persona not in STAFF:
        return 302
    if name == "admin:logout":
        return 405  # POST only
    if name in ("admin:index", "admin:password_change", "admin:password_change_done", "admin:jsi18n"):
        return 200
    if name == "admin:autocomplete":
        return 403  # without its parameters
    if name == "admin:view_on_site" or (name == "admin:None" and "<path:object_id>" in route):
        return 302  # a redirect to the public page or to the change page
    if name == "admin:None":
        return 404  # an address the admin does not have
    if name == "admin-deleted" or name == "admin:app_list":
        return 200
    match = ADMIN_MODEL.match(name)
    assert match, f"{name} is a URL the matrix does not know: decide who may see it."
    if match.group("action") == "process_import":
        return 405  # POST only
    if match.group("app") == "axes" and match.group("action") == "add":
        return 403  # login attempts are recorded by axes, never added by hand
    if match.group("model") == "erasure" and match.group("action") in ("add", "delete"):
        return 403  # the erasures' audit trail is written by the erasure only, and kept
    if persona == "superuser":
        return 200
    if (match.group("app"), match.group("model")) == ("auth", "user") and match.group("action") != "delete":
        return 200  # the secretariat manages accounts (invite, link to a state, end), never deletes them
    return 200 if match.group("app") in SECRETARIAT_APPS else 403


def group_of(name: str, route: str) -> str:
    """The URL group a pattern belongs to: one test per persona and group."""
    if name.startswith("admin:") or name == "admin-deleted":
        match = re.match(r"admin/(\w+)/(\w+)/", route)
        return f"admin {match.group(1)}" if match and match.group(1) in django_apps.app_configs else "admin site"
    if name.startswith("workplan:") and name not in ("workplan:board", "workplan:item"):
        return "workspace"
    if name.startswith(("accounts:", "api:")):
        return name.split(":")[0]
    return "public"


PATTERNS = list(all_patterns())
GROUPS = {}
for _name, _route in PATTERNS:
    GROUPS.setdefault(group_of(_name, _route), []).append((_name, _route))


def test_the_matrix_covers_every_url_pattern():
    assert len(PATTERNS) > 150
    # The public index pages are in the matrix (every persona: 200, by the "meetings:" rule).
    assert {("meetings:exercises", "exercises/"), ("meetings:bodies", "bodies/")} <= set(PATTERNS)
    assert sum(len(patterns) for patterns in GROUPS.values()) == len(PATTERNS)
    assert set(GROUPS) == {
        "public",
        "api",
        "workspace",
        "accounts",
        "admin site",
        "admin meetings",
        "admin workplan",
        "admin auth",
        "admin axes",
    }


@pytest.mark.parametrize("group", sorted(GROUPS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_for_every_persona(client, world, persona, group):
    if persona != "anonymous":
        client.force_login(world["users"][persona])
    unexpected = []
    for name, route in GROUPS[group]:
        url = concrete(name, route, world)
        status = client.get(url).status_code
        want = expected(persona, name, route)
        if status != want:
            allows = status < 400 <= want or (status == 200 and want != 200)
            unexpected.append(f"{'ALLOWED ' if allows else ''}{url:60} {name:45} got {status}, expected {want}")
    assert not unexpected, "\n".join(unexpected)
