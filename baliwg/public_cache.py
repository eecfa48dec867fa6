"""Caching of public pages, and conditional GET, keyed on when the public records last changed.

Every save or deletion of a record the public pages show moves one stamp (content_changed(),
called from the signal handlers that baliwg/apps.py connects). Anonymous GETs of public pages then:
- answer 304 Not Modified when the browser's ETag or date is current (no query at all while
  the stamp is cached, one when it is not);
- else come from the page cache, keyed on the address and the stamp, so a change makes every
  cached page stale at once and a published correction shows at the next request;
- else are rendered and stored.
Logged-in users (whose pages show drafts or their own menu) always get a fresh page; its costly
parts come from fragments cached on the same stamp (fragment_version()), so their pages are quick too.
Keys hold the host as well as the path (a page names its own address in links and feeds). Every
other response (the workspace, the admin, accounts, any page a logged-in user sees) is personal:
`Cache-Control: private, no-store`, so neither a shared proxy nor the browser's history keeps it.
"""

import hashlib

from django.core.cache import cache
from django.http import HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from core.stamp import content_stamp

PAGE_TIMEOUT = 24 * 60 * 60
# Namespaces whose pages are the same for every anonymous visitor.
PUBLIC_NAMESPACES = {"site", "meetings", "api", "opendata"}
PUBLIC_WORKPLAN_VIEWS = {"board", "item"}
NEVER_CACHED = {"healthz", "ping"}


def is_public(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    if match.url_name in NEVER_CACHED:
        return False
    if match.namespace in PUBLIC_NAMESPACES:
        return True
    return match.namespace == "workplan" and match.url_name in PUBLIC_WORKPLAN_VIEWS


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or "sessionid" in request.COOKIES or not is_public(request.path_info):
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if not is_public(request.path_info) or (user is not None and user.is_authenticated):
                patch_cache_control(response, private=True, no_store=True)
            return response
        stamp = content_stamp()
        address = f"{stamp}:{request.get_host()}:{request.get_full_path()}"
        etag = '"' + hashlib.sha256(address.encode()).hexdigest()[:32] + '"'
        last_modified = int(stamp)
        if self._not_modified(request, etag, last_modified):
            return _not_modified(etag, last_modified)
        key = "page:" + hashlib.sha256(address.encode()).hexdigest()
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = self.get_response(request)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            response["ETag"] = etag
            response["Last-Modified"] = http_date(last_modified)
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            cache.set(key, response, PAGE_TIMEOUT)
        return response

    @staticmethod
    def _not_modified(request, etag: str, last_modified: int) -> bool:
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            return etag in [tag.strip() for tag in if_none_match.split(",")]
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        return since is not None and since >= last_modified


def _not_modified(etag: str, last_modified: int):
    response = HttpResponseNotModified()
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    return response
