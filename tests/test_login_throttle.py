"""Logins: a per-address brake before any password is hashed, and lock-outs a stranger cannot
turn against a person."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from .html import text_of

pytestmark = pytest.mark.django_db


def login(client, username, password="wrong", **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


def failures_recorded() -> int:
    return sum(AccessAttempt.objects.values_list("failures_since_start", flat=True))


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_past_the_limit_an_address_is_refused_before_its_password_is_checked(client, settings, url):
    settings.LOGIN_RATE_LIMIT = 5
    settings.LOGIN_RATE_WINDOW = 3600  # a window the test cannot straddle
    answers = [
        client.post(url, {"username": f"guess-{n}", "password": "wrong"}, REMOTE_ADDR="198.51.100.7").status_code
        for n in range(12)
    ]
    assert answers[:5] == [200] * 5  # the form again, with its error
    assert answers[5:] == [429] * 7
    # Only the first five reached authentication (and its password hasher); the rest stopped at the door.
    assert failures_recorded() == 5
    refused = client.post(url, {"username": "guess-x", "password": "wrong"}, REMOTE_ADDR="198.51.100.7")
    assert refused["Retry-After"] == "3600"
    assert "Too many login attempts" in text_of(refused)
    assert "Wait 60 minutes, then try again." in text_of(refused)
    # Another address is not held back by the first one's guesses.
    assert login(client, "someone", REMOTE_ADDR="203.0.113.5").status_code == 200


def test_behind_the_proxy_a_stranger_cannot_lock_a_person_out(client, settings, cochair_user):
    """The finding: behind a load balancer every user came from its address, so five wrong guesses
    locked a person out for everyone."""
    settings.BEHIND_TLS_PROXY = True
    cochair_user.set_password("correct-horse-battery")
    cochair_user.save()
    balancer = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(6):
        login(client, "cora_cochair", HTTP_X_FORWARDED_FOR="198.51.100.7", **balancer)
    assert login(client, "cora_cochair", HTTP_X_FORWARDED_FOR="198.51.100.7", **balancer).status_code == 429
    # The person, from their own address behind the same balancer, still gets in; a forged first
    # entry in the header changes nothing, the balancer's own last entry counts.
    response = login(
        client, "cora_cochair", "correct-horse-battery", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.5", **balancer
    )
    assert response.status_code == 302


def test_the_brake_counts_the_address_the_proxy_saw(client, settings):
    settings.BEHIND_TLS_PROXY = True
    settings.LOGIN_RATE_LIMIT = 3
    settings.LOGIN_RATE_WINDOW = 3600
    balancer = {"REMOTE_ADDR": "10.0.0.2"}
    statuses = [
        login(client, f"g{n}", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.7", **balancer).status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]  # one client, whatever it forges before the last entry
    assert login(client, "g", HTTP_X_FORWARDED_FOR="203.0.113.5", **balancer).status_code == 200
