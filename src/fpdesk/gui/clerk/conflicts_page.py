"""Conflicts: the value before, the village's and the township's, side by side."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core.codes import label_or_code as code_label
from fpdesk.core.i18n import Text, current_language
from fpdesk.gui.clerk.common import (
    RED,
    Clerk,
    ClerkPage,
    ListModel,
    fit_columns,
    local_time,
    say,
    table,
)
from fpdesk.gui.models import ROW_ROLE, Column
from fpdesk.sync import clerk as clerk_tasks
from fpdesk.sync import conflicts, decisions, duplicates, keys, merge, rows
from fpdesk.sync.board import DUPLICATE_KINDS, village_label
from fpdesk.sync.errors import SyncError

KINDS = {
    merge.FIELD: Text("两边都改了", "changed on both sides"),
    merge.DELETE_VS_EDIT: Text("村里删除，乡里修改过", "deleted in the village, edited here"),
    merge.EDIT_OF_DELETED: Text(
        "村里修改了乡里已删除的记录", "village edited a record deleted here"
    ),
    merge.INSERT_CLASH: Text("同一记录两边内容不同", "the same record differs"),
    **duplicates.CONFLICT_KINDS,
}
FIELDS = {
    "name": Text("姓名", "name"),
    "sex": Text("性别", "sex"),
    "birth_date": Text("出生日期", "birth date"),
    "id_number": Text("身份证号", "ID number"),
    "address": Text("地址", "address"),
    "phone": Text("电话", "phone"),
    "note": Text("备注", "note"),
    "deleted": Text("已删除", "deleted"),
    "marital_status": Text("婚姻状况", "marital status"),
    "group_no": Text("组", "group"),
    "residence_status": Text("居住状态", "residence"),
    "household_id": Text("户", "household"),
    "ethnicity": Text("民族", "ethnicity"),
    "relationship": Text("与户主关系", "relationship to the head"),
    "registration_type": Text("户口性质", "registration type"),
    "legacy_id15": Text("旧身份证号（15位）", "old ID number (15 digits)"),
    "residence_place": Text("现居住地", "where living"),
    "residence_since": Text("居住起始", "living there since"),
    "death_date": Text("死亡日期", "date of death"),
    "death_cause": Text("死亡原因", "cause of death"),
}
# Fields holding a code of resources/codes.json: shown by their label.
CODED = (
    "sex",
    "marital_status",
    "relationship",
    "registration_type",
    "residence_status",
    "ethnicity",
)
TABLES = {
    "household": Text("户", "household"),
    "person": Text("人员", "person"),
    "marriage": Text("婚姻", "marriage"),
    "pregnancy": Text("怀孕", "pregnancy"),
    "birth": Text("出生", "birth"),
    "contraception": Text("节育措施", "contraception"),
    "supply": Text("药具", "supply"),
    "visit": Text("随访", "visit"),
    "move": Text("迁移", "move"),
    "certificate": Text("证件", "certificate"),
}


def shown(value: Any) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def field_value(name: str, value: Any) -> str:
    """A field's value as the clerk reads it: codes by their label (the code itself
    only when codes.json does not know it)."""
    if name in CODED and value not in (None, ""):
        return code_label(name, value, current_language())
    return shown(value)


def decided_value(name: str | None, stored: str | None) -> str:
    """The value a decision chose (kept as JSON), as the clerk reads it."""
    if stored is None:
        return ""
    try:
        value = json.loads(stored)
    except ValueError:
        value = stored
    return field_value(name or "", value)


def field_label(name: str) -> str:
    return say(FIELDS[name]) if name in FIELDS else name


class ConflictsPage(ClerkPage):
    changed = Signal()  # a conflict was decided: the queues and the board changed

    def __init__(self, clerk: Clerk, parent: QWidget | None = None) -> None:
        super().__init__(clerk, parent)
        self.villages: dict[str, str] = {}
        self.model = ListModel(self._columns, lambda _r: RED, self)
        self.view = table(self.model)
        self.view.setObjectName("conflicts")
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())

        self.detail = QGroupBox()
        self.what = QLabel()
        self.what.setObjectName("what")
        self.what.setWordWrap(True)
        self.before_title, self.village_title, self.township_title = QLabel(), QLabel(), QLabel()
        self.before, self.theirs, self.ours = QLabel(), QLabel(), QLabel()
        for name, label in (("before", self.before), ("theirs", self.theirs), ("ours", self.ours)):
            label.setObjectName(name)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setStyleSheet("font-size: 15px; padding: 6px; border: 1px solid #bbb;")
            label.setWordWrap(True)
        self.take_village, self.take_township = QRadioButton(), QRadioButton()
        self.take_value = QRadioButton()
        self.take_village.setObjectName("take_village")
        self.take_township.setObjectName("take_township")
        self.take_value.setObjectName("take_value")
        self.choice = QButtonGroup(self)
        for button in (self.take_village, self.take_township, self.take_value):
            self.choice.addButton(button)
        self.value = QLineEdit()
        self.value.setObjectName("value")
        self.value.textEdited.connect(lambda _t: self.take_value.setChecked(True))
        self.reason_label = QLabel()
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.textChanged.connect(self._reason_typed)
        self.resolve_button = QPushButton()
        self.resolve_button.setObjectName("resolve")
        self.resolve_button.clicked.connect(self.resolve_current)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)

        grid = QGridLayout()
        grid.addWidget(self.before_title, 0, 0)
        grid.addWidget(self.village_title, 0, 1)
        grid.addWidget(self.township_title, 0, 2)
        grid.addWidget(self.before, 1, 0)
        grid.addWidget(self.theirs, 1, 1)
        grid.addWidget(self.ours, 1, 2)
        grid.addWidget(self.take_village, 2, 1)
        grid.addWidget(self.take_township, 2, 2)
        other = QHBoxLayout()
        other.addWidget(self.take_value)
        other.addWidget(self.value, 1)
        reason_row = QHBoxLayout()
        reason_row.addWidget(self.reason_label)
        reason_row.addWidget(self.reason, 1)
        reason_row.addWidget(self.resolve_button)
        inner = QVBoxLayout(self.detail)
        inner.addWidget(self.what)
        inner.addLayout(grid)
        inner.addLayout(other)
        inner.addLayout(reason_row)
        inner.addWidget(self.message)
        inner.addStretch(1)

        self.history_title = QLabel()
        self.history_model = ListModel(self._history_columns, None, self)
        self.history_view = table(self.history_model)
        self.history_view.setObjectName("decided")
        history = QWidget()
        history_layout = QVBoxLayout(history)
        history_layout.setContentsMargins(0, 0, 0, 0)
        history_layout.addWidget(self.history_title)
        history_layout.addWidget(self.history_view)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(self.detail)
        split.addWidget(history)
        split.setSizes([180, 300, 140])
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(split, 1)
        self.retranslate()
        self._show_current()

    def _columns(self) -> list[Column]:
        return [
            Column(self.tr("Village"), lambda c: self.villages.get(c["device_id"], "")),
            Column(
                self.tr("Record"),
                lambda c: f"{say(TABLES.get(c['tbl'], Text(c['tbl'], c['tbl'])))} {c['label']}",
            ),
            Column(self.tr("Field"), lambda c: field_label(c["field"])),
            Column(
                self.tr("What happened"),
                lambda c: say(KINDS.get(c["kind"], Text(c["kind"], c["kind"]))),
            ),
            Column(self.tr("Village's value"), lambda c: field_value(c["field"], c["theirs"])),
            Column(self.tr("Township's value"), lambda c: field_value(c["field"], c["ours"])),
        ]

    def _history_columns(self) -> list[Column]:
        return [
            Column(self.tr("Decided"), lambda d: local_time(d["at"])),
            Column(self.tr("By"), lambda d: d["actor"] or ""),
            Column(self.tr("Record"), lambda d: d["label"]),
            Column(self.tr("Field"), lambda d: field_label(d["field"] or "")),
            Column(self.tr("Value taken"), self._kept),
            Column(self.tr("Reason"), lambda d: d["reason"]),
        ]

    def _kept(self, d: dict[str, Any]) -> str:
        how = {
            "village": self.tr("the village's value"),
            "township": self.tr("the township's value"),
            "value": self.tr("another value"),
        }.get(d["resolution"] or "", d["resolution"] or "")
        value = decided_value(d["field"], d["value"])
        return f"{how}: {value}" if value else how

    def intro_text(self) -> str:
        return self.tr(
            "A conflict is a field that both the village and the township changed since "
            "they last agreed. Compare the three values, take one or type another, and "
            "say why. The value that loses stays in the record's history, and your "
            "decision goes back to the village in its next update bundle."
        )

    def retranslate_controls(self) -> None:
        self.detail.setTitle(self.tr("Decide"))
        self.before_title.setText(self.tr("Before (both agreed)"))
        self.village_title.setText(self.tr("The village's value"))
        self.township_title.setText(self.tr("The township's value"))
        self.take_village.setText(self.tr("Take the village's value"))
        self.take_township.setText(self.tr("Keep the township's value"))
        self.take_value.setText(self.tr("Another value:"))
        self.reason_label.setText(self.tr("Reason"))
        self.reason.setPlaceholderText(self.tr("e.g. checked with the officer by phone"))
        self.resolve_button.setText(self.tr("Decide"))
        self.history_title.setText(self.tr("Decided conflicts (who, when, why)"))

    def refresh(self) -> None:
        register = self.clerk.register
        self.villages = {
            p["device_id"]: village_label(register, p["area_code"]) for p in keys.peers(register)
        }
        found = [c for c in conflicts.open_conflicts(register) if c["kind"] not in DUPLICATE_KINDS]
        for c in found:
            row = rows.get_row(register, c["tbl"], c["row_id"]) or {}
            c["label"] = row.get("name") or row.get("code") or c["row_id"][:8]
        self.model.set_rows(found)
        fit_columns(self.view)
        if found:
            self.view.selectRow(0)
        self._show_current()
        self.refresh_history()

    def models(self) -> list[ListModel]:
        return [self.model, self.history_model]

    def refresh_history(self) -> None:
        """The conflicts decided so far, the latest first."""
        register = self.clerk.register
        done = decisions.history(register, [decisions.CONFLICT])[::-1]
        for d in done:
            row = rows.get_row(register, d["tbl"], d["row_id"]) if d["tbl"] else None
            table_name = say(TABLES.get(d["tbl"] or "", Text(d["tbl"] or "", d["tbl"] or "")))
            label = (row or {}).get("name") or (row or {}).get("code") or d["row_id"][:8]
            d["label"] = f"{table_name} {label}"
        self.history_model.set_rows(done)
        fit_columns(self.history_view)

    def _reason_typed(self, text: str) -> None:
        """The request for a reason goes as soon as one is being typed."""
        if text.strip() and self.message.styleSheet():
            self.message.setText("")
            self.message.setStyleSheet("")

    def current(self) -> dict[str, Any] | None:
        index = self.view.currentIndex()
        found = index.data(ROW_ROLE) if index.isValid() else None
        return found if isinstance(found, dict) else None

    def _show_current(self) -> None:
        c = self.current()
        self.detail.setEnabled(c is not None)
        if c is None:
            for label in (self.before, self.theirs, self.ours):
                label.setText("")
            self.value.clear()  # nothing typed stays behind a decision made
            self.reason.clear()
            self.what.setText(
                self.tr("No conflict is waiting.") if not self.model.rowCount() else ""
            )
            return
        self.what.setText(
            self.tr("{0} {1}, field “{2}”: {3}. From village {4}, change {5}.").format(
                say(TABLES.get(c["tbl"], Text(c["tbl"], c["tbl"]))),
                c["label"],
                field_label(c["field"]),
                say(KINDS.get(c["kind"], Text(c["kind"], c["kind"]))),
                self.villages.get(c["device_id"], ""),
                c["seq"],
            )
        )
        self.before.setText(field_value(c["field"], c["base"]))
        self.theirs.setText(field_value(c["field"], c["theirs"]))
        self.ours.setText(field_value(c["field"], c["ours"]))
        self.take_village.setChecked(True)
        self.value.clear()
        self.reason.clear()
        self.message.setText("")

    def resolve_current(self) -> bool:
        c = self.current()
        if c is None:
            return False
        if self.take_village.isChecked():
            take, value = "village", None
        elif self.take_township.isChecked():
            take, value = "township", None
        else:
            take, value = "value", conflicts.parse_value(self.value.text())
        try:
            clerk_tasks.resolve(
                self.clerk.register,
                c["id"],
                take,
                value,
                reason=self.reason.text(),
                has_value=take == "value",
            )
        except SyncError as exc:
            self.message.setText(say(exc.text))
            self.message.setStyleSheet("color: #b3261e;")
            return False
        self.refresh()
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Decided. It goes to the village in its next update bundle."))
        self.changed.emit()
        return True
