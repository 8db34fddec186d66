"""The villages board: one line per village, late villages in red."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QSpinBox, QWidget

from fpdesk.gui.clerk.common import (
    GREEN,
    GREY,
    RED,
    Clerk,
    CodeColumn,
    local_time,
    say,
    short_device,
)
from fpdesk.gui.clerk.held_page import HeldDialog
from fpdesk.gui.clerk.page import ClerkPage
from fpdesk.gui.models import Column
from fpdesk.sync import board, district


class BoardPage(ClerkPage):
    def __init__(self, clerk: Clerk, parent: QWidget | None = None) -> None:
        super().__init__(clerk, parent)
        self.deadline_label = QLabel()
        self.deadline = QSpinBox()
        self.deadline.setObjectName("deadline")
        self.deadline.setRange(1, 28)
        self.deadline.setValue(clerk.deadline_day())
        self.deadline.valueChanged.connect(self._deadline_changed)
        self.refresh_button = self.button("", self.refresh)
        self.held_button = self.button("open_held", self.open_held)
        self.held_dialog: HeldDialog | None = None
        self.summary = self.note("summary")
        self.model, self.view = self.list_view("board", self._columns, self._color)
        # This month's files not taken, one line each, with the reason and what to do.
        self.problems = self.note("problems")
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems.setStyleSheet("QLabel#problems { color: #b3261e; }")
        self.lay_out(
            self.row(
                self.deadline_label, self.deadline, None, self.held_button, self.refresh_button
            ),
            self.summary,
            (self.view, 1),
            self.problems,
        )
        self.rows: list[board.VillageRow] = []
        self.unplaced: list[board.FileProblem] = []  # not taken, from no known village
        self.restored: board.Restored | None = None
        self.district: district.Reporting | None = None  # None: no district hub joined
        self.retranslate()

    def _columns(self) -> list[Column]:
        return [
            Column(self.tr("Village"), lambda r: r.name),
            CodeColumn(self.tr("Code"), lambda r: r.code if r.name != r.code else ""),
            Column(self.tr("Laptops"), self._devices),
            Column(self.tr("Last bundle taken"), lambda r: r.last_file or self.tr("none yet")),
            Column(self.tr("Came"), lambda r: local_time(r.last_seen_at)),
            Column(self.tr("Sequence"), self._sequence),
            Column(self.tr("Conflicts"), lambda r: r.open_conflicts or ""),
            Column(self.tr("Duplicates"), lambda r: r.open_duplicates or ""),
            Column(self.tr("This month"), self._status),
            Column(self.tr("Files not taken this month"), self._problems),
        ]

    def _what(self, problem: board.FileProblem) -> str:
        return self.tr("refused") if problem.outcome == "refused" else self.tr("held")

    def _problem(self, problem: board.FileProblem) -> str:
        names = {r.code: r.name for r in self.rows}
        village = names.get(problem.village or "", self.tr("village unknown"))
        return self.tr("{0} · {1} ({2}): {3}").format(
            village, problem.file_name, self._what(problem), say(problem.reason)
        )

    def _problems(self, row: board.VillageRow) -> str:
        """In the table: how many and which kind; the lines below say which and why."""
        kinds: dict[str, int] = {}
        for problem in row.problems:
            kinds[self._what(problem)] = kinds.get(self._what(problem), 0) + 1
        return ", ".join(f"{what} {n}" for what, n in kinds.items())

    def _devices(self, row: board.VillageRow) -> str:
        active = [d for d in row.devices if d.active]
        revoked = len(row.devices) - len(active)
        text = ", ".join(short_device(d.device_id) for d in active) or self.tr("none")
        if revoked:
            text += " " + self.tr("(+{0} revoked)").format(revoked)
        return text

    def _sequence(self, row: board.VillageRow) -> str:
        parts = [self.tr("missing {0}–{1}").format(a, b) for a, b in row.missing]
        if row.held:
            parts.append(self.tr("%n fork(s) held", "", row.held))
        if row.resend_awaited:
            parts.append(self.tr("to send again after the restore"))
        if parts:
            return "; ".join(parts)
        upto = max((d.received_upto for d in row.devices), default=0)
        return self.tr("complete up to {0}").format(upto) if row.devices else ""

    def _status(self, row: board.VillageRow) -> str:
        due = board.deadline(self.clerk.clock.today(), self.clerk.deadline_day())
        return {
            board.REPORTED: self.tr("reported"),
            board.DUE: self.tr("due by {0}").format(due.isoformat()),
            board.LATE: self.tr("LATE (due {0})").format(due.isoformat()),
            board.NO_DEVICE: self.tr("no laptop enrolled"),
        }[row.status]

    @staticmethod
    def _color(row: Any) -> QColor | None:
        if row.status == board.LATE or not row.sequence_ok or row.problems:
            return RED
        if row.status == board.REPORTED:
            return GREEN
        return GREY if row.status == board.NO_DEVICE else None

    def intro_text(self) -> str:
        return self.tr(
            "Every village of the township: its laptops, the last bundle and when it "
            "came, whether its changes have arrived without a hole, and what waits for "
            "you. A village with no accepted bundle since the first of the month is "
            "late once the deadline has passed."
        )

    def retranslate_controls(self) -> None:
        self.deadline_label.setText(self.tr("Monthly deadline: day"))
        self.refresh_button.setText(self.tr("Refresh"))
        self._show_held()

    def retranslate(self) -> None:
        super().retranslate()
        self._summarise()

    def _deadline_changed(self, day: int) -> None:
        self.clerk.set_deadline_day(day)
        self.refresh()

    def refresh(self) -> None:
        today = self.clerk.clock.today()
        self.rows = board.villages(self.clerk.register, today, self.clerk.deadline_day())
        self.unplaced = [
            p
            for p in board.problem_files(self.clerk.register, today)
            if p.village not in {r.code for r in self.rows}
        ]
        self.restored = board.restored(self.clerk.register)
        self.district = district.reporting_of(self.clerk.register)
        self.fill(self.view, self.model, self.rows)
        self._summarise()
        self._show_held()

    def _show_held(self) -> None:
        waiting = sum(r.held for r in self.rows)
        self.held_button.setVisible(waiting > 0)
        self.held_button.setText(self.tr("Held bundles ({0})…").format(waiting))

    def open_held(self) -> None:
        """The held forks, to look at and apply or discard (a window of its own)."""
        dialog = HeldDialog(self.clerk, self)
        dialog.page.changed.connect(self.refresh)
        dialog.page.changed.connect(self.changed)
        self.held_dialog = dialog
        try:
            dialog.exec()
        finally:
            self.held_dialog = None
            dialog.deleteLater()

    def _summarise(self) -> None:
        late = board.late(self.rows)
        if not self.rows:
            self.summary.setText(self._district_text())
            return
        reported = sum(1 for r in self.rows if r.status == board.REPORTED)
        text = self.tr("{0} of {1} villages reported this month.").format(reported, len(self.rows))
        if late:
            text += " " + self.tr("Late: {0}.").format(", ".join(r.name for r in late))
        troubled = [r.name for r in self.rows if r.problems]
        if troubled:
            text += " " + self.tr("Files not taken from: {0} (listed below the table).").format(
                ", ".join(troubled)
            )
        lines = [self._problem(p) for r in self.rows for p in r.problems]
        lines += [self._problem(p) for p in self.unplaced]
        self.problems.setText("\n".join(lines))
        self.problems.setVisible(bool(lines))
        red = bool(late or troubled or self.unplaced)
        self.summary.setStyleSheet("color: #b3261e;" if red else "")
        if self.restored is not None:  # read by refresh(): a language change reads nothing
            text = self._restored_text(self.restored) + "\n" + text
        if self.district is not None:
            text = self._district_text() + "\n" + text
        self.summary.setText(text)

    def _district_text(self) -> str:
        """What the district hub has acknowledged of this township's changes."""
        up = self.district
        if up is None:
            return ""
        if up.acked_at is None:
            text = self.tr(
                "District hub: nothing acknowledged yet; {0} change(s) to report."
            ).format(up.unacknowledged)
        else:
            text = self.tr(
                "District hub: your changes up to {0} acknowledged (imported {1}); {2} "
                "change(s) not yet acknowledged."
            ).format(up.acked_upto, local_time(up.acked_at), up.unacknowledged)
        if up.resend_awaited:
            text += " " + self.tr(
                "Restored from a backup: your next export to the district sends every "
                "change, and the district office releases it."
            )
        return text

    def _restored_text(self, restored: board.Restored) -> str:
        """The register was restored: what it lost comes back from the villages."""
        made = restored.backup_made_at[:16].replace("T", " ")
        waiting = [r.name for r in self.rows if r.resend_awaited]
        if not waiting:
            return self.tr(
                "This register was restored from a backup made {0}; every village has "
                "sent again what the restore lost."
            ).format(made)
        return self.tr(
            "This register was restored from a backup made {0}: the villages' work since "
            "then comes back as each laptop imports your next update and sends again. "
            "Still to send: {1}."
        ).format(made, ", ".join(waiting))
