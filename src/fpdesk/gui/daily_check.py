"""The register's daily integrity check, run after the window is shown.

The unlock dialog opens the register with `verify=LATER` (store.daily_check): when the
day's check is due, the window appears at once with the register readable but not
writable, and `DailyCheck` runs the check on a pool thread with its own connection,
shown in the status bar.  Until it ends, a save, an undo or an import refuses with
"正在检查登记册…" (the form stays open with what was typed); once it passed, the writes
it kept waiting are made and `passed` starts what writes (today's backup, the forms a
crash left unsaved).  If it finds damage, editing stays locked for the session and a
message offers the restore of the unlock window (MainWindow.close_for_restore).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QProgressBar, QPushButton

from fpdesk.gui.tasks import Task, run_task
from fpdesk.store import daily_check
from fpdesk.store.db import Register

log = logging.getLogger("fpdesk.gui.daily_check")


class DailyCheck(QObject):
    """The check of one window's register: started once, reported in its status bar."""

    passed = Signal()
    failed = Signal()

    def __init__(self, window: QMainWindow, register: Register) -> None:
        super().__init__(window)
        self.window = window
        self.register = register
        self.task: Task | None = None
        self.failure: QMessageBox | None = None
        self.restore_button: QPushButton | None = None
        self.note = QLabel()
        self.note.setObjectName("daily_check_note")
        self.busy = QProgressBar()
        self.busy.setObjectName("daily_check_busy")
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setTextVisible(False)
        window.statusBar().addWidget(self.note)
        window.statusBar().addWidget(self.busy)
        self._show_note("")

    @property
    def running(self) -> bool:
        return self.task is not None

    def start(self, then: Callable[[], None]) -> Task | None:
        """Run the check if it is due, then `then()` once it passed; `then()` at once
        when no check is due."""
        if not daily_check.pending(self.register):
            then()
            return None
        self.passed.connect(then)
        opener = self.register.reopen  # read here, called on the pool thread
        self._show_note(
            self.tr("Checking the register… It can be read meanwhile; changes wait until the end.")
        )
        self.task = run_task(
            self.window,
            lambda _progress: daily_check.run(opener),
            on_done=self._done,
            on_error=self._error,
            cancellable=False,
            show_progress=False,
        )
        return self.task

    def _show_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))
        self.busy.setVisible(bool(text))

    def _done(self, damage: Any) -> None:
        self.task = None
        self._show_note("")
        if self.register.closed:  # the window closed meanwhile: nothing to let through
            return
        daily_check.finish(self.register, list(damage))
        if damage:
            log.error("daily check found damage: %s", "; ".join(damage)[:500])
            self._locked()
            return
        log.info("daily check passed")
        self.passed.emit()

    def _error(self, exc: BaseException) -> None:
        # A check that could not run says nothing about the file: writes stay held
        # as after damage, since nothing may be written before a check has passed.
        log.error("daily check could not run: %r", exc)
        self._done([str(exc) or type(exc).__name__])

    def _locked(self) -> None:
        """Editing stays locked; the officer is offered the restore of the unlock window."""
        self.window.statusBar().showMessage(
            self.tr("The register is damaged: it can be read but not changed.")
        )
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(self.tr("The register is damaged"))
        box.setText(
            self.tr(
                "The daily check found the register file damaged. Nothing was written to "
                "it, and it can still be read, but no change can be saved. Restore the "
                "latest backup, and give the damaged file to a technician."
            )
        )
        self.restore_button = box.addButton(
            self.tr("Restore from a backup…"), QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton(self.tr("Keep reading"), QMessageBox.ButtonRole.RejectRole)
        box.buttonClicked.connect(self._answered)
        self.failure = box
        box.open()
        self.failed.emit()

    def _answered(self, button: Any) -> None:
        if button is self.restore_button:
            restore = getattr(self.window, "close_for_restore", None)
            if restore is not None:
                restore()
