"""The content stamp: one value that moves whenever a record the public pages show changes.

Cached pages, ETags and page fragments are keyed on it, so a change makes all of them stale at
once, on every server that shares the cache.
"""

import datetime
import time

from django.core.cache import cache
from django.utils import timezone

STAMP_KEY = "public-content-stamp"


def content_changed() -> None:
    """Something the public sees has changed: every cached page and ETag is stale from now."""
    move_stamp(STAMP_KEY)


def content_stamp() -> float:
    return read_stamp(STAMP_KEY)


def content_stamp_with(key: str):
    """The content stamp and the entry kept under `key` ((stamp it was made at, ...) or None),
    read in one round trip."""
    found = cache.get_many([STAMP_KEY, key])
    stamp = found.get(STAMP_KEY)
    return (stamp if stamp is not None else content_stamp()), found.get(key)


def page_stamp() -> float:
    """The stamp a whole cached page is kept at: the content stamp, or midnight once it has passed
    (the home page's upcoming and latest meetings change with the date alone)."""
    return max(content_stamp(), start_of_today())


_today = [0.0, 0.0]  # the start of today and of tomorrow in the site's time zone, as timestamps


def start_of_today() -> float:
    now = time.time()
    if not _today[0] <= now < _today[1]:
        zone = timezone.get_default_timezone()
        today = datetime.datetime.fromtimestamp(now, zone).date()
        days = (today, today + datetime.timedelta(days=1))
        _today[:] = [datetime.datetime.combine(day, datetime.time(), zone).timestamp() for day in days]
    return _today[0]


def move_stamp(key: str) -> None:
    """Whatever was kept under the stamp `key` is stale from now, on every server."""
    cache.set(key, time.time(), None)


def read_stamp(key: str) -> float:
    # Read on every request: the Redis backend's quick read when there is one (baliwg/cache.py).
    quick = getattr(cache, "get_quick", None)
    stamp = quick(key) if quick is not None else cache.get(key)
    if stamp is None:
        # After a cache flush nothing is known: start a new era, so nothing kept before is served.
        stamp = time.time()
        cache.add(key, stamp, None)
        stamp = cache.get(key, stamp)
    return stamp


def fragment_version(*, drafts: bool) -> str:
    """The key part of a cached page fragment: stale when the records change, and apart for the
    visitors whose pages also show drafts."""
    return f"{content_stamp()}-{'drafts' if drafts else 'published'}"
