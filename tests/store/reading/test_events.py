"""What happened in a village in a period: the change list and recent events."""

from __future__ import annotations

import datetime as dt

from fpdesk.store.db import Register
from fpdesk.store.reading import events
from tests.conftest import VILLAGE
from tests.reports.pdf.conftest import LONG_NAME, Village

NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def test_novembers_events_in_date_order(register: Register, village: Village) -> None:
    happened = events.in_village(register, VILLAGE, *NOVEMBER)
    assert [(e["on_date"], e["kind"]) for e in happened] == [
        ("2026-11-03", "birth"),
        ("2026-11-03", "outcome"),
        ("2026-11-05", "death"),
        ("2026-11-10", "move_float_in"),
        ("2026-11-12", "operation"),
    ]
    birth = happened[0]
    assert (birth["name"], birth["code"], birth["other"]) == ("李秀英", 2, "黄小花")
    assert happened[3]["name"] == LONG_NAME and happened[3]["other"] == "新疆喀什"


def test_events_outside_the_period_are_left_out(register: Register, village: Village) -> None:
    february = events.in_village(register, VILLAGE, dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert [e["kind"] for e in february] == ["iud_removal"]
    assert events.in_village(register, "450102001299", *NOVEMBER) == []
