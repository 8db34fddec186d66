"""Windows sized for the screen they open on: a 1366x768 laptop is the common case."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

TASK_BAR = 48  # what a Windows task bar and the title bar take from the height


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize to width x height, or less where the screen is smaller."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, room.width())
        height = min(height, room.height() - TASK_BAR)
    widget.resize(width, height)
