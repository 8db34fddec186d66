"""No stored value is prose in one language: codes are stored and shown translated."""

from __future__ import annotations

import pytest

from fpdesk.gui.forms import open_form
from fpdesk.store import operations, records
from fpdesk.store.db import Register
from fpdesk.store.reading import timelines


def woman(register: Register) -> str:
    return str(register.query("SELECT id FROM person WHERE name = '李秀英'")[0]["id"])


def stops(register: Register, person_id: str, language: str) -> list[str]:
    events = timelines.timeline(register, person_id, language)
    return [e.detail for e in events if e.kind == "method_stop"]


def test_a_switched_method_reads_in_the_readers_language(filled_register, clock) -> None:  # type: ignore[no-untyped-def]
    register = filled_register
    wife = woman(register)
    operations.start_contraception(register, wife, {"method": "condom",
                                                    "started_on": "2026-11-01"}, clock=clock)
    stored = register.query("SELECT end_reason FROM contraception WHERE method = 'iud'")
    assert stored == [{"end_reason": "switched"}]  # a code, not English
    assert "宫内节育器（上环） · 换用其他方法" in stops(register, wife, "zh")
    assert any("switched to another method" in s for s in stops(register, wife, "en"))
    assert not any("switched" in s for s in stops(register, wife, "zh"))


def test_the_stop_form_offers_reasons_as_codes(qtbot, filled_register, clock) -> None:  # type: ignore[no-untyped-def]
    register = filled_register
    wife = woman(register)
    form = open_form("contraception_stop", register, {"person_id": wife}, clock=clock)
    qtbot.addWidget(form)
    box = form.editors["end_reason"].widget
    labels = [box.itemText(i) for i in range(box.count())]  # type: ignore[attr-defined]
    assert "计划怀孕" in labels or "planning a pregnancy" in labels
    form.editors["end_reason"].set_value("wants_child")
    assert form.save()
    row = records.get(register, "contraception", form.result_value)
    assert row is not None and row["end_reason"] == "wants_child"


def test_free_text_is_refused_and_old_free_text_still_shows(filled_register, clock) -> None:  # type: ignore[no-untyped-def]
    register = filled_register
    wife = woman(register)
    episode = operations.open_contraception(register, wife)
    assert episode is not None
    with pytest.raises(operations.FormProblems) as caught:
        operations.stop_contraception(register, episode["id"], {
            "ended_on": "2026-11-01", "end_reason": "wants a child"}, clock=clock)
    assert set(caught.value.problems) == {"end_reason"}
    # A reason typed as text before reasons were codes is shown as it was typed.
    records.update(register, "contraception", episode["id"],
                   {"ended_on": "2026-11-01", "end_reason": "计划怀孕取环"})
    assert "宫内节育器（上环） · 计划怀孕取环" in stops(register, wife, "zh")
