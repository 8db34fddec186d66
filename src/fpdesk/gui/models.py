"""Item models for the window's tables.

The household list is lazy: it asks the register how many households match, and reads
rows a page at a time when the view first needs them, keeping a bounded number of pages
(a windowed cache).  Sorting and filtering are SQL.  A village of 100,000 households
costs the same to open as one of 100.  The small lists (members, timeline, search
results, work list) are plain row lists under one base class.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from fpdesk.store.db import Register

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


class HouseholdModel(QAbstractTableModel):
    """All households of the register (or of one village or group), read by page."""

    CODE, HEAD, GROUP, MEMBERS, ADDRESS, PHONE = range(6)
    COLUMNS = 6
    PAGE_SIZE = 200
    MAX_PAGES = 40  # at most 8,000 rows held, however far the officer scrolls

    _ORDER: ClassVar[dict[int, str]] = {
        CODE: "h.code",
        HEAD: "head_name",
        GROUP: "h.group_no, h.code",
        MEMBERS: "members",
        ADDRESS: "h.address",
        PHONE: "h.phone",
    }

    def __init__(self, register: Register, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._register = register
        self._where = "h.deleted = 0"
        self._params: tuple[Any, ...] = ()
        self._order = "h.code"
        self._descending = False
        self._pages: OrderedDict[int, list[tuple[Any, ...]]] = OrderedDict()
        self._count = self._read_count()
        self.page_reads = 0  # how many pages were read (the benchmark and tests look)

    # -- what the officer asks for --------------------------------------------------

    def set_area(self, village_code: str | None = None, group_no: str | None = None) -> None:
        """Show one village, one group of it, or (both None) every household."""
        where, params = ["h.deleted = 0"], []
        if village_code:
            where.append("h.village_code = ?")
            params.append(village_code)
        if group_no:
            where.append("h.group_no = ?")
            params.append(group_no)
        self.beginResetModel()
        self._where = " AND ".join(where)
        self._params = tuple(params)
        self._pages.clear()
        self._count = self._read_count()
        self.endResetModel()

    def refresh(self) -> None:
        """Read again after the register changed (a form saved)."""
        self.beginResetModel()
        self._pages.clear()
        self._count = self._read_count()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column not in self._ORDER:
            return
        self.layoutAboutToBeChanged.emit()
        self._order = self._ORDER[column]
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._pages.clear()
        self.layoutChanged.emit()

    def household_id(self, row: int) -> str | None:
        if not 0 <= row < self._count:
            return None
        return str(self._row(row)[0])

    def row_of(self, household_id: str) -> int | None:
        """Where a household sits in the current order (to select it after a search)."""
        for page_no, rows in self._pages.items():
            for offset, values in enumerate(rows):
                if values[0] == household_id:
                    return page_no * self.PAGE_SIZE + offset
        return None

    # -- reading -----------------------------------------------------------------------

    def _read_count(self) -> int:
        sql = f"SELECT count(*) FROM household h WHERE {self._where}"
        return int(self._register.conn.execute(sql, self._params).fetchone()[0])

    def _read_page(self, page_no: int) -> list[tuple[Any, ...]]:
        direction = "DESC" if self._descending else "ASC"
        tiebreak = "" if self._order.endswith("h.code") else f", h.code {direction}"
        sql = (
            "SELECT h.id, h.code, p.name AS head_name, h.group_no, "
            "(SELECT count(*) FROM person m WHERE m.household_id = h.id AND m.deleted = 0) "
            "AS members, h.address, h.phone "
            "FROM household h LEFT JOIN person p ON p.id = h.head_id "
            f"WHERE {self._where} ORDER BY {self._order} {direction}{tiebreak} "
            "LIMIT ? OFFSET ?"
        )
        params = (*self._params, self.PAGE_SIZE, page_no * self.PAGE_SIZE)
        self.page_reads += 1
        return [tuple(r) for r in self._register.conn.execute(sql, params)]

    def _row(self, row: int) -> tuple[Any, ...]:
        page_no, offset = divmod(row, self.PAGE_SIZE)
        page = self._pages.get(page_no)
        if page is None:
            page = self._read_page(page_no)
            self._pages[page_no] = page
            while len(self._pages) > self.MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        if offset >= len(page):  # the register shrank under us; show an empty row
            return ("", "", "", "", 0, "", "")
        return page[offset]

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
