"""A form's keys and closing: Enter saves (Ctrl+Enter in a note), leaving a field
checks it, Esc or Cancel asks before throwing away what was typed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QMessageBox, QPlainTextEdit, QPushButton

from fpdesk.gui.forms.base.fields import tr


class FormKeyboard:
    """Keys, checks on leaving a field, and closing (a part of FormDialog)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focus = self.focusWidget()
            if isinstance(focus, QPushButton) and focus is not self.save_button:
                focus.click()
            else:
                self.save()
            event.accept()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Leaving a field checks it; Ctrl+Enter saves from a multi-line field."""
        if (
            event.type() == QEvent.Type.FocusOut
            and isinstance(event, QFocusEvent)
            # not a list opening, nor a switch to another window: she has not moved on
            and event.reason()
            not in (Qt.FocusReason.PopupFocusReason, Qt.FocusReason.ActiveWindowFocusReason)
            and watched.objectName() in self.editors
        ):
            self._visited.add(watched.objectName())
            self.check_visited()
        if (
            isinstance(watched, QPlainTextEdit)
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.save()
            return True
        return super().eventFilter(watched, event)

    def reject(self) -> None:
        """Esc, Cancel or the window's close button: ask first if anything was typed."""
        if not self.dirty:
            self._drop_draft()
            super().reject()
            return
        if self.discard_question is not None and self.discard_question.isVisible():
            return
        box = QMessageBox(self)
        box.setObjectName("discard_question")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(tr(self.title))
        box.setText(
            QCoreApplication.translate("FormDialog", "Throw away what you typed in this form?")
        )
        discard = box.addButton(
            QCoreApplication.translate("FormDialog", "Throw away"),
            QMessageBox.ButtonRole.DestructiveRole,
        )
        keep = box.addButton(
            QCoreApplication.translate("FormDialog", "Keep editing"),
            QMessageBox.ButtonRole.RejectRole,
        )
        discard.setObjectName("discard")
        keep.setObjectName("keep")
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        discard.clicked.connect(self.discard)
        self.discard_question = box
        box.open()

    def discard(self) -> None:
        self.dirty = False
        self._drop_draft()
        super().reject()

    def closeEvent(self, event: Any) -> None:
        if self.dirty:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)
