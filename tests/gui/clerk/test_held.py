"""Held forks in the clerk's window: from the villages board to the held list, then
apply or discard, each after a confirmation, as the clerk would click it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox

from fpdesk.gui.clerk import ClerkWorkspace
from fpdesk.gui.clerk.held_page import HeldPage
from fpdesk.store import records
from fpdesk.sync import conflicts, held, keys, ledger
from tests.gui.conftest import type_text
from tests.sync.helpers import World
from tests.sync.test_held import make_fork

YES, NO = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
LEFT = Qt.MouseButton.LeftButton


def _answer(page: HeldPage, button: QMessageBox.StandardButton, seen: dict[str, Any]) -> None:
    """Press a button of the confirmation once it is open (it runs its own loop)."""
    box = page.confirm
    if box is None:
        QTimer.singleShot(10, lambda: _answer(page, button, seen))
        return
    seen.setdefault("questions", []).append(box.text())
    box.button(button).click()


def _in_held_window(qtbot, workspace: ClerkWorkspace, act: Callable[[HeldPage], None]) -> None:  # type: ignore[no-untyped-def]
    """Open the held list from the board's button, do `act` in it, close it."""
    board = workspace.board

    def inside() -> None:
        dialog = board.held_dialog
        if dialog is None:
            QTimer.singleShot(10, inside)
            return
        try:
            act(dialog.page)
        finally:
            qtbot.mouseClick(dialog.close_button, LEFT)

    QTimer.singleShot(0, inside)
    qtbot.mouseClick(board.held_button, LEFT)
    assert board.held_dialog is None  # closed again


def test_from_the_board_the_clerk_looks_then_applies_after_saying_yes(
    qtbot,
    world3: World,
    workspace: ClerkWorkspace,  # type: ignore[no-untyped-def]
) -> None:
    code, ids = make_fork(world3)
    t = world3.township
    workspace.refresh()
    board = workspace.board
    workspace.setCurrentWidget(board)
    assert not board.held_button.isHidden() and "(1)" in board.held_button.text()
    [row] = [r for r in board.rows if r.code == code]
    assert row.held == 1
    seen: dict[str, Any] = {}

    def act(page: HeldPage) -> None:
        seen["rows"] = page.model.rowCount()
        seen["detail"] = page.detail.toPlainText()
        # First the clerk says No: nothing happens.
        QTimer.singleShot(0, lambda: _answer(page, NO, seen))
        qtbot.mouseClick(page.apply_button, LEFT)
        seen["after_no"] = len(held.held_bundles(t))
        QTimer.singleShot(0, lambda: _answer(page, YES, seen))
        qtbot.mouseClick(page.apply_button, LEFT)
        seen["message"] = page.message.text()
        seen["rows_after"] = page.model.rowCount()
        seen["detail_after"] = page.detail.toPlainText()

    _in_held_window(qtbot, workspace, act)
    assert seen["rows"] == 1
    assert ": 111 → 333" in seen["detail"] and " 李梅, " in seen["detail"]
    why, would = seen["detail"].splitlines()[:2]  # why it is held, what applying does
    assert "restored from an old backup" in why or "旧备份" in why
    assert "2" in would
    assert seen["after_no"] == 1
    assert len(seen["questions"]) == 2 and "snapshot" in seen["questions"][0]
    assert "snapshot" in seen["message"] and seen["rows_after"] == 0
    # Written: the clean changes; queued: the phone both sides changed.
    assert records.get(t, "person", ids["person"])["name"] == "王芳芳"
    assert [c["field"] for c in conflicts.open_conflicts(t)] == ["phone"]
    assert keys.peer(t, world3.villages[code].device_id)["revoked_at"] is not None
    # The window caught up: no held bundle, the conflict counted in its tab.
    assert board.held_button.isHidden()
    assert "(1)" in workspace.tabText(workspace.indexOf(workspace.conflicts))


def test_discard_needs_a_reason_then_a_yes(
    qtbot,
    world3: World,
    workspace: ClerkWorkspace,  # type: ignore[no-untyped-def]
) -> None:
    _, ids = make_fork(world3)
    t = world3.township
    workspace.refresh()
    seen: dict[str, Any] = {}

    def act(page: HeldPage) -> None:
        qtbot.mouseClick(page.discard_button, LEFT)  # no reason yet: asked for one
        seen["no_reason"] = page.message.text()
        type_text(qtbot, page.reason, "已经重新录入")
        QTimer.singleShot(0, lambda: _answer(page, YES, seen))
        qtbot.mouseClick(page.discard_button, LEFT)
        seen["message"] = page.message.text()

    _in_held_window(qtbot, workspace, act)
    assert "reason" in seen["no_reason"]
    assert len(seen["questions"]) == 1 and "Nothing in it is written" in seen["questions"][0]
    assert "ledger" in seen["message"]
    assert records.get(t, "person", ids["person"])["name"] == "王芳"
    last = ledger.rows(t)[-1]
    assert (last["kind"], last["outcome"]) == ("release", "refused")
    assert "已经重新录入" in last["reason_zh"]
    assert held.held_bundles(t) == []
