"""Ends a session a fixed time after login, however active it is (the idle timeout is the
session cookie's age, renewed on every request)."""

import time

from django.conf import settings
from django.contrib.auth import logout

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
