"""A birth while an IUD is recorded as in place, with no pregnancy: the officer is asked
to end the method or record the pregnancy, and her answer is kept in the record."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from fpdesk.gui.forms import open_form
from fpdesk.store import access_log, operations, records
from fpdesk.store.db import Register

BIRTH = {"name": "张小雨", "sex": "2", "birth_date": "2026-11-01"}


def woman(register: Register) -> str:
    return str(register.query("SELECT id FROM person WHERE name = '李秀英'")[0]["id"])


def answers(register: Register) -> list[dict[str, object]]:
    return [row["detail"] for row in access_log.read(register, action="warning_confirmed")]


def test_the_birth_is_refused_until_the_officer_answers(filled_register, clock) -> None:  # type: ignore[no-untyped-def]
    register = filled_register
    with pytest.raises(operations.FormProblems) as caught:
        operations.record_birth(register, woman(register), BIRTH, clock=clock)
    assert set(caught.value.problems) == {"method_in_place"}
    assert "宫内节育器" in caught.value.problems["method_in_place"].zh
    assert register.query("SELECT count(*) AS n FROM birth")[0]["n"] == 0
    assert answers(register) == []


@pytest.mark.parametrize("choice", ["end", "pregnancy", "as_is"])
def test_each_answer_is_done_and_kept(filled_register, clock, choice: str) -> None:  # type: ignore[no-untyped-def]
    register = filled_register
    wife = woman(register)
    episode = operations.open_contraception(register, wife)
    assert episode is not None
    new = operations.record_birth(register, wife, {**BIRTH, "method_in_place": choice},
                                  clock=clock)
    birth = records.get(register, "birth", new.birth_id)
    after = records.get(register, "contraception", episode["id"])
    assert birth is not None and after is not None
    if choice == "end":
        assert (after["ended_on"], after["end_reason"]) == ("2026-11-01", "pregnant")
    else:
        assert after["ended_on"] is None
    if choice == "pregnancy":
        pregnancy = records.get(register, "pregnancy", birth["pregnancy_id"])
        assert pregnancy is not None
        assert (pregnancy["outcome"], pregnancy["outcome_on"]) == ("live_birth", "2026-11-01")
    else:
        assert birth["pregnancy_id"] is None
    [kept] = answers(register)
    assert kept["choice"] == choice and kept["contraception_id"] == episode["id"]


def test_no_question_when_the_pregnancy_was_registered(filled_register, clock) -> None:  # type: ignore[no-untyped-def]
    register = filled_register
    wife = woman(register)
    operations.register_pregnancy(register, wife, {"registered_on": "2026-05-01"}, clock=clock)
    operations.record_birth(register, wife, BIRTH, clock=clock)
    assert answers(register) == []


def test_the_form_asks_and_saves_with_the_answer(qtbot, filled_register, clock) -> None:  # type: ignore[no-untyped-def]
    register = filled_register
    wife = woman(register)
    form = open_form("birth", register, {"person_id": wife}, clock=clock)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    for name, value in BIRTH.items():
        form.editors[name].set_value(value)
    qtbot.keyClick(form.editors["name"].widget, Qt.Key.Key_Return)
    question = form.method_question
    assert isinstance(question, QMessageBox)
    qtbot.waitUntil(question.isVisible)
    assert "宫内节育器" in question.text() or "IUD" in question.text()
    assert form.isVisible() and register.query("SELECT count(*) AS n FROM birth")[0]["n"] == 0
    back = question.findChild(QPushButton, "back")
    assert back is not None
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    assert form.isVisible()
    qtbot.keyClick(form.editors["name"].widget, Qt.Key.Key_Return)
    question = form.method_question
    assert question is not None
    qtbot.waitUntil(question.isVisible)
    end = question.findChild(QPushButton, "end")
    assert end is not None
    qtbot.mouseClick(end, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.isVisible())
    assert register.query("SELECT count(*) AS n FROM birth")[0]["n"] == 1
    assert [a["choice"] for a in answers(register)] == ["end"]
