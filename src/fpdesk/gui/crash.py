"""Logging, Qt messages and the crash dialog.

Two kinds of failure reach the user differently (design.md, convention 3): an error
the user can act on (core.errors.FpdeskError) shows its plain bilingual message; anything
else is a bug, goes to the rotating log with its traceback and shows the crash dialog.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from fpdesk.core.errors import FpdeskError
from fpdesk.core.i18n import current_language
from fpdesk.gui import settings

log = logging.getLogger("fpdesk.gui")
qt_log = logging.getLogger("fpdesk.qt")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def setup_logging(folder: Path | None = None) -> Path:
    """A rotating log in the user's log folder; returns the log file's path."""
    folder = folder or settings.log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "fpdesk.log"
    root = logging.getLogger("fpdesk")
    if not any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def _qt_message(kind: QtMsgType, context: object, message: str) -> None:
    qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)


def route_qt_messages() -> None:
    """Qt's own warnings go into our log instead of a console nobody sees."""
    qInstallMessageHandler(_qt_message)


def register_error_text(exc: FpdeskError) -> str:
    """The message of any error the user can act on, in the window's language."""
    return exc.text.get(current_language())


def show_register_error(parent: QWidget | None, exc: FpdeskError) -> None:
    """The plain message of an error the user can act on: not a crash."""
    log.warning("%s: %s", type(exc).__name__, exc.text.en)
    QMessageBox.warning(parent, QApplication.translate("Crash", "fpdesk"), register_error_text(exc))


def show_crash(parent: QWidget | None, summary: str, details: str) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(QApplication.translate("Crash", "fpdesk: unexpected error"))
    box.setText(
        QApplication.translate(
            "Crash",
            "Something went wrong inside fpdesk. What was saved before is safe. "
            "The details are in the log file; please give it to your township clerk.",
        )
    )
    box.setInformativeText(summary)
    box.setDetailedText(details)
    box.exec()


def report(exc: BaseException, details: str, parent: QWidget | None = None) -> None:
    """Tell the user: a plain message for an error they can act on (any FpdeskError:
    the register's, a bundle's, a printout's...), the crash dialog for a bug."""
    parent = parent or QApplication.activeWindow()
    if isinstance(exc, FpdeskError):
        show_register_error(parent, exc)
        return
    log.error("unhandled exception\n%s", details)
    if QApplication.instance() is not None:
        show_crash(parent, f"{type(exc).__name__}: {exc}", details)


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    report(value, "".join(traceback.format_exception(kind, value, tb)))


Hook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def install_excepthook() -> Hook:
    """Log and show unhandled errors; returns the previous hook (tests put it back)."""
    previous = sys.excepthook
    sys.excepthook = _excepthook
    return previous
