"""The first start of the day: the window comes at once, the register's integrity check
runs beside it (gui.daily_check), and nothing is written until it has passed.

Through the real window only (unlock, menus, keys): while the check runs, a form opens
and can be filled in but its save is refused with the plain message and nothing is
written; once it has passed the same save goes through.  A damaged file keeps editing
locked and offers the restore of the unlock window.

The check is the real one (quick_check and cipher_integrity_check on a second
connection); the first test only holds it back until the form has been tried, since on
a small register it would end before a person could type anything.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from fpdesk.gui.app import Session
from fpdesk.gui.backup_dialog import RestoreDialog
from fpdesk.gui.mainwindow import MainWindow
from fpdesk.gui.startup import Startup, UnlockDialog
from fpdesk.store import backup, daily_check
from fpdesk.store.db import Register
from tests.conftest import PASSPHRASE
from tests.gui.conftest import type_text
from tests.gui.test_journey_officer import _active, _key, _menu, _newest_form, _search
from tests.store.test_backup import corrupt, many_households


def _unlock(qtbot, path: Path, prefs, clock) -> tuple[Session, MainWindow]:  # type: ignore[no-untyped-def]
    """Start as the program does: the unlock window, the passphrase, Enter."""
    session = Session(QApplication.instance(), prefs, clock)  # type: ignore[arg-type]
    startup = Startup(prefs, db=path)
    startup.opened.connect(session.show)
    startup.begin()
    unlock = startup.dialog
    assert isinstance(unlock, UnlockDialog)
    qtbot.addWidget(unlock)
    type_text(qtbot, unlock.passphrase, PASSPHRASE)
    _key(qtbot, unlock.passphrase, Qt.Key.Key_Return)
    window = session.window
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    _active(qtbot, window)
    session.startup = startup  # kept alive with the session
    return session, window


def _counts(register: Register) -> dict[str, int]:
    return {
        table: register.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("supply", "change_log", "access_log", "draft")
    }


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The real check, held back on its worker until the event is set."""
    go = threading.Event()
    real = daily_check.file_damage

    def waiting(conn: Any, **kwargs: Any) -> list[str]:
        assert go.wait(30), "the test never let the check go on"
        return real(conn, **kwargs)

    monkeypatch.setattr(daily_check, "file_damage", waiting)
    return go


def test_while_the_check_runs_a_save_is_refused_and_nothing_written_then_it_goes_through(
    qtbot, filled_register: Register, prefs, clock, held: threading.Event
) -> None:  # type: ignore[no-untyped-def]
    path = filled_register.path
    filled_register.close()
    session, window = _unlock(qtbot, path, prefs, clock)
    register = window.register
    check = session.check
    assert check is not None
    try:
        # the window is there, reading works, and the status bar says the check runs
        assert check.running
        assert check.note.isVisibleTo(window) and check.busy.isVisibleTo(window)
        assert "检查登记册" in check.note.text() or "Checking" in check.note.text()
        assert window.backups is None  # today's backup waits for the check too
        before = _counts(register)
        _search(qtbot, window, "lxy")  # 李秀英, by pinyin
        assert window.detail.currentWidget() is window.person_page
        # a form opens and is filled in; its save is refused with the plain message
        _menu(window, "Records", "For this person", "Supplies handed out").trigger()
        form = _newest_form(qtbot, window)
        _key(qtbot, form.focusWidget() or form, Qt.Key.Key_Down)  # condoms
        _key(qtbot, form.focusWidget() or form, Qt.Key.Key_Tab)
        type_text(qtbot, form.focusWidget(), "30")
        _key(qtbot, form.focusWidget(), Qt.Key.Key_Return)
        assert form.isVisible() and form.general_error.isVisible()
        assert "正在检查登记册" in form.general_error.text()
        assert form.editors["quantity"].value() == "30"  # what she typed stays
        qtbot.wait(1200)  # past the form's draft timer: no draft is written either
        assert _counts(register) == before  # nothing written: no supply, no log, no draft
        assert not register.writable
        # the check ends (passes): the login's record is written, today's backup starts
        held.set()
        qtbot.waitUntil(lambda: not check.running, timeout=20_000)
        assert not check.note.isVisibleTo(window) and not check.busy.isVisibleTo(window)
        assert register.writable
        logins = register.query("SELECT action FROM access_log WHERE action = 'login'")
        assert len(logins) == 1
        qtbot.waitUntil(lambda: window.backups is not None and window.backups.task is None)
        # the same form saves now, with what she typed
        form.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
        _key(qtbot, form.focusWidget() or form, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not form.isVisible())
        supplies = register.query("SELECT quantity FROM supply WHERE deleted = 0")
        assert [s["quantity"] for s in supplies] == [30]
    finally:
        held.set()
        window._backup_on_close = False
        window.close()
        window.locker.stop()
        register.close()


def test_a_damaged_register_stays_locked_and_restore_is_offered(
    qtbot, filled_register: Register, prefs, clock, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    many_households(filled_register, group="03")
    made = backup.create(filled_register)  # yesterday's good backup
    path = filled_register.path
    filled_register.close()
    corrupt(path)
    before = path.read_bytes()
    session, window = _unlock(qtbot, path, prefs, clock)
    register = window.register
    check = session.check
    assert check is not None
    qtbot.waitUntil(lambda: check.failure is not None, timeout=20_000)
    box = check.failure
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "损坏" in box.text() or "damaged" in box.text()
    assert daily_check.failed(register) and not register.writable
    assert window.backups is None  # no backup of a damaged file over the good ones
    # editing is locked: New household refuses with the plain message, no form opens
    answers: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, _title, text, *a, **k: answers.append(text)
    )
    box.done(0)
    _active(qtbot, window)
    forms = list(window.open_forms)
    window.new_household.trigger()
    assert window.open_forms == forms
    assert answers and "已损坏" in answers[0]
    # restore is offered: the unlock window comes back, whose restore lists the backups
    box.open()
    assert check.restore_button is not None
    qtbot.mouseClick(check.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible())
    unlock = session.startup.dialog if session.startup is not None else None
    assert isinstance(unlock, UnlockDialog)
    qtbot.addWidget(unlock)
    qtbot.waitUntil(lambda: register.closed)
    assert path.read_bytes() == before  # nothing was ever written to it
    type_text(qtbot, unlock.passphrase, PASSPHRASE)
    qtbot.mouseClick(unlock.restore_button, Qt.MouseButton.LeftButton)
    restore = unlock.restore_dialog
    assert isinstance(restore, RestoreDialog)
    qtbot.addWidget(restore)
    listed = [
        restore.backups.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(restore.backups.count())
    ]
    assert str(made) in listed
    restore.close()
    unlock.close()
