"""Month-end import: a folder or a USB drive of village bundles, one row per file.

The work runs on a pool thread with its own register connection; each bundle is one
transaction (bundles.import_file), so Cancel stops between two bundles and leaves the
register as the rows shown say.  Rows appear as each file is done.
"""

from __future__ import annotations

import datetime as dt
import queue
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStorageInfo, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QProgressBar,
    QWidget,
)

from fpdesk.core.i18n import Text
from fpdesk.gui.clerk.common import (
    GREEN,
    GREY,
    RED,
    Clerk,
    Opener,
    fit_columns,
    local_time,
    problem_text,
    say,
)
from fpdesk.gui.clerk.page import ClerkPage
from fpdesk.gui.file_dialogs import choose_folder
from fpdesk.gui.models import Column
from fpdesk.gui.tasks import Progress, Task
from fpdesk.reports.pdf.receipt import STATUS, print_receipt
from fpdesk.store import areas
from fpdesk.sync import bundles, keys, ledger

_COLORS = {
    "accepted": GREEN,
    "duplicate": GREY,
    "gap": RED,
    "fork": RED,
    "refused": RED,
    "not_here": GREY,
}


def import_bundles(
    opener: Opener, files: list[Path], progress: Progress, sink: queue.SimpleQueue[dict[str, Any]]
) -> int:
    """The worker: import each file in its own transaction, stop between files on Cancel.
    Each result goes into `sink` (as the ledger's dict, with the village) before the
    progress report that announces it.  Returns the number of files done."""
    register = opener()
    try:
        keys.ensure_keys(register)
        ledger.start_run(register)  # the receipt of this pass covers these files
        for done, path in enumerate(files):
            progress.check()
            progress.report(done, len(files), path.name)
            result = bundles.import_file(register, path)  # refuses, imports, records
            row = result.as_dict()
            named = {**row, "file_name": path.name}
            row["village_code"] = ledger.village_of(register, named)
            row["village"] = ledger.village_name(register, named)  # unverified: marked
            sink.put(row)
            progress.report(done + 1, len(files), path.name)
        return len(files)
    finally:
        register.close()


def removable_drives() -> list[tuple[str, str]]:
    """Mounted drives other than the system's, as (label, path): USB sticks mostly."""
    found = []
    for volume in QStorageInfo.mountedVolumes():
        root = volume.rootPath()
        if not volume.isValid() or not volume.isReady():
            continue
        windows_drive = len(root) <= 3 and root[1:2] == ":" and not root.upper().startswith("C")
        if not (root.startswith(("/media/", "/run/media/")) or windows_drive):
            continue
        found.append((f"{volume.displayName()} ({root})", root))
    return found


class ImportPage(ClerkPage):
    imported = Signal()  # an import ended: the board and the queues may have changed
    receipt_asked = Signal(object)  # the run chosen below (an id): print its receipt

    def __init__(self, clerk: Clerk, parent: QWidget | None = None) -> None:
        super().__init__(clerk, parent)
        self.folder: Path | None = None
        self._sink: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()
        self.started_at: dt.datetime | None = None
        self.run_list: list[ledger.ImportRun] = []
        self.choose = self.button("choose_folder", self.choose_folder)
        self.drives = QComboBox()
        self.drives.setObjectName("drives")
        self.use_drive = self.button("use_drive", self._drive_chosen)
        self.where = self.note("where")
        self.start_button = self.button("start_import", self.start)
        self.start_button.setDefault(True)
        self.cancel_button = self.button("cancel_import", self.cancel)
        self.receipt_button = self.button(  # the print dialog, with its preview
            "receipt", lambda: self.receipt_asked.emit(self.runs.currentData())
        )
        self.runs_label = QLabel()
        self.runs = QComboBox()  # every import run in the ledger: its receipt can be printed
        self.runs.setObjectName("runs")
        self.runs.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.runs.activated.connect(lambda _i: self.show_run())
        self.bar = QProgressBar()
        self.bar.setObjectName("progress")
        self.status = self.note("status")
        self.model, self.results = self.list_view("results", self._columns, self._color)
        self.lay_out(
            self.row(self.choose, (self.drives, 1), self.use_drive),
            self.where,
            self.row(self.start_button, self.cancel_button, (self.bar, 1)),
            self.status,
            (self.results, 1),
            self.row(self.runs_label, self.runs, self.receipt_button, None),
        )
        self.retranslate()
        self.refresh_drives()
        self.refresh_runs()
        self.show_run()
        self._set_running(False)

    # -- text --------------------------------------------------------------------------

    def _columns(self) -> list[Column]:
        return [
            Column(self.tr("File"), lambda r: r["file"]),
            Column(self.tr("Village"), lambda r: r["village"]),
            Column(
                self.tr("Result"),
                lambda r: say(STATUS.get(r["outcome"], Text(r["outcome"], r["outcome"]))),
            ),
            Column(
                self.tr("Applied / unchanged / conflicts"),
                lambda r: (
                    f"{r['applied']} / {r['unchanged']} / {r['queued']}"
                    if r["outcome"] == "accepted"
                    else ""
                ),
            ),
            Column(
                self.tr("Changes"),
                lambda r: f"{r['after'] + 1}–{r['upto']}" if r["after"] is not None else "",
            ),
            Column(
                self.tr("Reason"), lambda r: say(Text(r["reason_zh"] or "", r["reason_en"] or ""))
            ),
        ]

    @staticmethod
    def _color(row: dict[str, Any]) -> QColor | None:
        return _COLORS.get(row["outcome"])

    def intro_text(self) -> str:
        return self.tr(
            "Put the villages' bundle files (.fpb) in one folder or plug in the USB "
            "drive, then press Import. Every file is checked (signature, sender, "
            "sequence) before anything is written; each file is imported whole or not "
            "at all, so Cancel is always safe. A file already imported is skipped."
        )

    def retranslate_controls(self) -> None:
        self.choose.setText(self.tr("Choose folder…"))
        self.use_drive.setText(self.tr("Use this drive"))
        self.start_button.setText(self.tr("Import"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.receipt_button.setText(self.tr("Print receipt…"))
        self.runs_label.setText(self.tr("Import runs:"))
        self._show_runs()
        self._show_where()

    # -- choosing ----------------------------------------------------------------------

    def refresh_drives(self) -> None:
        self.drives.clear()
        drives = removable_drives()
        for label, path in drives:
            self.drives.addItem(label, path)
        if not drives:
            self.drives.addItem(self.tr("No USB drive found"), None)
        self.use_drive.setEnabled(bool(drives))

    def _drive_chosen(self) -> None:
        path = self.drives.currentData()
        if path:
            self.set_folder(Path(str(path)))

    def choose_folder(self) -> bool:
        """Ask for the folder; False when the clerk cancels."""
        chosen = choose_folder(self, self.tr("Folder with the bundles"))
        if chosen:
            self.set_folder(Path(chosen))
        return bool(chosen)

    def set_folder(self, folder: Path) -> None:
        self.folder = folder
        self._show_where()
        self._set_running(False)

    def files(self) -> list[Path]:
        return bundles.bundle_files([self.folder]) if self.folder else []

    def _show_where(self) -> None:
        if self.folder is None:
            self.where.setText(self.tr("No folder chosen yet."))
            return
        count = len(self.files())
        self.where.setText(
            self.tr("%n bundle file(s) in {0}", "", count).format(self.folder.name or "/")
        )
        self.where.setToolTip(str(self.folder))

    # -- importing ---------------------------------------------------------------------

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running and self.folder is not None)
        self.cancel_button.setEnabled(running)
        self.choose.setEnabled(not running)
        self.use_drive.setEnabled(not running and self.drives.currentData() is not None)
        self.receipt_button.setEnabled(not running and self.runs.currentData() is not None)
        self.runs.setEnabled(not running)

    def start(self) -> Task | None:
        if self.task is not None or self.folder is None:
            return None
        files = self.files()
        if not files:
            self.status.setText(self.tr("There are no bundle files (.fpb) in this folder."))
            return None
        opener = self.clerk.worker_opener()
        self.model.set_rows([])
        self.started_at = self.clerk.clock.now()
        self.bar.setRange(0, len(files))
        self.bar.setValue(0)
        self.status.setText(self.tr("Importing…"))
        sink = self._sink = queue.SimpleQueue()
        task = self.start_work(
            lambda progress: import_bundles(opener, files, progress, sink),
            on_done=self._finished,
            on_error=self._failed,
            on_over=self._over,
            show_progress=False,
        )
        if task is not None:
            task.progressed.connect(self._progressed)
            self._set_running(True)
        return task

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.status.setText(self.tr("Stopping after the file being imported…"))

    def _drain(self) -> None:
        rows = []
        while True:
            try:
                rows.append(self._sink.get_nowait())
            except queue.Empty:
                break
        self.model.append_rows(rows)
        if rows:
            self.results.scrollToBottom()

    def _progressed(self, done: int, total: int, name: str) -> None:
        self._drain()
        self.bar.setMaximum(max(total, 1))
        self.bar.setValue(done)

    def _finished(self, _count: int) -> None:
        self._drain()

    def _failed(self, exc: BaseException) -> None:
        self._drain()
        self.status.setText(problem_text(exc, self))

    def _over(self, outcome: object) -> None:
        self._drain()
        rows = self.model.rows()
        if outcome is None:
            self.status.setText(
                self.tr(
                    "Cancelled: {0} file(s) imported before stopping; the others were not "
                    "touched. Press Import again to go on."
                ).format(len(rows))
            )
        elif not isinstance(outcome, BaseException):
            counts = {k: sum(1 for r in rows if r["outcome"] == k) for k in _COLORS}
            self.status.setText(
                self.tr(
                    "Done: {0} file(s). Accepted {1}, already imported {2}, gap {3}, "
                    "fork {4}, refused {5}."
                ).format(
                    len(rows),
                    counts["accepted"],
                    counts["duplicate"],
                    counts["gap"],
                    counts["fork"],
                    counts["refused"],
                )
            )
        fit_columns(self.results)
        self._show_where()
        self.refresh_runs(newest=True)  # the run just made is the newest, shown first
        self._set_running(False)
        self.imported.emit()

    # -- the receipts -----------------------------------------------------------------

    def refresh_runs(self, *, newest: bool = False) -> None:
        """Every import run of the ledger, the newest first, to print its receipt."""
        self.run_list = ledger.runs(self.clerk.register)
        self._show_runs(newest=newest)

    def _show_runs(self, *, newest: bool = False) -> None:
        chosen = None if newest else self.runs.currentData()
        self.runs.clear()
        for run in self.run_list:
            self.runs.addItem(self._run_text(run), run.id)
        if chosen is not None and self.runs.findData(chosen) >= 0:
            self.runs.setCurrentIndex(self.runs.findData(chosen))
        if not self.runs.count():
            self.runs.addItem(self.tr("nothing imported yet"), None)

    def _run_text(self, run: ledger.ImportRun) -> str:
        when = local_time(run.started_at)
        text = self.tr("%n file(s)", "", run.files)
        refused = sum(n for k, n in run.outcomes.items() if k not in ("accepted", "duplicate"))
        if refused:
            text += self.tr(", %n not taken", "", refused)
        return f"{when} · {text}" + (f" · {run.clerk}" if run.clerk else "")

    def show_run(self) -> None:
        """The files of the run chosen below, as its receipt will list them."""
        run_id = self.runs.currentData()
        if run_id is None or self.task is not None:
            return
        self.fill(self.results, self.model, ledger.run_rows(self.clerk.register, int(run_id)))
        self.status.setText(self.tr("Shown: the import run {0}.").format(self.runs.currentText()))
        self._set_running(False)

    def save_receipt(self, path: Path) -> Path:
        """The receipt of the run chosen, with the township's name (an area list without
        it shows the code)."""
        run_id = self.runs.currentData()
        if run_id is None:
            raise ValueError("no import run to print")
        register = self.clerk.register
        run = next(r for r in ledger.runs(register) if r.id == int(run_id))
        print_receipt(
            ledger.run_rows(register, run.id),
            path,
            township=areas.name(register, register.area_code),
            imported_at=dt.datetime.fromisoformat(run.started_at).astimezone(),
            clerk=run.clerk,
        )
        return path
