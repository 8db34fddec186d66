"""Held forks: the bundles a restored laptop sent, kept whole until the clerk decides.

Opened from the villages board.  One line per held bundle; below it, what the bundle
would change (tried and rolled back).  Apply merges it like any bundle (what clashes
goes to the conflict queue); Discard keeps nothing of it but the clerk's reason.  Either
way the laptop is revoked and must be set up again with a snapshot: both are asked
for with a confirmation that says so.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fpdesk.gui.clerk.common import RED, Clerk, Retranslating, say, short_device
from fpdesk.gui.clerk.conflicts_page import TABLES, field_label, field_value
from fpdesk.gui.clerk.page import ClerkPage
from fpdesk.gui.models import Column
from fpdesk.store.errors import RegisterError
from fpdesk.sync import held
from fpdesk.sync.board import village_label
from fpdesk.sync.errors import SyncError


class HeldPage(ClerkPage):
    def __init__(self, clerk: Clerk, parent: QWidget | None = None) -> None:
        super().__init__(clerk, parent)
        self.model, self.view = self.list_view(
            "held", self._columns, lambda _h: RED, on_current=self._show_current
        )
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("held_detail")
        self.detail.setReadOnly(True)
        self.reason_label = QLabel()
        self.reason = QLineEdit()
        self.reason.setObjectName("held_reason")
        self.apply_button = self.button("held_apply", self.apply_dialog)
        self.discard_button = self.button("held_discard", self.discard_dialog)
        self.message = self.note("message")
        self.lay_out(
            (self.view, 1),
            (self.detail, 2),
            self.row(self.reason_label, (self.reason, 1)),
            self.row(self.apply_button, self.discard_button, None),
            self.message,
        )
        self.confirm: QMessageBox | None = None  # the open question, for tests
        self.retranslate()
        self.refresh()

    def _columns(self) -> list[Column]:
        return [
            Column(self.tr("Village"), lambda h: village_label(self.clerk.register, h.village)),
            Column(self.tr("Laptop"), lambda h: short_device(h.device_id)),
            Column(self.tr("Changes"), _range),
            Column(self.tr("Held since"), lambda h: h.held_at[:16].replace("T", " ")),
            Column(self.tr("File"), lambda h: h.file_name),
        ]

    def intro_text(self) -> str:
        return self.tr(
            "A held bundle repeats changes already received with other content: the laptop "
            "was probably restored from an old backup and used again. Look at what it "
            "would change, then apply it (what both sides changed goes to the conflicts) "
            "or discard it with a reason. Either way that laptop is revoked: set up a new "
            "register on it, enroll it and send it a snapshot (Devices, Replace)."
        )

    def retranslate_controls(self) -> None:
        self.reason_label.setText(self.tr("Reason"))
        self.reason.setPlaceholderText(self.tr("needed to discard, e.g. typed again since"))
        self.apply_button.setText(self.tr("Apply…"))
        self.discard_button.setText(self.tr("Discard…"))

    def refresh(self) -> None:
        self.fill(self.view, self.model, held.held_bundles(self.clerk.register))
        if self.model.rowCount() and not self.view.currentIndex().isValid():
            self.view.selectRow(0)
        self._show_current()

    def current(self) -> held.Held | None:
        found: held.Held | None = self.chosen(self.view, held.Held)
        return found

    def _show_current(self) -> None:
        chosen = self.current()
        self.apply_button.setEnabled(chosen is not None)
        self.discard_button.setEnabled(chosen is not None)
        if chosen is None:
            self.detail.setPlainText(
                self.tr("No bundle is held.") if not self.model.rowCount() else ""
            )
            return
        try:
            shown = held.preview(self.clerk.register, chosen.held_id)
        except SyncError as exc:
            self.detail.setPlainText(say(exc.text))
            return
        lines = [
            say(chosen.reason),
            self.tr("If applied: {0} applied, {1} unchanged, {2} to the conflicts.").format(
                shown.applied, shown.unchanged, shown.queued
            ),
            "",
        ]
        for change in shown.changes:
            if change.op == "insert":  # a new record: the values it has
                fields = ", ".join(
                    f"{field_label(name)} {field_value(name, after)}"
                    for name, (_before, after) in change.fields.items()
                    if after not in (None, "") and not name.endswith("_id") and name != "deleted"
                )
            else:
                fields = ", ".join(
                    f"{field_label(name)}: {field_value(name, before)} → {field_value(name, after)}"
                    for name, (before, after) in change.fields.items()
                )
            what = say(TABLES[change.table]) if change.table in TABLES else change.table
            line = f"{change.seq}  {_OPS.get(change.op, change.op)} {what}  {fields}"
            if change.received:
                line += "  " + self.tr("(received before, the same)")
            lines.append(line)
        self.detail.setPlainText("\n".join(lines))

    # -- deciding ----------------------------------------------------------------------

    def apply_dialog(self) -> None:
        chosen = self.current()
        if chosen is not None and self._sure(
            chosen,
            self.tr("Apply the held bundle?"),
            self.tr(
                "Apply the held bundle of laptop {0} (village {1})? What merges cleanly is "
                "written now and what both sides changed goes to the conflicts. The laptop "
                "is then revoked: it must be set up again and sent a snapshot."
            ),
        ):
            self.apply(chosen.held_id)

    def discard_dialog(self) -> None:
        chosen = self.current()
        if chosen is None:
            return
        if not self.reason.text().strip():
            self.tell(self.tr("Write the reason for discarding it first."), error=True)
            self.reason.setFocus()
            return
        if self._sure(
            chosen,
            self.tr("Discard the held bundle?"),
            self.tr(
                "Discard the held bundle of laptop {0} (village {1})? Nothing in it is "
                "written to the register; the file and your reason are kept. The laptop is "
                "then revoked: it must be set up again and sent a snapshot."
            ),
        ):
            self.discard(chosen.held_id, self.reason.text())

    def _sure(self, chosen: held.Held, title: str, question: str) -> bool:
        """Asked about this laptop's held bundle ({0}: the laptop, {1}: its village)."""
        return self._ask(title, question.format(short_device(chosen.device_id), chosen.village))

    def _ask(self, title: str, question: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, question, parent=self)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        self.confirm = box
        try:
            return box.exec() == QMessageBox.StandardButton.Yes
        finally:
            self.confirm = None

    def apply(self, held_id: str) -> bool:
        return self.act(
            lambda: held.apply(self.clerk.register, held_id),
            lambda done: self._finished(
                self.tr("Applied: {0} applied, {1} to the conflicts.").format(
                    done.result.applied, done.result.queued
                ),
                done,
            ),
            refused=(SyncError, RegisterError),
        )

    def discard(self, held_id: str, reason: str) -> bool:
        return self.act(
            lambda: held.discard(self.clerk.register, held_id, reason=reason),
            lambda done: self._finished(
                self.tr("Discarded; your reason is in the import ledger."), done
            ),
            refused=(SyncError, RegisterError),
        )

    def _finished(self, what: str, done: held.Released) -> str:
        self.reason.clear()
        return f"{what} {say(done.message)}"


_OPS = {"insert": "+", "update": "~", "delete": "−"}


def _range(h: held.Held) -> str:
    return "" if h.after is None else f"{h.after + 1}–{h.upto}"


class HeldDialog(Retranslating, QDialog):
    """The held page in a window of its own, opened from the villages board."""

    def __init__(self, clerk: Clerk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("held_dialog")
        self.page = HeldPage(clerk, self)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page, 1)
        layout.addLayout(row)
        self.resize(900, 600)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Held bundles"))
        self.close_button.setText(self.tr("Close"))
