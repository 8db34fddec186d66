"""Reading a ledger as officers keep it: .xlsx, .xls (old Excel and WPS) or .csv.

The sheet is read as it is, cell values untouched (an ID number Excel turned into a
number stays a number, so the row can be refused with the reason).  What this module
finds is the shape: the title rows above the heading, the heading rows themselves
(merged cells spread over the columns they cover, two heading rows joined as
"现有子女数/男"), and the rows below that are not persons (blank spacers, 小计, 合计).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import openpyxl
import python_calamine

from fpdesk.ledgers import headings
from fpdesk.ledgers.errors import (
    DAMAGED,
    EMPTY,
    FORMULAS_ONLY,
    MAX_ROWS,
    NO_HEADING,
    NO_SHEET,
    PASSWORD,
    TOO_MANY_ROWS,
    UNKNOWN_TYPE,
    WEB_PAGE,
    LedgerError,
)

HEADING_SEARCH_ROWS = 15  # a heading lower than this is not a ledger's heading
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Office files, and encrypted new ones
_ZIP_MAGIC = b"PK\x03\x04"

# Why a row below the heading is not a person, as the report and the counts name it.
BLANK, SUBTOTAL, TOTAL, TITLE, HEADING_AGAIN = "blank", "subtotal", "total", "title", "heading"


@dataclass(frozen=True)
class Column:
    index: int  # 0-based
    letter: str  # A, B, ... AA
    heading: str  # the joined heading, "现有子女数/男" under a merged "现有子女数"


@dataclass(frozen=True)
class LedgerRow:
    number: int  # 1-based row number in the sheet, as Excel shows it
    cells: tuple[Any, ...]


@dataclass
class SheetTable:
    """One sheet: its heading, its person rows, and what was skipped and why."""

    source: str  # the file's name
    sheet: str
    heading_rows: tuple[int, ...]
    columns: list[Column]
    rows: list[LedgerRow]
    skipped: dict[str, int] = field(default_factory=dict)
    skipped_rows: list[tuple[int, str, tuple[Any, ...]]] = field(default_factory=list)
    title: str = ""  # the title row's text (东岗村育龄妇女花名册), for the report
    # The heading rows' cells as written (a merged group heading in its first cell
    # only), to show the heading as the officer knows it: Column.heading joins the
    # levels with "/", and a heading may itself contain "/".
    heading_cells: tuple[tuple[Any, ...], ...] = ()


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell_index(ref: str) -> tuple[int, int]:
    """'C12' -> (row 12, column index 2)."""
    match = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    if not match:
        raise ValueError(ref)
    col = 0
    for char in match.group(1):
        col = col * 26 + ord(char) - 64
    return int(match.group(2)), col - 1


Merge = tuple[int, int, int, int]  # first row, first col, last row, last col (rows 1-based)


class LedgerFile:
    """An opened ledger: its sheets, read one at a time."""

    def __init__(self, path: Path, kind: str) -> None:
        self.path = path
        self.kind = kind
        self._book: Any = None
        self._handle: BinaryIO | None = None
        if kind == "xlsx":
            # The file is opened here and closed by close(): openpyxl before 3.1.3 left
            # it open behind a read-only sheet whose rows were not all read.
            self._handle = path.open("rb")
            try:
                self._book = _open_xlsx(self._handle, path)
            except BaseException:
                self._handle.close()
                raise
            self.sheet_names: list[str] = list(self._book.sheetnames)
        elif kind == "xls":
            self._book = _open_xls(path)
            self.sheet_names = list(self._book.sheet_names)
        else:
            self.sheet_names = [path.stem]

    def read(self, sheet: str | None = None) -> SheetTable:
        """One sheet (by name; by default the first that has a heading)."""
        if sheet is not None and sheet not in self.sheet_names:
            raise LedgerError(NO_SHEET.format(sheet=sheet, names="、".join(self.sheet_names)))
        names = [sheet] if sheet is not None else self.sheet_names
        first_error: LedgerError | None = None
        for name in names:
            try:
                return self._read_one(name)
            except LedgerError as exc:
                first_error = first_error or exc
        assert first_error is not None
        raise first_error

    def _read_one(self, sheet: str) -> SheetTable:
        if self.kind == "xlsx":
            rows, merges = _xlsx_rows(self._book, self.path, sheet)
        elif self.kind == "xls":
            rows, merges = _xls_rows(self._book, sheet)
        else:
            rows, merges = _csv_rows(self.path), []
        try:
            table = build_table(self.path.name, sheet, rows, merges)
        except LedgerError:
            if self.kind == "xlsx" and _xlsx_has_formulas(self.path, sheet):
                raise LedgerError(FORMULAS_ONLY.format(sheet=sheet)) from None
            raise
        if not table.rows:
            if self.kind == "xlsx" and _xlsx_has_formulas(self.path, sheet):
                raise LedgerError(FORMULAS_ONLY.format(sheet=sheet))
            raise LedgerError(EMPTY.format(sheet=sheet))
        return table

    def close(self) -> None:
        if self._book is not None and hasattr(self._book, "close"):
            self._book.close()
        self._book = None
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> LedgerFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_ledger(path: str | Path) -> LedgerFile:
    """The ledger file, or LedgerError with a plain message (password, damaged, type)."""
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("xlsx", "xlsm", "xls", "csv"):
        raise LedgerError(UNKNOWN_TYPE.format(name=path.name))
    try:
        with path.open("rb") as handle:
            start = handle.read(8)
    except OSError:
        raise LedgerError(DAMAGED.format(name=path.name)) from None
    if kind in ("xlsx", "xlsm"):
        if start.startswith(_CFB_MAGIC):
            # An encrypted .xlsx is a compound file holding the encrypted package.
            raise LedgerError(PASSWORD)
        if not start.startswith(_ZIP_MAGIC):
            raise LedgerError(DAMAGED.format(name=path.name))
        return LedgerFile(path, "xlsx")
    if kind == "xls":
        if start.startswith(_ZIP_MAGIC):
            return LedgerFile(path, "xlsx")  # an .xlsx saved under the old name
        if start.lstrip().startswith(b"<"):
            # Many systems "export to Excel" as a web page named .xls.
            raise LedgerError(WEB_PAGE.format(name=path.name))
        if not start.startswith(_CFB_MAGIC):
            raise LedgerError(DAMAGED.format(name=path.name))
        return LedgerFile(path, "xls")
    return LedgerFile(path, "csv")


# --- the three readers: each gives rows of plain values and the merged ranges ----------


def _open_xlsx(handle: BinaryIO, path: Path) -> Any:
    try:
        return openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception:  # zipfile, XML and openpyxl's own errors: the file is damaged
        raise LedgerError(DAMAGED.format(name=path.name)) from None


def _xlsx_rows(book: Any, path: Path, sheet: str) -> tuple[Iterator[Sequence[Any]], list[Merge]]:
    worksheet = book[sheet]
    # The size the file states (Excel's own files state it truly): a sheet far too big
    # is refused before its rows are read.
    stated = worksheet.max_row
    if isinstance(stated, int) and stated > MAX_ROWS + HEADING_SEARCH_ROWS:
        raise LedgerError(TOO_MANY_ROWS.format(limit=f"{MAX_ROWS:,}"))
    # Files from some programs state a wrong size (A1) and read-only openpyxl would
    # believe it: read every row there is instead.
    worksheet.reset_dimensions()
    try:
        merges = _xlsx_merges(book, worksheet)
    except (KeyError, zipfile.BadZipFile, OSError):
        raise LedgerError(DAMAGED.format(name=path.name)) from None

    def rows() -> Iterator[Sequence[Any]]:
        try:
            yield from worksheet.iter_rows(values_only=True)
        except Exception:
            raise LedgerError(DAMAGED.format(name=path.name)) from None

    return rows(), merges


_MERGE_REF = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+\d+):([A-Z]+\d+)\"")


def _xlsx_merges(book: Any, worksheet: Any) -> list[Merge]:
    """The merged ranges of a sheet opened read-only (openpyxl keeps none then): found in
    the sheet's XML by a plain byte search, which reads a 100,000-row sheet in well under
    a second, where parsing it a second time would take many."""
    archive = book._archive
    found: list[Merge] = []
    tail = b""
    with archive.open(worksheet._worksheet_path) as source:
        while chunk := source.read(1 << 20):
            text = tail + chunk
            for match in _MERGE_REF.finditer(text):
                (r1, c1), (r2, c2) = (_cell_index(g.decode()) for g in match.groups())
                found.append((r1, c1, r2, c2))
            tail = text[-200:]  # a tag cut in two is found whole next time (set drops repeats)
    return sorted(set(found))


def _open_xls(path: Path) -> Any:
    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        raise LedgerError(PASSWORD) from None
    except Exception:
        raise LedgerError(DAMAGED.format(name=path.name)) from None


def _xls_rows(book: Any, sheet: str) -> tuple[Iterator[Sequence[Any]], list[Merge]]:
    try:
        worksheet = book.get_sheet_by_name(sheet)
        merges = [
            (start[0] + 1, start[1], end[0] + 1, end[1])
            for start, end in (worksheet.merged_cell_ranges or [])
        ]
        rows = worksheet.iter_rows()
    except python_calamine.PasswordError:
        raise LedgerError(PASSWORD) from None
    except Exception:
        raise LedgerError(DAMAGED.format(name=Path(str(book.path)).name)) from None

    def values() -> Iterator[Sequence[Any]]:
        for row in rows:
            # calamine gives "" for an empty cell and floats for every number.
            yield [None if value == "" else value for value in row]

    return values(), merges


def _csv_text(path: Path) -> str:
    """UTF-8 (with or without a BOM) or GBK.  A few broken bytes in a file otherwise
    readable (a stray byte from a copy and paste) leave the file readable: they become
    "\ufffd", and a row holding one is refused by row (ledgers.households), not the
    whole file called damaged.  A file mostly unreadable in both is damaged."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    texts = [raw.decode(encoding, errors="replace") for encoding in ("utf-8-sig", "gb18030")]
    text = min(texts, key=lambda t: t.count("\ufffd"))
    if text.count("\ufffd") * 20 > len(text) or "\x00" in text:  # over 5%: not text
        raise LedgerError(DAMAGED.format(name=path.name))
    return text


def _csv_rows(path: Path) -> Iterator[Sequence[Any]]:
    text = _csv_text(path)
    delimiter = _csv_delimiter(text)
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        yield [value if value.strip() else None for value in row]


def _csv_delimiter(text: str) -> str:
    """The delimiter under which the first rows hold the most headings the synonyms
    table knows (a comma when none does): a guess from how often a character occurs
    is fooled by a ';' typed in a note or a formula."""
    top = text[:8192].splitlines()[:HEADING_SEARCH_ROWS]

    def known(delimiter: str) -> int:
        rows = csv.reader(top, delimiter=delimiter)
        return max((sum(1 for v in row if headings.field_of(v.strip())) for row in rows), default=0)

    return max(",\t;", key=lambda d: (known(d), d == ","))


# --- the shape of the sheet ----------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def build_table(
    source: str, sheet: str, rows: Iterable[Sequence[Any]], merges: Sequence[Merge]
) -> SheetTable:
    """Find the heading in the first rows, then sort the rest into persons and skips."""
    iterator = iter(rows)
    top: list[list[Any]] = []
    for row in iterator:
        top.append(list(row))
        if len(top) >= HEADING_SEARCH_ROWS:
            break
    if not any(any(_text(v) for v in row) for row in top):
        raise LedgerError(EMPTY.format(sheet=sheet))
    raw = [list(row) for row in top]
    _spread_merges(top, merges)  # for the heading; data rows get only vertical merges
    first = _heading_row(top)
    if first is None:
        raise LedgerError(NO_HEADING.format(sheet=sheet, rows=HEADING_SEARCH_ROWS))
    # The best row may be the lower row of a two-row heading (its cells merged down
    # from the row above carry the same words): the heading starts where they start.
    first = min([first] + [r1 - 1 for r1, _c1, r2, _c2 in merges if r1 - 1 < first <= r2 - 1])
    last = _heading_end(top, first, merges)
    columns = _columns(top[first : last + 1])
    table = SheetTable(
        source=source,
        sheet=sheet,
        heading_rows=tuple(range(first + 1, last + 2)),
        columns=columns,
        rows=[],
        title=" ".join(_text(v) for row in raw[:first] for v in row if _text(v)),
        heading_cells=tuple(_padded(row, len(columns)) for row in raw[first : last + 1]),
    )
    for i in range(first):
        if any(_text(v) for v in raw[i]):
            _skip(table, i + 1, TITLE, raw[i])
    number = last + 1
    seq = next((c.index for c in columns if headings.field_of(c.heading) == "seq"), None)
    heading_texts = [c.heading for c in columns]
    carry_down = _VerticalMerges(merges, after=last + 1)
    for row in _chain(raw[last + 1 :], iterator):
        number += 1
        row = carry_down.fill(number, row)
        if number - 1 - last > MAX_ROWS:
            raise LedgerError(TOO_MANY_ROWS.format(limit=f"{MAX_ROWS:,}"))
        reason = _not_a_person(row, seq, heading_texts)
        cells = _padded(row, len(columns))
        if reason:
            _skip(table, number, reason, cells)
        else:
            table.rows.append(LedgerRow(number, cells))
    return table


def _padded(row: Sequence[Any], width: int) -> tuple[Any, ...]:
    """A row cut or filled out to the heading's width."""
    return tuple(row[:width]) + (None,) * (width - len(row))


class _VerticalMerges:
    """Cells merged down over several person rows (户主姓名 or 门牌 merged over the
    household's rows): the value stands in each row it covers, in its first column."""

    def __init__(self, merges: Sequence[Merge], after: int) -> None:
        self._starting: dict[int, list[Merge]] = {}
        for merge in merges:
            if merge[2] > merge[0] and merge[0] > after:
                self._starting.setdefault(merge[0], []).append(merge)
        self._active: list[tuple[Merge, Any]] = []

    def fill(self, number: int, row: Sequence[Any]) -> Sequence[Any]:
        if not self._starting and not self._active:
            return row
        cells = list(row)
        self._active = [(m, v) for m, v in self._active if m[2] >= number]
        for merge, value in self._active:
            column = merge[1]
            cells.extend([None] * (column + 1 - len(cells)))
            if cells[column] is None:
                cells[column] = value
        for merge in self._starting.pop(number, []):
            column = merge[1]
            self._active.append((merge, cells[column] if column < len(cells) else None))
        return cells


def _chain(first: list[list[Any]], rest: Iterator[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    yield from first
    yield from rest


def _skip(table: SheetTable, number: int, reason: str, cells: Sequence[Any]) -> None:
    table.skipped[reason] = table.skipped.get(reason, 0) + 1
    table.skipped_rows.append((number, reason, tuple(cells)))


def _spread_merges(top: list[list[Any]], merges: Sequence[Merge]) -> None:
    """A merged cell's value in every cell it covers (headings only: the top rows)."""
    for r1, c1, r2, c2 in merges:
        if r1 > len(top):
            continue
        width = max(c2 + 1, max(len(r) for r in top))
        for row in top:
            row.extend([None] * (width - len(row)))
        value = top[r1 - 1][c1]
        for r in range(r1, min(r2, len(top)) + 1):
            for c in range(c1, c2 + 1):
                top[r - 1][c] = value


def _heading_row(top: list[list[Any]]) -> int | None:
    """The first row where at least two cells are headings the synonyms table knows."""
    best, best_score = None, 1
    for i, row in enumerate(top):
        score = len({headings.field_of(_text(v)) for v in row if headings.field_of(_text(v))})
        if score > best_score:
            best, best_score = i, score
    return best


def _heading_end(top: list[list[Any]], first: int, merges: Sequence[Merge]) -> int:
    """The last heading row: a cell merged down from the heading row, or a row of short
    words (男, 女, 日期) under a heading that spans several columns, continues it."""
    last = first
    for r1, _c1, r2, _c2 in merges:
        if r1 == first + 1 and r2 > r1:
            last = max(last, r2 - 1)
    if last == first and first + 1 < len(top):
        below = top[first + 1]
        heading = top[first]
        spans = any(
            _text(heading[i]) and i + 1 < len(heading) and heading[i + 1] == heading[i]
            for i in range(len(heading))
        ) or any(_text(v) == "" for v in heading[: _last_filled(heading)])
        words = [_text(v) for v in below if _text(v)]
        data = any(_looks_like_data(v) for v in below if _text(v))
        known = all(headings.is_sub_heading(w) or headings.field_of(w) for w in words)
        if spans and words and not data and known:
            last = first + 1
    return last


def _last_filled(row: Sequence[Any]) -> int:
    return max((i for i, v in enumerate(row) if _text(v)), default=0)


def _looks_like_data(value: Any) -> bool:
    if isinstance(value, int | float | dt.date):
        return True
    text = _text(value)
    return bool(re.search(r"\d{4,}", text))


def _columns(heading_rows: list[list[Any]]) -> list[Column]:
    width = max(_last_filled(r) for r in heading_rows) + 1
    columns: list[Column] = []
    for index in range(width):
        parts: list[str] = []
        for row in heading_rows:
            text = re.sub(r"\s+", "", _text(row[index] if index < len(row) else None))
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        columns.append(Column(index, column_letter(index), "/".join(parts)))
    return columns


_SUBTOTAL = re.compile(r"小\s*计")
_TOTAL = re.compile(r"[合总]\s*计")


def _not_a_person(row: Sequence[Any], seq: int | None, heading_texts: list[str]) -> str:
    """Why a row below the heading is not a person ("" when it is one)."""
    texts = [_text(v) for v in row]
    if any(_SUBTOTAL.search(t) for t in texts if len(t) <= 12):
        return SUBTOTAL
    if any(_TOTAL.search(t) for t in texts if len(t) <= 12):
        return TOTAL
    if not any(t for i, t in enumerate(texts) if i != seq):
        return BLANK
    filled = [t for t in texts if t]
    if len(filled) >= 2 and sum(t in heading_texts for t in filled) >= len(filled) - 1:
        return HEADING_AGAIN  # the heading repeated on every printed page
    return ""


def _xlsx_has_formulas(path: Path, sheet: str) -> bool:
    """Formulas read as empty cells when the file kept no results (a sheet written by a
    program, never opened and saved in Excel): look at the formulas themselves."""
    with path.open("rb") as handle:  # closed here whatever openpyxl keeps (see LedgerFile)
        book = openpyxl.load_workbook(handle, read_only=True, data_only=False)
        try:
            rows = book[sheet].iter_rows(max_row=HEADING_SEARCH_ROWS + 50, values_only=True)
            return any(isinstance(v, str) and v.startswith("=") for row in rows for v in row)
        finally:
            book.close()
