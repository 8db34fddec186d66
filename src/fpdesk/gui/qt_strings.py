"""Qt's own strings that qtbase_zh_CN.qm (shipped with PySide6) leaves in English.

Qt 6 changed a few source texts of its file dialog ("&Look in:", "Files of &type:")
and the Chinese catalogue was not updated, so an officer saw English labels in a
Chinese dialog.  Declaring them here puts them, under Qt's own contexts, into
translations/fpdesk_zh_CN.ts; our translator then answers where Qt's has nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

QT_OWN = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Directory"),
    QT_TRANSLATE_NOOP("QFileDialog", "Computer"),
    QT_TRANSLATE_NOOP("QCalendarWidget", "Today"),
    QT_TRANSLATE_NOOP("QCalendarWidget", "Week"),
)
