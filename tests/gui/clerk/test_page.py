"""The base of the clerk's pages (gui/clerk/page.py): a decision refused says why in red
and changes nothing, one taken reads the page again and tells the workspace; one piece
of work on a worker at a time; a reason typed clears the request for it."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from PySide6.QtWidgets import QLineEdit

from fpdesk.core.clock import FixedClock
from fpdesk.core.i18n import Text
from fpdesk.gui.clerk.common import Clerk
from fpdesk.gui.clerk.page import ERROR_STYLE, ClerkPage
from fpdesk.gui.models import Column
from fpdesk.store.db import Register
from fpdesk.sync.errors import SyncError


class NotesPage(ClerkPage):
    """A page of notes: one table, a reason, a message."""

    def __init__(self, clerk: Clerk) -> None:
        super().__init__(clerk)
        self.refreshed = 0
        self.notes: list[str] = []
        self.model, self.view = self.list_view("notes", self._columns)
        self.reason = QLineEdit()
        self.reason.textChanged.connect(self.forget_error)
        self.message = self.note("message")
        self.save_button = self.button("save", self.save)
        self.lay_out((self.view, 1), self.row(self.reason, None, self.save_button), self.message)
        self.retranslate()

    def _columns(self) -> list[Column]:
        return [Column("Note", lambda row: row["note"])]

    def refresh(self) -> None:
        self.refreshed += 1
        rows = [{"id": str(n), "note": note} for n, note in enumerate(self.notes)]
        self.fill(self.view, self.model, rows, select=True)

    def save(self) -> bool:
        return self.act(self._write, lambda note: f"Saved: {note}")

    def _write(self) -> str:
        if not self.reason.text().strip():
            raise SyncError(Text("请写明理由。", "Write the reason first."))
        self.notes.append(self.reason.text())
        return self.reason.text()


def _page(qtbot: Any, register: Register, prefs: Any) -> NotesPage:
    page = NotesPage(Clerk(register, prefs, FixedClock(dt.date(2026, 12, 8))))
    qtbot.addWidget(page)
    return page


def test_a_refused_decision_says_why_in_red_and_changes_nothing(
    qtbot: Any, register: Register, prefs: Any
) -> None:
    page = _page(qtbot, register, prefs)
    with qtbot.assertNotEmitted(page.changed):
        page.save_button.click()
    assert not page.notes
    assert page.message.text() == "请写明理由。"  # the Chinese UI, the plain message
    assert page.message.styleSheet() == ERROR_STYLE
    assert page.refreshed == 0
    page.reason.setText("电话核实")  # typing the reason takes the request away
    assert page.message.text() == "" and page.message.styleSheet() == ""


def test_a_decision_taken_reads_the_page_again_and_tells_the_workspace(
    qtbot: Any, register: Register, prefs: Any
) -> None:
    page = _page(qtbot, register, prefs)
    page.reason.setText("电话核实")
    with qtbot.waitSignal(page.changed):
        assert page.save()
    assert page.refreshed == 1 and page.model.rowCount() == 1
    assert page.chosen(page.view, dict) == {"id": "0", "note": "电话核实"}
    assert page.chosen(page.view, list) is None  # not the kind asked for
    assert page.message.text() == "Saved: 电话核实" and page.message.styleSheet() == ""
    assert page.findChild(QLineEdit) is page.reason  # laid out on the page


def test_one_piece_of_work_at_a_time_and_then_the_next(
    qtbot: Any, register: Register, prefs: Any
) -> None:
    page = _page(qtbot, register, prefs)
    release = threading.Event()
    results: list[Any] = []
    overs: list[object] = []

    def work(_progress: Any) -> int:
        release.wait(30)
        return 42

    first = page.start_work(work, on_done=results.append, on_over=overs.append, show_progress=False)
    assert first is not None and page.task is first
    assert page.start_work(work, on_done=results.append, show_progress=False) is None
    release.set()
    qtbot.waitUntil(lambda: page.task is None, timeout=30_000)
    assert results == [42] and overs == [42]
    again = page.start_work(lambda _p: "again", on_done=results.append, show_progress=False)
    assert again is not None
    qtbot.waitUntil(lambda: page.task is None, timeout=30_000)
    assert results == [42, "again"]
