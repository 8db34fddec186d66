"""The work list: who is due for a visit, overdue first.

Select a line and press Enter: the visit form opens filled in for that person, that
visit type and the event it follows, so a visit is recorded in two keystrokes
(Enter here, Enter to save).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTableView, QVBoxLayout, QWidget

from fpdesk.core import pinyin
from fpdesk.core.clock import Clock, SystemClock
from fpdesk.core.codes import label_or_code
from fpdesk.core.i18n import current_language
from fpdesk.gui import crash
from fpdesk.gui.models import ROW_ROLE, Column, Index, RowsModel
from fpdesk.gui.pages import make_table
from fpdesk.gui.tasks import Progress, Task, run_task
from fpdesk.store.db import Register
from fpdesk.store.errors import RegisterError

if TYPE_CHECKING:  # the due list is read when first shown, not at start-up
    from fpdesk.store.due import DueItem

OVERDUE, TODAY, THIS_WEEK, LATER = "overdue", "today", "week", "later"


@dataclass(frozen=True)
class WorkItem:
    """One visit someone is due for."""

    person_id: str
    name: str
    visit_type: str
    due_on: dt.date
    status: str
    household_id: str
    household_code: str
    address: str
    follows_table: str | None
    follows_id: str | None

    @property
    def id(self) -> str:
        return self.person_id

    def days_late(self, today: dt.date) -> int:
        return max(0, (today - self.due_on).days)


def status_on(due_on: dt.date, today: dt.date) -> str:
    if due_on < today:
        return OVERDUE
    if due_on == today:
        return TODAY
    if due_on <= today + dt.timedelta(days=6):
        return THIS_WEEK
    return LATER


WEEK_AHEAD = dt.timedelta(days=6)


def work_items(due: Iterable[DueItem], today: dt.date) -> list[WorkItem]:
    """The due list as the window shows it, with each line's status as of today."""
    items = [
        WorkItem(
            person_id=d.person_id,
            name=d.name,
            visit_type=d.visit_type,
            due_on=d.due_on,
            status=status_on(d.due_on, today),
            household_id=d.household_id,
            household_code=d.household_code,
            address=d.address,
            follows_table=d.follows_table,
            follows_id=d.follows_id,
        )
        for d in due
    ]
    return sorted(items, key=lambda i: (i.due_on, i.household_code, i.name))


def load_due(register: Register, today: dt.date, village_code: str | None) -> list[WorkItem]:
    """Overdue and today from the due list as of today; the coming week from the list a
    week ahead, leaving out what is already overdue (a schedule shows one visit at a time
    for each event, and the overdue one is the one to do first)."""
    from fpdesk.store.due import due_lists  # read when first shown, not at start-up

    # Both dates from one reading of the register (half the work of two due lists).
    now, later = due_lists(register, [today, today + WEEK_AHEAD], village_code)
    seen = {(d.person_id, d.visit_type, d.follows_id) for d in now}
    ahead = [d for d in later if (d.person_id, d.visit_type, d.follows_id) not in seen]
    return work_items([*now, *ahead], today)


def name_order(name: str) -> str:
    """A name's sort key: its pinyin, then the characters (same reading, stable order)."""
    return f"{pinyin.name_keys(name).full}\x00{name}"


def due_counts(items: Iterable[WorkItem]) -> dict[str, int]:
    """How many visits each person is due for (overdue, today or this week)."""
    counts: dict[str, int] = {}
    for item in items:
        if item.status != LATER:
            counts[item.person_id] = counts.get(item.person_id, 0) + 1
    return counts


class DueCounts:
    """Visits due per person, by village, read once and kept until something is saved.

    The household page marks members who are due; reading the due list for every
    household the officer arrows past would be slow, reading it once per village is not.
    """

    def __init__(self, register: Register, clock: Clock) -> None:
        self.register = register
        self.clock = clock
        self._by_village: dict[tuple[str, dt.date], dict[str, int]] = {}

    def __call__(self, village_code: str) -> dict[str, int]:
        key = (village_code, self.clock.today())
        if key not in self._by_village:
            items = load_due(self.register, self.clock.today(), village_code)
            self._by_village[key] = due_counts(items)
        return self._by_village[key]

    def remember(self, village_code: str | None, items: Iterable[WorkItem]) -> None:
        if village_code:
            self._by_village[(village_code, self.clock.today())] = due_counts(items)

    def forget(self) -> None:
        self._by_village.clear()


class WorkListModel(RowsModel):
    def __init__(self, clock: Clock, parent: Any = None) -> None:
        super().__init__(parent)
        self.clock = clock

    def status_label(self, status: str) -> str:
        return {
            OVERDUE: self.tr("Overdue"),
            TODAY: self.tr("Today"),
            THIS_WEEK: self.tr("This week"),
            LATER: self.tr("Later"),
        }[status]

    def columns(self) -> list[Column]:
        lang = current_language()
        return [
            Column(self.tr("Due"), lambda i: i.due_on.isoformat()),
            Column(self.tr("When"), self._when, lambda i: i.due_on),
            # Names sort as a Chinese reader looks them up, by pinyin (陈 before 李 before
            # 张), not by character code; the whole list, whatever village a line is in.
            Column(self.tr("Name"), lambda i: i.name, lambda i: name_order(i.name)),
            Column(
                self.tr("Visit"), lambda i: label_or_code("visit_type", i.visit_type, lang)
            ),
            # The code's own part is shown; it sorts by the whole code, village first.
            Column(
                self.tr("Household"),
                lambda i: i.household_code[-6:],
                lambda i: i.household_code,
            ),
            Column(self.tr("Address"), lambda i: i.address),
        ]

    def _when(self, item: WorkItem) -> str:
        late = item.days_late(self.clock.today())
        if late:
            return self.tr("%n day(s) late", "", late)
        return self.status_label(item.status)

    def foreground(self, row: Any) -> QColor | None:
        return QColor("#b3261e") if row.status == OVERDUE else None


class WorkListFilter(QSortFilterProxyModel):
    """Which lines show: by when they are due and by visit type."""

    ALL_DUE = "due"  # overdue, today and this week

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.when = self.ALL_DUE
        self.visit_type: str | None = None

    def set_when(self, when: str) -> None:
        self.when = when
        self.invalidate()

    def set_visit_type(self, visit_type: str | None) -> None:
        self.visit_type = visit_type
        self.invalidate()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        item = self.sourceModel().index(source_row, 0, source_parent).data(ROW_ROLE)
        if item is None:
            return False
        if self.visit_type and item.visit_type != self.visit_type:
            return False
        if self.when == self.ALL_DUE:
            return bool(item.status != LATER)
        return bool(item.status == self.when)


class WorkListView(QTableView):
    """Enter on a line opens the visit form for it."""

    record_visit = Signal(object)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.currentIndex()
            if index.isValid():
                self.record_visit.emit(index.data(ROW_ROLE))
                return
        super().keyPressEvent(event)


class WorkListPage(QWidget):
    record_visit = Signal(object)
    person_chosen = Signal(str)
    loaded = Signal()  # the lines were read (at once, or by a worker for a township)

    def __init__(self, register: Register, clock: Clock | None = None, parent: Any = None):
        super().__init__(parent)
        self.register = register
        self.clock = clock or SystemClock()
        self.items: list[WorkItem] = []
        self.village_code: str | None = register.area_code if register.role == "village" else None
        self.model = WorkListModel(self.clock, self)
        self.proxy = WorkListFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole + 2)
        self.table = make_table(self.proxy, WorkListView)
        self.table.setObjectName("worklist")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # then as the officer clicks
        self.task: Task | None = None
        self.table.record_visit.connect(self.record_visit)
        self.table.doubleClicked.connect(self._double_clicked)
        self.when = QComboBox()
        self.when.setObjectName("when")
        self.when.currentIndexChanged.connect(
            lambda: self.proxy.set_when(str(self.when.currentData()))
        )
        self.kind = QComboBox()
        self.kind.setObjectName("visit_type")
        self.kind.currentIndexChanged.connect(
            lambda: self.proxy.set_visit_type(self.kind.currentData())
        )
        self.summary = QLabel()
        self.when_label = QLabel()
        self.kind_label = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.when_label)
        bar.addWidget(self.when)
        bar.addWidget(self.kind_label)
        bar.addWidget(self.kind)
        bar.addStretch(1)
        bar.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.when_label.setText(self.tr("Show"))
        self.kind_label.setText(self.tr("Visit type"))
        when = self.when.currentIndex()
        self.when.blockSignals(True)
        self.when.clear()
        self.when.addItem(self.tr("Overdue, today and this week"), WorkListFilter.ALL_DUE)
        self.when.addItem(self.tr("Overdue"), OVERDUE)
        self.when.addItem(self.tr("Today"), TODAY)
        self.when.addItem(self.tr("This week"), THIS_WEEK)
        self.when.setCurrentIndex(max(when, 0))
        self.when.blockSignals(False)
        self._fill_kinds()
        self.model.retranslate()
        self._summarise()

    def _fill_kinds(self) -> None:
        lang = current_language()
        chosen = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItem(self.tr("All types"), None)
        for visit_type in sorted({i.visit_type for i in self.items}):
            self.kind.addItem(label_or_code("visit_type", visit_type, lang), visit_type)
        found = self.kind.findData(chosen)
        self.kind.setCurrentIndex(max(found, 0))
        self.kind.blockSignals(False)

    def refresh(self) -> None:
        """Read the list again: one village at once; a whole township (hundreds of
        villages, seconds to read) on a pool thread with its own connection."""
        if self.task is not None:
            self.task.cancel()
            self.task = None
        if self.village_code is not None or self.register.role == "village":
            self.set_items(load_due(self.register, self.clock.today(), self.village_code))
            self.loaded.emit()
            return
        opener, today, village = self.register.reopen, self.clock.today(), self.village_code

        def work(progress: Progress) -> list[WorkItem]:
            progress.report(0, 0)
            other = opener()
            try:
                return load_due(other, today, village)
            finally:
                other.close()

        self.summary.setText(self.tr("Reading who is due in every village…"))
        task = run_task(
            self,
            work,
            on_done=lambda items: self._read(task, items),
            on_error=lambda exc: self._failed(task, exc),
            label=self.tr("Reading who is due in every village…"),
        )
        self.task = task

    def _read(self, task: Task, items: list[WorkItem]) -> None:
        if task is not self.task:
            return  # a later reading (another area) took its place
        self.task = None
        self.set_items(items)
        self.loaded.emit()

    def _failed(self, task: Task, exc: BaseException) -> None:
        if task is not self.task:
            return
        self.task = None
        if not isinstance(exc, RegisterError):
            raise exc  # a bug: the crash dialog
        self.summary.setText(crash.register_error_text(exc))

    def set_village(self, village_code: str) -> None:
        """A township register is long: the work list shows one village at a time."""
        if village_code != self.village_code:
            self.village_code = village_code
            self.refresh()

    def set_items(self, items: list[WorkItem]) -> None:
        self.items = items
        self.model.set_rows(items)
        self._fill_kinds()
        self.proxy.invalidate()
        header = self.table.horizontalHeader()  # the order the officer chose stays
        self.table.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.table.resizeColumnsToContents()
        self._summarise()
        if self.proxy.rowCount():
            self.table.selectRow(0)

    def _summarise(self) -> None:
        overdue = sum(1 for i in self.items if i.status == OVERDUE)
        today = sum(1 for i in self.items if i.status == TODAY)
        week = sum(1 for i in self.items if i.status == THIS_WEEK)
        self.summary.setText(
            self.tr("Overdue: {0}   Today: {1}   This week: {2}").format(overdue, today, week)
        )

    def _double_clicked(self, index: QModelIndex) -> None:
        item = index.data(ROW_ROLE)
        if item is not None:
            self.record_visit.emit(item)
