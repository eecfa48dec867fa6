"""One worker's memory of things it made, each kept with the stamp it was made at (core/stamp.py).

A kept value is served only while its stamp is still the current one, so a change seen by any
server makes it stale in every worker at once; it also goes when it is older than `max_age`
seconds (for a change no stamp sees), and the least recently used go first once the values'
sizes pass `limit`. Values are immutable (bytes, tuples) or copied by the caller, since gunicorn's
threads share the worker's memory.
"""

import threading
import time
from collections import OrderedDict


class StampedMemory:
    def __init__(self, limit: int, max_age: float | None = None):
        self.limit = limit
        self.max_age = max_age
        self.size = 0
        self._kept: OrderedDict = OrderedDict()  # key -> (stamp, kept at, value, size)
        self._lock = threading.Lock()

    def get(self, key, stamp: float):
        with self._lock:
            entry = self._kept.get(key)
            if entry is None or entry[0] != stamp:
                return None
            if self.max_age is not None and time.monotonic() - entry[1] > self.max_age:
                return None
            self._kept.move_to_end(key)
        return entry[2]

    def put(self, key, stamp: float, value, size: int = 1) -> None:
        if size > self.limit // 8:  # a few huge values must not push out all the others
            return
        with self._lock:
            old = self._kept.pop(key, None)
            if old is not None:
                self.size -= old[3]
            self._kept[key] = (stamp, time.monotonic(), value, size)
            self.size += size
            while self.size > self.limit:
                _, dropped = self._kept.popitem(last=False)
                self.size -= dropped[3]
