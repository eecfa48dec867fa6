"""Caching of public pages, and conditional GET, keyed on when the public records last changed.

Every save or deletion of a record the public pages show moves one stamp (content_changed(),
called from the signal handlers that baliwg/apps.py connects). Anonymous GETs of public pages then:
- answer 304 Not Modified when the browser's ETag or date is current;
- else come from the page cache, whose entry holds the stamp it was rendered at, so a change
  makes every cached page stale at once and a published correction shows at the next request;
- else are rendered (compressed when the browser accepts gzip) and stored.
Each worker also keeps the pages it served last in its own memory (StampedMemory, bounded in bytes),
so a cached page costs one small read of the stamp, not the page's bytes from the shared cache
(a 120 KB page from Redis was most of a request's time); the stamp is still read every time, so a
change shows at the very next request in every worker. Nothing below this middleware runs for a
cached page: no session, no user, no database, and its headers were set once when it was stored.
Logged-in visitors skip that cache (their pages show drafts or their own menu, and hold a CSRF
token). LoggedInPageCacheMiddleware keeps their public pages instead, one per kind of visitor (drafts
shown or not, the Workspace link or not) and stamp, with this request's CSRF token put into the
forms; a page with a message to show is rendered afresh.
Keys hold the host as well as the path (a page names its own address in links and feeds). Every
other response (the workspace, the admin, accounts, any page a logged-in user sees) is personal:
`Cache-Control: private, no-store`, so neither a shared proxy nor the browser's history keeps it.
"""

import functools
import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.middleware.gzip import GZipMiddleware
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_http_date_safe
from django.utils.regex_helper import _lazy_re_compile

from core.memory import StampedMemory
from core.stamp import page_stamp
from meetings.permissions import can_preview_drafts
from workplan.access import show_workspace_link

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


def _frozen(response: HttpResponse) -> tuple:
    return (response.status_code, dict(response.items()), response.content)


def _thawed(frozen: tuple) -> HttpResponse:
    status, headers, body = frozen
    return HttpResponse(body, status=status, headers=headers)


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # Compression of public pages only. BREACH recovers a secret from the size of compressed
        # responses that also reflect the attacker's input; the pages compressed here go to
        # visitors without a session and set no cookie, so they hold no CSRF token, session or
        # personal data to recover. Logged-in pages (CSRF tokens in forms) are never compressed.
        self._gzip = GZipMiddleware(get_response)
        self.memory = StampedMemory(settings.PUBLIC_PAGE_MEMORY_BYTES)

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
        # The stamp alone from the shared cache (a few bytes); the page from this worker's memory,
        # else from the shared cache (the first visit to it in this worker since the last change).
        stamp = page_stamp()
        etag = _etag(stamp, request, gzipped)
        last_modified = int(stamp)
        if has_current_version(request, etag, last_modified):
            return _not_modified(etag, last_modified)
        frozen = self.memory.get(key, stamp)
        if frozen is not None:
            return _thawed(frozen)
        entry = cache.get(key)
        if entry is not None and entry[0] == stamp:
            self.memory.put(key, stamp, _frozen(entry[1]), len(entry[1].content))
            return entry[1]
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not _used_a_nonce(request)
        ):
            if gzipped:
                response = self._gzip.process_response(request, response)
            response["ETag"] = etag
            response["Last-Modified"] = http_date(last_modified)
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            cache.set(key, (stamp, response), PAGE_TIMEOUT)
            self.memory.put(key, stamp, _frozen(response), len(response.content))
        return response


def has_current_version(request, etag: str, last_modified: int | None) -> bool:
    """Whether the browser's copy (by its ETag, else its date) is the one `etag` names."""
    # META, not request.headers: building the headers' mapping cost more than the test itself.
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        return etag in [tag.strip() for tag in if_none_match.split(",")]
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and last_modified is not None and since >= last_modified


def _not_modified(etag: str, last_modified: int):
    response = HttpResponseNotModified()
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    return response


# The value of a form's CSRF field as {% csrf_token %} writes it: one masked token per page render.
CSRF_FIELD = _lazy_re_compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class LoggedInPageCacheMiddleware:
    """A logged-in visitor's public HTML pages, kept per content stamp and kind of visitor.

    Public views vary by visitor only in whether drafts are shown (can_preview_drafts) and in the
    layout's menu (the Workspace link); each page is rendered once per stamp for each such kind and
    kept as the parts around its CSRF tokens, joined with this request's token when served. So a
    logged-in page costs the session, the user and the stamp, as the pages themselves change only
    with the stamp. Below the session, user and message middleware (it needs them) and the
    clickjacking header (which a kept page must still get)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.memory = StampedMemory(settings.PUBLIC_PAGE_MEMORY_BYTES // 4)

    def __call__(self, request):
        user = request.user
        if request.method not in ("GET", "HEAD") or not user.is_authenticated or not _is_html_page(request.path_info):
            return self.get_response(request)
        if list(messages.get_messages(request)):
            return self.get_response(request)  # a message to show once: this page is not the kept one
        drafts = "drafts" if can_preview_drafts(user) else "published"
        menu = "workspace" if show_workspace_link(request) else "no-workspace"
        address = f"{drafts}:{menu}:{request.get_host()}:{request.get_full_path()}"
        key = "logged-in-page:" + hashlib.sha256(address.encode()).hexdigest()
        stamp = page_stamp()
        kept = self.memory.get(key, stamp)
        if kept is None:
            entry = cache.get(key)
            if entry is not None and entry[0] == stamp:
                kept = entry[1]
                self.memory.put(key, stamp, kept, sum(map(len, kept[1])))
        if kept is not None:
            content_type, parts = kept
            token = get_token(request).encode() if len(parts) > 1 else b""
            return HttpResponse(token.join(parts), content_type=content_type)
        response = self.get_response(request)
        parts = _parts_around_token(request, response)
        if parts is not None:
            entry = (response["Content-Type"], parts)
            cache.set(key, (stamp, entry), PAGE_TIMEOUT)
            self.memory.put(key, stamp, entry, sum(map(len, parts)))
        return response


def _parts_around_token(request, response) -> tuple[bytes, ...] | None:
    """A logged-in page as the parts around its CSRF token, or None when it may not be kept: not a
    plain HTML page, a cookie or nonce of its own, or a token used where this cannot find it."""
    kept = response.status_code == 200 and not response.streaming and not response.cookies
    if not kept or not response.get("Content-Type", "").startswith("text/html") or _used_a_nonce(request):
        return None
    content = response.content
    tokens = set(CSRF_FIELD.findall(content.decode(response.charset)))
    if len(tokens) > 1:  # one render, one token: more is a page this does not understand
        return None
    if not tokens:
        # get_token() marks the cookie for renewal: a token used outside a form field stays unkept.
        return None if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") else (content,)
    return tuple(content.split(tokens.pop().encode()))


def _used_a_nonce(request) -> bool:
    """Whether the page used the CSP nonce of this one response (django-csp makes it on first use)."""
    return getattr(request, "_csp_nonce", None) is not None


@functools.lru_cache(maxsize=4096)
def _is_html_page_of(path: str, urlconf) -> bool:
    # The API answers the same JSON to everyone; everything else public is a page.
    return _is_public(path, urlconf) and resolve(path, urlconf).namespace != "api"


def _is_html_page(path: str) -> bool:
    return _is_html_page_of(path, get_urlconf())
