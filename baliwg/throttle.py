"""A brake on login attempts per client address, applied before any password is hashed.

Each wrong guess costs the server a slow password hash; eight threads of random usernames took
/ping from 5 ms to 5 s. Past LOGIN_RATE_LIMIT attempts from one address within a window, a login
POST is answered 429 at once, without reaching the form, the hasher or django-axes. Axes then
locks a username only from the address that failed (username and address together), so a stranger
cannot lock a person out from everywhere; the address it uses is the same one as here.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.urls import reverse


def client_address(request) -> str:
    """The client's address: the socket's peer, or behind our TLS proxy (BEHIND_TLS_PROXY) the address
    that proxy appended last to X-Forwarded-For, the one entry a client cannot forge."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")


def login_paths() -> set[str]:
    return {reverse("accounts:login"), reverse("admin:login")}


class LoginRateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.paths = None

    def __call__(self, request):
        if request.method == "POST":
            if self.paths is None:
                self.paths = login_paths()
            if request.path_info in self.paths and not self._allowed(client_address(request)):
                response = render(
                    request,
                    "registration/rate_limited.html",
                    {"minutes": max(1, settings.LOGIN_RATE_WINDOW // 60)},
                    status=429,
                )
                response["Retry-After"] = str(settings.LOGIN_RATE_WINDOW)
                response["Cache-Control"] = "private, no-store"
                return response
        return self.get_response(request)

    @staticmethod
    def _allowed(address: str) -> bool:
        """Take one of the window's LOGIN_RATE_LIMIT slots for this address, if one is free.

        Each slot is its own key taken with cache.add, which every backend does atomically (Redis
        SET NX, the database cache's unique key), so simultaneous attempts cannot share a slot as
        they would share a read-then-write counter. A full window costs one read."""
        window, limit = settings.LOGIN_RATE_WINDOW, settings.LOGIN_RATE_LIMIT
        key = f"login-rate:{address}:{int(time.time() // window)}"
        if cache.get(f"{key}:{limit}") is not None:
            return False
        return any(cache.add(f"{key}:{slot}", 1, window * 2) for slot in range(1, limit + 1))
