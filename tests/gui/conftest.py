"""GUI fixtures: settings and logs in tmp_path, a small filled register, the main window.

Qt runs offscreen (tests/conftest.py); pytest-qt provides the one QApplication.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from fpdesk.core.clock import FixedClock
from fpdesk.store import operations
from fpdesk.store.db import Register

TODAY = dt.date(2026, 11, 28)
# Valid ID numbers for the village's people (checksums computed by core.idnumber).
ZHANG_SAN_ID = "450102198003150017"


def type_text(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type like an officer: letters on the keyboard, Chinese through the input method
    (QTest cannot press keys for characters outside ASCII)."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            event = QInputMethodEvent()
            event.setCommitString(ch)
            QApplication.sendEvent(widget, event)




@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TODAY)


def _id(birth: str, sequence: int) -> str:
    from fpdesk.core.idnumber import check_char

    first17 = f"450102{birth.replace('-', '')}{sequence:03d}"
    return first17 + check_char(first17)


@pytest.fixture
def filled_register(register: Register, clock: FixedClock) -> Register:
    """Three households in two groups.

    李秀英 had an IUD inserted in April: her 6-month follow-up (October) is overdue.
    """
    people = {
        "01": [
            [
                ("张三", 1, "1980-03-15", 0, 20),
                ("李秀英", 2, "1985-07-02", 1, 20),
                ("张小明", 1, "2012-09-10", 2, 10),
            ],
            [("王建国", 1, "1950-01-20", 0, 20), ("赵桂兰", 2, "1952-05-05", 1, 20)],
        ],
        "02": [[("欧阳娜娜", 2, "1995-11-11", 0, 10)]],
    }
    sequence = 1
    for group, households in people.items():
        for members in households:
            rows = []
            for name, sex, birth, relationship, marital in members:
                sequence += 2
                rows.append(
                    {
                        "name": name,
                        "sex": sex,
                        "birth_date": birth,
                        "relationship": relationship,
                        "marital_status": marital,
                        "id_number": _id(birth, sequence if sex == 1 else sequence + 1),
                    }
                )
            operations.add_household(
                register,
                {"group_no": int(group), "address": f"幸福路{sequence}号"},
                rows,
                clock=clock,
            )
    woman = register.query("SELECT id FROM person WHERE name = '李秀英'")[0]["id"]
    operations.start_contraception(
        register, woman, {"method": "iud", "started_on": "2026-04-15"}, clock=clock
    )
    return register


@pytest.fixture
def prefs(user_folders: Path) -> Iterator[object]:
    from fpdesk.gui.settings import Settings

    yield Settings()


@pytest.fixture
def main_window(qtbot, filled_register: Register, prefs, clock):  # type: ignore[no-untyped-def]
    from fpdesk.gui.mainwindow import MainWindow

    window = MainWindow(filled_register, prefs, clock)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.locker.stop()
