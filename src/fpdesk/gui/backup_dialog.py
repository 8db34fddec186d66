"""Backups from the window: made on a pool thread, and restoring one.

A backup of a large register (and the integrity check before an automatic one) takes
seconds to minutes, so `Backups` makes them with a second connection on a pool thread
(gui.tasks): the daily one while the officer works, shown in the status bar; the one on
quitting with a window that says the program closes when it is done; one to a folder
with a progress window.

Restoring, from the unlock dialog (a damaged register, a broken laptop): the backup is
opened read-only and checked first; its date and counts are shown; only after a
confirmation does it replace the register, and the replaced one is kept as a safety
copy beside it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fpdesk.gui import crash
from fpdesk.gui.file_dialogs import choose_open_file
from fpdesk.gui.icons import icon
from fpdesk.gui.tasks import Progress, Task, run_task
from fpdesk.store import backup
from fpdesk.store.db import Register
from fpdesk.store.errors import RegisterError

log = logging.getLogger("fpdesk.gui.backup")


class Backups(QObject):
    """The open register's backups, each made on a pool thread with its own connection."""

    busy = Signal(str)  # what is being made ("" when nothing is)

    def __init__(self, register: Register, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.register = register
        self.task: Task | None = None
        self.last_error: BaseException | None = None

    def _work(self, make: Callable[[Register], Path | None]) -> Callable[[Progress], Any]:
        opener = self.register.reopen  # read here, on the GUI thread

        def work(progress: Progress) -> Path | None:
            progress.report(0, 0)
            other = opener()
            try:
                return make(other)
            finally:
                other.close()

        return work

    def _start(
        self,
        make: Callable[[Register], Path | None],
        text: str,
        on_done: Callable[[Any], None] | None = None,
        parent: QWidget | None = None,
        *,
        show_progress: bool = False,
    ) -> Task:

        def done(result: Any) -> None:
            self.task = None
            self.busy.emit("")
            if on_done is not None:
                on_done(result)

        def failed(exc: BaseException) -> None:
            self.last_error = exc
            log.warning("backup failed: %s", exc)
            done(exc)

        self.task = run_task(
            parent,
            self._work(make),
            on_done=done,
            on_error=failed,
            label=text,
            cancellable=False,
            show_progress=show_progress,
        )
        self.last_error = None
        self.busy.emit(text)  # the report comes back through the event loop, after this
        return self.task

    def daily(self) -> Task:
        """Today's backup, if there is none yet (and rotation), while the window is used.
        A failure (a full disk) is logged and shown in the status bar, never in the way."""
        return self._start(
            lambda other: backup.automatic(other, "daily"), self.tr("Making today's backup…")
        )

    def before_exit(self, parent: QWidget, on_done: Callable[[Any], None]) -> Task:
        """The backup on quitting, with a window saying that fpdesk closes when it is made."""
        return self._start(
            lambda other: backup.automatic(other, "exit"),
            self.tr("Making the backup before closing. fpdesk closes when it is done…"),
            on_done,
            parent,
            show_progress=True,
        )

    def to_folder(self, folder: Path, parent: QWidget, on_done: Callable[[Any], None]) -> Task:
        """A backup on demand into a folder (a USB stick), with a progress window."""
        return self._start(
            lambda other: backup.create(other, folder),
            self.tr("Backing up to {0}…").format(folder),
            on_done,
            parent,
            show_progress=True,
        )


class RestoreDialog(QDialog):
    """Pick a backup, see what it holds, and put it in place of the register."""

    restored = Signal(object)  # the safety copy's path (or None if there was no register)

    def __init__(
        self,
        path: Path,
        passphrase: str,
        user: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.path = path
        self.passphrase = passphrase
        self.user = user
        self.chosen: backup.Preview | None = None
        self.task: Task | None = None
        self.setWindowIcon(icon("app"))
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.backups = QListWidget()
        self.backups.setObjectName("backups")
        self.backups.currentItemChanged.connect(self._picked)
        self.other = QPushButton()
        self.other.clicked.connect(self._other_file)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.restore_button = QPushButton()
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.try_restore)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.backups)
        layout.addWidget(self.other, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.preview)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.retranslate()
        self.fill(backup.default_folder(path))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Restore from a backup"))
        self.intro.setText(
            self.tr(
                "Choose a backup. It is checked and shown before anything happens; the "
                "register it replaces is kept as a copy beside it."
            )
        )
        self.other.setText(self.tr("Another file (e.g. on a USB stick)…"))
        self.restore_button.setText(self.tr("Restore this backup"))

    def fill(self, folder: Path) -> None:
        self.backups.clear()
        kinds = {
            "daily": self.tr("daily"),
            "exit": self.tr("on quitting"),
            "manual": self.tr("made by hand"),
            "before-accounts": self.tr("before accounts"),
        }
        for found in backup.list_backups(folder):
            text = f"{found.made_at:%Y-%m-%d %H:%M}  {kinds.get(found.label, found.label)}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, str(found.path))
            self.backups.addItem(item)
        if not self.backups.count():
            self.preview.setText(self.tr("No backups were found beside the register."))

    def _other_file(self) -> None:
        name = choose_open_file(
            self, self.tr("Choose a backup"), "fpdesk (*.fpdesk)", backup.default_folder(self.path)
        )
        if name:
            self.show_preview(Path(name))

    def _picked(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.show_preview(Path(str(item.data(Qt.ItemDataRole.UserRole))))

    def show_preview(self, path: Path) -> Task:
        """Open the backup and check it (every page: a while for a large one) on a pool
        thread; its date and counts are shown when that is done."""
        self.chosen = None
        self.restore_button.setEnabled(False)
        self.preview.setText(self.tr("Checking the backup…"))
        passphrase, user = self.passphrase, self.user
        self.task = run_task(
            self,
            lambda _progress: backup.preview(path, passphrase, user=user),
            on_done=self._previewed,
            on_error=self._refused,
            label=self.tr("Checking the backup…"),
            cancellable=False,
        )
        return self.task

    def _refused(self, exc: BaseException) -> None:
        self.task = None
        if not isinstance(exc, RegisterError):
            raise exc  # a bug: the crash dialog
        self.chosen = None
        self.preview.setText(crash.register_error_text(exc))
        self.restore_button.setEnabled(False)

    def _previewed(self, chosen: backup.Preview) -> None:
        self.task = None
        self.chosen = chosen
        counts = chosen.counts
        self.preview.setText(
            self.tr(
                "Made {0}. Area {1}: {2} households, {3} persons, {4} births. Last change {5}."
            ).format(
                chosen.made_at.replace("T", " "),
                chosen.area_code,
                counts["household"],
                counts["person"],
                counts["birth"],
                (chosen.last_change or "—")[:19].replace("T", " "),
            )
        )
        self.restore_button.setEnabled(True)

    def ask_confirmation(self) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Restore from a backup"),
            self.tr(
                "Replace the register with the backup made {0}? Changes made since then "
                "are not in it; the register now in use is kept as a copy."
            ).format(self.chosen.made_at.replace("T", " ") if self.chosen else ""),
        )
        return answer == QMessageBox.StandardButton.Yes

    def try_restore(self) -> Task | None:
        if self.chosen is None or not self.ask_confirmation():
            return None
        chosen, live, passphrase, user = self.chosen, self.path, self.passphrase, self.user
        self.restore_button.setEnabled(False)
        self.task = run_task(
            self,
            lambda _progress: backup.restore(
                chosen.path, live, passphrase, user=user, confirmed=True
            ),
            on_done=self._restored,
            on_error=self._refused,
            label=self.tr("Restoring the backup…"),
            cancellable=False,
        )
        return self.task

    def _restored(self, safety: Path | None) -> None:
        self.task = None
        log.info("register restored from %s", self.chosen.path.name if self.chosen else "?")
        self.accept()
        self.restored.emit(safety)
