"""The widget of each kind of field (text, date, number, ID number, note, code list,
choice), with its error label under it; values are plain JSON-able data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

from fpdesk.core import codes
from fpdesk.gui.forms.base.fields import Field, shown, tr
from fpdesk.store import operations


class Editor:
    """A field's widget and its error label; values are plain JSON-able data."""

    def __init__(self, spec: Field) -> None:
        self.spec = spec
        self.widget: QWidget = self._make()
        self.widget.setObjectName(spec.name)
        self.widget.setAccessibleName(tr(spec.label))
        self.error = QLabel()
        self.error.setObjectName(f"{spec.name}_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.autofilled = False

    def _make(self) -> QWidget:
        return QLineEdit()

    def value(self) -> Any:
        assert isinstance(self.widget, QLineEdit)
        return self.widget.text().strip()

    def set_value(self, value: Any) -> None:
        assert isinstance(self.widget, QLineEdit)
        self.widget.setText("" if value is None else str(value))

    def on_change(self, slot: Callable[[], None]) -> None:
        assert isinstance(self.widget, QLineEdit)
        self.widget.textChanged.connect(slot)

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))


class DateEditor(Editor):
    """Typed quickly: 2024-03-05, 20240305, 2024/3/5; shown back as 2024-03-05."""

    def _make(self) -> QWidget:
        edit = QLineEdit()
        edit.setPlaceholderText(tr(QT_TRANSLATE_NOOP("Forms", "YYYY-MM-DD")))
        edit.setMaxLength(10)
        edit.editingFinished.connect(self._tidy)
        return edit

    def _tidy(self) -> None:
        assert isinstance(self.widget, QLineEdit)
        text = self.widget.text().strip()
        if not text:
            return
        parsed = operations.parse_date(text)
        if parsed is None:
            self.show_error(shown(operations.BAD_DATE))
        elif parsed.isoformat() != text:
            self.widget.setText(parsed.isoformat())

    def value(self) -> Any:
        text = str(super().value())
        parsed = operations.parse_date(text)
        return parsed.isoformat() if parsed else text


class NumberEditor(Editor):
    def _make(self) -> QWidget:
        edit = QLineEdit()
        edit.setMaxLength(9)
        return edit


class IdNumberEditor(Editor):
    def _make(self) -> QWidget:
        edit = QLineEdit()
        edit.setMaxLength(20)  # room for a stray space the normaliser removes
        edit.setPlaceholderText(tr(QT_TRANSLATE_NOOP("Forms", "18 characters")))
        return edit


class MultiLineEditor(Editor):
    def _make(self) -> QWidget:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
        edit.setFixedHeight(60)
        return edit

    def value(self) -> Any:
        assert isinstance(self.widget, QPlainTextEdit)
        return self.widget.toPlainText().strip()

    def set_value(self, value: Any) -> None:
        assert isinstance(self.widget, QPlainTextEdit)
        self.widget.setPlainText("" if value is None else str(value))

    def on_change(self, slot: Callable[[], None]) -> None:
        assert isinstance(self.widget, QPlainTextEdit)
        self.widget.textChanged.connect(slot)


class ComboEditor(Editor):
    """A code table or a list the form supplies.  Numeric codes are shown with their
    number first ("2 女"), so typing the digit picks the item."""

    def _make(self) -> QWidget:
        box = QComboBox()
        if not self.spec.required or self.spec.default is None:
            box.addItem("", None)
        for value, label in self._options():
            box.addItem(label, value)
        return box

    def _options(self) -> list[tuple[str, str]]:
        if self.spec.table is None:
            return list(self.spec.choices)
        options = []
        for code in codes.codes(self.spec.table):
            label = codes.label(self.spec.table, code)
            options.append((code, f"{code} {label}" if code.isdigit() else label))
        return options

    def value(self) -> Any:
        assert isinstance(self.widget, QComboBox)
        return self.widget.currentData()

    def set_value(self, value: Any) -> None:
        assert isinstance(self.widget, QComboBox)
        index = self.widget.findData(None if value is None else str(value))
        self.widget.setCurrentIndex(max(index, 0))

    def on_change(self, slot: Callable[[], None]) -> None:
        assert isinstance(self.widget, QComboBox)
        self.widget.currentIndexChanged.connect(slot)


EDITORS: dict[str, type[Editor]] = {
    "text": Editor,
    "date": DateEditor,
    "number": NumberEditor,
    "id_number": IdNumberEditor,
    "multiline": MultiLineEditor,
    "code": ComboEditor,
    "choice": ComboEditor,
}
