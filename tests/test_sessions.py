"""The idle timeout (a session unused for SESSION_COOKIE_AGE is over) kept without a write on every
request: the session is saved again only once its expiry has aged by a fraction of the timeout."""

import datetime
import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from baliwg.sessions import RENEW_FRACTION, RENEWED

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
ENGINES = ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"]
LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(params=ENGINES, ids=["db", "cached_db"])
def engine(request, settings):
    settings.SESSION_ENGINE = request.param
    settings.CACHES = LOCAL_CACHE  # the cache cached_db reads (Redis in production)
    return request.param


def logged_in(client, username="cora_cochair"):
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client.cookies["sessionid"].value


def is_logged_in(client) -> bool:
    return client.get(reverse("accounts:password-change")).status_code == 200


def session_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]


def test_a_second_request_within_the_minute_does_not_write_the_session(client, cochair_user, engine):
    key = logged_in(client)
    assert is_logged_in(client)
    expires = Session.objects.get(session_key=key).expire_date
    with CaptureQueriesContext(connection) as queries:
        assert is_logged_in(client)
    assert session_writes(queries.captured_queries) == []
    assert "sessionid" not in client.get(reverse("accounts:password-change")).cookies
    assert Session.objects.get(session_key=key).expire_date == expires
    if engine.endswith("cached_db"):
        # Read from the cache: not a query on the session table at all.
        assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]


def test_a_session_whose_expiry_has_aged_is_saved_again_with_a_later_one(client, cochair_user, settings, engine):
    key = logged_in(client)
    # As if the last save were longer ago than the fraction of the idle timeout.
    session = client.session
    session[RENEWED] -= settings.SESSION_COOKIE_AGE * RENEW_FRACTION + 1
    session.save()
    earlier = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 120)
    Session.objects.filter(session_key=key).update(expire_date=earlier)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accounts:password-change"))
    assert response.status_code == 200
    assert len(session_writes(queries.captured_queries)) == 1  # saved once (one UPDATE)
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE
    assert Session.objects.get(session_key=key).expire_date > earlier + datetime.timedelta(seconds=100)
    # ...and not again at the next request.
    assert "sessionid" not in client.get(reverse("accounts:password-change")).cookies


def test_a_session_idle_longer_than_the_idle_timeout_is_over(client, cochair_user, settings, engine):
    settings.SESSION_COOKIE_AGE = 2
    logged_in(client)
    # Kept while used: each request more than a sixtieth of the timeout after the last save renews it.
    for _ in range(3):
        time.sleep(0.8)
        assert is_logged_in(client)  # 2.4 s after logging in, more than the idle timeout
    time.sleep(2.1)
    assert not is_logged_in(client)


def test_a_stale_cookie_makes_no_session(client, db, engine):
    client.cookies["sessionid"] = "a-session-that-has-ended"
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200 and not Session.objects.exists()


def test_logging_out_ends_the_session_in_the_cache_too(client, cochair_user, engine):
    key = logged_in(client)
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    client.cookies["sessionid"] = key  # the old cookie, replayed
    assert not is_logged_in(client)
