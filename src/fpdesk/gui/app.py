"""Starting the window: `fpdesk`, `fpdesk gui [--db PATH | --demo]`, `fpdesk-gui`."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from fpdesk.core import i18n as core_i18n
from fpdesk.core.clock import Clock
from fpdesk.gui import crash, i18n
from fpdesk.gui.daily_check import DailyCheck
from fpdesk.gui.icons import icon
from fpdesk.gui.settings import Settings
from fpdesk.store.db import Register

if TYPE_CHECKING:
    from fpdesk.gui.startup import Startup

log = logging.getLogger("fpdesk.gui")


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="fpdesk gui")
    parser.add_argument("--db", type=Path, help="register file / 登记册文件")
    parser.add_argument("--demo", action="store_true", help="build and open the demo register")
    parser.add_argument("--lang", choices=("zh", "en"), help="language / 语言")
    return parser.parse_args(list(argv))


def application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        QApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(sys.argv[:1])
    app.setApplicationName("fpdesk")
    app.setOrganizationName("fpdesk")
    app.setWindowIcon(icon("app"))
    return app


def set_language(app: QApplication, language: str) -> None:
    """One language for Qt's strings and for the bilingual messages of core and store."""
    core_i18n.set_language(language)
    if not i18n.install(app, language):
        log.warning("Chinese translation not found at %s", i18n.qm_path())


def show_fitted(window: QWidget, prefs: Settings) -> None:
    """Where the officer left the window, if that still fits a screen; else maximised.

    The first start fills the screen (a 1366x768 laptop has no room to spare), and a
    place saved on a bigger monitor that is no longer plugged in is not reused.
    """
    saved = prefs.window_geometry
    if saved is not None and window.restoreGeometry(saved):
        screen = QGuiApplication.screenAt(window.geometry().center())
        if screen is not None and screen.availableGeometry().contains(window.frameGeometry()):
            window.show()
            return
    window.showMaximized()


class Session:
    """The running window and what keeps it alive."""

    def __init__(self, app: QApplication, prefs: Settings, clock: Clock | None = None) -> None:
        self.app = app
        self.prefs = prefs
        self.clock = clock
        self.window: object | None = None
        self.startup: Startup | None = None
        self.check: DailyCheck | None = None

    def show(self, register: Register) -> None:
        from fpdesk.gui.mainwindow import MainWindow

        window = MainWindow(register, self.prefs, self.clock)
        window.language_wanted.connect(lambda lang: set_language(self.app, lang))
        window.restore_wanted.connect(self.unlock_to_restore)
        show_fitted(window, self.prefs)
        self.window = window

        def writable() -> None:
            window.keep_backups()  # today's, on a pool thread; and one when the window closes
            QTimer.singleShot(0, window.restore_drafts)

        # The day's integrity check (if due) now, beside the window: what writes waits.
        self.check = DailyCheck(window, register)
        self.check.start(then=writable)
        log.info("register opened: %s (%s)", register.path.name, register.role)

    def unlock_to_restore(self, path: Path) -> None:
        """File ▸ Register ▸ Restore: the window closes its register and the unlock
        window comes back; its Restore from a backup… replaces the closed file."""
        from fpdesk.gui.startup import Startup

        window = self.window
        # The unlock window first: with no window open the application would quit.
        self.startup = Startup(self.prefs, db=path)
        self.startup.opened.connect(self.show)
        self.startup.gave_up.connect(self.app.quit)
        self.startup.ask_passphrase(path)
        register = getattr(window, "register", None)
        if isinstance(register, Register):
            QTimer.singleShot(0, register.close)  # after the window has closed
        self.window = None


def start(argv: Sequence[str]) -> tuple[Session, Startup]:
    """Everything before the event loop: logging, crash handling, language, first dialog."""
    from fpdesk.gui.startup import Startup

    args = parse(argv)
    app = application()
    crash.setup_logging()
    crash.route_qt_messages()
    crash.install_excepthook()
    prefs = Settings()
    if args.lang:
        prefs.language = args.lang
    set_language(app, prefs.language)
    session = Session(app, prefs)
    startup = Startup(prefs, db=args.db, demo=args.demo)
    startup.opened.connect(session.show)
    startup.begin()
    return session, startup


def main(argv: Sequence[str] | None = None) -> int:
    session, startup = start(sys.argv[1:] if argv is None else argv)
    startup.gave_up.connect(session.app.quit)
    status = session.app.exec()
    register = getattr(session.window, "register", None)
    if isinstance(register, Register):
        register.close()
    return int(status)


if __name__ == "__main__":
    raise SystemExit(main())
