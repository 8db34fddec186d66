"""What the clerk's pages share: the register, a second connection for the workers,
the clock, the deadline setting, and small helpers for bilingual text."""

from __future__ import annotations

import datetime as dt
import errno
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSettings,
    Qt,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QTableView, QWidget

from fpdesk.core.clock import Clock
from fpdesk.core.i18n import Text, current_language
from fpdesk.gui import crash
from fpdesk.gui.models import Column, RowsModel
from fpdesk.gui.pages import make_table
from fpdesk.gui.settings import Settings
from fpdesk.store.db import Register
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


def problem_text(exc: BaseException, parent: QWidget | None = None) -> str:
    """What the clerk reads when work stopped: the plain bilingual message of a problem
    the clerk can act on (a refused file, a full disk, a removed stick); anything else
    is a bug: logged, shown in the crash dialog, and a plain line here.  Never the
    exception's own (English) text."""
    text = getattr(exc, "text", None)
    if isinstance(text, Text):
        return say(text)
    if isinstance(exc, OSError):
        return file_problem(exc)
    crash.report(exc, "".join(traceback.format_exception(exc)), parent)
    return QCoreApplication.translate(
        "Clerk",
        "This stopped because of an error inside fpdesk (it is in the log). "
        "Nothing saved before was lost.",
    )


def file_problem(exc: OSError) -> str:
    """A file that could not be read or written, in the clerk's words."""
    if exc.errno == errno.ENOSPC:
        return QCoreApplication.translate(
            "Clerk", "The disk or USB stick is full. Make room or use another one, then try again."
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return QCoreApplication.translate(
            "Clerk",
            "This folder cannot be written (read-only or not allowed). Choose another folder.",
        )
    if exc.errno in (errno.ENOENT, errno.ENODEV, errno.EIO):
        return QCoreApplication.translate(
            "Clerk",
            "The file or folder is gone (was the USB stick removed?). Put it back and try again.",
        )
    return QCoreApplication.translate(
        "Clerk", "The file could not be read or written ({0}). Try another folder."
    ).format(exc.strerror or type(exc).__name__)


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

    def worker_opener(self, parent: QWidget | None = None) -> Opener:
        """How a worker opens its own connection (a sqlite connection never crosses
        threads): with the secret the session was opened with (the passphrase, or the
        account's key), as the same account, never asking the clerk again.  Read here,
        on the GUI thread; the opener itself runs on the worker."""
        if self.opener is None:
            self.opener = self.register.reopen
        return self.opener


class Retranslating:
    """A widget of the clerk's that sets its texts again (`retranslate`) when the
    language changes.  Put it before the Qt class: `class Page(Retranslating, QWidget)`."""

    def retranslate(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)  # type: ignore[misc]  # the Qt class after this one


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

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
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
