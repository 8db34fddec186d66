"""The idle lock: after some minutes without a key or a click the register locks.

Locking covers every open window (the main window and any half-typed form) with an
opaque sheet and asks for the passphrase.  Nothing is closed: forms keep what was typed
and come back as they were after the passphrase is given.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from fpdesk.gui.icons import icon
from fpdesk.gui.startup import UnlockDialog

log = logging.getLogger("fpdesk.gui.lock")

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class LockCover(QWidget):
    """An opaque sheet over one window, so nothing on it can be read while locked."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.Mid))
        self.setPalette(palette)
        picture = QLabel()
        picture.setPixmap(icon("lock").pixmap(64, 64))
        self.text = QLabel(self.tr("Locked"))
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(picture, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.text, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        window.installEventFilter(self)
        self.setGeometry(window.rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            parent = self.parentWidget()
            if parent is not None:
                self.setGeometry(parent.rect())
        return False


class Locker(QObject):
    """Watches for activity anywhere in the application and locks when it stops."""

    locked_changed = Signal(bool)

    def __init__(self, path: Path, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.covers: list[LockCover] = []
        self.dialog: UnlockDialog | None = None
        self.set_minutes(minutes)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def locked(self) -> bool:
        return self.dialog is not None

    def set_minutes(self, minutes: int) -> None:
        """0 never locks."""
        self.minutes = max(0, int(minutes))
        self.timer.stop()
        if self.minutes and not self.locked:
            self.timer.start(self.minutes * 60_000)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and not self.locked and self.minutes:
            self.timer.start(self.minutes * 60_000)
        return False

    def lock(self) -> None:
        if self.locked:
            return
        log.info("register locked after idle time")
        self.timer.stop()
        while (popup := QApplication.activePopupWidget()) is not None:
            popup.close()  # an open menu or list would float above the covers
        for window in QApplication.topLevelWidgets():
            if (
                window.isVisible()
                and window.isWindow()
                and window.windowType() not in (Qt.WindowType.Popup, Qt.WindowType.ToolTip)
                and not isinstance(window, UnlockDialog)
            ):
                self.covers.append(LockCover(window))
        parent = next((w for w in QApplication.topLevelWidgets() if w.isVisible()), None)
        self.dialog = UnlockDialog(self.path, parent, check_only=True)
        self.dialog.setModal(True)
        self.dialog.unlocked.connect(self._unlocked)
        self.dialog.open()
        self.dialog.passphrase.setFocus()
        self.locked_changed.emit(True)

    def _unlocked(self, _register: object) -> None:
        for cover in self.covers:
            parent = cover.parentWidget()
            if parent is not None:
                parent.removeEventFilter(cover)
            cover.hide()
            cover.deleteLater()
        self.covers.clear()
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None
        self.set_minutes(self.minutes)
        self.locked_changed.emit(False)

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
