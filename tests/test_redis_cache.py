"""The Redis cache backend on a real Redis: the quick read of the stamps agrees with the ordinary
one, sees another server's change at once, and outlives a dropped connection.

Skipped, with a message saying so, when no Redis answers at REDIS_TEST_URL (a laptop); with
E2E_REQUIRED=1 (CI) a missing Redis fails.
"""

import os
import threading
import uuid

import pytest
import redis

from baliwg.cache import SharedClientRedisCache
from core import stamp

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def redis_cache():
    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        message = f"no Redis at {REDIS_TEST_URL} ({error})"
        if os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail(f"E2E_REQUIRED=1 but {message}")
        pytest.skip(message)
    prefix = uuid.uuid4().hex  # apart from any other test run on the same Redis
    made = [SharedClientRedisCache(REDIS_TEST_URL, {"KEY_PREFIX": prefix}) for _ in range(2)]  # two servers
    yield made
    made[0].delete_many(["stamp", "count", stamp.STAMP_KEY])


def test_the_quick_read_agrees_with_the_ordinary_one(redis_cache):
    here, elsewhere = redis_cache
    assert here.get_quick("stamp") is None and here.get_quick("stamp", 0.0) == 0.0
    elsewhere.set("stamp", 1764585600.123456, None)
    assert here.get_quick("stamp") == here.get("stamp") == 1764585600.123456
    elsewhere.set("stamp", 1764585601.5, None)  # another server's change: seen at the next read
    assert here.get_quick("stamp") == 1764585601.5
    elsewhere.set("count", 7)
    assert here.get_quick("count") == 7


def test_the_quick_read_outlives_a_dropped_connection(redis_cache):
    here, elsewhere = redis_cache
    elsewhere.set("stamp", 2.5, None)
    assert here.get_quick("stamp") == 2.5
    quick = here._quick.connection
    quick.send_command("CLIENT", "ID")
    # The server drops the connection (as in a Redis restart): the client learns it at its next read.
    redis.Redis.from_url(REDIS_TEST_URL).client_kill_filter(_id=quick.read_response())
    assert here.get_quick("stamp") == 2.5  # fell back to the ordinary read, which reconnects
    assert here.get_quick("stamp") == 2.5  # and a new quick connection


def test_each_thread_reads_on_its_own_connection(redis_cache):
    here, elsewhere = redis_cache
    elsewhere.set("stamp", 3.0, None)
    seen = []
    threads = [threading.Thread(target=lambda: seen.extend(here.get_quick("stamp") for _ in range(200))) for _ in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [3.0] * 400


def test_the_stamps_use_the_quick_read_when_the_cache_has_one(redis_cache, monkeypatch):
    here, elsewhere = redis_cache
    monkeypatch.setattr(stamp, "cache", here)
    first = stamp.content_stamp()  # a new era: none was stored
    assert stamp.content_stamp() == first == elsewhere.get(stamp.STAMP_KEY)
    monkeypatch.setattr(stamp, "cache", elsewhere)
    stamp.content_changed()
    monkeypatch.setattr(stamp, "cache", here)
    assert stamp.content_stamp() > first
