"""Caching of public pages, and conditional GET, keyed on when the public records last changed.

Every save or deletion of a record the public pages show moves one stamp (content_changed(),
called from the signal handlers that baliwg/apps.py connects). Anonymous GETs of public pages then:
- answer 304 Not Modified when the browser's ETag or date is current;
- else come from the page cache, whose entry holds the stamp it was rendered at, so a change
  makes every cached page stale at once and a published correction shows at the next request;
- else are rendered (compressed when the browser accepts gzip) and stored.
The stamp and the page are read in ONE cache round trip (get_many), and nothing below this
middleware runs for a cached page: no session, no user, no database, and its headers were set
once when it was stored.
Logged-in users (whose pages show drafts or their own menu) always get a fresh page; its costly
parts come from fragments cached on the same stamp (fragment_version()), so their pages are quick too.
Keys hold the host as well as the path (a page names its own address in links and feeds). Every
other response (the workspace, the admin, accounts, any page a logged-in user sees) is personal:
`Cache-Control: private, no-store`, so neither a shared proxy nor the browser's history keeps it.
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponseNotModified
from django.middleware.gzip import GZipMiddleware
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_http_date_safe
from django.utils.regex_helper import _lazy_re_compile

from core.stamp import STAMP_KEY, content_stamp

PAGE_TIMEOUT = 24 * 60 * 60
# Namespaces whose pages are the same for every anonymous visitor.
PUBLIC_NAMESPACES = {"site", "meetings", "api", "opendata"}
PUBLIC_WORKPLAN_VIEWS = {"board", "item"}
NEVER_CACHED = {"healthz", "ping"}
ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")


@functools.lru_cache(maxsize=4096)
def _is_public(path: str, urlconf) -> bool:
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return False
    if match.url_name in NEVER_CACHED:
        return False
    if match.namespace in PUBLIC_NAMESPACES:
        return True
    return match.namespace == "workplan" and match.url_name in PUBLIC_WORKPLAN_VIEWS


def is_public(path: str) -> bool:
    """Resolved once per address and process (bounded): resolving was a tenth of a cached page."""
    return _is_public(path, get_urlconf())


def page_key(request, gzipped: bool) -> str:
    """The cache key of one address's page (the stamp is kept in the entry, not the key, so that
    the stamp and the page can be read together). Widen it here if pages come to vary by more."""
    variant = "gz" if gzipped else "plain"
    address = f"{request.get_host()}:{request.get_full_path()}"
    return f"page:{variant}:" + hashlib.sha256(address.encode()).hexdigest()


def _etag(stamp: float, request, gzipped: bool) -> str:
    digest = hashlib.sha256(f"{stamp}:{gzipped}:{request.get_host()}:{request.get_full_path()}".encode()).hexdigest()[
        :32
    ]
    return f'"{digest}"'


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # Compression of public pages only. BREACH recovers a secret from the size of compressed
        # responses that also reflect the attacker's input; the pages compressed here go to
        # visitors without a session and set no cookie, so they hold no CSRF token, session or
        # personal data to recover. Logged-in pages (CSRF tokens in forms) are never compressed.
        self._gzip = GZipMiddleware(get_response)

    def __call__(self, request):
        public = is_public(request.path_info)
        if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES or not public:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if not public or (user is not None and user.is_authenticated):
                patch_cache_control(response, private=True, no_store=True)
            return response
        gzipped = bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
        key = page_key(request, gzipped)
        # One round trip for the stamp and the page; a revisit that asks "has it changed?" reads
        # only the stamp (a page's bytes for nothing when the answer is 304).
        revisit = "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META
        found = cache.get_many([STAMP_KEY] if revisit else [STAMP_KEY, key])
        stamp = found.get(STAMP_KEY)
        if stamp is None:
            stamp = content_stamp()  # the cache was flushed: start a new era (rare)
        etag = _etag(stamp, request, gzipped)
        last_modified = int(stamp)
        if self._not_modified(request, etag, last_modified):
            return _not_modified(etag, last_modified)
        entry = cache.get(key) if revisit else found.get(key)
        if entry is not None and entry[0] == stamp:
            return entry[1]
        response = self.get_response(request)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            if gzipped:
                response = self._gzip.process_response(request, response)
            response["ETag"] = etag
            response["Last-Modified"] = http_date(last_modified)
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            cache.set(key, (stamp, response), PAGE_TIMEOUT)
        return response

    @staticmethod
    def _not_modified(request, etag: str, last_modified: int) -> bool:
        # META, not request.headers: building the headers' mapping cost more than the test itself.
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            return etag in [tag.strip() for tag in if_none_match.split(",")]
        since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
        return since is not None and since >= last_modified


def _not_modified(etag: str, last_modified: int):
    response = HttpResponseNotModified()
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    return response
