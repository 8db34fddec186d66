"""A person's timeline, oldest first, in the language asked for."""

from __future__ import annotations

from fpdesk.store.db import Register
from fpdesk.store.reading import timelines
from tests.reports.pdf.conftest import Village


def test_the_wifes_life_in_order(register: Register, village: Village) -> None:
    events = timelines.timeline(register, village.wife, "zh")
    kinds = [e.kind for e in events]
    assert kinds[0] == "born" and events[0].on == "1994-06-15"
    assert kinds.index("married") < kinds.index("method_start") < kinds.index("method_stop")
    # The outcome comes before the birth it ends in, on the same day.
    outcome = kinds.index("outcome")
    assert events[outcome + 1].kind == "child" and events[outcome + 1].on == events[outcome].on
    married = next(e for e in events if e.kind == "married")
    assert married.detail == "黄建国" and married.table == "marriage"
    stop = next(e for e in events if e.kind == "method_stop")
    assert stop.on == "2026-02-20" and "·" in stop.detail  # method · reason, in words


def test_a_timeline_in_english(register: Register, village: Village) -> None:
    zh = timelines.timeline(register, village.wife, "zh")
    en = timelines.timeline(register, village.wife, "en")
    assert [(e.on, e.kind) for e in zh] == [(e.on, e.kind) for e in en]
    assert [e.detail for e in zh] != [e.detail for e in en]


def test_no_timeline_for_no_one(register: Register) -> None:
    assert timelines.timeline(register, "nobody", "zh") == []
