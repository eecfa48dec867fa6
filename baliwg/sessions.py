"""The idle timeout without a write on every request.

A session idle longer than SESSION_COOKIE_AGE is over: its expiry (the row's expire_date, the cached
copy's time to live and the cookie's Max-Age) is set each time it is saved. Django's
SESSION_SAVE_EVERY_REQUEST keeps it current by writing the session on every request, which cost a
logged-in page more than the page itself. Here it is saved again only once its expiry would move by
more than RENEW_FRACTION of the idle timeout (a minute of two hours), so a visitor idle for
SESSION_COOKIE_AGE is out, and one who keeps reading is re-saved about once a minute.

The time of the last save is kept in the session (RENEWED), so it works with any session engine.
"""

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.dispatch import receiver

RENEWED = "_renewed"
# When the session began, for the absolute timeout (middleware.AbsoluteSessionTimeoutMiddleware).
SESSION_STARTED = "_session_started"
RENEW_FRACTION = 1 / 120


def renew_if_due(session) -> None:
    """Mark the session to be saved (with a new expiry) when it is about to be saved anyway or its
    expiry has aged by more than the fraction; an empty, flushed or unknown session is left alone,
    so a stale cookie never makes a new session."""
    if session.session_key is None and not session.modified:
        return  # no cookie and nothing stored: no session at all (no load)
    renewed = session.get(RENEWED)
    if session.is_empty():
        return
    now = time.time()
    aged = renewed is None or not 0 <= now - renewed < settings.SESSION_COOKIE_AGE * RENEW_FRACTION
    if session.modified or aged:
        session[RENEWED] = now


@receiver(user_logged_in)
def _started_at_login(sender, request, **kwargs):
    # The login saves the session: it starts now, and its expiry is new.
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED] = request.session[RENEWED] = time.time()


class SessionMiddleware(DjangoSessionMiddleware):
    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and response.status_code != 500:
            renew_if_due(session)
        return super().process_response(request, response)
