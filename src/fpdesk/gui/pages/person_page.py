"""The person page: who she is, and her timeline; its Record… menu opens the forms."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QTableView, QToolButton, QWidget

from fpdesk.core.clock import Clock
from fpdesk.core.codes import label_or_code
from fpdesk.core.i18n import current_language
from fpdesk.core.idnumber import mask_id_number
from fpdesk.gui.icons import icon
from fpdesk.gui.models import Column, RowsModel
from fpdesk.gui.pages.record_page import RecordPage, make_table
from fpdesk.store.db import Register
from fpdesk.store.reading import persons, timelines
from fpdesk.store.reading.timelines import Event

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
