"""Long work off the GUI thread, through one helper.

`run_task(parent, work, on_done=...)` runs `work(progress)` on a pool thread and calls
`on_done(result)` (or `on_error(exc)`) back on the GUI thread.  `work` reports with
`progress.report(done, total, text)` and stops when `progress.cancelled` is set.

A sqlite connection belongs to the thread that opened it: work that reads or writes the
register opens its own connection inside `work` and closes it before returning.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from fpdesk.gui import crash

log = logging.getLogger("fpdesk.gui.tasks")


class Cancelled(Exception):
    """Raised by work that noticed the user pressed Cancel."""


class Progress:
    """What the work sees: where to report, and whether to stop."""

    def __init__(self, signals: _Signals) -> None:
        self._signals = signals
        self._cancel = threading.Event()

    def report(self, done: int, total: int = 0, text: str = "") -> None:
        self._signals.progress.emit(int(done), int(total), text)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Stop here if the user cancelled."""
        if self._cancel.is_set():
            raise Cancelled()


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object, str)
    cancelled = Signal()


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[Progress], Any], progress: Progress, signals: _Signals):
        super().__init__()
        self.setAutoDelete(False)  # the Task holds it until the pool thread has let go
        self._work = work
        self._progress = progress
        self._signals = signals
        self.returned = threading.Event()  # set as the very last thing run() does

    def run(self) -> None:
        try:
            result = self._work(self._progress)
        except Cancelled:
            self._signals.cancelled.emit()
        except BaseException as exc:
            self._signals.failed.emit(exc, traceback.format_exc())
        else:
            if self._progress.cancelled:
                self._signals.cancelled.emit()
            else:
                self._signals.finished.emit(result)
        finally:
            self.returned.set()


# Keeps each Task (with its signals object and runnable) alive until it has reported
# back AND its pool thread has returned: freeing them while the thread still holds
# them crashes the process now and then.
_running: set[Task] = set()


class Task(QObject):
    """One piece of long work; lives on the GUI thread, so its slots run there."""

    progressed = Signal(int, int, str)
    done = Signal(object)

    def __init__(
        self,
        work: Callable[[Progress], Any],
        on_done: Callable[[Any], None] | None,
        on_error: Callable[[BaseException], None] | None,
        parent: QWidget | None,
    ) -> None:
        super().__init__()
        self._on_done = on_done
        self._on_error = on_error
        self._signals = _Signals(self)  # deleted with the Task, on the GUI thread
        self.progress = Progress(self._signals)
        self.dialog: QProgressDialog | None = None
        self.finished_ok: bool | None = None
        self._signals.progress.connect(self._report)
        self._signals.finished.connect(self._finished)
        self._signals.failed.connect(self._failed)
        self._signals.cancelled.connect(self._cancelled)
        self._runnable = _Runnable(work, self.progress, self._signals)
        self._parent = parent

    def start(self, pool: QThreadPool | None = None) -> None:
        _running.add(self)
        (pool or QThreadPool.globalInstance()).start(self._runnable)

    def cancel(self) -> None:
        self.progress.cancel()

    @Slot(int, int, str)
    def _report(self, done: int, total: int, text: str) -> None:
        if self.dialog is not None:
            self.dialog.setMaximum(max(total, 0))
            self.dialog.setValue(min(done, total) if total else 0)
            if text:
                self.dialog.setLabelText(text)
        self.progressed.emit(done, total, text)

    def _close(self) -> None:
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        self._release()

    def _release(self) -> None:
        """Let go of this task once its pool thread has returned (checked, not guessed)."""
        if self._runnable.returned.is_set():
            _running.discard(self)
        else:
            QTimer.singleShot(10, self._release)

    @Slot(object)
    def _finished(self, result: Any) -> None:
        self.finished_ok = True
        self._close()
        if self._on_done is not None:
            self._on_done(result)
        self.done.emit(result)

    @Slot(object, str)
    def _failed(self, exc: BaseException, details: str) -> None:
        self.finished_ok = False
        self._close()
        if self._on_error is not None:
            self._on_error(exc)
        else:
            log.error("task failed\n%s", details)
            crash.report(exc, details, self._parent)
        self.done.emit(exc)

    @Slot()
    def _cancelled(self) -> None:
        self.finished_ok = False
        self._close()
        self.done.emit(None)


def run_task(
    parent: QWidget | None,
    work: Callable[[Progress], Any],
    *,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    label: str = "",
    cancellable: bool = True,
    show_progress: bool = True,
) -> Task:
    """Run `work(progress)` on a pool thread; report back on the GUI thread."""
    task = Task(work, on_done, on_error, parent)
    if show_progress:
        dialog = QProgressDialog(label, "", 0, 0, parent)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if cancellable:
            dialog.setCancelButtonText(QApplication.translate("Tasks", "Cancel"))
            dialog.canceled.connect(task.cancel)
        else:
            dialog.setCancelButton(None)
        task.dialog = dialog
    task.start()
    return task
