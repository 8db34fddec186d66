"""The work list (an overdue IUD follow-up, recorded in two keystrokes) and the idle lock."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from fpdesk.gui.lock import LockCover
from fpdesk.gui.mainwindow import MainWindow
from fpdesk.gui.worklist import OVERDUE
from fpdesk.store import operations, records
from fpdesk.store.db import create_register
from tests.conftest import PASSPHRASE, TOWNSHIP
from tests.gui.conftest import _id, type_text


def _open_worklist(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.show_worklist.trigger()
    assert window.tabs.currentWidget() is window.worklist
    qtbot.waitUntil(lambda: window.worklist_loaded)


def test_work_list_shows_the_overdue_iud_follow_up(qtbot, main_window: MainWindow) -> None:
    _open_worklist(qtbot, main_window)
    page = main_window.worklist
    shown = [
        page.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 3)
        for r in range(page.proxy.rowCount())
    ]
    iud = [i for i in shown if i.name == "李秀英" and i.visit_type == "iud_followup"]
    assert iud and iud[0].status == OVERDUE
    assert "逾期" in page.summary.text() or "Overdue" in page.summary.text()
    page.when.setCurrentIndex(page.when.findData("today"))
    assert all(
        page.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 3).status == "today"
        for r in range(page.proxy.rowCount())
    )


def test_a_visit_is_recorded_from_the_list_in_two_keystrokes(
    qtbot, main_window: MainWindow
) -> None:
    _open_worklist(qtbot, main_window)
    page = main_window.worklist
    before = page.proxy.rowCount()
    table = page.table
    table.setFocus()
    table.selectRow(0)  # the most overdue line is on top
    first = page.proxy.index(0, 0).data(Qt.ItemDataRole.UserRole + 3)
    qtbot.keyClick(table, Qt.Key.Key_Return)  # 1: open the visit form, filled in
    form = main_window.open_forms[-1]
    qtbot.waitExposed(form)
    qtbot.keyClick(form.focusWidget() or form, Qt.Key.Key_Return)  # 2: save
    qtbot.waitUntil(lambda: not form.isVisible())
    visits = main_window.register.query(
        "SELECT visit_type, follows_id FROM visit WHERE person_id = ?", (first.person_id,)
    )
    assert visits == [{"visit_type": first.visit_type, "follows_id": first.follows_id}]
    assert page.proxy.rowCount() == before - 1


def test_lock_and_unlock_keeps_a_half_typed_form(qtbot, main_window: MainWindow) -> None:
    main_window.household_view.selectRow(0)
    form = main_window.open_form("person", {"household_id": main_window.households.household_id(0)})
    assert form is not None
    qtbot.waitExposed(form)
    name = form.findChildren(QLineEdit)[0]
    name.setFocus()
    type_text(qtbot, name, "张小红")
    main_window.locker.lock()  # what the idle timer does
    locker = main_window.locker
    assert locker.locked
    assert form.isVisible()  # kept, not closed...
    covers = [c for c in form.findChildren(LockCover) if c.isVisible()]
    assert covers and covers[0].geometry() == form.rect()  # ...but covered
    dialog = locker.dialog
    assert dialog is not None and QApplication.activeModalWidget() is dialog
    qtbot.keyClicks(dialog.passphrase, "wrong")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert locker.locked and dialog.error.text()
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Escape)  # no way around the lock
    assert locker.locked
    dialog.passphrase.clear()
    type_text(qtbot, dialog.passphrase, PASSPHRASE)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert not locker.locked
    assert form.isVisible()
    assert name.text() == "张小红"
    assert not [c for c in form.findChildren(LockCover) if c.isVisible()]


def test_idle_time_locks(qtbot, main_window: MainWindow) -> None:
    locker = main_window.locker
    locker.set_minutes(1)
    assert locker.timer.isActive()
    locker.timer.setInterval(10)  # a minute is too long to wait in a test
    locker.timer.start()
    qtbot.waitUntil(lambda: locker.locked, timeout=2000)
    locker.dialog.passphrase.setText(PASSPHRASE)
    locker.dialog.try_unlock()
    assert not locker.locked
    locker.set_minutes(0)
    assert not locker.timer.isActive()


def test_locking_closes_an_open_menu(qtbot, main_window: MainWindow) -> None:
    menu = main_window.file_menu
    menu.popup(main_window.mapToGlobal(main_window.rect().center()))
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is menu)
    main_window.locker.lock()
    assert QApplication.activePopupWidget() is None
    assert main_window.locker.locked
    type_text(qtbot, main_window.locker.dialog.passphrase, PASSPHRASE)
    qtbot.keyClick(main_window.locker.dialog.passphrase, Qt.Key.Key_Return)
    assert not main_window.locker.locked


def _header_click(qtbot, table, column: int) -> None:  # type: ignore[no-untyped-def]
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def _shown(page) -> list:  # type: ignore[no-untyped-def]
    return [
        page.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 3)
        for r in range(page.proxy.rowCount())
    ]


@pytest.fixture
def township_window(qtbot, tmp_path, prefs, clock):  # type: ignore[no-untyped-def]
    """A township of two villages, each with women whose IUD follow-up is overdue."""
    register = create_register(
        tmp_path / "t.fpdesk", PASSPHRASE, role="township", area_code=TOWNSHIP
    )
    women = {TOWNSHIP[:9] + "201": ["张丽", "吴敏"], TOWNSHIP[:9] + "202": ["陈芳", "李娜"]}
    sequence = 1
    for village, names in women.items():
        for n, name in enumerate(names, start=1):
            sequence += 2
            home = records.insert(
                register,
                "household",
                {"code": f"{village}01{n:04d}", "village_code": village, "group_no": "01"},
            )
            person = records.insert(
                register,
                "person",
                {
                    "household_id": home,
                    "name": name,
                    "sex": 2,
                    "birth_date": "1990-01-01",
                    "id_number": _id("1990-01-01", sequence + 1),
                },
            )
            operations.start_contraception(
                register, person, {"method": "iud", "started_on": "2026-04-15"}, clock=clock
            )
    window = MainWindow(register, prefs, clock)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.locker.stop()
    window.close()
    register.close()


def test_a_township_work_list_spans_every_village_and_sorts_by_name_across_them(
    qtbot, township_window: MainWindow
) -> None:
    window = township_window
    # one village at a time, as before...
    _open_worklist(qtbot, window)
    assert {i.name for i in _shown(window.worklist)} == {"张丽", "吴敏"}
    # ...and the whole township when All households is chosen in the tree
    window.tabs.setCurrentIndex(0)
    everything = window.tree.topLevelItem(0)
    window.tree.setCurrentItem(everything.child(1))  # the second village...
    window.show_worklist.trigger()
    assert {i.name for i in _shown(window.worklist)} == {"陈芳", "李娜"}
    window.tabs.setCurrentIndex(0)
    window.tree.setCurrentItem(everything)  # ...then All households
    window.show_worklist.trigger()
    page = window.worklist
    qtbot.waitUntil(lambda: len(_shown(page)) == 4, timeout=20_000)
    _header_click(qtbot, page.table, 2)  # Name
    assert [i.name for i in _shown(page)] == ["陈芳", "李娜", "吴敏", "张丽"]  # pinyin order
    _header_click(qtbot, page.table, 2)
    assert [i.name for i in _shown(page)] == ["张丽", "吴敏", "李娜", "陈芳"]
    # a refresh (after a save) keeps the order the officer chose
    page.refresh()
    qtbot.waitUntil(lambda: page.task is None, timeout=20_000)
    assert [i.name for i in _shown(page)] == ["张丽", "吴敏", "李娜", "陈芳"]


def test_the_work_list_read_once_shows_what_two_due_lists_gave(
    qtbot, filled_register, main_window: MainWindow, clock
) -> None:
    """Today's list and the coming week's come from one reading of the register; the
    window shows what reading the due list for each date apart gave (an overdue line
    from today's, what comes due in the week from the later one, nothing twice)."""
    import datetime as dt

    from fpdesk.gui.worklist import WEEK_AHEAD, work_items
    from fpdesk.store.due import due_list

    register = filled_register
    today = clock.today()
    names = {r["name"]: r["id"] for r in register.query("SELECT id, name FROM person")}
    # a delivery 9 days ago: the day-7 postnatal visit is overdue today, and is still the
    # line a week ahead (the day-28 visit's window has not opened)
    records.insert(
        register,
        "birth",
        {
            "mother_id": names["欧阳娜娜"],
            "sex": 1,
            "birth_date": (today - dt.timedelta(days=9)).isoformat(),
        },
    )
    # a pregnancy registered 27 days ago: its first monthly visit comes due this week
    records.insert(
        register,
        "pregnancy",
        {
            "woman_id": names["欧阳娜娜"],
            "registered_on": (today - dt.timedelta(days=27)).isoformat(),
        },
    )
    # a marriage whose yearly exam falls due in five days
    records.insert(
        register,
        "marriage",
        {
            "wife_id": names["李秀英"],
            "husband_id": names["张三"],
            "married_on": (today - dt.timedelta(days=365 - 5)).isoformat(),
        },
    )

    now = due_list(register, today)
    seen = {(d.person_id, d.visit_type, d.follows_id) for d in now}
    ahead = [
        d
        for d in due_list(register, today + WEEK_AHEAD)
        if (d.person_id, d.visit_type, d.follows_id) not in seen
    ]
    expected = work_items([*now, *ahead], today)
    assert {i.status for i in expected} >= {OVERDUE, "week"}  # both readings matter

    _open_worklist(qtbot, main_window)
    page = main_window.worklist
    assert page.items == expected
    assert sorted(_shown(page), key=lambda i: (i.due_on, i.name, i.visit_type)) == sorted(
        (i for i in expected if i.status != "later"), key=lambda i: (i.due_on, i.name, i.visit_type)
    )
