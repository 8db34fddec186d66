"""The forms, driven like an officer drives them: typing, Tab, Enter, Esc.

Real encrypted registers (tests/conftest.py), real widgets, offscreen.  Chinese text
goes in through the input method, as it does on a real keyboard.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget
from shiboken6 import Shiboken

from fpdesk.core import validation
from fpdesk.core.clock import FixedClock
from fpdesk.core.idnumber import make
from fpdesk.gui.forms import (
    FORM_KINDS,
    FormDialog,
    HistoryDialog,
    build_form,
    open_form,
    pending_drafts,
    restore_draft,
)
from fpdesk.store import operations, records
from fpdesk.store.db import Register, open_register
from fpdesk.store.due import due_list
from tests.conftest import PASSPHRASE
from tests.gui.conftest import type_text

TODAY = dt.date(2026, 11, 28)


def show(qtbot, form: FormDialog, *, crashes: bool = False) -> FormDialog:  # type: ignore[no-untyped-def]
    if not crashes:  # a form the test destroys is not pytest-qt's to close afterwards
        qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()  # shortcuts (Ctrl+M) go to the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    return form


def focused(form: FormDialog) -> QWidget:
    widget = form.focusWidget()
    assert widget is not None
    return widget


def fill(qtbot, form: FormDialog, *entries: str | None) -> None:  # type: ignore[no-untyped-def]
    """Type each entry into the field that has focus, then Tab; None just Tabs past."""
    for entry in entries:
        if entry:
            type_text(qtbot, focused(form), entry)
        qtbot.keyClick(focused(form), Qt.Key.Key_Tab)


def press(qtbot, form: FormDialog, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(focused(form), key)


def count(register: Register, table: str) -> int:
    return int(register.query(f"SELECT count(*) AS n FROM {table} WHERE deleted = 0")[0]["n"])


@pytest.fixture
def couple(register: Register, clock: FixedClock) -> tuple[str, str, str]:
    """(household, husband, wife): married in 2015."""
    new = operations.add_household(
        register,
        {"group_no": 2},
        [
            {"name": "王建国", "sex": 1, "birth_date": "1988-02-03", "relationship": 0},
            {"name": "李秀英", "sex": 2, "birth_date": "1990-05-06", "relationship": 1},
        ],
        clock=clock,
    )
    husband, wife = new.member_ids
    operations.record_marriage(
        register, {"husband_id": husband, "wife_id": wife, "married_on": "2015-10-01"}, clock=clock
    )
    return new.household_id, husband, wife


def test_register_a_household_with_three_members(qtbot, register, clock) -> None:  # type: ignore[no-untyped-def]
    form = show(qtbot, open_form("household", register, {}, clock=clock))
    saved = []
    form.saved.connect(saved.append)
    head_id = make("450102", dt.date(1980, 3, 15), 17)
    wife_id = make("450102", dt.date(1982, 8, 1), 22)
    # group, address, phone, registration type (agricultural by default), the members'
    # usual ethnicity (08: 壮族; nothing is preselected where the area sets nothing)
    assert form.editors["ethnicity"].value() is None
    fill(qtbot, form, "5", "幸福路8号", "13800001111", None, "08")
    # the head: name, ID number (fills sex and birth date), sex, birth date, ethnicity
    # (the household's, already chosen), relationship
    fill(qtbot, form, "张三", head_id, None, None, None, None)
    assert form.editors["m0.birth_date"].value() == "1980-03-15"
    assert form.editors["m0.sex"].value() == "1"
    assert focused(form) is form.add_member_button
    press(qtbot, form, Qt.Key.Key_Return)  # Enter on "Add member" adds one
    fill(qtbot, form, "李梅", wife_id, None, None, None, "1")
    qtbot.keyClick(focused(form), Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    fill(qtbot, form, "张小宝", None, "1", "20100606", None)
    assert form.editors["m2.birth_date"].value() == "2010-06-06"
    type_text(qtbot, focused(form), "2")  # relationship: 2 son
    press(qtbot, form, Qt.Key.Key_Return)  # Enter in a field saves
    assert saved and not form.isVisible()
    members = register.query(
        "SELECT name, relationship, id_number, ethnicity FROM person ORDER BY relationship"
    )
    assert members == [
        {"name": "张三", "relationship": 0, "id_number": head_id, "ethnicity": "08"},
        {"name": "李梅", "relationship": 1, "id_number": wife_id, "ethnicity": "08"},
        {"name": "张小宝", "relationship": 2, "id_number": None, "ethnicity": "08"},
    ]
    household = records.get(register, "household", saved[0].household_id)
    assert household is not None and household["code"].endswith("050001")
    assert household["address"] == "幸福路8号"
    assert pending_drafts(register) == []
    history = HistoryDialog(register, household["id"])
    qtbot.addWidget(history)
    lines = [
        [history.table.item(r, c).text() for c in (3, 4, 5)]
        for r in range(history.table.rowCount())
    ]
    assert ["户主", "", "张三"] in lines  # the head by name, not by key


def test_tab_follows_the_order_on_screen(qtbot, register, couple, clock) -> None:  # type: ignore[no-untyped-def]
    form = show(qtbot, open_form("person", register, {"household_id": couple[0]}, clock=clock))
    order = [focused(form).objectName()]
    for _ in range(len(form.editors) + 1):
        press(qtbot, form, Qt.Key.Key_Tab)
        order.append(focused(form).objectName())
    assert order == [*form.editors, "save", "cancel"]


def test_invalid_id_number_shows_its_message_and_save_is_refused(
    qtbot, register, couple, clock
) -> None:  # type: ignore[no-untyped-def]
    form = show(qtbot, open_form("person", register, {"household_id": couple[0]}, clock=clock))
    good = make("450102", dt.date(2001, 4, 5), 28)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    fill(qtbot, form, "陈红")
    type_text(qtbot, focused(form), bad)
    checksum = validation.message("id.checksum").zh
    assert form.error_of("id_number") == checksum  # as she types, next to the field
    fill(qtbot, form, None, None, None, None, "3")
    press(qtbot, form, Qt.Key.Key_Return)
    assert form.isVisible()
    assert form.error_of("id_number") == checksum
    assert focused(form) is form.editors["id_number"].widget
    assert count(register, "person") == 2
    # Correcting the number clears the message and lets the form save.
    form.editors["id_number"].widget.clear()
    type_text(qtbot, form.editors["id_number"].widget, good)
    assert form.error_of("id_number") == ""
    press(qtbot, form, Qt.Key.Key_Return)
    assert not form.isVisible()
    assert count(register, "person") == 3


def test_missing_fields_are_named_next_to_each(qtbot, register, couple, clock) -> None:  # type: ignore[no-untyped-def]
    form = show(qtbot, open_form("person", register, {"household_id": couple[0]}, clock=clock))
    press(qtbot, form, Qt.Key.Key_Return)
    assert form.isVisible()
    for name in ("name", "sex", "birth_date", "relationship"):
        assert form.error_of(name), name
    assert form.error_of("phone") == ""
    assert focused(form) is form.editors["name"].widget


def test_birth_shows_order_and_policy_verdict(qtbot, register, couple, clock) -> None:  # type: ignore[no-untyped-def]
    household, _, wife = couple
    for name, born in (("王一", "2016-08-01"), ("王二", "2018-09-01")):
        operations.record_birth(
            register, wife, {"name": name, "sex": 2, "birth_date": born}, clock=clock
        )
    form = show(qtbot, open_form("birth", register, {"person_id": wife}, clock=clock))
    assert "李秀英" in form.header.text()
    fill(qtbot, form, "王三", "1", "20200315")
    verdict = form.verdict_label.text()
    assert "3" in verdict and "Outside policy" in verdict
    assert "全面两孩（2016）" in verdict  # the rule that decided, by name
    press(qtbot, form, Qt.Key.Key_Return)
    assert not form.isVisible()
    result = form.result_value
    assert result.judged.order.order == 3 and not result.judged.verdict.compliant
    child = records.get(register, "person", result.child_id)
    assert child is not None and child["household_id"] == household and child["sex"] == 1


def test_iud_insertion_puts_follow_ups_on_the_due_list_and_one_is_recorded(
    qtbot, register, couple, clock
) -> None:  # type: ignore[no-untyped-def]
    _, _, wife = couple
    start = show(
        qtbot, open_form("contraception_start", register, {"person_id": wife}, clock=clock)
    )
    start.editors["started_on"].widget.clear()
    # Method: the IUD is the third entry of the method list.
    for _ in range(3):
        press(qtbot, start, Qt.Key.Key_Down)
    assert start.editors["method"].value() == "iud"
    press(qtbot, start, Qt.Key.Key_Tab)
    type_text(qtbot, focused(start), "2026-09-20")
    press(qtbot, start, Qt.Key.Key_Return)
    assert not start.isVisible()
    episode = start.result_value

    (due,) = [d for d in due_list(register, TODAY) if d.follows_id == episode]
    assert (due.visit_type, due.follows_id) == ("iud_followup", episode)
    assert due.due_on == dt.date(2026, 10, 20)

    context = {
        "person_id": wife,
        "visit_type": due.visit_type,
        "follows_table": due.follows_table,
        "follows_id": due.follows_id,
        "due_on": due.due_on.isoformat(),
    }
    visit = show(qtbot, open_form("visit", register, context, clock=clock))
    assert visit.editors["visit_type"].value() == "iud_followup"
    assert visit.editors["visited_on"].value() == TODAY.isoformat()
    assert "2026-10-20" in visit.header.text()
    press(qtbot, visit, Qt.Key.Key_Return)  # prefilled: Enter is all it takes
    assert not visit.isVisible()
    row = records.get(register, "visit", visit.result_value)
    assert row is not None and row["follows_id"] == episode and row["visited_by"] == "测试员"
    assert [d for d in due_list(register, TODAY) if d.follows_id == episode] == []


def test_edit_a_person_see_history_and_undo(qtbot, register, couple, clock) -> None:  # type: ignore[no-untyped-def]
    _, _, wife = couple
    form = show(qtbot, open_form("person", register, {"person_id": wife}, clock=clock))
    assert form.editors["name"].value() == "李秀英" and not form.dirty
    form.editors["name"].widget.selectAll()
    type_text(qtbot, form.editors["name"].widget, "李秀兰")
    form.editors["phone"].widget.setFocus()
    type_text(qtbot, focused(form), "13912345678")
    press(qtbot, form, Qt.Key.Key_Return)
    assert not form.isVisible()
    assert records.get(register, "person", wife)["name"] == "李秀兰"  # type: ignore[index]

    history = HistoryDialog(register, wife)
    qtbot.addWidget(history)
    history.show()
    history.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is history)
    rows = [
        [history.table.item(r, c).text() for c in range(6)] for r in range(history.table.rowCount())
    ]
    assert ["姓名", "李秀英", "李秀兰"] in [row[3:] for row in rows]
    assert rows[0][1] == "测试员"
    qtbot.keyClick(history.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    person = records.get(register, "person", wife)
    assert person is not None and person["name"] == "李秀英" and person["phone"] is None
    # The undo is itself in the history, newest first.
    assert history.table.rowCount() == len(rows) + 2
    assert [history.table.item(0, c).text() for c in (3, 4, 5)] in (
        ["姓名", "李秀兰", "李秀英"],
        ["电话", "13912345678", ""],
    )


def test_a_crashed_form_comes_back_as_a_draft(qtbot, register_path: Path, couple, clock) -> None:  # type: ignore[no-untyped-def]
    register = open_register(register_path, PASSPHRASE)
    try:
        form = show(
            qtbot,
            build_form("person", register, {"household_id": couple[0]}, clock=clock),
            crashes=True,
        )
        number = make("450102", dt.date(1999, 12, 1), 44)
        fill(qtbot, form, "周晓燕", number, None, None, None, "3")
        qtbot.waitUntil(lambda: bool(pending_drafts(register)))
        # The crash: the window is gone without Save, Cancel or any goodbye.
        Shiboken.delete(form)
    finally:
        register.close()

    restarted = open_register(register_path, PASSPHRASE)  # the next start
    try:
        (draft,) = pending_drafts(restarted)
        assert draft.kind == "person"
        again = restore_draft(restarted, draft, clock=clock)
        qtbot.addWidget(again)
        assert again.editors["name"].value() == "周晓燕"
        assert again.editors["id_number"].value() == number
        assert again.editors["birth_date"].value() == "1999-12-01"
        assert again.editors["relationship"].value() == "3"
        assert again.dirty
        assert again.save()
        assert pending_drafts(restarted) == []
        assert restarted.query("SELECT name FROM person WHERE id_number = ?", (number,))
    finally:
        restarted.close()


def test_esc_on_a_changed_form_asks_first(qtbot, register, couple, clock) -> None:  # type: ignore[no-untyped-def]
    _, _, wife = couple
    clean = show(qtbot, open_form("supply", register, {"person_id": wife}, clock=clock))
    press(qtbot, clean, Qt.Key.Key_Escape)
    assert not clean.isVisible()  # nothing typed: Esc just closes

    form = show(qtbot, open_form("supply", register, {"person_id": wife}, clock=clock))
    press(qtbot, form, Qt.Key.Key_Tab)
    type_text(qtbot, focused(form), "12")
    qtbot.waitUntil(lambda: bool(pending_drafts(register)))
    press(qtbot, form, Qt.Key.Key_Escape)
    question = form.discard_question
    assert isinstance(question, QMessageBox) and question.isVisible()
    assert form.isVisible()
    keep = question.findChild(QPushButton, "keep")
    assert keep is not None
    keep.click()
    assert form.isVisible() and form.editors["quantity"].value() == "12"

    press(qtbot, form, Qt.Key.Key_Escape)
    discard = form.discard_question.findChild(QPushButton, "discard")  # type: ignore[union-attr]
    assert discard is not None
    discard.click()
    assert not form.isVisible()
    assert pending_drafts(register) == []
    assert count(register, "supply") == 0


def test_ctrl_enter_saves_from_a_note(qtbot, register, couple, clock) -> None:  # type: ignore[no-untyped-def]
    _, _, wife = couple
    form = show(qtbot, open_form("pregnancy", register, {"person_id": wife}, clock=clock))
    form.editors["note"].widget.setFocus()
    type_text(qtbot, focused(form), "first line")
    press(qtbot, form, Qt.Key.Key_Return)  # a new line, not a save
    assert form.isVisible()
    type_text(qtbot, focused(form), "second")
    qtbot.keyClick(focused(form), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not form.isVisible()
    pregnancy = records.get(register, "pregnancy", form.result_value)
    assert pregnancy is not None and pregnancy["note"] == "first line\nsecond"
    assert pregnancy["registered_on"] == TODAY.isoformat()


def context_for(kind: str, register: Register, couple: tuple[str, str, str]) -> dict[str, str]:
    household, husband, wife = couple
    if kind == "household":
        return {}
    if kind in ("person", "move_in"):
        return {"household_id": household}
    return {"person_id": husband if kind in ("death", "move_out") else wife}


@pytest.mark.parametrize("kind", FORM_KINDS)
def test_every_form_opens_and_refuses_an_empty_save(qtbot, register, couple, clock, kind) -> None:  # type: ignore[no-untyped-def]
    form = show(qtbot, build_form(kind, register, context_for(kind, register, couple), clock=clock))
    before = register.query("SELECT count(*) AS n FROM change_log")[0]["n"]
    assert not form.grab().isNull()
    for editor in form.editors.values():
        if editor.spec.required and editor.spec.default is None:
            editor.set_value(None)
    if any(e.spec.required and e.spec.default is None for e in form.editors.values()):
        assert not form.save()
        assert form.isVisible()
        assert register.query("SELECT count(*) AS n FROM change_log")[0]["n"] == before
    form.discard()  # before the register closes under the pending draft


def test_a_form_with_nothing_to_act_on_says_so_at_once(qtbot, register, couple, clock) -> None:  # type: ignore[no-untyped-def]
    _, _, wife = couple
    form = show(qtbot, open_form("contraception_stop", register, {"person_id": wife}, clock=clock))
    assert form.general_error.isVisible() and form.general_error.text()
    assert not form.save_button.isEnabled()
    press(qtbot, form, Qt.Key.Key_Return)
    assert form.isVisible() and count(register, "contraception") == 0
    form.discard()


def test_a_household_draft_brings_back_every_member(qtbot, register, clock) -> None:  # type: ignore[no-untyped-def]
    form = show(qtbot, build_form("household", register, {}, clock=clock), crashes=True)
    fill(qtbot, form, "7", None, None, None, None, "黄大山", None, "1", "1970/5/4")
    assert form.editors["m0.birth_date"].value() == "1970-05-04"  # tidied on leaving
    qtbot.keyClick(focused(form), Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    fill(qtbot, form, "黄小河")
    qtbot.waitUntil(lambda: any(d.values.get("m1.name") for d in pending_drafts(register)))
    (draft,) = pending_drafts(register)
    Shiboken.delete(form)

    again = restore_draft(register, draft, clock=clock)
    qtbot.addWidget(again)
    assert again.members == 2
    assert again.editors["m0.birth_date"].value() == "1970-05-04"
    assert again.editors["m1.name"].value() == "黄小河"
    assert again.editors["group_no"].value() == "7"
    again.discard()
    assert pending_drafts(register) == []


def test_a_locked_register_is_said_plainly_and_nothing_typed_is_lost(
    qtbot, register, register_path, couple, clock
) -> None:  # type: ignore[no-untyped-def]
    _, _, wife = couple
    form = show(qtbot, open_form("supply", register, {"person_id": wife}, clock=clock))
    press(qtbot, form, Qt.Key.Key_Down)  # item: condoms, the first on the list
    press(qtbot, form, Qt.Key.Key_Tab)
    type_text(qtbot, focused(form), "30")
    register.conn.execute("PRAGMA busy_timeout = 50")
    other = open_register(register_path, PASSPHRASE)  # e.g. a backup holding the file
    try:
        other.conn.execute("BEGIN IMMEDIATE")
        assert not form.save()
        assert form.isVisible() and form.general_error.isVisible()
        assert "登记册" in form.general_error.text()
        assert form.editors["quantity"].value() == "30"
        other.conn.execute("ROLLBACK")
    finally:
        other.close()
    assert form.save()
    assert register.query("SELECT quantity FROM supply") == [{"quantity": 30}]


def test_marriage_to_someone_from_elsewhere_then_divorce(qtbot, register, clock) -> None:  # type: ignore[no-untyped-def]
    woman = operations.add_household(
        register,
        {"group_no": 4},
        [{"name": "覃小燕", "sex": 2, "birth_date": "1996-03-03", "relationship": 0}],
        clock=clock,
    ).member_ids[0]
    form = show(qtbot, open_form("marriage", register, {"person_id": woman}, clock=clock))
    fill(qtbot, form, "2021-06-06", None)
    type_text(qtbot, focused(form), "刘洋")  # spouse from elsewhere
    press(qtbot, form, Qt.Key.Key_Return)
    assert not form.isVisible()
    marriage = records.get(register, "marriage", form.result_value)
    assert marriage is not None and marriage["wife_id"] == woman
    assert marriage["outside_spouse_name"] == "刘洋"

    divorce = show(qtbot, open_form("divorce", register, {"person_id": woman}, clock=clock))
    assert "2021-06-06" in divorce.header.text()
    type_text(qtbot, focused(divorce), "2025-01-09")
    press(qtbot, divorce, Qt.Key.Key_Return)
    assert not divorce.isVisible()
    assert records.get(register, "person", woman)["marital_status"] == 40  # type: ignore[index]


def test_move_out_then_death(qtbot, register, couple, clock) -> None:  # type: ignore[no-untyped-def]
    _, husband, wife = couple
    move = show(qtbot, open_form("move_out", register, {"person_id": husband}, clock=clock))
    fill(qtbot, move, "2025-02-01")
    press(qtbot, move, Qt.Key.Key_Return)  # the place is required when leaving
    assert move.isVisible() and move.error_of("place")
    type_text(qtbot, focused(move), "广东省深圳市")
    press(qtbot, move, Qt.Key.Key_Return)
    assert not move.isVisible()
    assert records.get(register, "person", husband)["residence_status"] == "out"  # type: ignore[index]

    death = show(qtbot, open_form("death", register, {"person_id": husband}, clock=clock))
    fill(qtbot, death, "2026-10-10")
    type_text(qtbot, focused(death), "车祸")
    press(qtbot, death, Qt.Key.Key_Return)
    assert not death.isVisible()
    assert records.get(register, "person", husband)["death_date"] == "2026-10-10"  # type: ignore[index]
    assert records.get(register, "person", wife)["marital_status"] == 30  # type: ignore[index]


def test_a_letter_in_the_id_number_is_flagged_before_the_end(
    qtbot, register, couple, clock
) -> None:  # type: ignore[no-untyped-def]
    form = show(qtbot, open_form("person", register, {"household_id": couple[0]}, clock=clock))
    form.editors["id_number"].widget.setFocus()
    type_text(qtbot, focused(form), "45010")
    assert form.error_of("id_number") == ""
    type_text(qtbot, focused(form), "Q")
    assert form.error_of("id_number") == validation.message("id.shape").zh
    form.discard()


def test_leaving_a_field_checks_it_without_saving(qtbot, register, couple, clock) -> None:  # type: ignore[no-untyped-def]
    _, _, wife = couple
    form = show(qtbot, open_form("visit", register, {"person_id": wife}, clock=clock))
    before = register.query("SELECT count(*) AS n FROM change_log")[0]["n"]
    press(qtbot, form, Qt.Key.Key_Down)  # the first visit type
    press(qtbot, form, Qt.Key.Key_Tab)
    form.editors["visited_on"].widget.selectAll()
    type_text(qtbot, focused(form), "2027-01-05")
    assert form.error_of("visited_on") == ""  # still typing
    press(qtbot, form, Qt.Key.Key_Tab)
    assert "2027-01-05" in form.error_of("visited_on")  # left it: checked at once
    assert form.error_of("result") == ""  # not reached yet: nothing said
    assert register.query("SELECT count(*) AS n FROM change_log")[0]["n"] == before
    form.discard()
