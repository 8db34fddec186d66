"""The automatic backups from the window: made on a pool thread while the window is
used (the daily one shown in the status bar), and the one on quitting made before the
window closes, with a window that says so."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog

from fpdesk.gui.app import Session
from fpdesk.store import backup, records
from fpdesk.store.db import Register
from tests.conftest import VILLAGE
from tests.gui.conftest import type_text


def _labels(register: Register) -> list[str]:
    return [b.label for b in backup.list_backups(backup.default_folder(register.path))]


def _open(qtbot, filled_register: Register, prefs):  # type: ignore[no-untyped-def]
    """The window as the program opens it (app.Session), after the unlock dialog."""
    session = Session(QApplication.instance(), prefs)
    session.show(filled_register)
    window = session.window
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    return window


def test_the_daily_backup_is_made_while_the_window_is_used(
    qtbot, filled_register: Register, prefs
) -> None:  # type: ignore[no-untyped-def]
    window = _open(qtbot, filled_register, prefs)
    try:
        # started, not done yet: the work is on a pool thread, the status bar says so
        assert window.backups.task is not None
        assert window.backup_note.isVisibleTo(window) and window.backup_busy.isVisibleTo(window)
        assert window.backup_note.text() == window.tr("Making today's backup…")
        # meanwhile the officer types a search: the window answers
        type_text(qtbot, window.search, "李秀英")
        qtbot.keyClick(window.search, Qt.Key.Key_Return)
        assert window.search.text() == "李秀英"
        qtbot.waitUntil(lambda: window.backups.task is None, timeout=20_000)
        assert not window.backup_note.isVisibleTo(window)
        assert not window.backup_busy.isVisibleTo(window)
        assert _labels(filled_register) == ["daily"]
        actions = filled_register.query("SELECT action, detail FROM access_log")
        assert [a["action"] for a in actions] == ["backup"]
        # one a day: a second start of the day makes none
        window.backups.daily()
        qtbot.waitUntil(lambda: window.backups.task is None, timeout=20_000)
        assert _labels(filled_register) == ["daily"]
    finally:
        window._backup_on_close = False
        window.locker.stop()


def test_closing_makes_the_exit_backup_first_and_says_so(
    qtbot, filled_register: Register, prefs
) -> None:  # type: ignore[no-untyped-def]
    window = _open(qtbot, filled_register, prefs)
    qtbot.waitUntil(lambda: window.backups.task is None, timeout=20_000)
    # a change since the daily backup (without one, closing makes no second backup)
    records.insert(
        filled_register,
        "household",
        {"code": f"{VILLAGE}019999", "village_code": VILLAGE, "group_no": "01"},
    )
    window.close()  # the officer closes the window
    # not closed yet: a window says the backup is being made and fpdesk then closes
    assert window.isVisible()
    window.close()  # and closes it again, impatient: the backup goes on all the same
    assert window.isVisible()
    dialog = window.backups.task.dialog
    assert isinstance(dialog, QProgressDialog)
    assert "closes when it is done" in dialog.labelText() or "关闭" in dialog.labelText()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20_000)
    assert _labels(filled_register)[0] == "exit"
    assert sorted(_labels(filled_register)) == ["daily", "exit"]
    window.locker.stop()


def test_a_failed_backup_is_said_in_the_status_bar_and_the_window_stays(
    qtbot, filled_register: Register, prefs
) -> None:  # type: ignore[no-untyped-def]
    # the backup folder's place is taken by a file: the copy cannot be made
    backup.default_folder(filled_register.path).write_text("not a folder", encoding="utf-8")
    window = _open(qtbot, filled_register, prefs)
    try:
        qtbot.waitUntil(lambda: window.backups.task is None, timeout=20_000)
        assert window.backup_note.isVisibleTo(window)
        assert window.backup_note.text().startswith(
            window.tr("The backup could not be made: {0}").split("{0}")[0]
        )
        assert not window.backup_busy.isVisibleTo(window)
        assert window.isVisible()
    finally:
        window._backup_on_close = False
        window.locker.stop()


def test_a_damaged_backup_is_checked_off_the_window_and_refused(
    qtbot, register_path, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from fpdesk.gui.backup_dialog import RestoreDialog
    from fpdesk.store import records
    from fpdesk.store.db import open_register
    from tests.conftest import PASSPHRASE, VILLAGE
    from tests.store.test_backup import corrupt

    with open_register(register_path, PASSPHRASE) as reg:
        for n in range(1, 200):
            records.insert(
                reg,
                "household",
                {"code": f"{VILLAGE}01{n:04d}", "village_code": VILLAGE, "group_no": "01"},
            )
        made = backup.create(reg)
    corrupt(made)
    before = register_path.read_bytes()
    dialog = RestoreDialog(register_path, PASSPHRASE)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.backups.setCurrentRow(0)  # the officer picks it
    assert dialog.task is not None and not dialog.restore_button.isEnabled()
    assert dialog.preview.text() == dialog.tr("Checking the backup…")
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20_000)
    assert "损坏" in dialog.preview.text() or "damaged" in dialog.preview.text()
    assert not dialog.restore_button.isEnabled() and dialog.chosen is None
    assert register_path.read_bytes() == before
