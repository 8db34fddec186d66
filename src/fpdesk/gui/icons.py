"""The hand-written SVG icons in fpdesk/resources/icons."""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtGui import QIcon


@cache
def icon(name: str) -> QIcon:
    path = resources.files("fpdesk") / "resources" / "icons" / f"{name}.svg"
    if not path.is_file():
        raise KeyError(f"no icon named {name!r}")
    return QIcon(str(path))
