"""Settings: the window's language and the idle time before the register locks."""

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

from fpdesk.gui.settings import Settings


class SettingsDialog(QDialog):
    def __init__(self, prefs: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prefs = prefs
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
        self.lock_minutes.setSpecialValueText(self.tr("never"))
        self.lock_minutes.setSuffix(self.tr(" min"))

    def _label(self, field: QWidget) -> QLabel:
        label = self.form.labelForField(field)
        assert isinstance(label, QLabel)
        return label

    def accept(self) -> None:
        self.prefs.language = str(self.language.currentData())
        self.prefs.lock_minutes = self.lock_minutes.value()
        super().accept()
