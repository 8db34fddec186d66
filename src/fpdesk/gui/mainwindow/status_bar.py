"""The main window's status bar: which register is open, and the backup being made."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QLabel,
    QProgressBar,
)

from fpdesk.gui import crash
from fpdesk.gui.backup_dialog import Backups
from fpdesk.gui.tasks import Task
from fpdesk.store.errors import RegisterError


class WindowStatusBar:
    """The status bar and the daily and closing backups (a part of MainWindow)."""

    def _build_status(self) -> None:
        self.where = QLabel()
        self.statusBar().addPermanentWidget(self.where)
        # While a backup is being made on a pool thread: what, and a busy bar.
        self.backup_note = QLabel()
        self.backup_note.setObjectName("backup_note")
        self.backup_busy = QProgressBar()
        self.backup_busy.setRange(0, 0)
        self.backup_busy.setMaximumWidth(120)
        self.backup_busy.setTextVisible(False)
        self.statusBar().addWidget(self.backup_note)
        self.statusBar().addWidget(self.backup_busy)
        self.backup_note.hide()
        self.backup_busy.hide()
        self.backups: Backups | None = None
        self._backup_on_close = False
        self._exit_backup: Task | None = None

    # -- backups -----------------------------------------------------------------------

    def keep_backups(self) -> None:
        """Today's backup now, on a pool thread (if there is none yet), and one more
        when the window closes.  Called by the program, not by tests or the self-test."""
        self.backups = Backups(self.register, self)
        self.backups.busy.connect(self._backup_busy)
        self.backups.daily()
        self._backup_on_close = True

    def _backup_busy(self, text: str) -> None:
        error = self.backups.last_error if self.backups is not None else None
        if not text and error is not None:
            text = QCoreApplication.translate(
                "MainWindow", "The backup could not be made: {0}"
            ).format(
                crash.register_error_text(error) if isinstance(error, RegisterError) else str(error)
            )
        self.backup_note.setText(text)
        self.backup_note.setVisible(bool(text))
        self.backup_busy.setVisible(self.backups is not None and self.backups.task is not None)
