"""What the clerk's pages share: the register, a second connection for the workers,
the clock, the deadline setting, and small helpers for bilingual text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QSettings, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit, QTableView, QWidget

from fpdesk.core.clock import Clock
from fpdesk.core.i18n import Text, current_language
from fpdesk.gui.models import Column, RowsModel
from fpdesk.gui.pages import make_table
from fpdesk.gui.settings import Settings
from fpdesk.store import accounts
from fpdesk.store.db import Register, open_register
from fpdesk.store.errors import RegisterError
from fpdesk.sync.board import DEFAULT_DEADLINE_DAY

Opener = Callable[[], Register]
DEADLINE_KEY = "clerk/deadline_day"
RED = QColor("#b3261e")
GREEN = QColor("#1b6e20")
GREY = QColor("#666666")


def say(text: Text | str | None) -> str:
    if text is None:
        return ""
    return text if isinstance(text, str) else text.get(current_language())


@dataclass
class Clerk:
    """The open township register and how to reach it from a worker thread."""

    register: Register
    prefs: Settings
    clock: Clock
    opener: Opener | None = None

    def deadline_day(self) -> int:
        value = QSettings(str(self.prefs.path), QSettings.Format.IniFormat).value(
            DEADLINE_KEY, DEFAULT_DEADLINE_DAY
        )
        try:
            return max(1, min(28, int(str(value))))
        except ValueError:
            return DEFAULT_DEADLINE_DAY

    def set_deadline_day(self, day: int) -> None:
        qs = QSettings(str(self.prefs.path), QSettings.Format.IniFormat)
        qs.setValue(DEADLINE_KEY, max(1, min(28, int(day))))
        qs.sync()

    def worker_opener(self, parent: QWidget) -> Opener | None:
        """A way for a worker to open its own connection (a sqlite connection never
        crosses threads).  Without one given at start, the clerk types the passphrase
        once; it is kept in memory for this session only, like the open register."""
        if self.opener is not None:
            return self.opener
        if self.register.key is not None:  # an account's session: its key opens it again
            self.opener = accounts.second_connection(self.register)
            return self.opener
        if getattr(self.register, "_secret", None) is not None:
            # The session's secret opens it again, on the worker's own thread (the
            # actor is in the register itself, nothing is read from this connection).
            self.opener = self.register.reopen
            return self.opener
        path = self.register.path
        while True:
            text, ok = QInputDialog.getText(
                parent,
                QCoreApplication.translate("Clerk", "Passphrase"),
                QCoreApplication.translate(
                    "Clerk",
                    "Background work opens the register a second time. "
                    "Type the register's passphrase:",
                ),
                QLineEdit.EchoMode.Password,
            )
            if not ok:
                return None
            try:
                open_register(path, text).close()
            except RegisterError:
                continue
            break
        passphrase = text

        def opener() -> Register:
            return open_register(path, passphrase)  # on the worker: its own connection

        self.opener = opener
        return opener


class CodeColumn(Column):
    """A column of codes shown beside their names: grey, so the name reads first."""


class ListModel(RowsModel):
    """A small list whose columns are given, with rows that can be added one by one."""

    def __init__(
        self,
        columns: Callable[[], list[Column]],
        color: Callable[[Any], QColor | None] | None = None,
        parent: Any = None,
    ) -> None:
        self._make_columns = columns
        self._color = color
        super().__init__(parent)

    def columns(self) -> list[Column]:
        return self._make_columns()

    def foreground(self, row: Any) -> QColor | None:
        return self._color(row) if self._color else None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and index.isValid()
            and 0 <= index.column() < len(self._columns)
            and isinstance(self._columns[index.column()], CodeColumn)
        ):
            return GREY
        return super().data(index, role)

    def row_id(self, row: Any) -> str | None:
        found = row.get("id") if isinstance(row, dict) else getattr(row, "id", None)
        return None if found is None else str(found)

    def append_rows(self, rows: Sequence[Any]) -> None:
        if not rows:
            return
        if not self._columns:
            self._columns = self.columns()
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def rows(self) -> list[Any]:
        return list(self._rows)


def short_device(device_id: str) -> str:
    """A laptop's id, short: ids made the same day share their first digits (UUIDv7)."""
    return f"{device_id[:8]}…{device_id[-4:]}"


def local_time(text: str | None) -> str:
    """A time the register keeps (ISO, with its offset) as the clerk's clock reads it."""
    if not text:
        return ""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text[:16].replace("T", " ")
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def fit_columns(view: QTableView) -> None:
    """Columns as wide as their contents; an emptied table keeps its columns readable
    (fitted to nothing they would shrink to slivers)."""
    model = view.model()
    header = view.horizontalHeader()
    if model is not None and model.rowCount():
        view.resizeColumnsToContents()
        return
    metrics = header.fontMetrics()
    for column in range(model.columnCount() if model is not None else 0):
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        header.resizeSection(column, max(120, metrics.horizontalAdvance(title) + 24))


def table(model: ListModel) -> QTableView:
    view = make_table(model, QTableView)
    view.horizontalHeader().setDefaultSectionSize(120)
    return view


def explain(text: str = "") -> QLabel:
    """A paragraph saying what a step does, above the controls that do it."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setObjectName("explain")
    label.setStyleSheet("QLabel#explain { color: #333; padding: 4px 0; }")
    return label


class ClerkPage(QWidget):
    """A page of the clerk's workspace: a paragraph on top saying what the step does,
    and every text set again when the language changes.

    A page gives `intro_text()` and sets its other texts in `retranslate_controls()`;
    its tables' column titles (`models()`, by default `self.model`) follow.
    """

    model: ListModel

    def __init__(self, clerk: Clerk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clerk = clerk
        self.intro = explain()

    def intro_text(self) -> str:
        return ""

    def retranslate_controls(self) -> None:
        """Set the page's buttons, labels and titles in the current language."""

    def models(self) -> list[ListModel]:
        return [self.model]

    def retranslate(self) -> None:
        self.intro.setText(self.intro_text())
        self.retranslate_controls()
        for model in self.models():
            model.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
