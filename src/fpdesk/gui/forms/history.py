"""A record's history: who changed what, when; and undo of the last change.

The history is the change log itself (the same rows that travel to the township), so
it cannot disagree with what was sent.  Undo writes the old values back as a new
change: it shows up here, and travels like any other edit.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core import codes, validation
from fpdesk.core.i18n import Text
from fpdesk.gui.forms.base import shown
from fpdesk.store import operations, records
from fpdesk.store.db import Register
from fpdesk.store.errors import RegisterError

# Bookkeeping columns: true, but of no interest to the officer reading a history.
_HIDDEN = {"id", "household_id"}


# Columns core.validation has no label for (it only names what its rules check).
_MORE_LABELS = {
    "phone": Text("电话", "phone"),
    "note": Text("备注", "note"),
    "address": Text("地址", "address"),
    "head_id": Text("户主", "household head"),
    "death_cause": Text("死亡原因", "cause of death"),
    "residence_place": Text("现居住地", "where living now"),
    "provider": Text("服务机构", "provider"),
    "place": Text("地点", "place"),
    "reason": Text("原因", "reason"),
    "result": Text("结果", "result"),
    "visited_by": Text("随访人", "visited by"),
    "handed_by": Text("发放人", "handed out by"),
    "child_id": Text("孩子", "child"),
    "alive": Text("存活", "alive"),
    "child_relation": Text("亲生/继子女/收养", "own, step or adopted"),
    "document_no": Text("证件编号", "document number"),
    "marriage_id": Text("婚姻", "marriage"),
    "pregnancy_id": Text("妊娠", "pregnancy"),
    "follows_table": Text("随访的事件类别", "kind of event followed"),
    "outside_spouse_name": Text("外地配偶姓名", "spouse from elsewhere"),
    "outside_spouse_id_number": Text("外地配偶身份证号", "spouse's ID number"),
    "outside_spouse_address": Text("外地配偶住址", "spouse's address"),
    "deleted": Text("状态", "status"),
}


# Columns whose values are codes only in some tables: labelled when they are codes.
_MORE_TABLES = {"place": "birth_place", "kind": "move_kind"}


def field_name(column: str) -> str:
    return shown(_MORE_LABELS.get(column) or validation.field_label(column))


# Columns that point at a person: shown by name, not by key.
_PERSON_COLUMNS = {
    "head_id",
    "wife_id",
    "husband_id",
    "mother_id",
    "father_id",
    "child_id",
    "woman_id",
    "user_id",
    "person_id",
}


def readable(register: Register, column: str, value: Any) -> str:
    """A stored value as the officer knows it: a code's label, a person's name, the text."""
    if value is None or value == "":
        return ""
    if column in _PERSON_COLUMNS:
        person = records.get(register, "person", str(value))
        return str(person["name"]) if person else str(value)
    table = validation.CODE_TABLES.get(column) or _MORE_TABLES.get(column)
    if table and codes.exists(table, value):
        return shown(codes.text(table, value))
    if column == "deleted":
        return shown(Text("已删除", "deleted")) if value else shown(Text("有效", "in use"))
    return str(value)


def when(stamp: str) -> str:
    """The change's UTC stamp in the laptop's local time, to the minute."""
    try:
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def changes(register: Register, row_id: str) -> list[dict[str, str]]:
    """One line per changed field, newest change first."""
    lines = []
    for entry in reversed(records.history(register, row_id)):
        old = json.loads(entry["old"]) if entry["old"] else {}
        new = json.loads(entry["new"]) if entry["new"] else {}
        columns = [c for c in (new or old) if c not in _HIDDEN and old.get(c) != new.get(c)]
        for column in columns:
            if entry["op"] == "insert" and (new.get(column) in (None, "") or column == "deleted"):
                continue
            lines.append(
                {
                    "seq": str(entry["seq"]),
                    "when": when(entry["at"]),
                    "who": entry["actor"] or "",
                    "op": entry["op"],
                    "field": field_name(column),
                    "before": readable(register, column, old.get(column)),
                    "after": readable(register, column, new.get(column)),
                }
            )
    return lines


class HistoryDialog(QDialog):
    """Every change of one record, field by field, with an Undo-last-change button."""

    undone = Signal(str)  # the record's id, after its last change was undone

    def __init__(self, register: Register, row_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.register = register
        self.row_id = row_id
        self.setObjectName("history")
        self.setWindowTitle(self.tr("History"))
        self.resize(720, 420)
        layout = QVBoxLayout(self)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("When"),
                self.tr("Who"),
                self.tr("Change"),
                self.tr("Field"),
                self.tr("Before"),
                self.tr("After"),
            ]
        )
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox()
        self.undo_button = QPushButton(self.tr("Undo last change (Ctrl+Z)"))
        self.undo_button.setObjectName("undo")
        self.undo_button.clicked.connect(self.undo)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.accept)
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(buttons)
        self.refresh()

    def _op_name(self, op: str) -> str:
        names = {
            "insert": self.tr("created"),
            "update": self.tr("changed"),
            "delete": self.tr("removed"),
        }
        return names.get(op, op)

    def refresh(self) -> None:
        lines = changes(self.register, self.row_id)
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            cells = [
                line["when"],
                line["who"],
                self._op_name(line["op"]),
                line["field"],
                line["before"],
                line["after"],
            ]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.undo_button.setEnabled(bool(lines))

    def undo(self) -> None:
        try:
            operations.undo_last_change(self.register, self.row_id)
        except operations.FormProblems as refused:
            self.message.setText("\n".join(shown(t) for t in refused.problems.values()))
            return
        except RegisterError as failed:  # the daily check still running, a full disk
            self.message.setText(shown(failed.text))
            return
        self.message.setText(self.tr("The last change was undone."))
        self.refresh()
        self.undone.emit(self.row_id)
