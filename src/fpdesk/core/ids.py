"""Record keys that never collide between laptops.

Every replicated row is keyed by a UUIDv7: time-ordered (so new rows land at the end
of the B-tree, which keeps inserts cheap) and random enough that two village laptops
never mint the same key.  Integer keys would collide the first time two villages
are merged at the township.
"""

from __future__ import annotations

import os
import time
import uuid


def new_id(unix_ms: int | None = None, rand: bytes | None = None) -> str:
    """A new UUIDv7 as text (RFC 9562)."""
    ms = int(time.time() * 1000) if unix_ms is None else unix_ms
    tail = os.urandom(10) if rand is None else rand
    if len(tail) != 10:
        raise ValueError("rand must be 10 bytes")
    value = (ms & 0xFFFF_FFFF_FFFF) << 80
    value |= 0x7 << 76
    value |= (int.from_bytes(tail[:2], "big") & 0x0FFF) << 64
    value |= 0b10 << 62
    value |= int.from_bytes(tail[2:], "big") & 0x3FFF_FFFF_FFFF_FFFF
    return str(uuid.UUID(int=value))
