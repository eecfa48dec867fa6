"""Ends a session a fixed time after login, however active it is (the idle timeout is the
session cookie's age, renewed on every request)."""

import time
from urllib.parse import unquote_plus

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponseBadRequest

SESSION_STARTED = "_session_started"


class AbsoluteSessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault(SESSION_STARTED, time.time())
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)  # flushes the session on the server too
        return self.get_response(request)


class NulInQueryMiddleware:
    """A NUL byte in a query string is refused with a 400: no database stores one (PostgreSQL raises
    on it), so no search, filter or calendar parameter may carry one as far as a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in unquote_plus(request.META.get("QUERY_STRING", "")):
            return HttpResponseBadRequest("A query string may not hold a NUL byte.", content_type="text/plain")
        return self.get_response(request)
