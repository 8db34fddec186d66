"""Item models for the window's tables.

The household list is lazy (store.reading.household_list, which holds its SQL): it asks
the register how many households match, and reads rows a page at a time when the view
first needs them, keeping a bounded number of pages (a windowed cache).  A village of
100,000 households costs the same to open as one of 100.  The small lists (members, timeline, search
results, work list) are plain row lists under one base class.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from fpdesk.store import access
from fpdesk.store.db import Register
from fpdesk.store.reading.household_list import HouseholdList

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the record's id (household or person)
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # the raw value, for sorting and tests
ROW_ROLE = Qt.ItemDataRole.UserRole + 3  # the whole row (a dict or a dataclass)

_INVALID = QModelIndex()
# Roles as plain ints: data() is called for every cell and role on every paint, and
# looking the enum members up each time costs more than the answer.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ID, _SORT, _ROW = int(ID_ROLE), int(SORT_ROLE), int(ROW_ROLE)
_HOUSEHOLD_ROLES = frozenset({_DISPLAY, _TOOLTIP, _ALIGN, _ID, _SORT})
_ROWS_ROLES = frozenset({_DISPLAY, _TOOLTIP, _FOREGROUND, _ID, _SORT, _ROW})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _held_by_the_list(name: str) -> Any:
    """An attribute of the model that is the household list's (store.reading): the
    sizes tests and benchmarks set, and the reads they count."""
    return property(
        lambda self: getattr(self.list, name), lambda self, value: setattr(self.list, name, value)
    )


class HouseholdModel(QAbstractTableModel):
    """All households of the register (or of one village or group), read by page: the
    household list of store.reading (which holds the SQL) shown to Qt's views."""

    CODE, HEAD, GROUP, MEMBERS, ADDRESS, PHONE = range(HouseholdList.COLUMNS)
    COLUMNS = HouseholdList.COLUMNS
    PAGE_SIZE = _held_by_the_list("PAGE_SIZE")
    MAX_PAGES = _held_by_the_list("MAX_PAGES")
    KEY_CHUNK = _held_by_the_list("KEY_CHUNK")
    SORT_LIMIT = _held_by_the_list("SORT_LIMIT")
    page_reads = _held_by_the_list("page_reads")
    key_reads = _held_by_the_list("key_reads")
    _pages = _held_by_the_list("_pages")

    sort_refused = Signal(int)  # the column: the list is too long to sort by it

    def __init__(self, register: Register, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.list = HouseholdList(register)

    @property
    def _count(self) -> int:
        return self.list.count

    # -- what the officer asks for --------------------------------------------------

    def set_area(self, village_code: str | None = None, group_no: str | None = None) -> None:
        """Show one village, one group of it, or (both None) every household."""
        self.beginResetModel()
        unsorted = self.list.set_area(village_code, group_no)
        self.endResetModel()
        if unsorted:
            self.sort_refused.emit(self.HEAD)

    def refresh(self) -> None:
        """Read again after the register changed (a form saved)."""
        self.beginResetModel()
        self.list.reread()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < self.COLUMNS:
            return
        if not self.list.can_sort(column):
            self.sort_refused.emit(column)
            return
        self.layoutAboutToBeChanged.emit()
        self.list.sort(column, order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()

    def household_id(self, row: int) -> str | None:
        return self.list.household_id(row)

    def row_of(self, household_id: str) -> int | None:
        """Where a household sits in the current order (to select it after a search)."""
        return self.list.row_of(household_id)

    def _row(self, row: int) -> tuple[Any, ...]:
        return self.list.line(row)

    # -- the Qt model interface --------------------------------------------------------

    def rowCount(self, parent: Index = _INVALID) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = _INVALID) -> int:
        return 0 if parent.isValid() else self.COLUMNS

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        role = int(role)
        if role not in _HOUSEHOLD_ROLES or not index.isValid() or index.row() >= self._count:
            return None
        column = index.column()
        if role == _ALIGN:
            return _RIGHT if column == self.MEMBERS else None
        if role == _TOOLTIP and column != self.ADDRESS:
            return None
        values = self._row(index.row())
        if role == _DISPLAY:
            value = values[column + 1]
            if column == self.PHONE:  # lists are seen over shoulders: in full on the page
                return access.mask_phone(value)
            return "" if value is None else str(value)
        if role == _SORT:
            return values[column + 1]
        if role == _ID:
            return values[0]
        return values[5] or None  # the whole address, where the column cuts it short

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = (
            self.tr("Household code"),
            self.tr("Head"),
            self.tr("Group"),
            self.tr("Members"),
            self.tr("Address"),
            self.tr("Phone"),
        )
        return titles[section] if 0 <= section < len(titles) else None


class Column:
    """One column of a small list: its title and how to read a cell from a row."""

    def __init__(
        self,
        title: str,
        value: Callable[[Any], Any],
        sort_value: Callable[[Any], Any] | None = None,
    ) -> None:
        self.title = title
        self.value = value
        self.sort_value = sort_value or value


class RowsModel(QAbstractTableModel):
    """A short list held in memory: the members of a household, a timeline, results."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._columns: list[Column] = []
        self._display: dict[tuple[int, int], str] = {}

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def row_id(self, row: Any) -> str | None:
        return getattr(row, "id", None)

    def foreground(self, row: Any) -> QColor | None:
        return None

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._columns = self.columns()
        self._rows = list(rows)
        self._display = {}
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent: Index = _INVALID) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _INVALID) -> int:
        if parent.isValid():
            return 0
        if not self._columns:
            self._columns = self.columns()
        return len(self._columns)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        role = int(role)
        if role not in _ROWS_ROLES or not index.isValid() or index.row() >= len(self._rows):
            return None
        r, c = index.row(), index.column()
        if role in (_DISPLAY, _TOOLTIP):
            key = (r, c)
            text = self._display.get(key)
            if text is None:  # formatted once per cell, not on every paint
                value = self._columns[c].value(self._rows[r])
                text = self._display[key] = "" if value is None else str(value)
            return text
        row = self._rows[r]
        if role == _SORT:
            return self._columns[c].sort_value(row)
        if role == _ID:
            return self.row_id(row)
        if role == _ROW:
            return row
        color = self.foreground(row)
        return QBrush(color) if color is not None else None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if not self._columns:
            self._columns = self.columns()
        return self._columns[section].title if 0 <= section < len(self._columns) else None

    def retranslate(self) -> None:
        """Titles follow the language: rebuild them after a switch."""
        self.beginResetModel()
        self._columns = self.columns()
        self._display = {}
        self.endResetModel()


def iso(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)
