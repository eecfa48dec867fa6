"""The content stamp: one value that moves whenever a record the public pages show changes.

Cached pages, ETags and page fragments are keyed on it, so a change makes all of them stale at
once, on every server that shares the cache.
"""

import time

from django.core.cache import cache

STAMP_KEY = "public-content-stamp"


def content_changed() -> None:
    """Something the public sees has changed: every cached page and ETag is stale from now."""
    cache.set(STAMP_KEY, time.time(), None)


def content_stamp() -> float:
    stamp = cache.get(STAMP_KEY)
    if stamp is None:
        # After a cache flush nothing is known: start a new era, so no stale page is served.
        stamp = time.time()
        cache.add(STAMP_KEY, stamp, None)
        stamp = cache.get(STAMP_KEY, stamp)
    return stamp


def fragment_version(*, drafts: bool) -> str:
    """The key part of a cached page fragment: stale when the records change, and apart for the
    visitors whose pages also show drafts."""
    return f"{content_stamp()}-{'drafts' if drafts else 'published'}"
