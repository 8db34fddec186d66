"""How a form lays out its fields: label, widget and error under it, in a scroll area
as tall as they need; Tab in the order shown; as wide as the fields need."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QWidget

from fpdesk.gui.forms.base.editors import EDITORS, Editor
from fpdesk.gui.forms.base.fields import Field, tr


class FittingScrollArea(QScrollArea):
    """As tall as the fields need, up to most of the screen; beyond that it scrolls.

    A household of eight members still fits a 1366x768 screen, with Save in view.
    """

    def __init__(self, content: QWidget) -> None:
        super().__init__()
        self.setWidget(content)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def sizeHint(self) -> QSize:
        wanted = self.widget().sizeHint()
        screen = self.screen().availableGeometry().height() if self.screen() else 768
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(wanted.width() + bar, min(wanted.height(), int(screen * 0.7)))


class FormLayout:
    """Fields placed on the form and the form sized to them (a part of FormDialog)."""

    def add_fields(self, specs: Sequence[Field], prefix: str = "") -> list[Editor]:
        made = []
        for spec in specs:
            if prefix:
                spec = Field(
                    prefix + spec.name,
                    spec.label,
                    spec.kind,
                    spec.table,
                    spec.required,
                    spec.default,
                    spec.choices,
                )
            editor = EDITORS[spec.kind](spec)
            label = QLabel(tr(spec.label) + (" *" if spec.required else ""))
            label.setBuddy(editor.widget)
            self.grid.addWidget(label, self._rows, 0, Qt.AlignmentFlag.AlignRight)
            self.grid.addWidget(editor.widget, self._rows, 1)
            self.grid.addWidget(editor.error, self._rows + 1, 1)
            if self.isVisible():  # added to an open form: show now, so it can take focus
                label.show()
                editor.widget.show()
                self.scroll.widget().adjustSize()
                self.scroll.updateGeometry()
                self.adjustSize()
                # After the layout has placed the new field, not before.
                QTimer.singleShot(0, lambda w=editor.widget: self.scroll.ensureWidgetVisible(w))
            self._rows += 2
            self._wire(editor)
            self.editors[spec.name] = editor
            made.append(editor)
        return made

    def _wire(self, editor: Editor) -> None:
        spec = editor.spec
        if spec.default is not None:
            editor.set_value(spec.default)
        editor.on_change(lambda *_, name=spec.name: self._edited(name))
        # Leaving a field checks it (eventFilter); Ctrl+Enter saves from a note.
        editor.widget.installEventFilter(self)
        if spec.kind == "id_number":
            editor.on_change(lambda *_, name=spec.name: self._id_typed(name))

    def add_section(self, title: str) -> None:
        heading = QLabel(f"<b>{title}</b>")
        self.grid.addWidget(heading, self._rows, 0, 1, 2)
        self._rows += 1

    def fix_tab_order(self) -> None:
        """Tab goes down the form in the order the fields are shown, then to the buttons."""
        chain = [editor.widget for editor in self.editors.values()]
        chain += [self.save_button, self.cancel_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_width()

    def _fit_width(self) -> None:
        """As wide as the fields need (within the screen), so nothing is cut off at the
        right: wider text (a laptop's 125 % scaling, another font) widens the fields
        after the dialog took its first size, and the form never scrolls sideways."""
        content = self.scroll.widget().minimumSizeHint().width()
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        margins = self._layout.contentsMargins()
        needed = content + bar + margins.left() + margins.right() + 2 * self.scroll.frameWidth()
        room = self.screen().availableGeometry().width() if self.screen() else 1366
        if needed > self.width():
            self.resize(min(needed, room), self.height())

    def make_room(self) -> None:
        """Grow (never shrink) to what the layout now needs, within the screen: a message
        that appeared below the fields must not squeeze them into a smaller scroll."""
        if not self.isVisible():
            return
        needed = self.sizeHint().height()
        screen = self.screen().availableGeometry().height() if self.screen() else 768
        height = min(needed, screen - 48)
        if height > self.height():
            self.resize(self.width(), height)

    def _scroll_to(self, editor: Editor) -> None:
        if not self.isVisible():
            return
        self.scroll.widget().adjustSize()
        self.scroll.ensureWidgetVisible(editor.error, 0, 10)
        self.scroll.ensureWidgetVisible(editor.widget, 0, 10)
