"""The Redis cache backend, with one Redis client per connection pool instead of one per call.

Django's backend builds a new `redis.Redis` for every cache operation; redis-py 8 fills a table
of reply callbacks each time it does, which made a cached page's two cache reads cost more than
the rest of the request. A client is safe to share between threads (each command borrows a
connection from the pool), so each pool keeps one.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
