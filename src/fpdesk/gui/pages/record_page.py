"""What the household page and the person page share: a heading, details, a table of
rows and the buttons under it; and the read-only table every list of the window uses."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core.clock import Clock, SystemClock
from fpdesk.gui.models import RowsModel
from fpdesk.store.db import Register

View = TypeVar("View", bound=QTableView)


def make_table(model: Any, kind: type[View]) -> View:
    """A read-only list: whole rows selected, last column stretched, long text elided."""
    view = kind()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setHighlightSections(False)
    return view


def heading() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setBold(True)
    label.setFont(font)
    return label


def details() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class RecordPage(QWidget):
    """A page about one record (a household, a person): its heading, a line of facts, a
    table of its people or events, a row of buttons, and a button for its history.

    The subclasses make the model and the table, and keep every translated text (Qt
    translates by the class that asks)."""

    form_wanted = Signal(str, dict)
    model: RowsModel
    table: QTableView

    def __init__(self, register: Register, clock: Clock | None, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.register = register
        self.clock = clock or SystemClock()
        self.title = heading()
        self.facts = details()
        self.history = QPushButton("")
        self.history.clicked.connect(
            lambda: self.form_wanted.emit("history", {"row_id": self.record_id()})
        )

    def record_id(self) -> str | None:
        """The id of the record shown, whose history the history button opens."""
        raise NotImplementedError

    def lay_out(self, buttons: QHBoxLayout) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.facts)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def show_not_found(self, message: str) -> None:
        self.title.setText(message)
        self.facts.clear()
        self.model.set_rows([])

    def show_record(self, title: str, facts: str, rows: Sequence[Any]) -> None:
        self.title.setText(title)
        self.facts.setText(facts)
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
