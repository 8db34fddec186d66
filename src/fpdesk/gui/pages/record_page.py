"""The household page and the person page: what the officer reads before she writes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core.clock import Clock, SystemClock
from fpdesk.core.codes import label_or_code
from fpdesk.core.i18n import current_language
from fpdesk.core.idnumber import mask_id_number
from fpdesk.gui.icons import icon
from fpdesk.gui.models import ID_ROLE, Column, RowsModel
from fpdesk.store.db import Register
from fpdesk.store.reading import households, persons, timelines
from fpdesk.store.reading.households import Member
from fpdesk.store.reading.timelines import Event

View = TypeVar("View", bound=QTableView)

# The forms an officer opens from a person, in the order of the menu; labels are in
# PersonPage.form_labels() so they are translated.
PERSON_FORMS = (
    "visit",
    "pregnancy",
    "pregnancy_visit",
    "pregnancy_outcome",
    "birth",
    "contraception_start",
    "contraception_stop",
    "supply",
    "fertility",
    "marriage",
    "divorce",
    "move_out",
    "move_return",
    "move_transfer_out",
    "move_transfer_in",
    "move_leave",
    "death",
    "person",
)


def make_table(model: Any, kind: type[View]) -> View:
    """A read-only list: whole rows selected, last column stretched, long text elided."""
    view = kind()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setHighlightSections(False)
    return view


def heading() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setBold(True)
    label.setFont(font)
    return label


def details() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class MembersModel(RowsModel):
    """The people of one household with their markers."""

    def columns(self) -> list[Column]:
        lang = current_language()
        return [
            Column(self.tr("Name"), lambda m: m.name),
            Column(self.tr("Sex"), lambda m: label_or_code("sex", m.sex, lang)),
            Column(self.tr("Age"), lambda m: "" if m.age is None else m.age),
            Column(
                self.tr("Relationship"),
                lambda m: label_or_code("relationship", m.relationship, lang),
            ),
            Column(self.tr("ID number"), lambda m: mask_id_number(m.id_number)),
            Column(self.tr("Notes"), self.markers),
        ]

    def markers(self, m: Member) -> str:
        """What the officer must notice about a member, in a few words."""
        lang = current_language()
        words = []
        if m.dead:
            words.append(self.tr("died"))
        if m.state == "gone" and not m.dead:
            words.append(self.tr("moved away"))
        elif m.state == "float_out":
            words.append(self.tr("living elsewhere"))
        elif m.state == "float_in":
            words.append(self.tr("floating in"))
        if m.childbearing_age:
            words.append(self.tr("childbearing age"))
        if m.pregnant:
            words.append(self.tr("pregnant"))
        if m.method:
            words.append(label_or_code("contraceptive_method", m.method, lang))
        if m.visits_due:
            words.append(self.tr("%n visit(s) due", "", m.visits_due))
        return " · ".join(words)

    def foreground(self, row: Any) -> QColor | None:
        if row.dead:
            return QColor("#777777")
        if row.visits_due:
            return QColor("#b3261e")
        return None


class TimelineModel(RowsModel):
    """Every event of one person, oldest first."""

    def columns(self) -> list[Column]:
        return [
            Column(self.tr("Date"), lambda e: e.on),
            Column(self.tr("Event"), lambda e: self.kind_label(e.kind)),
            Column(self.tr("Details"), self.detail),
        ]

    def detail(self, event: Event) -> str:
        if event.kind == "pregnancy" and event.detail:
            return self.tr("expected {0}").format(event.detail)
        return event.detail

    def row_id(self, row: Any) -> str | None:
        return str(row.row_id)

    def kind_label(self, kind: str) -> str:
        labels = {
            "born": self.tr("Born"),
            "died": self.tr("Died"),
            "married": self.tr("Married"),
            "divorced": self.tr("Divorced"),
            "widowed": self.tr("Widowed"),
            "pregnancy": self.tr("Pregnancy registered"),
            "outcome": self.tr("Pregnancy outcome"),
            "child": self.tr("Gave birth"),
            "method_start": self.tr("Contraception started"),
            "method_stop": self.tr("Contraception stopped"),
            "supply": self.tr("Supplies &handed out"),
            "visit": self.tr("Visit"),
            "move_transfer_in": self.tr("Hukou transferred in"),
            "move_transfer_out": self.tr("Hukou transferred out"),
            "move_float_out": self.tr("Floated out"),
            "move_return": self.tr("Returned"),
            "move_float_in": self.tr("Floated in"),
            "move_leave": self.tr("Left"),
            "certificate": self.tr("Certificate"),
        }
        return labels.get(kind, kind)


class RecordPage(QWidget):
    """A page about one record (a household, a person): its heading, a line of facts, a
    table of its people or events, a row of buttons, and a button for its history.

    The subclasses make the model and the table, and keep every translated text (Qt
    translates by the class that asks)."""

    form_wanted = Signal(str, dict)
    model: RowsModel
    table: QTableView

    def __init__(self, register: Register, clock: Clock | None, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.register = register
        self.clock = clock or SystemClock()
        self.title = heading()
        self.facts = details()
        self.history = QPushButton("")
        self.history.clicked.connect(
            lambda: self.form_wanted.emit("history", {"row_id": self.record_id()})
        )

    def record_id(self) -> str | None:
        """The id of the record shown, whose history the history button opens."""
        raise NotImplementedError

    def lay_out(self, buttons: QHBoxLayout) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.facts)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def show_not_found(self, message: str) -> None:
        self.title.setText(message)
        self.facts.clear()
        self.model.set_rows([])

    def show_record(self, title: str, facts: str, rows: Sequence[Any]) -> None:
        self.title.setText(title)
        self.facts.setText(facts)
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()


class HouseholdPage(RecordPage):
    """One household: who lives there, and what is due."""

    person_chosen = Signal(str)

    def __init__(
        self, register: Register, clock: Clock | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(register, clock, parent)
        self.household_id: str | None = None
        # Visits due per person of a village; the main window shares one cache.
        self.due_counts: Callable[[str], dict[str, int]] = lambda village_code: {}
        self.model = MembersModel(self)
        self.table = make_table(self.model, QTableView)
        self.table.setObjectName("members")
        self.table.doubleClicked.connect(self._open_member)
        self.table.activated.connect(self._open_member)
        self.add_person = QPushButton(icon("add"), "")
        self.add_person.clicked.connect(
            lambda: self.form_wanted.emit("person", {"household_id": self.household_id})
        )
        self.move_in = QPushButton(icon("person"), "")
        self.move_in.clicked.connect(
            lambda: self.form_wanted.emit("move_in", {"household_id": self.household_id})
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_person)
        buttons.addWidget(self.move_in)
        buttons.addWidget(self.history)
        buttons.addStretch(1)
        self.lay_out(buttons)
        self.retranslate()

    def record_id(self) -> str | None:
        return self.household_id

    def retranslate(self) -> None:
        self.add_person.setText(self.tr("Add a person"))
        self.move_in.setText(self.tr("Move in"))
        self.history.setText(self.tr("History"))
        self.model.retranslate()
        if self.household_id:
            self.show_household(self.household_id)

    def show_household(self, household_id: str) -> None:
        self.household_id = household_id
        row = households.household(self.register, household_id)
        if row is None:
            self.show_not_found(self.tr("This household was not found."))
            return
        head = row["head_name"] or self.tr("(no head recorded)")
        lang = current_language()
        lines = [
            self.tr("Group {0}").format(row["group_no"]),
            self.tr("Address: {0}").format(row["address"] or "—"),
            self.tr("Phone: {0}").format(row["phone"] or "—"),
            label_or_code("registration_type", row["registration_type"], lang),
        ]
        due = self.due_counts(row["village_code"])
        self.show_record(
            self.tr("Household {0}: {1}").format(row["code"], head),
            "    ".join(lines),
            households.members_at_a_glance(self.register, household_id, self.clock.today(), due),
        )

    def _open_member(self, index: QModelIndex) -> None:
        person_id = index.data(ID_ROLE)
        if person_id:
            self.person_chosen.emit(str(person_id))


class PersonPage(RecordPage):
    """One person: facts at the top, then everything that happened, oldest first."""

    household_chosen = Signal(str)

    def __init__(
        self, register: Register, clock: Clock | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(register, clock, parent)
        self.person_id: str | None = None
        self.household_id: str | None = None
        self.model = TimelineModel(self)
        self.table = make_table(self.model, QTableView)
        self.table.setObjectName("timeline")
        self.back = QPushButton(icon("household"), "")
        self.back.clicked.connect(
            lambda: self.household_id and self.household_chosen.emit(self.household_id)
        )
        self.record = QToolButton()
        self.record.setIcon(icon("visit"))
        self.record.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.record.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self)
        self.record.setMenu(self.menu)
        buttons = QHBoxLayout()
        buttons.addWidget(self.record)
        buttons.addWidget(self.history)
        buttons.addStretch(1)
        buttons.addWidget(self.back)
        self.lay_out(buttons)
        self.retranslate()

    def record_id(self) -> str | None:
        return self.person_id

    def form_labels(self) -> dict[str, str]:
        """The Record… menu (also Records ▸ For this person), each with its letter."""
        return {
            "visit": self.tr("Service &visit"),
            "pregnancy": self.tr("Register a &pregnancy"),
            "pregnancy_visit": self.tr("Pre&gnancy visit"),
            "pregnancy_outcome": self.tr("Pregnancy &outcome"),
            "birth": self.tr("&Birth"),
            "contraception_start": self.tr("&Start contraception"),
            "contraception_stop": self.tr("S&top contraception"),
            "supply": self.tr("Supplies &handed out"),
            "fertility": self.tr("&Fertility finding"),
            "marriage": self.tr("&Marriage"),
            "divorce": self.tr("&Divorce"),
            "move_out": self.tr("Float o&ut"),
            "move_return": self.tr("&Return"),
            "move_transfer_out": self.tr("Tr&ansfer the hukou out"),
            "move_transfer_in": self.tr("Transfer the hukou &in"),
            "move_leave": self.tr("&Left (floating-in person)"),
            "death": self.tr("D&eath"),
            "person": self.tr("&Correct this person's details"),
        }

    def retranslate(self) -> None:
        self.back.setText(self.tr("Back to the household"))
        self.record.setText(self.tr("Record…"))
        self.history.setText(self.tr("History"))
        self.menu.clear()
        labels = self.form_labels()
        for kind in PERSON_FORMS:
            action = self.menu.addAction(labels[kind])
            action.setData(kind)
            action.triggered.connect(lambda _=False, k=kind: self._want(k))
        self.model.retranslate()
        if self.person_id:
            self.show_person(self.person_id)

    def _want(self, kind: str) -> None:
        self.form_wanted.emit(
            kind, {"person_id": self.person_id, "household_id": self.household_id}
        )

    def show_person(self, person_id: str) -> None:
        self.person_id = person_id
        row = persons.person(self.register, person_id)
        if row is None:
            self.show_not_found(self.tr("This person was not found."))
            return
        self.household_id = row["household_id"]
        lang = current_language()
        today = self.clock.today()
        age = persons.age_on(row["birth_date"], today)
        lines = [
            self.tr("Born {0}").format(row["birth_date"]),
            self.tr("ID {0}").format(mask_id_number(row["id_number"]) or "—"),
            label_or_code("marital_status", row["marital_status"], lang),
            label_or_code("residence_status", row["residence_status"], lang),
            self.tr("Household {0}, {1}").format(row["household_code"], row["address"] or "—"),
        ]
        self.show_record(
            self.tr("{0}, {1}, {2} years").format(
                row["name"],
                label_or_code("sex", row["sex"], lang),
                "—" if age is None else age,
            ),
            "    ".join(x for x in lines if x),
            timelines.timeline(self.register, person_id, lang),
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Backspace and self.household_id:
            self.household_chosen.emit(self.household_id)
            return
        super().keyPressEvent(event)
