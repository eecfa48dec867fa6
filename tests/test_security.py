"""Security and reliability: personal data, audit and recovery, logins and sessions, headers."""

import datetime
import io
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db.models import ProtectedError
from django.test import Client, override_settings
from django.urls import reverse

from baliwg.sessions import SESSION_STARTED
from meetings.models import Attendance, Body, Delegate, Meeting, MemberState, Organisation
from meetings.privacy import ERASED_NAME
from workplan.models import WorkPlanItem
from workplan.roles import SECRETARIAT

from . import factories
from .factories import API_ENDPOINTS, CANARIES, EXPECTED_COLUMNS, all_public_urls, body_of
from .html import without_login_return

pytestmark = pytest.mark.django_db
PROJECT = Path(__file__).resolve().parent.parent


# --- personal data ---------------------------------------------------------------------------------


@pytest.fixture
def canaries(demo):
    for attendance in Attendance.objects.all()[:5]:
        factories.DelegateFactory(attendance=attendance, **CANARIES)


def every_public_response(client):
    urls = all_public_urls()
    urls += [
        "/no/such/page/",
        "/meetings/no-such-meeting/",
        "/workplan/items/999999/",
        "/calendar.ics",
        "/feeds/outcomes.rss",
        "/feeds/outcomes.atom",
        "/data/",
        "/api/v1/",
        "/api/v1/openapi.json",
    ]
    urls += [f"/data/{name}.{fmt}" for name in EXPECTED_COLUMNS for fmt in ("csv", "json", "xlsx")]
    urls += [f"/api/v1/{endpoint}/" for endpoint in API_ENDPOINTS]
    urls += [
        f"/meetings/{m.slug}/{suffix}" for m in Meeting.objects.all() for suffix in ("calendar.ics", "outcome.docx")
    ]
    for url in urls:
        response = client.get(url)
        body = body_of(response)
        if url.endswith((".xlsx", ".docx")) and response.status_code == 200:
            import zipfile

            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                body = b"".join(archive.read(name) for name in archive.namelist())
        yield url, response.status_code, body.decode("utf-8", "replace")


def test_canaries_never_reach_a_public_page_error_page_feed_export_or_api(client, canaries):
    hits, pages = [], 0
    for url, _status, text in every_public_response(client):
        pages += 1
        hits += [(url, value) for value in CANARIES.values() if value in text]
    print(f"\n{pages} public responses crawled, {len(hits)} canary hits")
    assert pages > 120
    assert hits == []


# --- drafts ------------------------------------------------------------------------------------------

DRAFT_CANARY = {"title": "Quokka draft canary zq7", "slug": "quokka-draft-canary-zq7"}


@pytest.fixture
def draft_canary(demo):
    """A draft meeting, its draft exercise and the item it raised, each with the canary title and slug,
    tied to published records through every relation a public page, export or the API follows."""
    published = Meeting.objects.get(number=7, body__slug="wgd")
    other_body = Body.objects.get(slug="wg-tip")
    draft = factories.MeetingFactory(
        body=other_body, number=99, status=Meeting.Status.DRAFT, title=DRAFT_CANARY["title"], slug=DRAFT_CANARY["slug"]
    )
    factories.ExerciseFactory(
        meeting=draft, status="draft", title=DRAFT_CANARY["title"] + " exercise", slug=DRAFT_CANARY["slug"] + "-x"
    )
    published.joint_with = draft
    published.save()
    draft_item = factories.WorkPlanItemFactory(
        body=published.body, raised_at=draft, title=DRAFT_CANARY["title"] + " item"
    )
    published_item = WorkPlanItem.objects.get(order_label="a")
    published_item.parent = draft_item
    published_item.save()
    published_item.reported_at.add(draft)
    # A state that leads only the draft item: the board's Lead filter must not offer it for that.
    draft_item.lead_states.add(factories.MemberStateFactory(name="Leadsonlydrafts"))
    return draft, draft_item


def test_the_draft_canary_never_reaches_a_public_page_feed_export_calendar_or_api(client, draft_canary):
    draft, draft_item = draft_canary
    hits, pages = [], 0
    extra = [f"/search/?q={DRAFT_CANARY['title'].split()[0]}", f"/api/v1/workplan-items/{draft_item.pk}/"]
    for url, _status, text in [
        *every_public_response(client),
        *((u, 0, body_of(client.get(u)).decode()) for u in extra),
    ]:
        pages += 1
        text = without_login_return(text)  # a 404 for the draft's address offers to log in and come back
        hits += [(url, value) for value in (DRAFT_CANARY["title"], DRAFT_CANARY["slug"]) if value in text]
        if url.startswith("/api/") and f'"parent":{draft_item.pk}' in text.replace(" ", ""):
            hits.append((url, "the draft parent's id"))
    print(f"\n{pages} public responses crawled, {len(hits)} draft canary hits", *hits, sep="\n")
    assert pages > 120
    assert hits == []


def test_the_boards_lead_filter_offers_no_party_that_leads_only_drafts(client, draft_canary):
    options = client.get("/workplan/").context["filter_form"].fields["lead"].choices
    assert "Leadsonlydrafts" not in [str(label) for _value, label in options]


def test_personal_data_admin_pages_are_never_cached(client, canaries, secretariat_user):
    client.force_login(secretariat_user)
    delegate = Delegate.objects.first()
    for url in (
        "/admin/meetings/delegate/",
        f"/admin/meetings/delegate/{delegate.pk}/change/",
        f"/admin/meetings/delegate/{delegate.pk}/history/",
    ):
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_erase_delegate_command_anonymises_every_record_of_an_address(canaries):
    out = io.StringIO()
    call_command("erase_delegate", "--email", CANARIES["email"], stdout=out)
    assert out.getvalue() == "Anonymised 5 delegate record(s).\n"
    assert CANARIES["email"] not in out.getvalue()
    for delegate in Delegate.objects.all():
        assert delegate.full_name == ERASED_NAME
        assert (delegate.email, delegate.phone, delegate.passport_number, delegate.notes) == ("", "", "", "")
        assert delegate.anonymised_at is not None
    # Nothing of the person is left in the history either.
    for value in CANARIES.values():
        assert not Delegate.history.filter(full_name=value).exists()
        assert not Delegate.history.filter(email=value).exists()


def test_the_admin_action_erases_a_delegate(client, canaries, secretariat_user):
    client.force_login(secretariat_user)
    delegate = Delegate.objects.first()
    client.post("/admin/meetings/delegate/", {"action": "erase_delegates", "_selected_action": [delegate.pk]})
    delegate.refresh_from_db()
    assert delegate.full_name == ERASED_NAME and delegate.email == ""


def test_retention_anonymises_only_delegates_of_old_meetings(demo):
    old = factories.MeetingFactory(start_date=datetime.date(2015, 3, 1))
    recent = factories.MeetingFactory(start_date=datetime.date.today() - datetime.timedelta(days=30))
    old_delegate = factories.DelegateFactory(attendance=factories.AttendanceFactory(meeting=old))
    recent_delegate = factories.DelegateFactory(attendance=factories.AttendanceFactory(meeting=recent))
    out = io.StringIO()
    call_command("apply_retention", "--years", "5", stdout=out)
    assert out.getvalue() == "Anonymised 1 delegate record(s).\n"
    old_delegate.refresh_from_db()
    recent_delegate.refresh_from_db()
    assert old_delegate.full_name == ERASED_NAME
    assert recent_delegate.full_name != ERASED_NAME


def test_no_personal_data_or_password_in_any_log_line(client, canaries, secretariat_user, monkeypatch):
    from meetings.admin import DelegateAdmin

    records = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(handler.format(record))
    from core.redaction import RedactPersonalData

    handler.addFilter(RedactPersonalData())
    logging.getLogger().addHandler(handler)
    for name in ("django", "django.request", "axes"):
        logging.getLogger(name).addHandler(handler)
    try:
        # A forced error while a delegate's data is in play.
        def fail(self, request, obj, form, change):
            raise RuntimeError(f"cannot save {obj.full_name} <{obj.email}> {obj.phone} {obj.passport_number}")

        monkeypatch.setattr(DelegateAdmin, "save_model", fail)
        delegate = Delegate.objects.first()
        client.force_login(secretariat_user)
        client.raise_request_exception = False
        response = client.post(
            f"/admin/meetings/delegate/{delegate.pk}/change/",
            {
                "attendance": delegate.attendance_id,
                "full_name": CANARIES["full_name"],
                "email": CANARIES["email"],
                "phone": CANARIES["phone"],
                "passport_number": CANARIES["passport_number"],
            },
        )
        assert response.status_code == 500
        # A failed login.
        anonymous = Client()
        anonymous.post(reverse("accounts:login"), {"username": "sam_secretariat", "password": "Sekret-Pa55word!"})
    finally:
        for name in ("", "django", "django.request", "axes"):
            logging.getLogger(name).removeHandler(handler)
    text = "\n".join(records)
    assert "Internal Server Error" in text  # the error was logged ...
    for value in [CANARIES["email"], CANARIES["phone"], CANARIES["passport_number"], "Sekret-Pa55word!"]:
        assert value not in text  # ... without what it was about


# --- audit and recovery ----------------------------------------------------------------------------


def test_every_change_is_in_the_history_with_who_and_when(client, demo, secretariat_user):
    from django.apps import apps

    def history_rows():
        models = [
            m
            for app in ("meetings", "workplan")
            for m in apps.get_app_config(app).get_models()
            if not m.__name__.startswith("Historical") and hasattr(m, "history")
        ]
        return sum(m.history.count() for m in models)

    before = history_rows()
    client.force_login(secretariat_user)
    meeting = Meeting.objects.get(number=7)
    changes = 0
    client.post("/admin/meetings/meeting/", {"action": "unpublish", "_selected_action": [meeting.pk]})
    changes += 1
    client.post("/admin/meetings/meeting/", {"action": "publish", "_selected_action": [meeting.pk]})
    changes += 1  # the meeting; its exercise was already published
    state = MemberState.objects.get(iso_code="FJ")
    client.post("/admin/meetings/memberstate/", {"action": "retire", "_selected_action": [state.pk]})
    changes += 1
    print(f"\n{changes} changes made, {history_rows() - before} history rows written")
    assert history_rows() - before == changes
    latest = Meeting.history.filter(id=meeting.pk).latest("history_date")
    assert latest.history_user == secretariat_user and latest.status == "published"
    page = client.get(f"/admin/meetings/meeting/{meeting.pk}/history/").content.decode()
    assert "sam_secretariat" in page


def test_a_deleted_meeting_comes_back_with_its_related_rows(client, demo, secretariat_user):
    meeting = factories.MeetingFactory(body=Body.objects.get(slug="wg-tip"), number=3, slug="third")
    factories.MeetingCoChairFactory(meeting=meeting, state=MemberState.objects.get(iso_code="FJ"))
    attendance = factories.AttendanceFactory(meeting=meeting, state=MemberState.objects.get(iso_code="AU"))
    factories.DelegateFactory(attendance=attendance, full_name="Kept Person")
    exercise = factories.ExerciseFactory(meeting=meeting, slug="third-x")
    client.force_login(secretariat_user)
    client.post(f"/admin/meetings/meeting/{meeting.pk}/delete/", {"post": "yes"})
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    exercise.refresh_from_db()
    assert exercise.meeting is None

    listing = client.get("/admin/deleted/").content.decode()
    assert "Annual Meeting of the Working Group on Trafficking in Persons" in listing
    client.post("/admin/deleted/", {"model": "meetings.meeting", "pk": meeting.pk})
    restored = Meeting.objects.get(pk=meeting.pk)
    assert restored.slug == "third"
    assert restored.cochairs.get().state.iso_code == "FJ"
    assert restored.attendances.get().delegates.get().full_name == "Kept Person"
    exercise.refresh_from_db()
    assert exercise.meeting == restored


def test_a_deleted_item_comes_back_with_its_updates_and_leads(client, demo, secretariat_user):
    item = WorkPlanItem.objects.get(order_label="b")
    item.lead_states.add(MemberState.objects.get(iso_code="TH"))
    factories.ProgressUpdateFactory(item=item, text="Workshop planned")
    client.force_login(secretariat_user)
    client.post(f"/admin/workplan/workplanitem/{item.pk}/delete/", {"post": "yes"})
    assert not WorkPlanItem.objects.filter(pk=item.pk).exists()
    client.post("/admin/deleted/", {"model": "workplan.workplanitem", "pk": item.pk})
    restored = WorkPlanItem.objects.get(pk=item.pk)
    assert [u.text for u in restored.updates.all()] == ["Workshop planned"]
    assert [s.iso_code for s in restored.lead_states.all()] == ["TH"]


def test_a_deleted_registry_entry_comes_back_with_its_aliases(client, demo, secretariat_user):
    state = factories.MemberStateFactory(name="Ruritania", slug="ruritania")
    factories.AliasFactory(state=state, name="Kingdom of Ruritania")
    client.force_login(secretariat_user)
    client.post(f"/admin/meetings/memberstate/{state.pk}/delete/", {"post": "yes"})
    client.post("/admin/deleted/", {"model": "meetings.memberstate", "pk": state.pk})
    assert [a.name for a in MemberState.objects.get(pk=state.pk).aliases.all()] == ["Kingdom of Ruritania"]


def test_registry_rows_that_meetings_name_cannot_be_deleted_only_retired(demo):
    for obj in (
        MemberState.objects.get(iso_code="VN"),
        Organisation.objects.get(acronym="IOM"),
        Body.objects.get(slug="wgd"),
    ):
        with pytest.raises(ProtectedError):
            obj.delete()


def test_a_retired_state_is_not_offered_for_new_records(client, demo, secretariat_user):
    MemberState.objects.filter(iso_code="FJ").update(retired=True)
    client.force_login(secretariat_user)
    response = client.get(
        "/admin/autocomplete/",
        {"term": "Fi", "app_label": "meetings", "model_name": "attendance", "field_name": "state"},
    )
    assert "Fiji" not in response.content.decode()
    assert "Finland" in response.content.decode()


# --- logins and sessions ---------------------------------------------------------------------------


def login(client, username, password="correct-horse-battery", **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password, **extra})


def test_lockout_after_repeated_failures_says_the_same_for_any_username(client, cochair_user, settings):
    settings.LOGIN_RATE_LIMIT = 100  # axes' lock-out, not the per-address brake (test_login_throttle)
    for _ in range(5):
        login(client, "cora_cochair", "wrong")
    locked = login(client, "cora_cochair")  # even the right password, while locked
    assert locked.status_code == 429
    for _ in range(5):
        login(client, "nobody-at-all", "wrong")
    unknown = login(client, "nobody-at-all", "wrong")
    assert unknown.status_code == 429
    assert locked.content.decode().replace("cora_cochair", "X") == unknown.content.decode().replace(
        "nobody-at-all", "X"
    )
    assert "Too many attempts" in locked.content.decode()


def test_the_lockout_ends_after_its_cool_off(client, cochair_user, settings):
    for _ in range(5):
        login(client, "cora_cochair", "wrong")
    assert login(client, "cora_cochair").status_code == 429
    assert datetime.timedelta(hours=settings.AXES_COOLOFF_TIME) == datetime.timedelta(minutes=15)
    from axes.models import AccessAttempt

    # Fifteen minutes later: the attempts have expired.
    AccessAttempt.objects.update(attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16))
    assert login(client, "cora_cochair").status_code == 302


def test_login_gives_a_new_session_id_and_logout_ends_it_on_the_server(client, cochair_user):
    client.get(reverse("accounts:login"))
    session = client.session  # a session the visitor had before logging in, stored on the server
    session["before"] = True
    session.save()
    before = session.session_key
    assert Session.objects.filter(session_key=before).exists()
    login(client, "cora_cochair")
    after = client.session.session_key
    assert after != before
    # The old id is no use to whoever learnt it: it is gone from the server.
    assert not Session.objects.filter(session_key=before).exists()
    assert Session.objects.filter(session_key=after).exists()
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=after).exists()


def test_deactivating_a_user_ends_their_sessions(client, cochair_user, secretariat_user):
    cochair = Client()
    login(cochair, "cora_cochair")
    assert cochair.get(reverse("accounts:password-change")).status_code == 200
    client.force_login(secretariat_user)
    secretariat_user.user_permissions.add(*Permission.objects.filter(codename__in=["change_user", "view_user"]))
    form = {
        "username": "cora_cochair",
        "is_active": "",
        "is_staff": "on",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "00:00:00",
        "representative-TOTAL_FORMS": "0",
        "representative-INITIAL_FORMS": "0",
    }
    response = client.post(f"/admin/auth/user/{cochair_user.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not Session.objects.filter(session_key=cochair.session.session_key).exists()
    assert cochair.get(reverse("accounts:password-change")).status_code == 302


def test_the_idle_timeout_is_the_session_age_renewed_while_in_use(settings, client, cochair_user):
    # Two hours; renewed about once a minute while in use, not on every request (tests/test_sessions.py).
    assert settings.SESSION_COOKIE_AGE == 2 * 60 * 60
    settings.SESSION_COOKIE_AGE = 60  # renewed when more than half a second old
    login(client, "cora_cochair")
    first = Session.objects.get(session_key=client.session.session_key).expire_date
    time.sleep(1.1)
    client.get(reverse("accounts:password-change"))
    assert Session.objects.get(session_key=client.session.session_key).expire_date > first


def test_the_absolute_timeout_logs_out_however_active(client, cochair_user, settings):
    login(client, "cora_cochair")
    session = client.session
    session[SESSION_STARTED] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    assert client.get(reverse("accounts:password-change")).status_code == 302


@pytest.mark.parametrize(
    "next_url", ["//evil.example", "https://evil.example/", "/\\evil.example", "http:evil", "\\\\evil.example"]
)
def test_the_login_next_parameter_stays_on_this_site(client, cochair_user, next_url):
    response = login(client, "cora_cochair", next=next_url)
    assert response.status_code == 302
    assert response.url == reverse("workplan:workspace")


def test_a_local_next_is_followed(client, cochair_user):
    assert login(client, "cora_cochair", next="/workplan/").url == "/workplan/"


# --- headers and deployment ------------------------------------------------------------------------


def test_security_headers_on_every_page(client, demo):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_no_inline_script_or_style_in_any_template():
    templates = list((PROJECT / "templates").rglob("*.html"))
    assert len(templates) > 20
    for path in templates:
        text = path.read_text()
        assert "<script>" not in text and "<style" not in text and " style=" not in text, path
        assert "onclick=" not in text and "javascript:" not in text, path


def production_env(**extra):
    # Not the test run's own switches (the browser tests allow the ORM beside Playwright's loop).
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="x" * 64 + "-production-like-secret-key-for-checks",
        ALLOWED_HOSTS="wg.example.org",
        PLAIN_STATIC_FILES="1",
        **extra,
    )
    return env


def test_check_deploy_reports_nothing_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=production_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_sends_hsts_and_secure_cookies():
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
        env=production_env(DJANGO_SETTINGS_MODULE="baliwg.settings"),
    )
    assert result.stdout.split() == ["31536000", "True", "True", "True"]


@override_settings(DEBUG=False)
def test_the_404_page_reveals_nothing(client, demo):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert "Traceback" not in body and "settings" not in body.lower()


@override_settings(DEBUG=False)
def test_a_private_page_sends_a_visitor_to_the_login_with_an_empty_body(client, demo):
    # Whether the item exists or not, the visitor learns only that the workspace needs a login.
    for url in ("/workspace/items/999999/", f"/workspace/items/{WorkPlanItem.objects.first().pk}/"):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, f"{reverse('accounts:login')}?next={url}")
        assert response.content == b""


def test_the_500_page_reveals_nothing(client, demo, monkeypatch):
    from baliwg import views

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views.HomeView, "get_context_data", boom)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "secret internals" not in response.content.decode()


def test_the_secretariat_group_holds_only_app_permissions(demo):
    codenames = set(Group.objects.get(name=SECRETARIAT).permissions.values_list("content_type__app_label", flat=True))
    assert codenames == {"meetings", "workplan", "auth"}
    # Accounts: invite, link, end; never delete, never groups or permissions (tests/test_accounts.py).
    auth = Group.objects.get(name=SECRETARIAT).permissions.filter(content_type__app_label="auth")
    assert set(auth.values_list("codename", flat=True)) == {"view_user", "add_user", "change_user"}


def test_api_answers_json_not_html_for_bad_input(client, demo):
    response = client.get("/api/v1/meetings/?year=<script>")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"year": ["Enter a whole number."]}
