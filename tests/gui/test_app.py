"""`fpdesk gui` from the command line: arguments, the default register, giving up."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fpdesk.gui import app as gui_app
from fpdesk.gui import i18n, settings
from fpdesk.gui.mainwindow import MainWindow
from fpdesk.gui.settings import Settings
from fpdesk.gui.startup import FirstRunDialog, Startup, UnlockDialog
from tests.conftest import PASSPHRASE
from tests.gui.conftest import type_text


def test_arguments() -> None:
    args = gui_app.parse(["--db", "x.fpdesk", "--lang", "en"])
    assert args.db == Path("x.fpdesk") and not args.demo and args.lang == "en"
    assert gui_app.parse(["--demo"]).demo


def test_the_window_is_chinese_on_an_english_system(
    monkeypatch: pytest.MonkeyPatch, prefs: Settings
) -> None:
    """LANG=C.UTF-8 or an English Windows: still Chinese until English is chosen."""
    monkeypatch.delenv("FPDESK_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert prefs.language == "zh"
    prefs.language = "en"
    assert prefs.language == "en"


def test_lang_reaches_the_window_from_either_side_of_gui(monkeypatch: pytest.MonkeyPatch) -> None:
    from fpdesk import cli

    seen: list[list[str]] = []
    monkeypatch.setattr("fpdesk.gui.app.main", lambda argv: seen.append(list(argv)) or 0)
    assert cli.main(["--lang", "en", "gui", "--db", "x.fpdesk"]) == 0
    assert cli.main(["gui", "--db", "x.fpdesk", "--lang", "en"]) == 0
    assert seen == [["--db", "x.fpdesk", "--lang", "en"]] * 2


def test_no_register_yet_means_first_run_in_the_data_folder(qtbot, prefs: Settings) -> None:
    startup = Startup(prefs)
    assert startup.path == settings.default_register_path()
    assert str(startup.path).startswith(str(settings.data_dir()))
    startup.begin()
    assert isinstance(startup.dialog, FirstRunDialog)
    qtbot.addWidget(startup.dialog)


def test_start_asks_for_the_passphrase_and_opens_the_window(qtbot, register_path: Path) -> None:
    # main() is start() plus the event loop; pytest-qt runs the loop here.
    previous_hook = sys.excepthook
    session = None
    try:
        session, startup = gui_app.start(["--db", str(register_path), "--lang", "zh"])
        dialog = startup.dialog
        assert isinstance(dialog, UnlockDialog)
        qtbot.addWidget(dialog)
        assert dialog.windowTitle() == "解锁登记册"  # Chinese, as asked
        type_text(qtbot, dialog.passphrase, PASSPHRASE)
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
        window = session.window
        assert isinstance(window, MainWindow)
        qtbot.addWidget(window)
        assert window.isVisible() and window.households.rowCount() == 0
        window.close()  # the backup on quitting is made first, then the window closes
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=20_000)
    finally:
        sys.excepthook = previous_hook
        root = logging.getLogger("fpdesk")
        for handler in list(root.handlers):
            handler.close()
            root.removeHandler(handler)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        i18n.install(app, "en")
        app.processEvents()  # the language change reaches the window while it can read
        if session is not None and isinstance(session.window, MainWindow):
            session.window.register.close()
    assert Settings().language == "zh"  # --lang is remembered
    assert "register opened" in (settings.log_dir() / "fpdesk.log").read_text(encoding="utf-8")


def test_the_window_fills_the_screen_on_first_start_then_opens_where_it_was(
    qtbot, filled_register, prefs: Settings, clock  # type: ignore[no-untyped-def]
) -> None:
    assert prefs.window_geometry is None
    window = MainWindow(filled_register, prefs, clock)
    qtbot.addWidget(window)
    gui_app.show_fitted(window, prefs)
    qtbot.waitExposed(window)
    assert window.isMaximized()
    window.showNormal()
    # A size the window can take whatever the fonts (Windows' are wider than Linux's).
    width = max(700, window.minimumSizeHint().width())
    window.setGeometry(50, 60, width, max(500, window.minimumSizeHint().height()))
    window.locker.stop()
    window._backup_on_close = False
    window.close()
    assert prefs.window_geometry is not None
    again = MainWindow(filled_register, prefs, clock)
    qtbot.addWidget(again)
    gui_app.show_fitted(again, prefs)
    qtbot.waitExposed(again)
    assert not again.isMaximized() and again.size().width() == width
    again.locker.stop()


def test_the_main_window_fits_a_1366x768_screen(qtbot, main_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Nothing forces the window wider or taller than a small laptop's screen."""
    need = main_window.minimumSizeHint()
    assert need.width() <= 1366 and need.height() <= 768 - 40  # the task bar
