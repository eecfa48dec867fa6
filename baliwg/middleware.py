"""The site's own middleware: the absolute session timeout, the Content Security Policy header built
once, and the refusal of a NUL byte in a query string."""

import functools
import time
from urllib.parse import unquote_plus

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth import logout
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponseBadRequest

from .sessions import SESSION_STARTED


class AbsoluteSessionTimeoutMiddleware:
    """Logs out a session older than SESSION_ABSOLUTE_SECONDS however active. It writes to the
    session only when the start is missing (a session from before this was deployed): the start
    goes in at login, in the login's own save (sessions._started_at_login)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault(SESSION_STARTED, time.time())
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)  # flushes the session on the server too
        return self.get_response(request)


class SitePolicyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, building the site's policy once per process instead of on every
    response: building it from the settings was a quarter of the time of a page served from the
    cache. A response with its own policy (the csp decorators) or a nonce takes django-csp's path."""

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(hasattr(response, a) for a in _PER_RESPONSE):
            return super().process_response(request, response)
        if response.status_code in (404, 500) and settings.DEBUG:
            return response
        for header, report_only, exempt in _HEADERS:
            policy, excluded = _site_policy(report_only)
            applies = policy and header not in response and not getattr(response, exempt, False)
            if applies and not (excluded and request.path_info.startswith(excluded)):
                response[header] = policy
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


_HEADERS = ((HEADER, False, "_csp_exempt"), (HEADER_REPORT_ONLY, True, "_csp_exempt_ro"))
_PER_RESPONSE = [f"_csp_{kind}{ro}" for kind in ("config", "update", "replace") for ro in ("", "_ro")]


@functools.cache
def _site_policy(report_only: bool) -> tuple[str, tuple[str, ...]]:
    name = "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
    excluded = tuple((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ())
    return build_policy(report_only=report_only), excluded


@receiver(setting_changed)
def _policy_setting_changed(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _site_policy.cache_clear()


class NulInQueryMiddleware:
    """A NUL byte in a query string is refused with a 400: no database stores one (PostgreSQL raises
    on it), so no search, filter or calendar parameter may carry one as far as a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in unquote_plus(request.META.get("QUERY_STRING", "")):
            return HttpResponseBadRequest("A query string may not hold a NUL byte.", content_type="text/plain")
        return self.get_response(request)
