"""The clock, injected.

No rule reads the system clock directly: validation, due lists and reports take a
Clock, so tests (and a clerk re-running last month) can fix "today".
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Clock(Protocol):
    def today(self) -> dt.date: ...

    def now(self) -> dt.datetime: ...


class SystemClock:
    def today(self) -> dt.date:
        return dt.date.today()

    def now(self) -> dt.datetime:
        return dt.datetime.now().replace(microsecond=0)


class FixedClock:
    def __init__(self, when: dt.date | dt.datetime) -> None:
        if isinstance(when, dt.datetime):
            self._now = when
        else:
            self._now = dt.datetime.combine(when, dt.time(9, 0))

    def today(self) -> dt.date:
        return self._now.date()

    def now(self) -> dt.datetime:
        return self._now
