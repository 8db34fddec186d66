"""The household list the window scrolls: every household of the register (or of one
village or group), in an order, read a page at a time.

A village of 100,000 households costs the same to open as one of 100: the list asks how
many households match, and reads rows only when they are first shown, keeping a bounded
number of pages.  Sorting and filtering are SQL.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from typing import Any, ClassVar

from fpdesk.store import access
from fpdesk.store.db import Register

# One line of the list: id, code, head's name, group, members, address, phone.
Line = tuple[Any, ...]
GONE: Line = ("", "", "", "", 0, "", "")


class HouseholdList:
    """All households of the register (or of one village or group), read by page.

    Rows are found by their keys (rowids, in display order) and read a page at a time,
    by key, when they are first shown: a page deep down the list costs the same as
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

    _MEMBERS = "(SELECT count(*) FROM person m WHERE m.household_id = h.id AND m.deleted = 0)"
    _ORDER: ClassVar[dict[int, str]] = {
        CODE: "h.code",
        HEAD: "p.name",
        GROUP: "h.group_no",
        MEMBERS: _MEMBERS,
        ADDRESS: "h.address",
        PHONE: "h.phone",
    }

    def __init__(self, register: Register) -> None:
        self._register = register
        # An account sees its own area only (an officer's village, a clerk's township).
        self._area_sql, self._area_params = access.area_condition(register)
        self._where = f"h.deleted = 0 AND {self._area_sql}"
        self._params: tuple[Any, ...] = tuple(self._area_params)
        self._order = "h.code"
        self._descending = False
        self._pages: OrderedDict[int, list[Line]] = OrderedDict()
        self._chunks: dict[int, array[int]] = {}
        self.count = 0
        self.page_reads = 0  # how many pages were read (the benchmark and tests look)
        self.key_reads = 0
        self.reread()

    # -- what the officer asks for --------------------------------------------------

    def set_area(self, village_code: str | None = None, group_no: str | None = None) -> bool:
        """Show one village, one group of it, or (both None) every household.  True when
        the list was sorted by another column than the code and is too long for it now."""
        where, params = ["h.deleted = 0", self._area_sql], list(self._area_params)
        if village_code:
            where.append("h.village_code = ?")
            params.append(village_code)
        if group_no:
            where.append("h.group_no = ?")
            params.append(group_no)
        self._where = " AND ".join(where)
        self._params = tuple(params)
        was_sorted = self._order != "h.code"
        self.reread()
        return was_sorted and self._order == "h.code"

    def can_sort(self, column: int) -> bool:
        """Whether the list may be sorted by the column: any column of a short list,
        only the code (its index) for a long one."""
        wanted = self._ORDER.get(column)
        return wanted is not None and (wanted == "h.code" or self._count_rows() <= self.SORT_LIMIT)

    def sort(self, column: int, descending: bool) -> None:
        """Sort by a column (one can_sort allows)."""
        self._order = self._ORDER[column]
        self._descending = descending
        self.reread()

    def household_id(self, row: int) -> str | None:
        if not 0 <= row < self.count:
            return None
        return str(self.line(row)[0])

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

    def reread(self) -> None:
        """Forget what was read: the register changed, or the area or order did."""
        self._pages.clear()
        self._chunks = {}
        self.count = self._count_rows()
        if self._order != "h.code" and self.count > self.SORT_LIMIT:
            self._order, self._descending = "h.code", False  # a township-wide list
        if self._order != "h.code":  # a short list: all keys at once, one sort
            keys = self._read_keys(None)
            for number in range(0, max(len(keys), 1), self.KEY_CHUNK):
                self._chunks[number // self.KEY_CHUNK] = keys[number : number + self.KEY_CHUNK]
            self.count = len(keys)

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

    def _read_page(self, page_no: int) -> list[Line]:
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
        return [by_key.get(k, GONE) for k in keys]

    def line(self, row: int) -> Line:
        """The row's line, read with its page if that is not held."""
        page_no, offset = divmod(row, self.PAGE_SIZE)
        page = self._pages.get(page_no)
        if page is None:
            page = self._read_page(page_no)
            self._pages[page_no] = page
            while len(self._pages) > self.MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page[offset] if offset < len(page) else GONE
