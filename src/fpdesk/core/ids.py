"""Record keys that never collide between laptops.

Every replicated row is keyed by a UUIDv7: time-ordered (so new rows land at the end
of the B-tree, which keeps inserts cheap) and random enough that two village laptops
never mint the same key.  Integer keys would collide the first time two villages
are merged at the township.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

_RAND_BITS = 74  # rand_a (12 bits) and rand_b (62 bits) taken as one number
_RAND_MAX = (1 << _RAND_BITS) - 1

# The last key this process made.  Keys made within one millisecond follow it by one
# (RFC 9562, 6.2 method 2: a monotonic random), so the order of keys is the order of
# entry: twins entered one after the other keep their order (the birth order counts on
# it), and new rows still land at the end of the B-tree.
_last: tuple[int, int] = (0, 0)
_lock = threading.Lock()


def new_id(unix_ms: int | None = None, rand: bytes | None = None) -> str:
    """A new UUIDv7 as text (RFC 9562); without arguments, later than any made before."""
    if unix_ms is not None or rand is not None:
        ms = int(time.time() * 1000) if unix_ms is None else unix_ms
        tail = os.urandom(10) if rand is None else rand
        if len(tail) != 10:
            raise ValueError("rand must be 10 bytes")
        rand_a = int.from_bytes(tail[:2], "big") & 0x0FFF
        rand_b = int.from_bytes(tail[2:], "big") & 0x3FFF_FFFF_FFFF_FFFF
        return _format(ms, rand_a << 62 | rand_b)
    return _format(*_next_monotonic())


def _next_monotonic() -> tuple[int, int]:
    global _last
    ms = int(time.time() * 1000)
    with _lock:
        last_ms, last_rand = _last
        if ms > last_ms:
            # A fresh millisecond: random, with the top bit clear so that the keys that
            # follow within it have room to count up.
            rand = int.from_bytes(os.urandom(10), "big") & (_RAND_MAX >> 1)
        elif last_rand < _RAND_MAX:
            ms, rand = last_ms, last_rand + 1
        else:  # cannot happen in practice (2^73 keys in a millisecond): borrow the next
            ms, rand = last_ms + 1, 0
        _last = (ms, rand)
    return ms, rand


def _format(ms: int, rand: int) -> str:
    value = (ms & 0xFFFF_FFFF_FFFF) << 80
    value |= 0x7 << 76
    value |= (rand >> 62) << 64
    value |= 0b10 << 62
    value |= rand & 0x3FFF_FFFF_FFFF_FFFF
    return str(uuid.UUID(int=value))
