"""File ▸ Import ledger…: a village's own Excel ledger into the register, in four steps.

1. the file and its sheet;
2. the heading rows found (the sheet's first rows, the heading highlighted) and the field
   each column goes into: proposed from the headings, or as chosen last time for a sheet
   of the same shape; editable, and remembered for the next sheet of that shape;
3. the rows as they will be stored, with what happens to each (new, update, same,
   problem, skipped), the counts, and the choice to skip the rows with problems; while a
   row has a problem and that box is not ticked, Import stays disabled and says why;
4. the import, on a worker with its own connection (one transaction: all or nothing),
   and its summary; the report (the sheet's rows with a status and a message) can be
   saved from steps 3 and 4.

The work is `fpdesk.ledgers`' (the CLI's `fpdesk import-ledger` calls the same
functions); this window shows and asks. Reading the file, planning and importing each
run on a pool thread (`gui.tasks`), so a large ledger never freezes the window.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from fpdesk import ledgers
from fpdesk.core import area, codes, validation
from fpdesk.core.clock import Clock
from fpdesk.core.errors import FpdeskError
from fpdesk.core.i18n import Text, current_language
from fpdesk.gui import crash
from fpdesk.gui.file_dialogs import choose_open_file, choose_save_file
from fpdesk.gui.tasks import Progress, Task, run_task
from fpdesk.ledgers.plan import SKIP_REASONS
from fpdesk.ledgers.reading import column_letter
from fpdesk.store import areas
from fpdesk.store.db import Register

log = logging.getLogger("fpdesk.gui.ledger_wizard")

# How many of the sheet's first rows step 2 shows, and how many planned rows step 3 lists
# (then every row with a problem, so that none is out of sight; every row is in the saved
# report and the counts cover them all).
SHEET_ROWS_SHOWN = 12
PLANNED_ROWS_SHOWN = 500

HEADING_COLOUR = QColor("#ffe9a8")
STATUS_COLOURS = {
    "new": QColor("#dff3df"),
    "update": QColor("#dde9f7"),
    "same": QColor("#eeeeee"),
    "problem": QColor("#f9d6d5"),
    "skipped": QColor("#f3ecd9"),
}
STATUSES = ("new", "update", "same", "problem", "skipped")
# Lists in a sentence: Chinese has its own marks (第 3、4 行；标题行 2；空行 1).
LIST_COMMA, LIST_SEMICOLON = Text("、", ", "), Text("；", "; ")
SENTENCE_GAP = Text("", " ")  # Chinese sentences follow each other without a space


def said(text: Text | str) -> str:
    """A bilingual message from below the window, in the officer's language."""
    return text.get(current_language()) if isinstance(text, Text) else str(text)


def plain_error(exc: BaseException) -> str | None:
    """The plain message of an error the officer can act on (a damaged file, no heading
    found, a full disk), or None for a bug."""
    if isinstance(exc, FpdeskError):  # a damaged file, no heading, a full disk
        return said(exc.text)
    return None


def shown_value(value: object) -> str:
    """A cell as the officer reads it: nothing for an empty cell, whole numbers without .0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Text):
        return said(value)
    return str(value)


def stored_value(field: str, value: object) -> str:
    """A value as it will be stored, a code shown by its label (2 -> 女)."""
    table = validation.CODE_TABLES.get(field)
    if table is not None and value is not None and codes.exists(table, value):
        return codes.label(table, value, current_language())
    return shown_value(value)


def field_label(field: str) -> str:
    """The name of a field of the ledger or of the register, in the officer's language."""
    known = {f.key: f.label for f in ledgers.FIELDS}
    return said(known.get(field) or validation.field_label(field))


class LedgerWizard(QWizard):
    """The four steps; `register` is the window's, read on the GUI thread only for its
    `reopen` (each worker opens its own connection with it)."""

    imported = Signal(object)  # the LedgerResult, once the rows are in the register

    FILE, MAPPING, PREVIEW, DONE = range(4)

    def __init__(
        self,
        register: Register,
        parent: QWidget | None = None,
        *,
        village: str | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ledger_wizard")
        self.opener = register.reopen  # read here, on the GUI thread; called on workers
        self.villages = villages_of(register)  # where a ledger can go: (code, name)
        self.clock = clock
        self.path: Path | None = None
        self.ledger: Any = None  # ledgers.LedgerFile of the file chosen
        self.table: Any = None  # ledgers.SheetTable of the sheet read
        self.read_key: tuple[Path, str] | None = None  # (file, sheet) the table is of
        self.plan: Any = None  # ledgers.LedgerPlan of the rows as they will be stored
        self.outcome: Any = None  # ledgers.LedgerResult once imported
        self.task: Task | None = None
        self.question: QMessageBox | None = None
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.file_page = FilePage(self, village)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.done_page = DonePage(self)
        self.setPage(self.FILE, self.file_page)
        self.setPage(self.MAPPING, self.mapping_page)
        self.setPage(self.PREVIEW, self.preview_page)
        self.setPage(self.DONE, self.done_page)
        self.resize(1120, 660)  # inside 1366x768 with the task bar and a title bar
        self.setMinimumSize(760, 480)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Import a ledger"))
        buttons = QWizard.WizardButton
        self.setButtonText(buttons.BackButton, self.tr("< &Back"))
        self.setButtonText(buttons.NextButton, self.tr("&Next >"))
        self.setButtonText(buttons.CommitButton, self.tr("&Import"))
        self.setButtonText(buttons.FinishButton, self.tr("&Close"))
        self.setButtonText(buttons.CancelButton, self.tr("Cancel"))
        for page in (self.file_page, self.mapping_page, self.preview_page, self.done_page):
            page.retranslate()

    # -- work on a pool thread -----------------------------------------------------------

    def run(
        self,
        work: Callable[[Progress], Any],
        on_done: Callable[[Any], None],
        on_problem: Callable[[str], None],
        label: str,
        *,
        cancellable: bool = True,
    ) -> Task:
        """`work` on a pool thread; `on_done(result)` back here, or `on_problem(message)`
        for a plain error (a bug shows the crash dialog). One piece of work at a time."""

        def done(result: Any) -> None:
            self.task = None
            self._busy(False)
            on_done(result)

        def failed(exc: BaseException) -> None:
            self.task = None
            self._busy(False)
            message = plain_error(exc)
            if message is None:
                on_problem(self.tr("Nothing was changed in the register."))
                details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
                crash.report(exc, details, self)
            else:
                log.info("ledger import refused: %s", exc)
                on_problem(message)

        self._busy(True)
        self.task = run_task(
            self, work, on_done=done, on_error=failed, label=label, cancellable=cancellable
        )
        self.task.done.connect(lambda outcome: self._cancelled(outcome))
        return self.task

    def _cancelled(self, outcome: object) -> None:
        if outcome is None and self.task is not None:  # Cancel pressed in the progress window
            self.task = None
            self._busy(False)

    def _busy(self, busy: bool) -> None:
        for which in (
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.NextButton,
            QWizard.WizardButton.CommitButton,
            QWizard.WizardButton.FinishButton,
        ):
            button = self.button(which)
            if button is not None:
                button.setEnabled(not busy and self._may_press(which))
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)

    def close_ledger(self) -> None:
        """Let go of the file chosen before (a workbook keeps it open)."""
        if self.ledger is not None:
            self.ledger.close()
        self.ledger = None
        self.table = None
        self.read_key = None
        self.plan = None

    def done(self, result: int) -> None:
        if self.task is None:
            self.close_ledger()
        super().done(result)

    def _may_press(self, which: QWizard.WizardButton) -> bool:
        page = self.currentPage()
        if which in (QWizard.WizardButton.NextButton, QWizard.WizardButton.CommitButton):
            return page is None or page.isComplete()
        return True

    # -- steps' shared facts ------------------------------------------------------------

    def mapping(self) -> dict[int, str | None]:
        return self.mapping_page.mapping()

    @property
    def village(self) -> str | None:
        """The village chosen on step 1 (None: let the import say which is needed)."""
        code = self.file_page.village.currentData()
        return str(code) if code else None

    def save_report(self) -> None:
        """The sheet's rows with a status and a message column, to fix the sheet by."""
        if self.plan is None or self.table is None:
            return
        stem = self.path.stem if self.path is not None else "ledger"
        chosen = choose_save_file(
            self,
            self.tr("Save the import report as"),
            f"{stem}-report.xlsx",
            self.tr("Excel workbook (*.xlsx)"),
        )
        if not chosen:
            return
        out = Path(chosen)
        if out.suffix.lower() != ".xlsx":
            out = out.with_suffix(".xlsx")
        try:
            ledgers.write_report(self.plan, self.table, out)
        except OSError as exc:
            QMessageBox.warning(
                self,
                self.windowTitle(),
                self.tr(
                    "The report could not be written to {0}: {1}. Choose another folder."
                ).format(out, exc.strerror or exc),
            )
            return
        page = self.currentPage()
        if isinstance(page, (PreviewPage, DonePage)):
            page.report_saved(out)

    # -- closing: nothing chosen is lost without asking --------------------------------

    def reject(self) -> None:
        if self.task is not None:
            if self.currentId() == self.PREVIEW and self.outcome is None and self.plan is not None:
                return  # the import is being written: it finishes (or not) as a whole
            self.task.cancel()
        if self.mapping_page.edited() and self.outcome is None:
            self.ask_before_closing()
            return
        super().reject()

    def ask_before_closing(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.windowTitle(),
            self.tr(
                "You changed the fields of some columns. Keep these choices for the next "
                "ledger of the same shape?"
            ),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("keep_mapping")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.finished.connect(lambda _result: self._closing_answered(box))
        self.question = box
        box.open()

    def _closing_answered(self, box: QMessageBox) -> None:
        clicked = box.standardButton(box.clickedButton())
        if clicked == QMessageBox.StandardButton.Save:
            self.mapping_page.keep()
        elif clicked != QMessageBox.StandardButton.Discard:
            return  # Cancel (or Esc): back to the wizard as it was
        self.mapping_page.forget_edits()
        super().reject()


class FilePage(QWizardPage):
    """Step 1: the ledger file and the sheet."""

    def __init__(self, wizard: LedgerWizard, village: str | None) -> None:
        super().__init__(wizard)
        self.owner = wizard
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("ledger_path")
        self.path_edit.returnPressed.connect(self._typed)
        self.choose = QPushButton()
        self.choose.setObjectName("choose_ledger")
        self.choose.clicked.connect(self.choose_file)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.choose)
        self.sheet = QComboBox()
        self.sheet.setObjectName("ledger_sheet")
        self.sheet.currentIndexChanged.connect(lambda _i: self.completeChanged.emit())
        self.village = QComboBox()
        self.village.setObjectName("ledger_village")
        for code, name in wizard.villages:
            self.village.addItem(name, code)
        # A village in view is the one proposed; with several and none in view (the
        # clerk looking at the whole township) none is: the first of the list would
        # put a ledger into a village nobody chose.
        chosen = self.village.findData(village)
        self.village.setCurrentIndex(chosen if chosen >= 0 or self.village.count() > 1 else 0)
        self.village.setEnabled(self.village.count() > 1)
        self.village.currentIndexChanged.connect(lambda _i: self._village_changed())
        self.form = QFormLayout()
        self.village_label = QLabel()
        self.village_label.setBuddy(self.village)
        self.file_label = QLabel()
        self.file_label.setBuddy(self.path_edit)
        self.sheet_label = QLabel()
        self.sheet_label.setBuddy(self.sheet)
        self.form.addRow(self.file_label, row)
        self.form.addRow(self.sheet_label, self.sheet)
        self.form.addRow(self.village_label, self.village)
        self.status = QLabel()
        self.status.setObjectName("file_status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def retranslate(self) -> None:
        self.setTitle(self.tr("1. The ledger file"))
        self.intro.setText(
            self.tr(
                "Choose the village's ledger: an Excel workbook (.xlsx or .xls) or a CSV "
                "file. Then choose the sheet to import; each sheet is imported on its own."
            )
        )
        self.file_label.setText(self.tr("&File:"))
        self.sheet_label.setText(self.tr("&Sheet:"))
        self.village_label.setText(self.tr("Into the &village:"))
        self.choose.setText(self.tr("&Choose…"))
        self.path_edit.setPlaceholderText(self.tr("the ledger's file, or Choose…"))
        self.village.setPlaceholderText(self.tr("choose the village"))

    def initializePage(self) -> None:
        self.path_edit.setFocus()

    def next_sheet(self) -> None:
        """The sheet after the one imported, to be read when Next is pressed."""
        owner = self.owner
        owner.table = None
        owner.read_key = None
        self.sheet.setCurrentIndex((self.sheet.currentIndex() + 1) % max(self.sheet.count(), 1))
        self.say(self.tr("Choose the sheet to import, then press Next."))
        self.sheet.setFocus()

    def _village_changed(self) -> None:
        self.owner.plan = None  # matching and household codes depend on the village
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return (
            self.owner.ledger is not None
            and self.sheet.currentIndex() >= 0
            and (self.village.currentIndex() >= 0 or not self.village.count())
        )

    def choose_file(self) -> None:
        chosen = choose_open_file(
            self,
            self.tr("Which ledger?"),
            self.tr("Ledgers (*.xlsx *.xls *.csv);;All files (*)"),
        )
        if chosen:
            self.path_edit.setText(chosen)
            self.open_file(Path(chosen))

    def _typed(self) -> None:
        text = self.path_edit.text().strip()
        if text:
            self.open_file(Path(text))

    def open_file(self, path: Path) -> None:
        """Open the file on a worker (a large workbook takes a while), list its sheets
        and read the first one that has a heading (the one chosen at first)."""
        owner = self.owner
        if owner.task is not None:
            return
        owner.close_ledger()
        self.sheet.clear()
        self.completeChanged.emit()
        self.say(self.tr("Opening {0}…").format(path.name))
        owner.path = path

        def work(_progress: Progress) -> tuple[Any, Any, str]:
            ledger = ledgers.open_ledger(path)
            try:
                return ledger, ledger.read(), ""
            except ledgers.LedgerError as exc:  # no sheet with a heading: the officer picks one
                return ledger, None, said(exc.text)

        owner.run(work, self._opened, self.refuse, self.tr("Opening the ledger…"))

    def _opened(self, opened: tuple[Any, Any, str]) -> None:
        ledger, table, problem = opened
        owner = self.owner
        owner.ledger = ledger
        self.sheet.blockSignals(True)
        self.sheet.clear()
        for name in ledger.sheet_names:
            self.sheet.addItem(name, name)
        if table is not None:
            self.sheet.setCurrentIndex(max(self.sheet.findData(table.sheet), 0))
            owner.table = table
            owner.read_key = (owner.path, table.sheet) if owner.path is not None else None
            owner.plan = None
        self.sheet.blockSignals(False)
        self.sheet.setEnabled(self.sheet.count() > 1)
        if problem:
            self.say(problem, problem=True)
        elif self.sheet.count() > 1:
            self.say(
                self.tr(
                    "%n sheets in this file; the sheet “{0}” has a heading. Choose another "
                    "sheet if it is not the one to import, then press Next.",
                    "",
                    self.sheet.count(),
                ).format(table.sheet)
            )
        else:
            self.say(self.tr("Press Next to see the heading and the columns."))
        self.completeChanged.emit()
        if not problem and self.village.count() and self.village.currentIndex() < 0:
            self.say(self.tr("Choose the village this ledger belongs to, then press Next."))
            self.village.setFocus()
            return
        (
            self.sheet
            if self.sheet.count() > 1
            else self.owner.button(QWizard.WizardButton.NextButton)
        ).setFocus()

    def refuse(self, message: str) -> None:
        self.say(message, problem=True)
        self.completeChanged.emit()

    def say(self, text: str, *, problem: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if problem else "")

    def validatePage(self) -> bool:
        """Next reads the sheet (on a worker) and goes on when it is read."""
        owner = self.owner
        if owner.path is None or owner.ledger is None:
            return False
        key = (owner.path, str(self.sheet.currentData()))
        if owner.read_key == key and owner.table is not None:
            return True
        if owner.task is not None:
            return False
        ledger, sheet = owner.ledger, key[1]

        def read(table: Any) -> None:
            owner.table = table
            owner.read_key = key
            owner.plan = None
            owner.next()

        owner.run(
            lambda _progress: ledger.read(sheet),
            read,
            self.refuse,
            self.tr("Reading the sheet…"),
        )
        return False


class MappingPage(QWizardPage):
    """Step 2: the heading rows found, and each column's field."""

    def __init__(self, wizard: LedgerWizard) -> None:
        super().__init__(wizard)
        self.owner = wizard
        self.headings_note = QLabel()
        self.headings_note.setWordWrap(True)
        self.sheet_view = QTableWidget()
        self.sheet_view.setObjectName("sheet_rows")
        self.sheet_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sheet_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        # Only to look at: Tab goes from the heading straight to the columns' fields.
        self.sheet_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.sheet_view.setMaximumHeight(190)
        self.sheet_view.horizontalHeader().setDefaultSectionSize(96)
        self.sheet_view.verticalHeader().setDefaultSectionSize(22)
        self.mapping_note = QLabel()
        self.mapping_note.setWordWrap(True)
        self.grid_holder = QWidget()
        self.grid = QGridLayout(self.grid_holder)
        self.grid.setColumnStretch(1, 2)
        self.grid.setColumnStretch(2, 2)
        self.grid.setColumnStretch(3, 2)
        self.columns_area = QScrollArea()
        self.columns_area.setWidgetResizable(True)
        self.columns_area.setWidget(self.grid_holder)
        self.problem = QLabel()
        self.problem.setObjectName("mapping_problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        self.propose_again = QPushButton()
        self.propose_again.setObjectName("propose_again")
        self.propose_again.clicked.connect(self.use_proposal)
        bottom = QHBoxLayout()
        bottom.addWidget(self.problem, 1)
        bottom.addWidget(self.propose_again)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headings_note)
        layout.addWidget(self.sheet_view)
        layout.addWidget(self.mapping_note)
        layout.addWidget(self.columns_area, 1)
        layout.addLayout(bottom)
        self.combos: dict[int, QComboBox] = {}
        self.shape: str | None = None
        self.proposed: dict[int, str | None] = {}
        self.kept: dict[int, str | None] = {}  # as last remembered (or first shown)
        self.from_memory = False

    def retranslate(self) -> None:
        self.setTitle(self.tr("2. Headings and columns"))
        self.propose_again.setText(self.tr("&Propose again"))
        self.mapping_note.setText(
            self.tr(
                "Each column of the sheet and the field it goes into. Change a field where "
                "the proposal is wrong; choose “(not imported)” for a column to leave out. "
                "Fields marked * are needed on every row."
            )
        )

    # -- filling ------------------------------------------------------------------------

    def initializePage(self) -> None:
        table = self.owner.table
        shape = ledgers.shape_of(table)
        if shape == self.shape and self.combos:
            # Back from step 3, or the next sheet of the same shape (a sheet per
            # group): the officer's choices stay as they were.
            start, kept = self.mapping(), self.kept
        else:
            self.shape = shape
            self.proposed = dict(ledgers.propose_mapping(table))
            remembered = ledgers.remembered_mapping(shape)
            self.from_memory = bool(remembered)
            start = self._known(remembered) if remembered else dict(self.proposed)
            kept = start
        self._fill_sheet_rows(table)
        self._fill_columns(table, start)
        self.kept = kept
        self._describe(table)
        self._check()
        first = next(iter(self.combos.values()), None)
        if first is not None:
            first.setFocus()

    def _known(self, remembered: dict[Any, Any]) -> dict[int, str | None]:
        """A remembered mapping (kept as JSON: its keys may have become text)."""
        keys = {f.key for f in ledgers.FIELDS}
        return {
            int(index): (field if field in keys else None) for index, field in remembered.items()
        }

    def _describe(self, table: Any) -> None:
        headings = said(LIST_COMMA).join(str(n) for n in table.heading_rows)
        skipped = {k: v for k, v in table.skipped.items() if v}
        left_out = said(LIST_SEMICOLON).join(
            f"{said(SKIP_REASONS[k]) if k in SKIP_REASONS else k} {v}" for k, v in skipped.items()
        )
        text = self.tr("Heading found in row(s) {0} (highlighted). {1} rows to import.").format(
            headings, len(table.rows)
        )
        if left_out:
            text += said(SENTENCE_GAP) + self.tr("Rows left out: {0}.").format(left_out)
        gone = [
            table.columns[i].heading
            for i, key in ledgers.gone_columns(table, {}).items()
            if key is not None
        ]
        if gone:
            text += said(SENTENCE_GAP) + self.tr(
                "Rows with anything in “{0}” are not imported: the register takes the "
                "living residents only."
            ).format(said(LIST_COMMA).join(gone))
        if self.from_memory:
            text += said(SENTENCE_GAP) + self.tr(
                "The fields are the ones you chose last time for a sheet of this shape."
            )
        self.headings_note.setText(text)

    def _fill_sheet_rows(self, table: Any) -> None:
        """The sheet's first rows as in Excel (row numbers, column letters), the heading
        rows highlighted."""
        rows = sheet_top(table, SHEET_ROWS_SHOWN)
        width = max((len(cells) for _n, cells in rows), default=0)
        width = max(width, max((c.index + 1 for c in table.columns), default=0))
        view = self.sheet_view
        view.clear()
        view.clearSpans()
        view.setColumnCount(width)
        view.setRowCount(len(rows))
        letters = {c.index: c.letter for c in table.columns}
        view.setHorizontalHeaderLabels([letters.get(i, column_letter(i)) for i in range(width)])
        view.setVerticalHeaderLabels([str(number) for number, _cells in rows])
        headings = set(table.heading_rows)
        titles = {n for n, why, _cells in table.skipped_rows if why == "title"}
        bold = QFont()
        bold.setBold(True)
        for r, (number, cells) in enumerate(rows):
            for c in range(width):
                value = cells[c] if c < len(cells) else None
                item = QTableWidgetItem(shown_value(value))
                if number in headings:
                    item.setBackground(QBrush(HEADING_COLOUR))
                    item.setFont(bold)
                view.setItem(r, c, item)
            if number in titles and width > 1:
                view.setSpan(r, 0, 1, width)
        shown = [number for number, _cells in rows]
        for number, first, count in heading_spans(table):
            if number in shown:
                view.setSpan(shown.index(number), first, 1, count)

    def _fill_columns(self, table: Any, start: dict[int, str | None]) -> None:
        while self.grid.count():
            taken = self.grid.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.hide()  # at once: deleted later, it would show under the new sheet's
                widget.deleteLater()
        self.combos = {}
        titles = (self.tr("Column"), self.tr("Heading"), self.tr("First values"), self.tr("Field"))
        for c, title in enumerate(titles):
            label = QLabel(f"<b>{title}</b>")
            self.grid.addWidget(label, 0, c)
        samples = column_samples(table, 3)
        for r, column in enumerate(table.columns, start=1):
            letter = QLabel(column.letter)
            heading = QLabel(str(column.heading or ""))
            heading.setWordWrap(True)
            sample = QLabel(" · ".join(samples.get(column.index, [])))
            sample.setStyleSheet("color: #555;")
            combo = QComboBox()
            combo.setObjectName(f"field_{column.letter}")
            combo.addItem(self.tr("(not imported)"), None)
            for field in ledgers.FIELDS:
                text = said(field.label)
                combo.addItem(text + (" *" if field.required else ""), field.key)
            found = combo.findData(start.get(column.index))
            combo.setCurrentIndex(max(found, 0))
            combo.currentIndexChanged.connect(lambda _i: self._check())
            heading.setBuddy(combo)
            self.grid.addWidget(letter, r, 0)
            self.grid.addWidget(heading, r, 1)
            self.grid.addWidget(sample, r, 2)
            self.grid.addWidget(combo, r, 3)
            self.combos[column.index] = combo
        self.grid.setRowStretch(len(table.columns) + 1, 1)

    def use_proposal(self) -> None:
        for index, combo in self.combos.items():
            combo.setCurrentIndex(max(combo.findData(self.proposed.get(index)), 0))

    # -- what was chosen ----------------------------------------------------------------

    def mapping(self) -> dict[int, str | None]:
        return {index: combo.currentData() for index, combo in self.combos.items()}

    def edited(self) -> bool:
        """Changed since the proposal was shown (or last kept)."""
        return bool(self.combos) and self.mapping() != self.kept

    def keep(self) -> None:
        """Remembered for the next sheet of this shape (in the officer's config folder)."""
        if self.shape is not None and self.combos:
            ledgers.remember_mapping(self.shape, self.mapping())
            self.kept = self.mapping()

    def forget_edits(self) -> None:
        self.kept = self.mapping()

    def problems(self) -> list[str]:
        """The same checks as the command line's (ledgers.mapping_problems)."""
        if self.owner.table is None:
            return []
        return [said(p) for p in ledgers.mapping_problems(self.owner.table, self.mapping())]

    def _check(self) -> None:
        self.problem.setText("\n".join(self.problems()))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.combos) and not self.problems() and self.owner.task is None

    def validatePage(self) -> bool:
        self.keep()
        self.owner.plan = None
        return True


class PreviewPage(QWizardPage):
    """Step 3: the rows as they will be stored, and Import."""

    def __init__(self, wizard: LedgerWizard) -> None:
        super().__init__(wizard)
        self.owner = wizard
        self.setCommitPage(True)
        self.counts = QLabel()
        self.counts.setObjectName("plan_counts")
        self.counts.setWordWrap(True)
        self.skip = QCheckBox()
        self.skip.setObjectName("skip_problem_rows")
        self.skip.toggled.connect(self._skip_toggled)
        self.reason = QLabel()
        self.reason.setObjectName("import_reason")
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("color: #b00020;")
        self.rows = QTableWidget()
        self.rows.setObjectName("planned_rows")
        self.rows.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rows.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rows.verticalHeader().setVisible(False)
        self.rows.verticalHeader().setDefaultSectionSize(22)
        self.rows.currentCellChanged.connect(lambda row, *_: self._show_message(row))
        self.row_message = QLabel()
        self.row_message.setObjectName("row_message")
        self.row_message.setWordWrap(True)
        self.row_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.differences = QTableWidget()
        self.differences.setObjectName("plan_differences")
        self.differences.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.differences.verticalHeader().setVisible(False)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.rows, "")
        self.tabs.addTab(self.differences, "")
        self.save = QPushButton()
        self.save.setObjectName("save_report")
        self.save.clicked.connect(wizard.save_report)
        self.saved = QLabel()
        self.saved.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.counts, 1)
        top.addWidget(self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.row_message)
        layout.addWidget(self.skip)
        layout.addWidget(self.reason)
        layout.addWidget(self.saved)

    def retranslate(self) -> None:
        self.setTitle(self.tr("3. Preview: the rows as they will be stored"))
        self.skip.setText(self.tr("S&kip the rows with problems (import the others)"))
        self.save.setText(self.tr("Save &report…"))
        self.tabs.setTabText(0, self.tr("Rows"))
        self.tabs.setTabText(1, self.tr("Differences with the register"))
        if self.owner.plan is not None:
            self.show_plan(self.owner.plan)

    def initializePage(self) -> None:
        self.saved.clear()
        if self.owner.plan is None:
            self.make_plan()
        else:
            self.show_plan(self.owner.plan)

    def _skip_toggled(self, on: bool) -> None:
        """Only whether Import is possible changes (LedgerPlan.skipping): no new plan."""
        plan = self.owner.plan
        if plan is None:
            self.make_plan()
            return
        self.owner.plan = plan.skipping(on)
        self.reason.setText(self.why_not(self.owner.plan))
        self.completeChanged.emit()

    def make_plan(self) -> None:
        """Plan on a worker with its own connection (matching reads the register)."""
        owner = self.owner
        if owner.table is None or owner.currentPage() is not self:
            return
        if owner.task is not None:
            return
        opener, table, mapping = owner.opener, owner.table, owner.mapping()
        skip, village, clock = self.skip.isChecked(), owner.village, owner.clock

        def work(_progress: Progress) -> Any:
            register = opener()
            try:
                return ledgers.plan_import(
                    register,
                    [(table, mapping)],
                    village=village,
                    skip_problem_rows=skip,
                    clock=clock,
                )
            finally:
                register.close()

        owner.plan = None
        self.counts.setText(self.tr("Checking every row against the register…"))
        self.reason.clear()
        self.completeChanged.emit()
        owner.run(work, self._planned, self._refused, self.tr("Checking the rows…"))

    def _planned(self, plan: Any) -> None:
        # The box may have been ticked while the rows were checked.
        plan = plan.skipping(self.skip.isChecked())
        self.owner.plan = plan
        self.show_plan(plan)
        self.completeChanged.emit()
        self.owner._busy(False)

    def _refused(self, message: str) -> None:
        self.counts.setText(message)
        self.reason.setText(message)
        self.completeChanged.emit()

    def show_plan(self, plan: Any) -> None:
        self.counts.setText(counts_text(plan.counts))
        self.reason.setText(self.why_not(plan))
        self._fill_rows(plan)
        self._fill_differences(plan)

    def why_not(self, plan: Any) -> str:
        if plan.can_import:
            return ""
        problems = plan.counts.get("problem", 0)
        return self.tr(
            "Import is not possible yet: %n row(s) have a problem. Correct them in the sheet "
            "(Save report… lists each with the reason) and open it again, or tick “Skip the "
            "rows with problems”.",
            "",
            problems,
        )

    def _fill_rows(self, plan: Any) -> None:
        shown = shown_rows(plan.rows, PLANNED_ROWS_SHOWN)
        fields = [f.key for f in ledgers.FIELDS if any(f.key in r.stored for r in shown)]
        for row in shown:  # then what the import adds (the household code it gets)
            fields += [k for k in row.stored if k not in fields]
        view = self.rows
        view.clear()
        view.setColumnCount(3 + len(fields))
        view.setRowCount(len(shown))
        view.setHorizontalHeaderLabels(
            [self.tr("Row"), self.tr("Status"), self.tr("Message")]
            + [field_label(k) for k in fields]
        )
        for r, row in enumerate(shown):
            colour = QBrush(STATUS_COLOURS.get(row.status, QColor("white")))
            cells = [
                str(row.number),
                said(ledgers.STATUS_NAMES[row.status]),
                said(row.message) if row.message else "",
            ]
            cells += [stored_value(k, row.stored.get(k)) for k in fields]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c < 2:
                    item.setBackground(colour)
                if c == 2:
                    item.setToolTip(text)  # the whole message when the column cuts it
                view.setItem(r, c, item)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.resizeColumnsToContents()
        if view.columnWidth(2) > 380:
            view.setColumnWidth(2, 380)
        problem = next((r for r, row in enumerate(shown) if row.status == "problem"), None)
        self.row_message.clear()
        if problem is not None:  # the first problem, its whole message below the table
            view.setCurrentCell(problem, 2)
        if len(plan.rows) > len(shown):
            self.tabs.setTabText(
                0,
                self.tr("Rows (the first {0} and those with a problem; {1} in all)").format(
                    PLANNED_ROWS_SHOWN, len(plan.rows)
                ),
            )
        else:
            self.tabs.setTabText(0, self.tr("Rows ({0})").format(len(plan.rows)))

    def _show_message(self, row: int) -> None:
        """The whole message of the row chosen (the column shows its start)."""
        number, message = self.rows.item(row, 0), self.rows.item(row, 2)
        if number is None or message is None:
            self.row_message.clear()
            return
        self.row_message.setText(self.tr("Row {0}: {1}").format(number.text(), message.text()))

    def _fill_differences(self, plan: Any) -> None:
        found = list(plan.differences)
        view = self.differences
        view.clear()
        view.setColumnCount(4)
        view.setRowCount(len(found))
        view.setHorizontalHeaderLabels(
            [
                self.tr("Person"),
                self.tr("Field"),
                self.tr("In the register"),
                self.tr("In the ledger"),
            ]
        )
        for r, d in enumerate(found):
            cells = [
                self.tr("{0} (row {1})").format(d.name, d.number),
                field_label(d.field),
                stored_value(d.field, d.register_value),
                stored_value(d.field, d.ledger_value),
            ]
            for c, text in enumerate(cells):
                view.setItem(r, c, QTableWidgetItem(text))
        view.resizeColumnsToContents()
        self.tabs.setTabText(1, self.tr("Differences with the register ({0})").format(len(found)))

    def report_saved(self, out: Path) -> None:
        self.saved.setText(self.tr("Report saved: {0}").format(out))

    def isComplete(self) -> bool:
        plan = self.owner.plan
        return plan is not None and bool(plan.can_import) and self.owner.task is None

    def validatePage(self) -> bool:
        """Import: written on a worker with its own connection, in one transaction."""
        owner = self.owner
        if owner.outcome is not None:
            return True
        plan = owner.plan
        if plan is None or not plan.can_import or owner.task is not None:
            return False
        opener, clock = owner.opener, owner.clock

        def work(_progress: Progress) -> Any:
            register = opener()
            try:
                return ledgers.apply_plan(register, plan, clock=clock)
            finally:
                register.close()

        def imported(result: Any) -> None:
            owner.outcome = result
            owner.imported.emit(result)
            owner.next()

        self.reason.setText(self.tr("Importing…"))
        owner.run(work, imported, self._refused, self.tr("Importing the rows…"), cancellable=False)
        return False


class DonePage(QWizardPage):
    """Step 4: what was imported, figure by figure, and the report."""

    FIGURES = (
        "households_added",
        "persons_added",
        "persons_updated",
        "methods_added",
        "births_added",
        "same",
        "problem",
        "skipped",
    )

    def __init__(self, wizard: LedgerWizard) -> None:
        super().__init__(wizard)
        self.owner = wizard
        self.summary = QLabel()
        self.summary.setObjectName("import_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.figure_names: dict[str, QLabel] = {}
        self.figures: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        for r, key in enumerate(self.FIGURES):
            self.figure_names[key] = QLabel()
            number = QLabel()
            number.setObjectName(f"figure_{key}")
            number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.figures[key] = number
            grid.addWidget(self.figure_names[key], r, 0)
            grid.addWidget(number, r, 1)
        grid.setColumnStretch(2, 1)
        self.after = QLabel()
        self.after.setWordWrap(True)
        self.save = QPushButton()
        self.save.setObjectName("save_report_done")
        self.save.clicked.connect(wizard.save_report)
        self.another = QPushButton()
        self.another.setObjectName("another_sheet")
        self.another.clicked.connect(self.import_another_sheet)
        self.saved = QLabel()
        self.saved.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.save)
        row.addWidget(self.another)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(grid)
        layout.addWidget(self.after)
        layout.addLayout(row)
        layout.addWidget(self.saved)
        layout.addStretch(1)

    def retranslate(self) -> None:
        self.setTitle(self.tr("4. Imported"))
        self.save.setText(self.tr("Save &report…"))
        self.another.setText(self.tr("Import &another sheet of this file…"))
        names = {
            "households_added": self.tr("Households added"),
            "persons_added": self.tr("Persons added"),
            "persons_updated": self.tr("Persons already in the register, empty fields filled"),
            "methods_added": self.tr("Contraceptive methods recorded"),
            "births_added": self.tr("Births recorded"),
            "same": self.tr("Rows already in the register, nothing new"),
            "problem": self.tr("Rows with a problem, not imported"),
            "skipped": self.tr("Rows that are not persons (blank, subtotal, title)"),
        }
        for key, label in self.figure_names.items():
            label.setText(names[key])
        self.after.setText(
            self.tr(
                "The households are in the household list (F3). Save the report to see "
                "every row of the sheet with what became of it; correct the rows with a "
                "problem in the sheet and import it again: what is already in is not added twice."
            )
        )
        if self.owner.outcome is not None:
            self.initializePage()

    def initializePage(self) -> None:
        result = self.owner.outcome
        if result is None:
            return
        path = self.owner.path
        self.summary.setText(
            self.tr("{0} was imported into the register.").format(
                path.name if path is not None else ""
            )
        )
        for key, label in self.figures.items():
            value = getattr(result, key, None)
            label.setText(str(result.counts.get(key, 0) if value is None else value))
        ledger = self.owner.ledger
        self.another.setVisible(ledger is not None and len(ledger.sheet_names) > 1)
        self.saved.clear()
        self.save.setFocus()

    def import_another_sheet(self) -> None:
        """Back to step 1 with the same file, the next sheet chosen (a sheet per group)."""
        owner = self.owner
        owner.outcome = None
        owner.plan = None
        owner.preview_page.skip.blockSignals(True)
        owner.preview_page.skip.setChecked(False)
        owner.preview_page.skip.blockSignals(False)
        owner.restart()
        owner.file_page.next_sheet()

    def report_saved(self, out: Path) -> None:
        self.saved.setText(self.tr("Report saved: {0}").format(out))


def shown_rows(rows: list[Any], first: int) -> list[Any]:
    """The first rows of the plan, then every later row with a problem."""
    return rows[:first] + [r for r in rows[first:] if r.status == "problem"]


def counts_text(counts: dict[str, int]) -> str:
    """新增 6 · 补充 0 · 已有 0 · 有问题 1 · 跳过 5: each status by the import's own name."""
    return " · ".join(f"{said(ledgers.STATUS_NAMES[s])} {counts.get(s, 0)}" for s in STATUSES)


def villages_of(register: Register) -> list[tuple[str, str]]:
    """The villages of the register's area by name (a village register: its own)."""
    found = []
    for entry in areas.listing(register):
        try:
            level = area.level_of(entry["code"])
        except area.AreaCodeError:
            continue
        if level == "village":
            found.append((entry["code"], entry["name"]))
    return found


def sheet_top(table: Any, count: int) -> list[tuple[int, tuple[Any, ...]]]:
    """The sheet's first rows (number, cells) as the officer knows them: the title rows,
    the heading rows as written (SheetTable.heading_cells), then the rows below, skipped
    ones included."""
    found: dict[int, tuple[Any, ...]] = {}
    for number, why, cells in table.skipped_rows:
        if why == "title":  # a title merged across the sheet: its words once, in A
            texts = dict.fromkeys(shown_value(v).strip() for v in cells if v is not None)
            cells = (" ".join(t for t in texts if t),)
        found[number] = tuple(cells)
    found.update((row.number, tuple(row.cells)) for row in table.rows)
    found.update(zip(table.heading_rows, table.heading_cells, strict=False))
    return [(n, found[n]) for n in sorted(found)[:count]]


def heading_spans(table: Any) -> list[tuple[int, int, int]]:
    """(row number, first column, columns) of each group heading written over several
    columns (现有子女数 over 男 and 女), to show it merged as in Excel: the cells after
    it are empty and their joined headings start with it."""
    spans = []
    for number, cells in zip(table.heading_rows, table.heading_cells, strict=False):
        for first, value in enumerate(cells):
            group = "".join(shown_value(value).split())
            if not group:
                continue
            end = first + 1
            while (
                end < len(cells)
                and cells[end] is None
                and end < len(table.columns)
                and table.columns[end].heading.startswith(group + "/")
            ):
                end += 1
            if end - first > 1:
                spans.append((number, first, end - first))
    return spans


def column_samples(table: Any, count: int) -> dict[int, list[str]]:
    """A column's first few values that are not empty, to recognise it by."""
    found: dict[int, list[str]] = {c.index: [] for c in table.columns}
    for row in table.rows:
        for index, values in found.items():
            if len(values) < count and index < len(row.cells):
                text = shown_value(row.cells[index]).strip()
                if text:
                    values.append(text[:24])
        if all(len(v) >= count for v in found.values()):
            break
    return found
