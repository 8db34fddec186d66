"""Send back: an update bundle for every village laptop, in one action."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QWidget,
)

from fpdesk.gui.clerk.common import Clerk, Opener, problem_text, short_device
from fpdesk.gui.clerk.page import ClerkPage
from fpdesk.gui.file_dialogs import choose_folder
from fpdesk.gui.models import Column
from fpdesk.gui.tasks import Progress, Task
from fpdesk.sync import bundles, clerk
from fpdesk.sync.board import village_label


def export_all(
    opener: Opener, folder: Path, per_village: bool, progress: Progress
) -> list[bundles.Exported]:
    """The worker: its own connection, every village's update."""
    register = opener()
    try:
        progress.report(0, 0)
        return clerk.export_updates(register, folder, per_village=per_village)
    finally:
        register.close()


class SendPage(ClerkPage):
    def __init__(self, clerk: Clerk, parent: QWidget | None = None) -> None:
        super().__init__(clerk, parent)
        self.per_village = QCheckBox()
        self.per_village.setObjectName("per_village")
        self.export_button = self.button("export", self.choose_and_export)
        self.status = self.note("status")
        self.model, self.view = self.list_view("made", self._columns)
        self.lay_out(
            self.row(self.per_village, None, self.export_button), self.status, (self.view, 1)
        )
        self.retranslate()

    def _columns(self) -> list[Column]:
        return [
            Column(
                self.tr("Village"), lambda e: village_label(self.clerk.register, e.recipient_area)
            ),
            Column(self.tr("Laptop"), lambda e: short_device(e.recipient)),
            Column(self.tr("Records"), lambda e: e.count),
            Column(
                self.tr("File"),
                lambda e: str(e.path.relative_to(self.folder)) if self.folder else e.path.name,
            ),
        ]

    folder: Path | None = None

    def intro_text(self) -> str:
        return self.tr(
            "After the import and your decisions, make an update bundle for every "
            "village laptop. It carries the acknowledgement (the laptop then stops "
            "resending what arrived), your corrections and decisions, merges, and "
            "persons moved in from elsewhere. Only that laptop can open its file."
        )

    def retranslate_controls(self) -> None:
        self.per_village.setText(self.tr("One sub-folder per village"))
        self.export_button.setText(self.tr("Make update bundles for all villages…"))

    def choose_and_export(self) -> None:
        folder = choose_folder(self, self.tr("Folder for the update bundles"))
        if folder:
            self.export(Path(folder))

    def export(self, folder: Path) -> Task | None:
        if self.task is not None:
            return None
        opener = self.clerk.worker_opener()
        self.folder = folder
        per_village = self.per_village.isChecked()
        self.export_button.setEnabled(False)
        self.status.setText(self.tr("Making the update bundles…"))
        return self.start_work(
            lambda progress: export_all(opener, folder, per_village, progress),
            on_done=self._done,
            on_error=self._failed,
            on_over=lambda _outcome: self.export_button.setEnabled(True),
            label=self.tr("Making the update bundles…"),
            cancellable=False,
        )

    def _done(self, made: list[bundles.Exported]) -> None:
        self.fill(self.view, self.model, made)
        self.status.setText(
            self.tr("%n update bundle(s) written to {0}.", "", len(made)).format(
                self.folder.name if self.folder else ""
            )
        )

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(problem_text(exc, self))
