"""`fpdesk gui` from the command line: arguments, the default register, giving up."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from fpdesk.gui import app as gui_app
from fpdesk.gui import i18n, settings
from fpdesk.gui.settings import Settings
from fpdesk.gui.startup import FirstRunDialog, Startup, UnlockDialog


def test_arguments() -> None:
    args = gui_app.parse(["--db", "x.fpdesk", "--lang", "en"])
    assert args.db == Path("x.fpdesk") and not args.demo and args.lang == "en"
    assert gui_app.parse(["--demo"]).demo


def test_no_register_yet_means_first_run_in_the_data_folder(qtbot, prefs: Settings) -> None:
    startup = Startup(prefs)
    assert startup.path == settings.default_register_path()
    assert str(startup.path).startswith(str(settings.data_dir()))
    startup.begin()
    assert isinstance(startup.dialog, FirstRunDialog)
    qtbot.addWidget(startup.dialog)


def test_main_asks_for_the_passphrase_and_cancel_quits(qtbot, register_path: Path) -> None:
    seen: list[object] = []

    def cancel_the_dialog() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, UnlockDialog)]
        seen.extend(dialogs)
        for dialog in dialogs:
            dialog.reject()

    previous_hook = sys.excepthook
    QTimer.singleShot(100, cancel_the_dialog)
    try:
        status = gui_app.main(["--db", str(register_path), "--lang", "zh"])
    finally:
        sys.excepthook = previous_hook
        root = logging.getLogger("fpdesk")
        for handler in list(root.handlers):
            handler.close()
            root.removeHandler(handler)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        i18n.install(app, "en")
    assert status == 0
    assert seen
    assert Settings().language == "zh"  # --lang is remembered
    assert (settings.log_dir() / "fpdesk.log").exists()
