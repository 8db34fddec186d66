"""The recovery key, shown once when a register is set up with accounts.

Whoever holds the key can give any account a new passphrase, so it goes on paper into
the office safe: shown here in large type and saved as a printable sheet (text and QR
code), never kept by the program.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core.i18n import current_language
from fpdesk.gui.icons import icon

log = logging.getLogger("fpdesk.gui.accounts")


class RecoveryKeyDialog(QDialog):
    """Shows the recovery key and saves the sheet to print."""

    def __init__(
        self, register_path: Path, area_code: str, key: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.register_path = register_path
        self.area_code = area_code
        self.key = key
        self.sheet: Path | None = None
        self.setWindowIcon(icon("lock"))
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.key_label = QLabel(key)
        self.key_label.setObjectName("recovery_key")
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(18)
        font.setWeight(QFont.Weight.Bold)
        self.key_label.setFont(font)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.choose_sheet)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.key_label)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Recovery key"))
        self.intro.setText(
            self.tr(
                "This is the register's recovery key. If a passphrase is forgotten, it "
                "sets a new one. It is shown only now: save the sheet and print it, or "
                "write the key down, and keep it locked in the office safe."
            )
        )
        self.save_button.setText(self.tr("Save the sheet to print (PDF)…"))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("The key is kept safe"))

    def choose_sheet(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the recovery sheet"),
            str(self.register_path.with_name("recovery-key.pdf")),
            "PDF (*.pdf)",
        )
        if name:
            self.save_sheet(Path(name))

    def save_sheet(self, path: Path) -> bool:
        from fpdesk.reports.pdf.fonts import FontError
        from fpdesk.reports.pdf.recovery import write_recovery_sheet

        try:
            write_recovery_sheet(
                path, self.key, register_name=self.register_path.name, area_code=self.area_code
            )
        except FontError as exc:
            self.status.setText(exc.text.get(current_language()))
            return False
        except OSError as exc:
            log.warning("recovery sheet not written: %s", exc)
            self.status.setText(self.tr("The sheet could not be written: {0}").format(exc))
            return False
        self.sheet = path
        self.status.setText(self.tr("Saved to {0}. Print it, then delete the file.").format(path))
        return True
