"""The content stamp: one value that moves whenever a record the public pages show changes.

Cached pages, ETags and page fragments are keyed on it, so a change makes all of them stale at
once, on every server that shares the cache.
"""

import time

from django.core.cache import cache

STAMP_KEY = "public-content-stamp"


def content_changed() -> None:
    """Something the public sees has changed: every cached page and ETag is stale from now."""
    move_stamp(STAMP_KEY)


def content_stamp() -> float:
    return read_stamp(STAMP_KEY)


def move_stamp(key: str) -> None:
    """Whatever was kept under the stamp `key` is stale from now, on every server."""
    cache.set(key, time.time(), None)


def read_stamp(key: str) -> float:
    stamp = cache.get(key)
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
