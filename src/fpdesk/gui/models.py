"""Item models for the window's tables.

The household list is lazy: it asks the register how many households match, and reads
rows a page at a time when the view first needs them, keeping a bounded number of pages
(a windowed cache).  Sorting and filtering are SQL.  A village of 100,000 households
costs the same to open as one of 100.  The small lists (members, timeline, search
results, work list) are plain row lists under one base class.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

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
_GONE = ("", "", "", "", 0, "", "")
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class HouseholdModel(QAbstractTableModel):
    """All households of the register (or of one village or group), read by page.

    Rows are found by their keys (rowids, in display order) and read a page at a time,
    by key, when the view first paints them: a page deep down the list costs the same as
    the first one (LIMIT/OFFSET over whole rows would walk every row before it).
    In household-code order the keys come from the code index, ten thousand at a time
    as the officer scrolls; another order reads all keys of the list once, and is
    offered for lists up to SORT_LIMIT households (a village; not a whole township).
    """

    CODE, HEAD, GROUP, MEMBERS, ADDRESS, PHONE = range(6)
    COLUMNS = 6
    PAGE_SIZE = 200
    MAX_PAGES = 40  # at most 8,000 rows held, however far the officer scrolls
    KEY_CHUNK = 10_000  # a multiple of PAGE_SIZE: a page never spans two chunks
    SORT_LIMIT = 20_000

    sort_refused = Signal(int)  # the column: the list is too long to sort by it

    _MEMBERS = "(SELECT count(*) FROM person m WHERE m.household_id = h.id AND m.deleted = 0)"
    _ORDER: ClassVar[dict[int, str]] = {
        CODE: "h.code",
        HEAD: "p.name",
        GROUP: "h.group_no",
        MEMBERS: _MEMBERS,
        ADDRESS: "h.address",
        PHONE: "h.phone",
    }

    def __init__(self, register: Register, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._register = register
        # An account sees its own area only (an officer's village, a clerk's township).
        self._area_sql, self._area_params = access.area_condition(register)
        self._where = f"h.deleted = 0 AND {self._area_sql}"
        self._params: tuple[Any, ...] = self._area_params
        self._order = "h.code"
        self._descending = False
        self._pages: OrderedDict[int, list[tuple[Any, ...]]] = OrderedDict()
        self._chunks: dict[int, array[int]] = {}
        self._count = 0
        self.page_reads = 0  # how many pages were read (the benchmark and tests look)
        self.key_reads = 0
        self._reread()

    # -- what the officer asks for --------------------------------------------------

    def set_area(self, village_code: str | None = None, group_no: str | None = None) -> None:
        """Show one village, one group of it, or (both None) every household."""
        where, params = ["h.deleted = 0", self._area_sql], list(self._area_params)
        if village_code:
            where.append("h.village_code = ?")
            params.append(village_code)
        if group_no:
            where.append("h.group_no = ?")
            params.append(group_no)
        self.beginResetModel()
        self._where = " AND ".join(where)
        self._params = tuple(params)
        was_sorted = self._order != "h.code"
        self._reread()
        self.endResetModel()
        if was_sorted and self._order == "h.code":
            self.sort_refused.emit(self.HEAD)

    def refresh(self) -> None:
        """Read again after the register changed (a form saved)."""
        self.beginResetModel()
        self._reread()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column not in self._ORDER:
            return
        wanted = self._ORDER[column]
        if wanted != "h.code" and self._count_rows() > self.SORT_LIMIT:
            self.sort_refused.emit(column)
            return
        self.layoutAboutToBeChanged.emit()
        self._order = wanted
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._reread()
        self.layoutChanged.emit()

    def household_id(self, row: int) -> str | None:
        if not 0 <= row < self._count:
            return None
        return str(self._row(row)[0])

    def row_of(self, household_id: str) -> int | None:
        """Where a household sits in the current order (to select it after a search)."""
        found = self._register.conn.execute(
            f"SELECT h.rowid, h.code FROM household h WHERE h.id = ? AND {self._where}",
            (household_id, *self._params),
        ).fetchone()
        if found is None:
            return None
        key, code = found
        if self._order == "h.code":  # its place in the index: households before it
            before = "h.code > ?" if self._descending else "h.code < ?"
            sql = f"SELECT count(*) FROM household h WHERE {self._where} AND {before}"
            return int(self._register.conn.execute(sql, (*self._params, code)).fetchone()[0])
        for number, chunk in self._chunks.items():
            if key in chunk:
                return number * self.KEY_CHUNK + chunk.index(key)
        return None

    # -- reading -----------------------------------------------------------------------

    def _count_rows(self) -> int:
        sql = f"SELECT count(*) FROM household h WHERE {self._where}"
        return int(self._register.conn.execute(sql, self._params).fetchone()[0])

    def _reread(self) -> None:
        self._pages.clear()
        self._chunks = {}
        self._count = self._count_rows()
        if self._order != "h.code" and self._count > self.SORT_LIMIT:
            self._order, self._descending = "h.code", False  # a township-wide list
        if self._order != "h.code":  # a short list: all keys at once, one sort
            keys = self._read_keys(None)
            for number in range(0, max(len(keys), 1), self.KEY_CHUNK):
                self._chunks[number // self.KEY_CHUNK] = keys[number : number + self.KEY_CHUNK]
            self._count = len(keys)

    def _keys_sql(self) -> str:
        direction = "DESC" if self._descending else "ASC"
        join = "LEFT JOIN person p ON p.id = h.head_id " if "p." in self._order else ""
        tiebreak = "" if self._order == "h.code" else f", h.code {direction}"
        return (
            f"SELECT h.rowid FROM household h {join}WHERE {self._where} "
            f"ORDER BY {self._order} {direction}{tiebreak}"
        )

    def _read_keys(self, chunk: int | None) -> array[int]:
        sql, params = self._keys_sql(), self._params
        if chunk is not None:
            sql += " LIMIT ? OFFSET ?"
            params = (*params, self.KEY_CHUNK, chunk * self.KEY_CHUNK)
        self.key_reads += 1
        keys = array("q")
        cursor = self._register.conn.execute(sql, params)
        while rows := cursor.fetchmany(5_000):
            keys.extend(k for (k,) in rows)
        return keys

    def _page_keys(self, page_no: int) -> array[int]:
        first = page_no * self.PAGE_SIZE
        number, offset = divmod(first, self.KEY_CHUNK)
        chunk = self._chunks.get(number)
        if chunk is None:
            chunk = self._chunks[number] = self._read_keys(number)
        return chunk[offset : offset + self.PAGE_SIZE]

    def _read_page(self, page_no: int) -> list[tuple[Any, ...]]:
        keys = self._page_keys(page_no)
        if not keys:
            return []
        marks = ", ".join("?" for _ in keys)
        sql = (
            f"SELECT h.rowid, h.id, h.code, p.name, h.group_no, {self._MEMBERS}, "
            "h.address, h.phone FROM household h LEFT JOIN person p ON p.id = h.head_id "
            f"WHERE h.rowid IN ({marks})"
        )
        self.page_reads += 1
        by_key = {row[0]: tuple(row[1:]) for row in self._register.conn.execute(sql, keys)}
        # A household deleted since the keys were read shows as an empty line until
        # the next refresh, rather than shifting every row under the officer's eyes.
        return [by_key.get(k, _GONE) for k in keys]

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
        return page[offset] if offset < len(page) else _GONE

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
