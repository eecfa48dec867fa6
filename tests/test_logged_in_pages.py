"""A logged-in visitor's public pages: kept per content stamp and kind of visitor, with this
request's CSRF token and messages, and the visitor's account as it is now."""

import re

import pytest
from django.contrib import messages
from django.contrib.auth.models import Group
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import Client, RequestFactory

from baliwg.public_cache import _parts_around_token
from meetings.models import MemberState
from workplan.roles import COCHAIRS

from . import factories

pytestmark = pytest.mark.django_db
MEETINGS = "/meetings/"


def csrf_token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)


@pytest.fixture
def draft():
    return factories.MeetingFactory(title="Draft only the secretariat sees", status="draft")


@pytest.fixture
def vn_cochair(demo):
    """A co-chair of Viet Nam, which co-chairs the Working Group on Disruptions in the demo."""
    user = factories.UserFactory(username="vn_cochair")
    user.groups.add(Group.objects.get(name=COCHAIRS))
    factories.RepresentativeFactory(user=user, state=MemberState.objects.get(iso_code="VN"))
    return user


def test_each_kind_of_visitor_gets_its_own_kept_page(demo, draft, secretariat_user, vn_cochair, plain_user):
    pages = {}
    for user in (secretariat_user, vn_cochair, plain_user):
        client = Client()
        client.force_login(user)
        client.get(MEETINGS)  # rendered and kept
        pages[user.username] = client.get(MEETINGS).content.decode()  # the kept page
    officer, cochair, nobody = pages["sam_secretariat"], pages["vn_cochair"], pages["pat_nobody"]
    assert draft.title in officer and draft.title not in cochair and draft.title not in nobody
    assert ">Workspace</a>" in officer and ">Workspace</a>" in cochair and ">Workspace</a>" not in nobody
    assert all("Log out" in page for page in pages.values())


def test_a_kept_page_costs_the_session_alone_and_its_form_works_with_its_own_token(
    demo, secretariat_user, django_assert_num_queries
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat_user)
    first = client.get(MEETINGS)
    # The session (from the cache in production); the user is kept by the worker, the page too.
    with django_assert_num_queries(1):
        kept = client.get(MEETINGS)
    assert csrf_token(kept) != csrf_token(first)  # masked anew for each response, as Django does
    assert kept.content.decode().replace(csrf_token(kept), "") == first.content.decode().replace(csrf_token(first), "")
    assert client.post("/accounts/logout/", {"csrfmiddlewaretoken": csrf_token(kept)}).status_code == 302
    assert "Log in" in client.get(MEETINGS).content.decode()


def test_a_message_is_shown_on_a_kept_page_once(demo, secretariat_user):
    client = Client()
    client.force_login(secretariat_user)
    client.get(MEETINGS)
    request = RequestFactory().get(MEETINGS)
    storage = CookieStorage(request)
    storage.add(messages.SUCCESS, "The meeting was published.")
    response = client.get("/ping")
    storage.update(response)  # as a view that adds a message and redirects here would
    client.cookies["messages"] = response.cookies["messages"].value
    assert "The meeting was published." in client.get(MEETINGS).content.decode()
    assert "The meeting was published." not in client.get(MEETINGS).content.decode()


def test_a_changed_account_counts_at_the_very_next_request(demo, draft, secretariat_user):
    client = Client()
    client.force_login(secretariat_user)
    assert draft.title in client.get(MEETINGS).content.decode()
    assert draft.title in client.get(MEETINGS).content.decode()  # the user and the page kept
    secretariat_user.groups.clear()
    assert draft.title not in client.get(MEETINGS).content.decode()
    secretariat_user.groups.add(Group.objects.get(name="Secretariat"))
    assert draft.title in client.get(MEETINGS).content.decode()
    secretariat_user.set_password("a-new-password-9")
    secretariat_user.save()
    assert "Log in" in client.get(MEETINGS).content.decode()  # the old session's hash is stale


def test_a_deactivated_account_is_out_at_the_next_request(demo, secretariat_user):
    client = Client()
    client.force_login(secretariat_user)
    client.get(MEETINGS)
    assert "Log out" in client.get(MEETINGS).content.decode()
    secretariat_user.is_active = False
    secretariat_user.save()
    page = client.get(MEETINGS).content.decode()
    assert "Log out" not in page and "Log in" in page


def test_a_form_from_before_the_last_login_is_refused_with_a_page_that_says_why(demo, secretariat_user):
    client = Client(enforce_csrf_checks=True)

    def log_in():
        form = client.get("/accounts/login/")
        credentials = {"username": secretariat_user.username, "password": "correct-horse-battery"}
        assert (
            client.post("/accounts/login/", {**credentials, "csrfmiddlewaretoken": csrf_token(form)}).status_code == 302
        )

    log_in()
    old_tab = client.get(MEETINGS)
    client.post("/accounts/logout/", {"csrfmiddlewaretoken": csrf_token(old_tab)})
    log_in()  # in another tab: a login makes a new CSRF secret
    refused = client.post("/accounts/logout/", {"csrfmiddlewaretoken": csrf_token(old_tab)})
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "This form is out of date" in page and "reload the page" in page and "Log out" in page
    assert "Log out" in client.get(MEETINGS).content.decode()  # nothing was changed


def test_a_page_is_kept_only_if_its_one_per_response_value_is_the_csrf_field():
    def request(**meta):
        made = RequestFactory().get(MEETINGS)
        made.META.update(meta)
        return made

    field = '<input type="hidden" name="csrfmiddlewaretoken" value="T0KEN">'
    assert _parts_around_token(request(), HttpResponse("<p>Meetings</p>")) == (b"<p>Meetings</p>",)
    parts = _parts_around_token(request(CSRF_COOKIE_NEEDS_UPDATE=True), HttpResponse(f"<form>{field}</form>"))
    assert parts == (b'<form><input type="hidden" name="csrfmiddlewaretoken" value="', b'"></form>')
    # The token used outside a form's field, or a CSP nonce: values of this response alone.
    used_elsewhere = HttpResponse('<script>const token = "T0KEN";</script>')
    assert _parts_around_token(request(CSRF_COOKIE_NEEDS_UPDATE=True), used_elsewhere) is None
    with_nonce = request()
    with_nonce._csp_nonce = "n0nce"
    assert _parts_around_token(with_nonce, HttpResponse('<script nonce="n0nce"></script>')) is None
