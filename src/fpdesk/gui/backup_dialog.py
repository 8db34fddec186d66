"""Restoring a backup, from the unlock dialog (a damaged register, a broken laptop).

The backup is opened read-only and checked first; its date and counts are shown; only
after a confirmation does it replace the register, and the replaced one is kept as a
safety copy beside it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fpdesk.gui import crash
from fpdesk.gui.icons import icon
from fpdesk.store import backup
from fpdesk.store.errors import RegisterError

log = logging.getLogger("fpdesk.gui.backup")


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
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a backup"), str(self.path.parent), "fpdesk (*.fpdesk)"
        )
        if name:
            self.show_preview(Path(name))

    def _picked(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.show_preview(Path(str(item.data(Qt.ItemDataRole.UserRole))))

    def show_preview(self, path: Path) -> None:
        try:
            self.chosen = backup.preview(path, self.passphrase, user=self.user)
        except RegisterError as exc:
            self.chosen = None
            self.preview.setText(crash.register_error_text(exc))
            self.restore_button.setEnabled(False)
            return
        counts = self.chosen.counts
        self.preview.setText(
            self.tr(
                "Made {0}. Area {1}: {2} households, {3} persons, {4} births. Last change {5}."
            ).format(
                self.chosen.made_at.replace("T", " "),
                self.chosen.area_code,
                counts["household"],
                counts["person"],
                counts["birth"],
                (self.chosen.last_change or "—")[:19].replace("T", " "),
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

    def try_restore(self) -> None:
        if self.chosen is None or not self.ask_confirmation():
            return
        try:
            safety = backup.restore(
                self.chosen.path, self.path, self.passphrase, user=self.user, confirmed=True
            )
        except RegisterError as exc:
            self.preview.setText(crash.register_error_text(exc))
            return
        log.info("register restored from %s", self.chosen.path.name)
        self.accept()
        self.restored.emit(safety)
