"""Settings: the window's language, the idle time before the register locks, and the
area's usual ethnicity (kept in the register: it preselects the person forms)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core import codes
from fpdesk.gui.settings import Settings
from fpdesk.store import operations
from fpdesk.store.db import Register


class SettingsDialog(QDialog):
    def __init__(
        self, prefs: Settings, parent: QWidget | None = None, register: Register | None = None
    ) -> None:
        super().__init__(parent)
        self.prefs = prefs
        self.register = register
        self.language = QComboBox()
        self.language.setObjectName("language")
        # Each language is named in itself, so an officer who cannot read the current
        # language still finds her own.
        self.language.addItem("中文", "zh")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(self.language.findData(prefs.language), 0))
        self.lock_minutes = QSpinBox()
        self.lock_minutes.setObjectName("lock_minutes")
        self.lock_minutes.setRange(0, 240)
        self.lock_minutes.setValue(prefs.lock_minutes)
        self.form = QFormLayout()
        self.form.addRow(QLabel(), self.language)
        self.form.addRow(QLabel(), self.lock_minutes)
        self.ethnicity = QComboBox()
        self.ethnicity.setObjectName("ethnicity")
        if register is not None:
            self.ethnicity.addItem("", None)  # none: every form asks with nothing chosen
            for code in codes.codes("ethnicity"):
                self.ethnicity.addItem(f"{code} {codes.label('ethnicity', code)}", code)
            usual = operations.area_ethnicity(register)
            self.ethnicity.setCurrentIndex(max(self.ethnicity.findData(usual), 0))
            self.form.addRow(QLabel(), self.ethnicity)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(buttons)
        self.setWindowTitle(self.tr("Settings"))
        self._label(self.language).setText(self.tr("Language / 语言"))
        self._label(self.lock_minutes).setText(self.tr("Lock after idle minutes"))
        if register is not None:
            self._label(self.ethnicity).setText(self.tr("Usual ethnicity in this area"))
            self.ethnicity.setToolTip(
                self.tr("Preselected on new persons; leave empty where people differ.")
            )
        self.lock_minutes.setSpecialValueText(self.tr("never"))
        self.lock_minutes.setSuffix(self.tr(" min"))

    def _label(self, field: QWidget) -> QLabel:
        label = self.form.labelForField(field)
        assert isinstance(label, QLabel)
        return label

    def accept(self) -> None:
        self.prefs.language = str(self.language.currentData())
        self.prefs.lock_minutes = self.lock_minutes.value()
        if self.register is not None:
            usual = self.ethnicity.currentData()
            if usual != operations.area_ethnicity(self.register):
                operations.set_area_ethnicity(self.register, usual)
        super().accept()
