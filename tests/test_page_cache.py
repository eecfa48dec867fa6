"""The page cache is right in every production configuration: shared by every worker (or none),
keyed on the host as well as the path, and never holding a personal page."""

import datetime
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.utils import timezone

from core import stamp

from . import factories

PROJECT = Path(__file__).resolve().parent.parent
MEETING = "wgd-seventh-annual-meeting-2022"
TITLE = "Seventh Annual Meeting of the Working Group"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as answer:
        return answer.code, answer.read().decode("utf-8", "replace")


def test_two_gunicorn_workers_without_redis_serve_no_stale_page_after_unpublishing(tmp_path):
    """The finding: with `make serve` (no REDIS_URL) each worker kept its own page cache, and after
    a meeting went back to draft 6-9 of 16 requests still got the published page."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL", "DEBUG"}}
    env.update(
        DEBUG="0",
        SECRET_KEY="page-cache-test-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        PLAIN_STATIC_FILES="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        VAR_DIR=str(tmp_path / "var"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        GUNICORN_THREADS="1",
        GUNICORN_ACCESSLOG="/dev/null",
    )

    def manage(*args):
        subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT, env=env, check=True, capture_output=True)

    manage("migrate", "--no-input", "-v0")
    manage("load_demo")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    pages = [
        f"/meetings/{MEETING}/",
        f"/api/v1/meetings/{MEETING}/",
        "/meetings/",
        "/feeds/outcomes.rss",
        "/calendar.ics",
    ]
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/ping", timeout=2).close()
                break
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        # Both workers answer (and cache) each page while the meeting is published.
        for page in pages:
            for _ in range(8):
                status, text = fetch(base + page)
                assert status == 200 and (MEETING in text or TITLE in text), page

        manage(
            "shell",
            "--no-imports",
            "-c",
            "from meetings.models import Meeting; from meetings.services import unpublish_meeting;"
            f"unpublish_meeting(meeting=Meeting.objects.get(slug='{MEETING}'))",
        )

        stale = []
        for page in pages:
            for _ in range(16):
                status, text = fetch(base + page)
                if status == 200 and (MEETING in text or TITLE in text):
                    stale.append(page)
        assert stale == []
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.django_db
def test_the_page_cache_keys_on_the_host(client, settings):
    settings.ALLOWED_HOSTS = ["wg.example.org", "other.example.org"]
    factories.MeetingFactory(slug="held-in-bangkok")
    first = client.get("/feeds/outcomes.rss", HTTP_HOST="wg.example.org").content.decode()
    second = client.get("/feeds/outcomes.rss", HTTP_HOST="other.example.org").content.decode()
    assert "http://wg.example.org/meetings/held-in-bangkok/" in first
    assert "http://other.example.org/meetings/held-in-bangkok/" in second


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/workspace/", "/accounts/password/", "/admin/", "/meetings/"])
def test_every_page_a_logged_in_person_sees_is_no_store(client, secretariat_user, url):
    client.force_login(secretariat_user)
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_login_page_is_no_store_and_a_public_page_is_not(client):
    assert "no-store" in client.get("/accounts/login/")["Cache-Control"]
    assert "no-store" not in client.get("/meetings/")["Cache-Control"]


def test_without_redis_a_production_configuration_shares_its_cache_through_the_database():
    from .helpers import settings_value

    production = {"DEBUG": "0", "SECRET_KEY": "k" * 50}
    assert settings_value("s.CACHES['default']['BACKEND']", **production).stdout.strip() == (
        "django.core.cache.backends.db.DatabaseCache"
    )
    with_redis = settings_value("s.CACHES['default']['BACKEND']", REDIS_URL="redis://cache:6379/0", **production)
    assert with_redis.stdout.strip() == "baliwg.cache.SharedClientRedisCache"
    laptop = settings_value("s.CACHES['default']['BACKEND']", DEBUG="1")
    assert laptop.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.django_db
def test_the_cached_home_page_turns_over_at_midnight_with_no_change_to_any_record(client, demo, monkeypatch):
    # The home page lists what is upcoming by the date alone: a page kept from yesterday would
    # still call today's meeting upcoming.
    zone = timezone.get_default_timezone()
    clock = [datetime.datetime.combine(timezone.localdate(), datetime.time(23, 58), zone)]
    monkeypatch.setattr(stamp, "time", SimpleNamespace(time=lambda: clock[0].timestamp()))
    monkeypatch.setattr(timezone, "now", lambda: clock[0])
    tomorrow = clock[0].date() + datetime.timedelta(days=1)
    factories.MeetingFactory(title="Meeting that opens tomorrow", start_date=tomorrow)
    page = client.get("/").content.decode()
    assert page.index("Upcoming meetings") < page.index("Meeting that opens tomorrow")
    clock[0] += datetime.timedelta(minutes=1)
    assert client.get("/").content.decode() == page  # the kept page, still the same day
    clock[0] += datetime.timedelta(minutes=2)  # past midnight
    page = client.get("/").content.decode()
    assert page.index("Meeting that opens tomorrow") < page.index("Upcoming meetings")  # the latest now
