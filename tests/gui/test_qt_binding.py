"""The Qt binding fpdesk runs on keeps Python's reference counts right.

PySide6 6.12.0 on Python 3.11 dropped one reference to None on every Qt call that
returns nothing (QLabel.setText, processEvents...): a window used for a working day
made millions of such calls, and Python aborted with "none_dealloc".  On 3.12 and
newer None is immortal and the count does not move either way.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_qt_calls_returning_nothing_leave_nones_count_alone(qtbot) -> None:  # type: ignore[no-untyped-def]
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for n in range(1000):
        label.setText(str(n))
    after = sys.getrefcount(None)
    assert after >= before - 10, f"None lost {before - after} references in 1000 calls"
