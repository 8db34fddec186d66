"""The dashboard: indicator cards against their targets, monthly trends, a village table.

Every number here is reports.indicators' (the same engine as the workbooks and the
command line); the widget only lays it out.  Clicking a count opens the persons or
events behind it.  The main window embeds `Dashboard(register)`; the window on a
district hub (gui.hub_window) the same widget over the hub's source (`Readings`):
numbers and workbooks, no names (they stay on the townships' registers).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, closing
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    Qt,
)
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core.clock import Clock, SystemClock
from fpdesk.core.errors import FpdeskError
from fpdesk.core.i18n import Text, current_language
from fpdesk.core.indicators import DefinitionBook
from fpdesk.core.periods import Period, PeriodError, parse_period, statistical_year_of
from fpdesk.gui.file_dialogs import choose_save_file
from fpdesk.gui.tasks import Progress, Task, run_task
from fpdesk.reports import excel
from fpdesk.reports import indicators as ind
from fpdesk.reports import members as who
from fpdesk.reports.indicators.sqlite import Readable
from fpdesk.reports.pdf.layout import PrintOptions, PrintResult
from fpdesk.reports.pdf.members import print_members
from fpdesk.store import access, areas
from fpdesk.store.db import Register

Index = QModelIndex | QPersistentModelIndex
_INVALID = QModelIndex()
PASS_COLOR, FAIL_COLOR, NEUTRAL_COLOR = QColor("#2e7d32"), QColor("#c62828"), QColor("#616161")
# The indicators of the village table (the assessment workbook carries all of them).
VILLAGE_KEYS = (
    "births",
    "policy_compliant_rate",
    "long_acting_rate",
    "contraceptive_rate",
    "followup_rate",
    "gyn_exam_rate",
    "postnatal_rate",
)


def _text(text: Text) -> str:
    return text.get(current_language())


# ---------------------------------------------------------------- what is read


@dataclass
class Readings:
    """What a dashboard counts and where it reads it: a register (its session's area,
    the persons behind a number, the recorded export) or the district hub's source
    (numbers and workbooks only).  `opener` gives a store on a connection of its own,
    for a worker (a connection never crosses threads); without it everything is read
    on the window's thread, from `where`."""

    where: Readable | None  # None: read only through `opener` (the hub)
    area: Callable[[], tuple[str, str]]  # (code, name) of what the cards count
    opener: Callable[[], AbstractContextManager[Readable]] | None = None
    # The levels of the table's rows (the engine's: county, township, village).
    levels: tuple[str, ...] = ("village",)
    kinds: tuple[str, ...] = ("assessment", "annual", "monthly")
    # A register: the names behind a number, their printout, the recorded export.
    register: Register | None = None
    # The hub: a workbook written by the hub's own function, (period, kind, path) -> sha.
    write_workbook: Callable[[Period, str, str], str] | None = field(default=None)

    @classmethod
    def of_register(
        cls, register: Register, opener: Callable[[], Register] | None = None
    ) -> Readings:
        def area() -> tuple[str, str]:
            # The session's area: an officer's account on a township laptop sees its village.
            code = access.scope(register)
            return code, areas.name(register, code)

        def reopened() -> AbstractContextManager[Readable]:
            assert opener is not None
            return closing(opener())

        return cls(register, area, reopened if opener else None, register=register)


@dataclass(frozen=True)
class Counted:
    """One period counted: the facts, the report of the area and the table's rows."""

    facts: ind.Facts
    report: ind.IndicatorReport
    level: str
    rows: list[ind.IndicatorReport]


def count(
    where: Readable,
    period: Period,
    area: tuple[str, str],
    level: str,
    book: DefinitionBook | None = None,
) -> Counted:
    """The period's facts, the report of `area` and one report per unit of `level`
    inside it (the area's own row last, unless it is the only one)."""
    facts = ind.collect(where, period, book=book)
    report = ind.evaluate(facts, (area[0],), name=area[1])
    rows = ind.breakdown(where, period, level, within=area[0], facts=facts)
    alone = len(rows) == 1 and rows[0].areas == report.areas
    return Counted(facts, report, level, rows if alone else [*rows, report])


def format_value(result: ind.Result | ind.TrendPoint, unit: str) -> str:
    if result.value is None:
        return "—"
    if unit == "count":
        return f"{result.value:.0f}"
    if unit == "percent":
        return f"{result.value:.1f}%"
    return f"{result.value:.1f}"


def nice_ceiling(value: float) -> float:
    """The axis top: the next 1, 2 or 5 times a power of ten, so ticks read cleanly."""
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def _color(passed: bool | None) -> QColor:
    return NEUTRAL_COLOR if passed is None else (PASS_COLOR if passed else FAIL_COLOR)


# ---------------------------------------------------------------- cards


class IndicatorCard(QFrame):
    """One indicator: its value, the counts behind it (clickable) and its target."""

    membersRequested = QtSignal(str, str)  # indicator key, "numerator" or "denominator"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(150)
        self.key = ""
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.value = QLabel()
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.value.setFont(font)
        self.numerator = QPushButton()
        self.denominator = QPushButton()
        for button, which in ((self.numerator, "numerator"), (self.denominator, "denominator")):
            button.setFlat(True)
            button.setStyleSheet("QPushButton { text-decoration: underline; padding: 0 2px; }")
            button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setToolTip(self.tr("Show who is counted"))
            button.clicked.connect(lambda _=False, w=which: self.membersRequested.emit(self.key, w))
        self.slash = QLabel("/")
        self.target = QLabel()
        counts = QHBoxLayout()
        counts.setContentsMargins(0, 0, 0, 0)
        for widget in (self.numerator, self.slash, self.denominator):
            counts.addWidget(widget)
        counts.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.value)
        layout.addLayout(counts)
        layout.addWidget(self.target)
        # The card itself opens its list too: clicked anywhere, or Enter when it (or
        # one of its counts) has the focus; Tab walks from card to card.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(self.tr("Click or press Enter to see who is counted"))

    def keyPressEvent(self, event: Any) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.key:
            which = "denominator" if self.denominator.hasFocus() else "numerator"
            self.membersRequested.emit(self.key, which)
            return
        super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: Any) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.key:
            self.membersRequested.emit(self.key, "numerator")
            return
        super().mouseReleaseEvent(event)

    def focusInEvent(self, event: Any) -> None:
        self.setStyleSheet("IndicatorCard { border: 2px solid palette(highlight); }")
        super().focusInEvent(event)

    def focusOutEvent(self, event: Any) -> None:
        self.setStyleSheet("")
        super().focusOutEvent(event)

    def show_result(self, result: ind.Result) -> None:
        self.key = result.key
        self.title.setText(_text(result.label))
        self.value.setText(format_value(result, result.unit))
        self.value.setStyleSheet(f"color: {_color(result.passed).name()}")
        self.numerator.setText(str(result.numerator))
        has_denominator = result.denominator is not None
        self.denominator.setText(str(result.denominator) if has_denominator else "")
        self.denominator.setVisible(has_denominator)
        self.slash.setVisible(has_denominator)
        if result.target is None:
            self.target.setText(self.tr("No target"))
        else:
            verdict = {
                None: self.tr("not assessed at this level"),
                True: self.tr("met"),
                False: self.tr("not met"),
            }[result.passed]
            self.target.setText(
                self.tr("Target %1: %2")
                .replace("%1", result.target.describe(current_language()))
                .replace("%2", verdict)
            )
        self.target.setStyleSheet(f"color: {_color(result.passed).name()}")


# ---------------------------------------------------------------- trend chart


class TrendChart(QWidget):
    """Month-by-month values drawn with QPainter: bars for counts, a line for rates,
    the target as a dashed line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(360, 200)
        self.points: list[ind.TrendPoint] = []
        self.unit = "count"
        self.target: float | None = None

    def set_points(self, points: Sequence[ind.TrendPoint], unit: str, target: float | None) -> None:
        self.points = list(points)
        self.unit = unit
        self.target = target
        self.update()

    def paintEvent(self, event: Any) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        if not self.points:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No data"))
            return
        left, right, top, bottom = 44, 12, 14, 28
        width = max(self.width() - left - right, 10)
        height = max(self.height() - top - bottom, 10)
        values = [p.value for p in self.points]
        known = [v for v in values if v is not None]
        ceiling = 100.0 if self.unit == "percent" else nice_ceiling(max([*known, 1.0]))
        painter.setPen(QPen(self.palette().text().color(), 1))
        painter.drawLine(left, top + height, left + width, top + height)
        painter.drawLine(left, top, left, top + height)
        for fraction in (0.0, 0.5, 1.0):
            y = top + height - fraction * height
            label = f"{ceiling * fraction:g}" + ("%" if self.unit == "percent" else "")
            painter.drawText(
                0,
                int(y) - 8,
                left - 4,
                16,
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                label,
            )
        step = width / len(self.points)

        def y_of(value: float) -> float:
            return top + height - min(value / ceiling, 1.0) * height

        centres = [left + step * (i + 0.5) for i in range(len(self.points))]
        accent = self.palette().highlight().color()
        if self.unit == "count":
            painter.setBrush(QBrush(accent))
            painter.setPen(Qt.PenStyle.NoPen)
            for x, value in zip(centres, values, strict=True):
                if value:
                    y = y_of(value)
                    painter.drawRect(
                        int(x - step * 0.3), int(y), int(step * 0.6), int(top + height - y)
                    )
        else:
            painter.setPen(QPen(accent, 2))
            line = [
                QPointF(x, y_of(v)) for x, v in zip(centres, values, strict=True) if v is not None
            ]
            for a, b in itertools.pairwise(line):
                painter.drawLine(a, b)
            painter.setBrush(QBrush(accent))
            for point in line:
                painter.drawEllipse(point, 3, 3)
        if self.target is not None:
            pen = QPen(FAIL_COLOR, 1, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            y = y_of(self.target)
            painter.drawLine(QPointF(left, y), QPointF(left + width, y))
        painter.setPen(QPen(self.palette().text().color(), 1))
        for x, point in zip(centres, self.points, strict=True):
            label = str(point.month.start.month)
            painter.drawText(
                int(x - step / 2),
                top + height + 4,
                int(step),
                18,
                int(Qt.AlignmentFlag.AlignCenter),
                label,
            )
        painter.end()


# ---------------------------------------------------------------- tables


class VillageModel(QAbstractTableModel):
    """One row per village (and the total), one column per indicator value."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.reports: list[ind.IndicatorReport] = []
        self.level = "village"

    def set_reports(self, reports: Sequence[ind.IndicatorReport], level: str = "village") -> None:
        self.beginResetModel()
        self.reports = list(reports)
        self.level = level
        self.endResetModel()

    def rowCount(self, parent: Index = _INVALID) -> int:
        return 0 if parent.isValid() else len(self.reports)

    def columnCount(self, parent: Index = _INVALID) -> int:
        return 0 if parent.isValid() else 2 + len(VILLAGE_KEYS)

    def result_at(self, index: Index) -> tuple[ind.IndicatorReport, ind.Result] | None:
        if not index.isValid() or index.column() < 2:
            return None
        report = self.reports[index.row()]
        return report, report.result(VILLAGE_KEYS[index.column() - 2])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.reports):
            return None
        report = self.reports[index.row()]
        found = self.result_at(index)
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return report.areas[0]
            if index.column() == 1:
                return report.name
            assert found is not None
            return format_value(found[1], found[1].unit)
        if role == Qt.ItemDataRole.ForegroundRole and found is not None:
            return QBrush(_color(found[1].passed))
        if role == Qt.ItemDataRole.ToolTipRole and found is not None:
            result = found[1]
            if result.denominator is None:
                return str(result.numerator)
            return f"{result.numerator} / {result.denominator}"
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if section == 0:
            return self.tr("Code")
        if section == 1:
            return {"county": self.tr("District"), "township": self.tr("Township")}.get(
                self.level, self.tr("Village")
            )
        if not self.reports or section >= 2 + len(VILLAGE_KEYS):
            return None
        return _text(self.reports[0].result(VILLAGE_KEYS[section - 2]).label)


MEMBER_COLUMNS = (
    ("name", QT_TRANSLATE_NOOP("MembersModel", "Name")),
    ("id_number", QT_TRANSLATE_NOOP("MembersModel", "ID number")),
    ("village", QT_TRANSLATE_NOOP("MembersModel", "Village")),
    ("household", QT_TRANSLATE_NOOP("MembersModel", "Household")),
    ("event", QT_TRANSLATE_NOOP("MembersModel", "Counted for")),
    ("date", QT_TRANSLATE_NOOP("MembersModel", "Date")),
)
assert [key for key, _ in MEMBER_COLUMNS] == [key for key, _ in who.COLUMNS]


class MembersModel(QAbstractTableModel):
    """The persons behind a number (reports.members' lines), one row each."""

    def __init__(self, lines: Sequence[who.Counted], parent: Any = None) -> None:
        super().__init__(parent)
        self.lines = list(lines)
        self.rows = [line.row(current_language()) for line in self.lines]
        self.columns = list(MEMBER_COLUMNS)

    def rowCount(self, parent: Index = _INVALID) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _INVALID) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        if index.row() >= len(self.rows) or index.column() >= len(self.columns):
            return None
        return self.rows[index.row()][self.columns[index.column()][0]]

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if section >= len(self.columns):
            return None
        return QCoreApplication.translate("MembersModel", self.columns[section][1])


class MembersDialog(QDialog):
    """The list behind a number, with a button to print it (PDF)."""

    def __init__(
        self,
        title: str,
        lines: Sequence[who.Counted],
        parent: QWidget | None = None,
        *,
        printer: Callable[[str], None] | None = None,
        suggested: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(820, 460)
        self.printer = printer
        self.suggested = suggested
        self.model = MembersModel(lines, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.resizeColumnsToContents()
        count = QLabel(self.tr("Listed: %1").replace("%1", str(len(lines))))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = buttons.addButton(
            self.tr("Print to PDF…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.print_button.setEnabled(printer is not None)
        self.print_button.clicked.connect(self._print_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(title))
        layout.addWidget(count)
        layout.addWidget(self.table)
        self.status = QLabel()
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def _print_clicked(self) -> None:
        if self.printer is None:
            return
        path = choose_save_file(
            self, self.tr("Print the list"), self.suggested, self.tr("PDF file (*.pdf)")
        )
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        self.printer(path)


# ---------------------------------------------------------------- the dashboard


class Dashboard(QWidget):
    """Indicators of an area for a period, with trends and a row per village (or per
    township, at the hub)."""

    CARD_COLUMNS = 5

    def __init__(
        self,
        register: Register | Readings,
        parent: QWidget | None = None,
        *,
        period: Period | None = None,
        clock: Clock | None = None,
        book: DefinitionBook | None = None,
        opener: Callable[[], Register] | None = None,
    ) -> None:
        """A register's dashboard, or one over `Readings` (the hub's).  `opener` opens a
        second connection to the same register: with it, counting runs off the GUI
        thread (a connection never crosses threads); without it (tests, small
        registers) it runs here."""
        super().__init__(parent)
        if isinstance(register, Readings):
            self.readings = register
        else:
            self.readings = Readings.of_register(register, opener)
        self.register = self.readings.register
        self.task: Task | None = None
        self.book = book
        self.clock = clock or SystemClock()
        self.period = period or parse_period(str(statistical_year_of(self.clock.today())))
        self.level = self.readings.levels[0]
        self.facts: ind.Facts | None = None
        self.report: ind.IndicatorReport | None = None
        self.dialog: MembersDialog | None = None
        self._build()
        self.refresh()

    # -- layout ----------------------------------------------------------------------

    def _build(self) -> None:
        self.period_box = QComboBox()
        self.period_box.setEditable(True)
        self.period_box.setToolTip(
            self.tr(
                "2019 = statistical year 1 Oct 2018 to 30 Sep 2019; also 2019Q1, 2019H1, 2019-03"
            )
        )
        year = statistical_year_of(self.clock.today())
        for label in (
            str(year),
            str(year - 1),
            f"{year}H1",
            f"{year}H2",
            self.clock.today().strftime("%Y-%m"),
        ):
            self.period_box.addItem(label)
        self.period_box.setCurrentText(self.period.label)
        self.period_box.lineEdit().returnPressed.connect(self._period_typed)
        self.period_box.activated.connect(lambda _: self._period_typed())
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        # The level of the table's rows; shown only where there is a choice (the hub).
        self.level_box = QComboBox()
        titles = {
            "county": self.tr("District"),
            "township": self.tr("Township"),
            "village": self.tr("Village"),
        }
        for level in self.readings.levels:
            self.level_box.addItem(titles[level], level)
        self.level_box.activated.connect(lambda _: self.set_level(self.level_box.currentData()))
        level_label = QLabel(self.tr("Rows by"))
        level_label.setBuddy(self.level_box)
        self.kind_box = QComboBox()
        for kind, title in (
            ("assessment", self.tr("Assessment sheet")),
            ("annual", self.tr("Annual forms")),
            ("monthly", self.tr("Monthly change report")),
        ):
            if kind in self.readings.kinds:
                self.kind_box.addItem(title, kind)
        export = QPushButton(self.tr("Export to Excel…"))
        export.clicked.connect(self._export_clicked)
        self.summary = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Period")))
        bar.addWidget(self.period_box)
        if len(self.readings.levels) > 1:
            bar.addWidget(level_label)
            bar.addWidget(self.level_box)
        bar.addWidget(refresh)
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.kind_box)
        bar.addWidget(export)

        self.cards_area = QWidget()
        self.cards_grid = QGridLayout(self.cards_area)
        self.cards: list[IndicatorCard] = []

        self.trend_box = QComboBox()
        for key in ind.TREND_KEYS:
            self.trend_box.addItem(key, key)
        self.trend_box.currentIndexChanged.connect(lambda _: self._show_trend())
        self.chart = TrendChart()
        trend = QWidget()
        trend_layout = QVBoxLayout(trend)
        trend_row = QHBoxLayout()
        trend_row.addWidget(QLabel(self.tr("Monthly trend (by calendar month)")))
        trend_row.addWidget(self.trend_box, 1)
        trend_layout.addLayout(trend_row)
        trend_layout.addWidget(self.chart, 1)

        self.villages = VillageModel(self)
        self.village_table = QTableView()
        self.village_table.setModel(self.villages)
        self.village_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.village_table.verticalHeader().setVisible(False)
        self.village_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        if self.readings.register is not None:  # the names are on a register only
            self.village_table.setToolTip(self.tr("Double-click a number to see who is counted"))
            self.village_table.doubleClicked.connect(self._village_clicked)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(trend)
        splitter.addWidget(self.village_table)
        splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.cards_area)
        layout.addWidget(splitter, 1)

    # -- data ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read again for the current period and level (after edits or an import)."""
        area = self.readings.area()
        period, book, level = self.period, self.book, self.level
        if self.readings.opener is None:
            assert self.readings.where is not None
            self.show_counted(count(self.readings.where, period, area, level, book))
            return
        if self.task is not None:
            self.task.cancel()
        opener = self.readings.opener

        def work(progress: Progress) -> Counted:
            with opener() as where:
                return count(where, period, area, level, book)

        self.task = run_task(
            self,
            work,
            on_done=self.show_counted,
            on_error=self._failed,
            label=self.tr("Counting the indicators…"),
            cancellable=False,
        )

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        text = _text(exc.text) if isinstance(exc, FpdeskError) else str(exc)
        QMessageBox.warning(self, self.tr("Indicators"), text)

    def show_counted(self, counted: Counted) -> None:
        """Lay out what `count` read (on the GUI thread)."""
        self.task = None
        if (counted.facts.period, counted.level) != (self.period, self.level):
            return  # the officer chose another period or level meanwhile
        self.facts = counted.facts
        self.report = counted.report
        self._show_cards()
        self._show_trend()
        self.villages.set_reports(counted.rows, self.level)
        self.summary.setText(
            self.tr("%1 to %2, definitions %3")
            .replace("%1", self.period.start_iso)
            .replace("%2", self.period.end_iso)
            .replace("%3", self.report.definitions_version)
        )

    def set_level(self, level: str) -> None:
        """Rows by district, township or village."""
        self.level = level
        self.level_box.setCurrentIndex(max(self.level_box.findData(level), 0))
        self.refresh()

    def set_period(self, period: Period) -> None:
        self.period = period
        self.period_box.setCurrentText(period.label)
        self.refresh()

    def _period_typed(self) -> None:
        try:
            period = parse_period(self.period_box.currentText())
        except PeriodError as exc:
            QMessageBox.warning(self, self.tr("Period"), _text(exc.text))
            self.period_box.setCurrentText(self.period.label)
            return
        if period != self.period:
            self.set_period(period)

    def _show_cards(self) -> None:
        assert self.report is not None
        while len(self.cards) < len(self.report.results):
            card = IndicatorCard(self.cards_area)
            if self.register is not None:  # the names are on a register only
                card.membersRequested.connect(self.show_members)
            else:
                for widget in (card, card.numerator, card.denominator):
                    widget.setToolTip("")
                    widget.setCursor(Qt.CursorShape.ArrowCursor)
                for button in (card.numerator, card.denominator):  # not links here
                    button.setStyleSheet("QPushButton { padding: 0 2px; }")
            n = len(self.cards)
            self.cards_grid.addWidget(card, n // self.CARD_COLUMNS, n % self.CARD_COLUMNS)
            self.cards.append(card)
        for card, result in zip(self.cards, self.report.results, strict=False):
            card.show_result(result)
        for i in range(self.trend_box.count()):
            key = self.trend_box.itemData(i)
            self.trend_box.setItemText(i, _text(self.report.result(key).label))

    def _show_trend(self) -> None:
        if self.facts is None or self.report is None:
            return
        key = self.trend_box.currentData() or ind.TREND_KEYS[0]
        points = ind.monthly_trend(self.facts, self.report.areas, key)
        result = self.report.result(key)
        target = result.target.value if result.target and result.target.op[0] in "<>" else None
        self.chart.set_points(points, result.unit, None if result.unit == "count" else target)

    # -- who is counted ----------------------------------------------------------------

    def show_members(
        self, key: str, which: str, report: ind.IndicatorReport | None = None
    ) -> MembersDialog:
        """Open the list of persons behind one number (reports.members)."""
        report = report or self.report
        assert report is not None
        result = report.result(key)
        assert self.register is not None  # the names are on a register only
        lines = who.counted(self.register, report, key, which)
        part = self.tr("numerator") if which == "numerator" else self.tr("denominator")
        number = result.numerator if which == "numerator" else result.denominator
        title = f"{report.name} · {_text(result.label)} · {part} {number}"
        chosen = report

        def printer(path: str) -> None:
            self.print_members(chosen, key, which, path)

        self.dialog = MembersDialog(
            title,
            lines,
            self,
            printer=printer,
            suggested=f"{report.areas[0]}-{report.period.label}-{key}-{which}.pdf",
        )
        self.dialog.show()
        return self.dialog

    def print_members(
        self, report: ind.IndicatorReport, key: str, which: str, path: str
    ) -> PrintResult | None:
        """Print a list behind a number to a PDF (off the GUI thread when it can be)."""
        options = PrintOptions(language=current_language(), clock=self.clock)
        opener = self.readings.opener
        if opener is None:  # print_members refuses, prints and records
            assert self.register is not None
            done = print_members(self.register, report, key, which, path, options=options)
            self._printed(done)
            return done

        def work(progress: Progress) -> PrintResult:
            with opener() as register:
                assert isinstance(register, Register)
                return print_members(register, report, key, which, path, options=options)

        run_task(
            self,
            work,
            on_done=self._printed,
            label=self.tr("Printing the list…"),
            cancellable=False,
        )
        return None

    def _printed(self, done: PrintResult) -> None:
        if self.dialog is not None:
            self.dialog.status.setText(
                self.tr("Printed %1 (%n page(s))", "", done.pages).replace("%1", str(done.path))
            )

    def _village_clicked(self, index: QModelIndex) -> None:
        found = self.villages.result_at(index)
        if found is not None:
            self.show_members(found[1].key, "numerator", found[0])

    # -- export ------------------------------------------------------------------------

    def export_to(self, path: str, kind: str) -> str:
        """Write the workbook for the shown period (a register also records what was
        reported; the hub's is `fpdesk hub report`'s); its SHA-256."""
        if self.readings.write_workbook is not None:
            return self.readings.write_workbook(self.period, kind, path)
        assert self.register is not None and self.report is not None
        made = excel.export(
            self.register, self.period, kind, path, book=self.book, summary=self.report
        )
        return made.sha256

    def _export_clicked(self) -> None:
        self.export_workbook(str(self.kind_box.currentData()))

    def export_workbook(self, kind: str) -> None:
        """Ask where, then write the workbook (the hub's on a worker: a server's reads)."""
        suggested = f"{self.readings.area()[0]}-{self.period.label}-{kind}.xlsx"
        path = choose_save_file(
            self, self.tr("Export to Excel"), suggested, self.tr("Excel workbook (*.xlsx)")
        )
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        if self.readings.write_workbook is None:
            try:
                self.export_to(path, kind)
            except OSError as exc:
                self._not_written(exc)
                return
            self._written(path)
            return
        self.task = run_task(
            self,
            lambda progress: self.export_to(path, kind),
            on_done=lambda _digest: self._written(path),
            on_error=self._not_written,
            label=self.tr("Writing the workbook…"),
            cancellable=False,
        )

    def _written(self, path: str) -> None:
        self.task = None
        QMessageBox.information(
            self, self.tr("Export to Excel"), self.tr("Saved %1").replace("%1", path)
        )

    def _not_written(self, exc: BaseException) -> None:
        self.task = None
        why = _text(exc.text) if isinstance(exc, FpdeskError) else str(exc)
        QMessageBox.warning(
            self,
            self.tr("Export to Excel"),
            self.tr("Could not write the file: %1").replace("%1", why),
        )
