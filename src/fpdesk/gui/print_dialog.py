"""The print dialog: choose what to print, see the pages, then save or open the PDF.

The PDF is made off the GUI thread (gui.tasks) with progress and cancel, from its own
register connection (a sqlite connection never crosses threads).  The preview shows
the first pages as pictures when poppler's `pdftoppm` is on the machine; reportlab
cannot draw pages to pictures and QtPdf would add 200 MB to the install, so without
pdftoppm the dialog lists the pages and says how to open the file instead.
The PDF is made in a private temporary folder, removed when the dialog closes: the
pages hold personal data and must not linger.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core.clock import Clock, SystemClock
from fpdesk.core.i18n import current_language
from fpdesk.gui import crash
from fpdesk.gui.clerk.common import local_time
from fpdesk.gui.file_dialogs import choose_open_file, choose_save_file
from fpdesk.gui.screen import fit_to_screen
from fpdesk.gui.tasks import Cancelled, Progress, Task, run_task
from fpdesk.reports.pdf import KINDS, PRINTOUTS, RECEIPT, fonts, jobs
from fpdesk.reports.pdf.layout import Cancelled as PrintCancelled
from fpdesk.reports.pdf.layout import PrintOptions, PrintResult
from fpdesk.store.db import Register
from fpdesk.sync.ledger import ImportRun

PREVIEW_PAGES = 12  # pictures of the first pages; the rest is in the file itself
PREVIEW_DPI = 60


@dataclass(frozen=True)
class Printed:
    """What the worker hands back: the file, its pages, and the pictures made of them."""

    result: PrintResult
    pictures: list[Path]
    can_preview: bool


def rasterise(pdf: Path, folder: Path, pages: int = PREVIEW_PAGES) -> list[Path] | None:
    """PNG pictures of the first pages, or None when pdftoppm is not installed."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return None
    prefix = folder / "page"
    subprocess.run([tool, "-r", str(PREVIEW_DPI), "-png", "-l", str(pages), str(pdf),
                    str(prefix)], check=True, capture_output=True, timeout=300)
    return sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def make_pdf(
    opener: Callable[[], Register],
    request: jobs.PrintRequest,
    out: Path,
    options: PrintOptions,
    progress: Progress,
) -> Printed:
    """The worker: open a connection of its own, print, draw the first pages."""
    options.progress = lambda done, total: progress.report(done, total)
    options.cancelled = lambda: progress.cancelled
    register = opener()
    try:
        result = jobs.run(register, request, out, options)  # refuses, prints, records
    except PrintCancelled:
        raise Cancelled() from None
    finally:
        register.close()
    pictures_dir = out.parent / "pages"
    shutil.rmtree(pictures_dir, ignore_errors=True)
    pictures_dir.mkdir()
    pictures = rasterise(out, pictures_dir)
    return Printed(result, pictures or [], pictures is not None)


class PrintDialog(QDialog):
    """Print a village's register, cards, change list or round sheet; on a township
    register (`runs` given, the newest first) also the receipt of an import run."""

    def __init__(
        self,
        opener: Callable[[], Register],
        village_code: str,
        *,
        clock: Clock | None = None,
        parent: QWidget | None = None,
        runs: list[ImportRun] | None = None,
    ) -> None:
        super().__init__(parent)
        self.opener = opener
        self.import_runs = runs
        self.clock = clock or SystemClock()
        self.task: Task | None = None
        self._tasks: list[Task] = []
        self.printed: Printed | None = None
        self._scratch = Path(tempfile.mkdtemp(prefix="fpdesk-print-"))
        self.setWindowTitle(self.tr("Print"))
        fit_to_screen(self, 760, 660)  # fits 1366x768; the preview's pages scroll
        self._build(village_code)

    # -- building -------------------------------------------------------------------

    def _build(self, village_code: str) -> None:
        language = current_language()
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for kind, title in KINDS.items():
            self.kind.addItem(title.get(language), kind)
        self.run = QComboBox()  # the import run whose receipt is printed
        self.run.setObjectName("run")
        if self.import_runs is not None:
            self.kind.addItem(PRINTOUTS[RECEIPT].get(language), RECEIPT)
            for run in self.import_runs:
                self.run.addItem(self._run_text(run), run.id)
            if not self.import_runs:
                self.run.addItem(self.tr("nothing imported yet"), None)
        self.village = QLineEdit(village_code)
        self.village.setObjectName("village")
        self.period = QLineEdit()
        self.period.setObjectName("period")
        self.period.setPlaceholderText(self.tr("Today, or e.g. 2026-11 or 2026-11-30"))
        self.compact = QCheckBox(self.tr("Compact: households run on, not one per page"))
        self.compact.setObjectName("compact")
        self.font_label = QLabel()
        self.font_label.setWordWrap(True)
        choose_font = QPushButton(self.tr("Choose font…"))
        choose_font.clicked.connect(self.choose_font)
        font_row = QHBoxLayout()
        font_row.addWidget(self.font_label, 1)
        font_row.addWidget(choose_font)
        form = QFormLayout()
        form.addRow(self.tr("Printout"), self.kind)
        form.addRow(self.tr("Village code"), self.village)
        form.addRow(self.tr("Period or day"), self.period)
        form.addRow("", self.compact)
        if self.import_runs is not None:
            form.addRow(self.tr("Import run"), self.run)
        form.addRow(self.tr("Chinese font"), font_row)
        self.kind.currentIndexChanged.connect(self._kind_changed)

        self.preview_button = QPushButton(self.tr("Make and preview"))
        self.preview_button.setObjectName("preview")
        self.preview_button.setDefault(True)
        self.preview_button.clicked.connect(self.start)
        self.save_button = QPushButton(self.tr("Save as…"))
        self.save_button.setObjectName("save")
        self.save_button.clicked.connect(self.save_as)
        self.open_button = QPushButton(self.tr("Open in PDF viewer"))
        self.open_button.setObjectName("open")
        self.open_button.clicked.connect(self.open_pdf)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.save_button, self.open_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.pages = QWidget()
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.pages)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)
        self._show_font()
        self._kind_changed()
        self._set_done(False)

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.compact.setEnabled(kind == "households")
        self.village.setEnabled(kind != RECEIPT)  # the receipt covers the whole township
        self.period.setEnabled(kind != RECEIPT)
        self.run.setEnabled(kind == RECEIPT)

    def _run_text(self, run: ImportRun) -> str:
        """An import run as the clerk knows it: when it was, how many files it saw."""
        files = self.tr("%n file(s)", "", run.files)
        return f"{local_time(run.started_at)} · {files}" + (f" · {run.clerk}" if run.clerk else "")

    def choose_run(self, run_id: int) -> None:
        """The receipt of this import run (left on the latest when it is not listed)."""
        self.kind.setCurrentIndex(max(self.kind.findData(RECEIPT), 0))
        self.run.setCurrentIndex(max(self.run.findData(run_id), 0))

    def _show_font(self) -> None:
        try:
            font = fonts.find_font()
        except fonts.FontError as exc:
            self.font_label.setText(exc.text.get(current_language()))
        else:
            self.font_label.setText(str(font.path))

    def _set_done(self, done: bool) -> None:
        self.save_button.setEnabled(done)
        self.open_button.setEnabled(done)

    # -- actions --------------------------------------------------------------------

    def choose_font(self) -> None:
        path = choose_open_file(
            self, self.tr("Choose a Chinese TrueType font"), self.tr("Fonts (*.ttf *.ttc)")
        )
        if not path:
            return
        try:
            fonts.find_font(path)
        except fonts.FontError as exc:
            self.status.setText(exc.text.get(current_language()))
            return
        fonts.save_font(path)
        self._show_font()

    def request(self) -> jobs.PrintRequest:
        if self.kind.currentData() == RECEIPT:
            run_id = self.run.currentData()
            return jobs.PrintRequest(kind=RECEIPT, village_code="",
                                     run_id=None if run_id is None else int(run_id))
        return jobs.PrintRequest(
            kind=str(self.kind.currentData()), village_code=self.village.text().strip(),
            period=self.period.text().strip() or None,
            per_page=not self.compact.isChecked(),
        )

    def start(self) -> None:
        """Make the PDF in the background; the pages appear when it is done."""
        if self.task is not None:
            return
        self._clear_pages()
        self._set_done(False)
        self.printed = None
        self.status.setText(self.tr("Making the pages…"))
        self.preview_button.setEnabled(False)
        out = self._scratch / f"{self.kind.currentData()}.pdf"
        request = self.request()
        options = PrintOptions(clock=self.clock)
        self.task = run_task(
            self,
            lambda progress: make_pdf(self.opener, request, out, options, progress),
            on_done=self._finished,
            on_error=self._failed,
            label=self.tr("Making the pages…"),
        )
        self.task.done.connect(self._task_over)
        # Kept for the dialog's life: the worker thread still holds the task's signal
        # object for a moment after reporting, and must not be the one to free it.
        self._tasks.append(self.task)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _task_over(self, outcome: object) -> None:
        self.task = None
        self.preview_button.setEnabled(True)
        if outcome is None:
            self.status.setText(self.tr("Cancelled: no file was made."))

    def _finished(self, printed: Printed) -> None:
        self.printed = printed
        self._set_done(True)
        pages = printed.result.pages
        if printed.can_preview:
            note = self.tr("%1 pages. The first pages are shown below.")
            for picture in printed.pictures:
                label = QLabel()
                label.setObjectName("page")
                pixmap = QPixmap(str(picture))
                label.setPixmap(pixmap)
                label.setFrameShape(QLabel.Shape.Box)
                # Whole pages, scrolled through: never squeezed to fit the window.
                label.setFixedSize(pixmap.width() + 2, pixmap.height() + 2)
                self.pages_layout.addWidget(label)
        else:
            note = self.tr(
                "%1 pages. No page pictures: poppler's pdftoppm is not installed. "
                "Open the file in a PDF viewer to look at it.")
            for number in range(1, min(pages, PREVIEW_PAGES) + 1):
                label = QLabel(self.tr("Page %1 of %2").replace("%1", str(number))
                               .replace("%2", str(pages)))
                label.setObjectName("page")
                self.pages_layout.addWidget(label)
        self.status.setText(note.replace("%1", str(pages)))

    def _failed(self, exc: BaseException) -> None:
        text = getattr(exc, "text", None)
        if isinstance(exc, (fonts.FontError, jobs.PrintRequestError)) and text is not None:
            self.status.setText(text.get(current_language()))
            return
        self.status.setText(self.tr("Nothing was printed."))
        details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        crash.report(exc, details, self)

    def _clear_pages(self) -> None:
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    def suggested_name(self) -> str:
        request = self.request()
        if request.kind == RECEIPT:
            return f"import-receipt-{request.run_id or 'latest'}-{self.clock.today():%Y%m%d}.pdf"
        return f"{request.village_code}-{request.kind}-{self.clock.today():%Y%m%d}.pdf"

    def save_as(self) -> None:
        if self.printed is None:
            return
        path = choose_save_file(
            self, self.tr("Save the PDF"), self.suggested_name(), self.tr("PDF files (*.pdf)")
        )
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        assert self.printed is not None
        try:
            shutil.copyfile(self.printed.result.path, path)
        except OSError as exc:
            self.status.setText(self.tr("Could not save the file: %1").replace("%1", str(exc)))
            return
        self.status.setText(self.tr("Saved: %1").replace("%1", str(path)))

    def open_pdf(self) -> None:
        if self.printed is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.printed.result.path)))

    # -- closing --------------------------------------------------------------------

    def done(self, code: int) -> None:
        """Closing cancels a print still running; the scratch folder goes once it stops."""
        if self.task is not None:
            self.task.cancel()
            self.task.done.connect(lambda _outcome: self.cleanup())
        else:
            self.cleanup()
        super().done(code)

    def cleanup(self) -> None:
        """Remove the PDF and its pictures: they hold personal data."""
        shutil.rmtree(self._scratch, ignore_errors=True)
