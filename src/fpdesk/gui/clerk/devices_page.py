"""Devices: enroll a village laptop (and compare the fingerprint by phone), revoke one,
replace a broken or stolen one.  Each step says on screen what it does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QLabel,
    QMessageBox,
    QWidget,
)

from fpdesk.gui.clerk.common import GREY, Clerk, explain
from fpdesk.gui.clerk.page import ClerkPage
from fpdesk.gui.file_dialogs import choose_folder, choose_open_file, choose_save_file
from fpdesk.gui.models import Column
from fpdesk.sync import clerk as clerk_tasks
from fpdesk.sync import enrollment, keys
from fpdesk.sync.board import village_label
from fpdesk.sync.errors import SyncError


class DevicesPage(ClerkPage):
    def __init__(self, clerk: Clerk, parent: QWidget | None = None) -> None:
        super().__init__(clerk, parent)
        self.model, self.view = self.list_view(
            "devices", self._columns, lambda d: GREY if d["revoked_at"] else None
        )
        self.enroll_button = self.button("enroll", self.enroll_dialog)
        self.revoke_button = self.button("revoke", self.revoke_dialog)
        self.replace_button = self.button("replace", self.replace_dialog)
        self.steps = explain()
        self.steps.setObjectName("steps")
        self.fingerprint = QLabel()
        self.fingerprint.setObjectName("fingerprint")
        font = QFont(self.fingerprint.font())
        font.setPointSize(font.pointSize() + 8)
        font.setBold(True)
        font.setFamilies(["DejaVu Sans Mono", "monospace"])
        self.fingerprint.setFont(font)
        self.message = self.note("message")
        self.lay_out(
            (self.view, 1),
            self.row(self.enroll_button, self.revoke_button, self.replace_button, None),
            self.steps,
            self.fingerprint,
            self.message,
        )
        self.retranslate()

    def _columns(self) -> list[Column]:
        return [
            Column(
                self.tr("Village"), lambda d: village_label(self.clerk.register, d["area_code"])
            ),
            Column(self.tr("Laptop"), lambda d: d["device_id"]),
            Column(self.tr("Fingerprint"), lambda d: d["fingerprint"]),
            Column(self.tr("Enrolled"), lambda d: d["enrolled_at"][:16].replace("T", " ")),
            Column(
                self.tr("State"),
                lambda d: (
                    self.tr("revoked {0}").format(d["revoked_at"][:10])
                    if d["revoked_at"]
                    else self.tr("active")
                ),
            ),
        ]

    def intro_text(self) -> str:
        return self.tr(
            "Only enrolled laptops can send bundles here. To enroll one: the village "
            "officer makes a request file on the laptop and brings it; you accept it "
            "here, which writes an answer file for the laptop; then you both read the "
            "fingerprint to each other by phone. If the digits differ, revoke the laptop."
        )

    def retranslate_controls(self) -> None:
        self.enroll_button.setText(self.tr("Enroll a laptop…"))
        self.revoke_button.setText(self.tr("Revoke…"))
        self.replace_button.setText(self.tr("Replace a laptop…"))

    def refresh(self) -> None:
        villages = [d for d in keys.peers(self.clerk.register) if d["role"] == "village"]
        self.fill(self.view, self.model, villages)

    def current(self) -> dict[str, Any] | None:
        found: dict[str, Any] | None = self.chosen(self.view, dict)
        return found

    # -- enrolling ---------------------------------------------------------------------

    def enroll_dialog(self) -> None:
        self.steps.setText(
            self.tr("Step 1 of 3: choose the request file the village officer brought.")
        )
        request = choose_open_file(
            self, self.tr("The laptop's request file"), self.tr("Enrollment files (*.json)")
        )
        if not request:
            return
        self.steps.setText(self.tr("Step 2 of 3: choose where to write the answer file."))
        answer = choose_save_file(
            self,
            self.tr("Write the answer file"),
            str(Path(request).with_name(Path(request).stem + "-answer.json")),
            self.tr("Enrollment files (*.json)"),
        )
        if answer:
            self.enroll(Path(request), Path(answer))

    def enroll(self, request: Path, answer: Path) -> dict[str, Any] | None:
        try:
            device = enrollment.accept(self.clerk.register, request, answer)
        except (SyncError, OSError) as exc:  # a refused file, a removed or full stick
            self.tell_problem(exc)
            return None
        self.refresh()
        self.steps.setText(
            self.tr(
                "Step 3 of 3: give the answer file {0} to the officer, who opens it on the "
                "laptop. Then read these digits to each other by phone. They must be the "
                "same on both screens; if not, revoke the laptop."
            ).format(answer.name)
        )
        self.fingerprint.setText(device["fingerprint"])
        self.tell(
            self.tr("Enrolled the laptop of village {0}.").format(
                village_label(self.clerk.register, device["area_code"])
            )
        )
        return device

    # -- revoking ----------------------------------------------------------------------

    def revoke_dialog(self) -> None:
        device = self.current()
        if device is None:
            self.tell(self.tr("Choose a laptop in the list first."), error=True)
            return
        sure = QMessageBox.question(
            self,
            self.tr("Revoke this laptop?"),
            self.tr(
                "From now on every bundle from laptop {0} (village {1}) is refused. Do this "
                "when a laptop is lost, stolen, broken or replaced. It cannot be undone: the "
                "laptop would have to enroll again with a new register."
            ).format(
                device["device_id"][:8], village_label(self.clerk.register, device["area_code"])
            ),
        )
        if sure == QMessageBox.StandardButton.Yes:
            self.revoke(device["device_id"])

    def revoke(self, device_id: str) -> bool:
        try:
            keys.revoke(self.clerk.register, device_id)
        except (SyncError, OSError) as exc:  # a refused file, a removed or full stick
            self.tell_problem(exc)
            return False
        self.refresh()
        self.fingerprint.setText("")
        self.tell(self.tr("Revoked: its bundles will be refused from now on."))
        return True

    # -- replacing ---------------------------------------------------------------------

    def replace_dialog(self) -> None:
        device = self.current()
        if device is None or device["revoked_at"]:
            self.tell(self.tr("Choose the old, still active laptop in the list first."), error=True)
            return
        self.steps.setText(
            self.tr(
                "Replacing a laptop: 1. the new laptop makes a request file; 2. you choose it "
                "here; 3. the old laptop is revoked, the new one enrolled, and a snapshot "
                "with the whole village as the township holds it is written for it; 4. the "
                "officer opens the answer file and then the snapshot on the new laptop. "
                "Changes the old laptop never sent are lost with it."
            )
        )
        request = choose_open_file(
            self, self.tr("The new laptop's request file"), self.tr("Enrollment files (*.json)")
        )
        if not request:
            return
        folder = choose_folder(
            self, self.tr("Folder for the answer file and the snapshot"), Path(request).parent
        )
        if folder:
            self.replace(device["device_id"], Path(request), Path(folder))

    def replace(self, old_device: str, request: Path, folder: Path) -> clerk_tasks.Replaced | None:
        answer = folder / (request.stem + "-answer.json")
        try:
            done = clerk_tasks.replace_laptop(
                self.clerk.register, old_device, request, answer, folder
            )
        except (SyncError, OSError) as exc:  # a refused file, a removed or full stick
            self.tell_problem(exc)
            return None
        self.refresh()
        self.fingerprint.setText(done.new["fingerprint"])
        self.steps.setText(
            self.tr(
                "Done. Give the officer {0} and {1}: open the answer file first, then import "
                "the snapshot. Compare these digits by phone."
            ).format(answer.name, done.snapshot.path.name)
        )
        self.tell(self.tr("The old laptop is revoked; the new one is enrolled."))
        return done
