"""Settings come from the environment; unsafe production values fail loudly."""

from pathlib import Path

from .helpers import settings_value

PROJECT = Path(__file__).resolve().parent.parent


def test_without_a_database_url_a_sqlite_file_in_the_project_is_used():
    result = settings_value("s.DATABASES['default']['NAME'], s.DATABASES['default']['ENGINE']")
    assert result.stdout.strip() == f"{PROJECT / 'db.sqlite3'} django.db.backends.sqlite3"


def test_postgresql_keeps_connections_and_checks_them_before_reuse():
    result = settings_value(
        "s.DATABASES['default']['CONN_MAX_AGE'], s.DATABASES['default']['CONN_HEALTH_CHECKS']",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/baliwg",
    )
    assert result.stdout.strip() == "600 True"


def test_secret_key_is_required_when_debug_is_off():
    result = settings_value("s.DEBUG", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_settings_take_the_key_and_hosts_from_the_environment():
    result = settings_value(
        "s.DEBUG, s.SECRET_KEY, s.ALLOWED_HOSTS",
        DEBUG="0",
        SECRET_KEY="k" * 50,
        ALLOWED_HOSTS="wg.example.org, www.wg.example.org",
    )
    assert result.stdout.strip() == f"False {'k' * 50} ['wg.example.org', 'www.wg.example.org']"


def test_a_misspelt_debug_value_is_refused():
    result = settings_value("s.DEBUG", DEBUG="maybe")
    assert "DEBUG must be a yes/no value" in result.stderr
