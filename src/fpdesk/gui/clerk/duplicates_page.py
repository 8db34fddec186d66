"""Duplicates: pairs of persons from different villages who may be one, merged field by
field, and merges undone."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from fpdesk.gui.clerk.common import Clerk, ListModel, local_time, say
from fpdesk.gui.clerk.conflicts_page import field_label, field_value, shown
from fpdesk.gui.clerk.page import ClerkPage
from fpdesk.gui.models import Column
from fpdesk.gui.tasks import Progress, Task
from fpdesk.store import areas
from fpdesk.sync import duplicates
from fpdesk.sync.board import village_label

SIDES = ("survivor", "other")  # the two persons of a merge record
# Shown first, in this order; the other columns follow.
_FIRST = ("name", "sex", "birth_date", "id_number", "household_id", "phone", "note")


class UnmergeDialog(QDialog):
    """Undo a merge? Says what comes back, and asks why (kept in the history)."""

    def __init__(self, record: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unmerge_dialog")
        self.setWindowTitle(self.tr("Undo the merge"))
        kept = record["survivor_before"]["name"]
        other = record["other_before"]["name"]
        self.question = QLabel(
            self.tr(
                "Undo the merge of {0} into {1} (merged {2} by {3}, because: {4})? Both "
                "persons come back as they were before it and their records are pointed "
                "back; both villages hear of it in their next update bundle."
            ).format(
                other, kept, local_time(record["at"]), record["actor"] or "—", record["reason"]
            )
        )
        self.question.setWordWrap(True)
        self.reason_label = QLabel(self.tr("Why is it undone?"))
        self.reason = QLineEdit()
        self.reason.setObjectName("unmerge_reason")
        self.reason.setPlaceholderText(self.tr("e.g. the mothers differ: two persons"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Undo the merge"))
        self.ok.setObjectName("confirm_unmerge")
        self.ok.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.reason.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())


class DuplicatesPage(ClerkPage):
    def __init__(self, clerk: Clerk, parent: QWidget | None = None) -> None:
        super().__init__(clerk, parent)
        self.unmerge_dialog: UnmergeDialog | None = None
        self.model, self.view = self.list_view(
            "pairs", self._columns, on_current=self._show_current
        )

        self.detail = QGroupBox()
        self.keep_a, self.keep_b = QRadioButton(), QRadioButton()
        self.keep_a.setObjectName("keep_a")
        self.keep_b.setObjectName("keep_b")
        self.keep = QButtonGroup(self)
        self.keep.addButton(self.keep_a)
        self.keep.addButton(self.keep_b)
        self.keep_a.toggled.connect(lambda _on: self._default_choices())
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(2, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        self.choices: dict[str, tuple[QRadioButton, QRadioButton]] = {}
        self._groups: list[QButtonGroup] = []
        self.reason_label = QLabel()
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.textChanged.connect(self.forget_error)
        self.merge_button = self.button("merge", self.merge_current)
        self.distinct_button = self.button("distinct", self.dismiss_current)
        self.message = self.note("message")
        inner = QVBoxLayout(self.detail)
        inner.addLayout(self.row(self.keep_a, self.keep_b, None))
        inner.addWidget(scroll, 1)
        inner.addLayout(
            self.row(self.reason_label, (self.reason, 1), self.merge_button, self.distinct_button)
        )
        inner.addWidget(self.message)

        self.scan_button = self.button("scan", self.scan)
        self.scan_status = QLabel()
        self.scan_status.setObjectName("scan_status")
        self.scanned: list[duplicates.Candidate] = []
        self.merges_title = QLabel()
        self.merges_model, self.merges_view = self.list_view("merges", self._merge_columns)
        self.unmerge_button = self.button("unmerge", self.unmerge_current)
        merges_box = QWidget()
        merges_layout = QVBoxLayout(merges_box)
        merges_layout.setContentsMargins(0, 0, 0, 0)
        merges_layout.addLayout(self.row((self.merges_title, 1), self.unmerge_button))
        merges_layout.addWidget(self.merges_view)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(self.detail)
        split.addWidget(merges_box)
        split.setSizes([160, 380, 120])
        self.lay_out(self.row((self.scan_status, 1), self.scan_button), (split, 1))
        self.pairs: list[duplicates.Candidate] = []
        self.villages: dict[str, str] = {}  # person -> village name, for the merges
        self.retranslate()
        self._show_current()

    def _columns(self) -> list[Column]:
        return [
            Column(self.tr("Name"), lambda c: c.a["name"]),
            Column(self.tr("Born"), lambda c: c.a["birth_date"]),
            Column(self.tr("Village A"), lambda c: self._village(c.a)),
            Column(self.tr("Village B"), lambda c: self._village(c.b)),
            Column(self.tr("Why they match"), lambda c: say(c.reason_text)),
        ]

    def _village(self, person: dict[str, Any]) -> str:
        code = person.get("village_code")
        return village_label(self.clerk.register, code) if code else ""

    def _merge_columns(self) -> list[Column]:
        return [
            Column(self.tr("Merged"), lambda m: local_time(m["at"])),
            Column(self.tr("Kept"), lambda m: self._person(m, "survivor")),
            Column(self.tr("Merged into it"), lambda m: self._person(m, "other")),
            Column(self.tr("By"), lambda m: m["actor"] or ""),
            Column(self.tr("Reason"), lambda m: m["reason"]),
            Column(self.tr("Undone"), self._undone),
        ]

    def _person(self, merge: dict[str, Any], side: str) -> str:
        before = merge[f"{side}_before"]
        village = self.villages.get(merge[side], "")
        return f"{before['name']} ({village})" if village else str(before["name"])

    def _undone(self, merge: dict[str, Any]) -> str:
        if not merge.get("undone_at"):
            return ""
        return self.tr("{0} by {1}: {2}").format(
            local_time(merge["undone_at"]),
            merge.get("undone_by") or "—",
            merge.get("undone_reason") or "—",
        )

    def intro_text(self) -> str:
        return self.tr(
            "The same person may have been entered in two villages. Look at both "
            "records, choose which one to keep and, for each field, whose value it "
            "keeps. The other record is kept as deleted, pointing to the one kept, and "
            "its births, visits and other records move over. Nothing is lost: a merge "
            "can be undone below."
        )

    def retranslate_controls(self) -> None:
        self.detail.setTitle(self.tr("Compare and merge"))
        self.reason_label.setText(self.tr("Reason"))
        self.reason.setPlaceholderText(self.tr("e.g. same ID card, confirmed by both officers"))
        self.merge_button.setText(self.tr("Merge"))
        self.distinct_button.setText(self.tr("Not the same person"))
        self.merges_title.setText(self.tr("Merges done and undone (who, when, why)"))
        self.scan_button.setText(self.tr("Search the whole register"))
        if not self.scan_status.text():
            self.scan_status.setText(self.tr("Listed: the pairs flagged while importing bundles."))
        self.unmerge_button.setText(self.tr("Undo merge"))

    def models(self) -> list[ListModel]:
        return [self.model, self.merges_model]

    def retranslate(self) -> None:
        super().retranslate()
        self._show_current()

    def refresh(self) -> None:
        register = self.clerk.register
        self.pairs = duplicates.candidates(register)
        known = {c.key for c in self.pairs}
        extra = [c for c in self.scanned if c.key not in known]
        people = duplicates.persons(register, {x for c in extra for x in c.key})
        for candidate in extra:
            a, b = people.get(candidate.a["id"]), people.get(candidate.b["id"])
            if a is None or b is None or a["deleted"] or b["deleted"]:
                continue
            if duplicates.is_dismissed(register, candidate.a["id"], candidate.b["id"]):
                continue
            self.pairs.append(duplicates.Candidate(a, b, candidate.reason, []))
        done = duplicates.merges(register, include_undone=True)[::-1]  # the latest first
        people = duplicates.persons(register, {m[side] for m in done for side in SIDES})
        names = areas.names(register, {p["village_code"] for p in people.values()})
        self.villages = {
            pid: names[p["village_code"]] for pid, p in people.items() if p["village_code"]
        }
        self.fill(self.merges_view, self.merges_model, done)
        self.fill(self.view, self.model, self.pairs, select=True)
        self._show_current()

    def scan(self) -> Task | None:
        """Look through every birth of the register, off the GUI thread."""
        if self.task is not None:
            return None
        opener = self.clerk.worker_opener()

        def work(progress: Progress) -> list[duplicates.Candidate]:
            register = opener()
            try:
                progress.report(0, 0)
                return duplicates.scanned(register)
            finally:
                register.close()

        self.scan_button.setEnabled(False)
        self.scan_status.setText(self.tr("Searching the whole register…"))
        return self.start_work(
            work,
            on_done=self._scanned,
            on_over=lambda _outcome: self.scan_button.setEnabled(True),
            label=self.tr("Searching the whole register…"),
        )

    @property
    def scan_task(self) -> Task | None:
        """The search of the whole register, while it runs."""
        return self.task

    def _scanned(self, found: list[duplicates.Candidate]) -> None:
        self.scanned = found
        before = self.model.rowCount()
        self.refresh()
        self.scan_status.setText(
            self.tr(
                "%n more pair(s) found in the whole register.", "", self.model.rowCount() - before
            )
        )

    def current(self) -> duplicates.Candidate | None:
        found: duplicates.Candidate | None = self.chosen(self.view, duplicates.Candidate)
        return found

    def _clear_grid(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        for group in self._groups:
            group.deleteLater()
        self._groups = []
        self.choices = {}

    def _show_current(self) -> None:
        self._clear_grid()
        pair = self.current()
        self.detail.setEnabled(pair is not None)
        if pair is None:
            self.keep_a.setText(self.tr("Keep A"))
            self.keep_b.setText(self.tr("Keep B"))
            self.reason.clear()  # nothing typed stays behind a decision made
            return
        self.keep_a.setText(self.tr("Keep A ({0})").format(self._village(pair.a)))
        self.keep_b.setText(self.tr("Keep B ({0})").format(self._village(pair.b)))
        fields = duplicates.mergeable_fields(self.clerk.register)
        ordered = [f for f in _FIRST if f in fields] + [f for f in fields if f not in _FIRST]
        header = (self.tr("Field"), self.tr("A"), self.tr("B"))
        for column, title in enumerate(header):
            label = QLabel(f"<b>{title}</b>")
            self.grid.addWidget(label, 0, column)
        row = 1
        for name in ordered:
            a, b = pair.a.get(name), pair.b.get(name)
            if a is None and b is None:
                continue
            self.grid.addWidget(QLabel(field_label(name)), row, 0)
            pick_a = QRadioButton(self._value(pair.a, name))
            pick_b = QRadioButton(self._value(pair.b, name))
            pick_a.setObjectName(f"a_{name}")
            pick_b.setObjectName(f"b_{name}")
            group = QButtonGroup(self.grid_host)
            self._groups.append(group)
            group.addButton(pick_a)
            group.addButton(pick_b)
            if a == b:
                pick_a.setEnabled(False)
                pick_b.setEnabled(False)
            self.grid.addWidget(pick_a, row, 1)
            self.grid.addWidget(pick_b, row, 2)
            self.choices[name] = (pick_a, pick_b)
            row += 1
        self.keep_a.setChecked(True)
        self._default_choices()
        self.reason.clear()

    @staticmethod
    def _value(person: dict[str, Any], name: str) -> str:
        if name == "household_id":
            return str(person.get("household_code") or shown(person.get(name)))
        return field_value(name, person.get(name))

    def _default_choices(self) -> None:
        """The kept person's values, except where it has none and the other has one."""
        pair = self.current()
        if pair is None:
            return
        keep_a = self.keep_a.isChecked()
        for name, (pick_a, pick_b) in self.choices.items():
            mine = pair.a.get(name) if keep_a else pair.b.get(name)
            use_a = keep_a if mine not in (None, "") else not keep_a
            (pick_a if use_a else pick_b).setChecked(True)

    def merge_current(self) -> bool:
        pair = self.current()
        if pair is None:
            return False
        keep_a = self.keep_a.isChecked()
        survivor, other = (pair.a, pair.b) if keep_a else (pair.b, pair.a)
        take_other = {
            name
            for name, (pick_a, pick_b) in self.choices.items()
            if (pick_b if keep_a else pick_a).isChecked() and pair.a.get(name) != pair.b.get(name)
        }
        take_other &= set(duplicates.mergeable_fields(self.clerk.register))
        return self.act(
            lambda: duplicates.merge_persons(
                self.clerk.register,
                survivor["id"],
                other["id"],
                take_other,
                reason=self.reason.text(),
                conflict_ids=pair.conflict_ids,
            ),
            lambda _: self.tr("Merged. Both villages hear of it in their next update bundle."),
        )

    def dismiss_current(self) -> bool:
        pair = self.current()
        if pair is None:
            return False
        return self.act(
            lambda: duplicates.dismiss(
                self.clerk.register,
                pair.a["id"],
                pair.b["id"],
                pair.conflict_ids,
                reason=self.reason.text(),
            ),
            lambda _: self.tr("Marked as two different persons; the pair is not shown again."),
        )

    def unmerge_current(self) -> UnmergeDialog | None:
        """Ask to confirm, with a reason; the merge is undone when the clerk says so."""
        record: dict[str, Any] | None = self.chosen(self.merges_view, dict)
        if record is None or record.get("undone_at"):
            self.tell(self.tr("Choose a merge that is not undone in the list first."), error=True)
            return None
        dialog = UnmergeDialog(record, self)
        dialog.accepted.connect(lambda: self._unmerge(record["id"], dialog.reason.text()))
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        self.unmerge_dialog = dialog
        dialog.open()  # window-modal; the answer comes back through its signals
        return dialog

    def _dialog_closed(self, dialog: UnmergeDialog) -> None:
        if self.unmerge_dialog is dialog:
            self.unmerge_dialog = None
        dialog.deleteLater()

    def _unmerge(self, merge_id: str, reason: str) -> bool:
        return self.act(
            lambda: duplicates.unmerge(self.clerk.register, merge_id, reason=reason),
            lambda _: self.tr("The merge is undone: both persons are back as they were."),
        )
