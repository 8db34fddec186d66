"""Starting the window the way an officer does: first run, then unlocking."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from fpdesk.gui.settings import Settings
from fpdesk.gui.startup import FirstRunDialog, Startup, UnlockDialog
from fpdesk.store.db import Register, open_register
from tests.conftest import PASSPHRASE, VILLAGE
from tests.gui.conftest import type_text


def test_first_run_sets_up_a_register(qtbot, tmp_path: Path, prefs: Settings) -> None:
    path = tmp_path / "new.fpdesk"
    startup = Startup(prefs, db=path)
    opened: list[Register] = []
    startup.opened.connect(opened.append)
    startup.begin()
    dialog = startup.dialog
    assert isinstance(dialog, FirstRunDialog)
    qtbot.addWidget(dialog)
    # The role is already "village officer"; Tab through the rest like a person.
    dialog.area_code.setFocus()
    qtbot.keyClicks(dialog.area_code, "45010200120")  # one digit short
    qtbot.keyClick(dialog.area_code, Qt.Key.Key_Tab)
    type_text(qtbot, dialog.officer, "韦丽")
    qtbot.keyClick(dialog.officer, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.passphrase, "village-key")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.again, "village-key")
    qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
    assert not opened
    # The message is under the area code, where the mistake is, and the cursor is there.
    assert dialog.fields.error_of(dialog.area_code) == dialog.tr("The area code has 12 digits.")
    assert dialog.fields.error_of(dialog.officer) == ""
    assert not dialog.error.isVisibleTo(dialog)
    assert dialog.focusWidget() is dialog.area_code
    assert not path.exists()
    qtbot.keyClicks(dialog.area_code, "1")
    qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
    assert not opened  # the recovery key is shown first, once
    assert "-" in startup.dialog.key_label.text()
    startup.dialog.accept()
    assert len(opened) == 1
    register = opened[0]
    try:
        assert register.area_code == "450102001201"
        assert register.role == "village"
    finally:
        register.close()
    assert prefs.officer == "韦丽"
    # the person setting up is the first account, with the passphrase typed
    open_register(path, "village-key", user="韦丽").close()


def test_unlock_wrong_then_right(qtbot, register_path: Path, prefs: Settings) -> None:
    startup = Startup(prefs, db=register_path)
    opened: list[Register] = []
    startup.opened.connect(opened.append)
    startup.begin()
    dialog = startup.dialog
    assert isinstance(dialog, UnlockDialog)
    qtbot.addWidget(dialog)
    field = dialog.findChild(QLineEdit, "passphrase")
    qtbot.keyClicks(field, "not the passphrase")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert not opened
    assert dialog.isVisible()
    assert "口令不对" in dialog.error.text()  # the store's own message, in Chinese
    field.clear()
    type_text(qtbot, field, PASSPHRASE)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert len(opened) == 1
    assert opened[0].area_code == VILLAGE
    assert not dialog.isVisible()
    opened[0].close()


def test_a_file_that_is_not_a_register_is_a_plain_message(
    qtbot, tmp_path: Path, prefs: Settings
) -> None:
    junk = tmp_path / "notes.fpdesk"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4080)  # plain, unencrypted SQLite
    dialog = UnlockDialog(junk)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.keyClicks(dialog.passphrase, "whatever")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert "不是 fpdesk 登记册" in dialog.error.text()
    assert junk.read_bytes() == b"SQLite format 3\x00" + b"\x00" * 4080


def test_the_demo_records_one_stable_officer_whatever_the_language(
    qtbot, prefs: Settings, user_folders: Path
) -> None:
    """Edits are kept under the same name after a language switch, never "Demo user"."""
    from PySide6.QtWidgets import QApplication

    from fpdesk.gui import i18n, settings
    from fpdesk.store.db import create_register

    path = settings.demo_register_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    create_register(path, settings.DEMO_PASSPHRASE, role="village", area_code=VILLAGE).close()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    actors = []
    try:
        for language in ("en", "zh"):
            i18n.install(app, language)
            startup = Startup(prefs, demo=True)
            opened: list[Register] = []
            startup.opened.connect(opened.append)
            startup.open_demo()
            (register,) = opened
            actors.append(register.query("SELECT value FROM local_state WHERE key = 'actor'"))
            register.close()
    finally:
        i18n.install(app, "en")
    assert actors[0] == actors[1] == [{"value": settings.DEMO_OFFICER}]
