"""The villages board of a township restored from a backup: it says so, and which
villages have still to send again what the restore lost."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from PySide6.QtCore import Qt

from fpdesk.core.clock import FixedClock
from fpdesk.gui import i18n
from fpdesk.gui.clerk import ClerkWorkspace
from fpdesk.store import backup
from fpdesk.store.db import open_register
from tests.conftest import PASSPHRASE
from tests.sync.helpers import World, add_household, restore_township, send


def test_the_board_says_the_register_was_restored_and_who_is_to_send_again(  # type: ignore[no-untyped-def]
    qtbot, qapp, world3: World, prefs, tmp_path: Path
) -> None:
    made = backup.create(world3.township, tmp_path / "backups")
    for village in world3.villages.values():
        add_household(village, 1)
        send(village, world3.township, tmp_path / f"up-{village.area_code}")
    t = restore_township(world3, made)
    assert i18n.install(qapp, "zh")
    try:
        view = ClerkWorkspace(
            t,
            prefs,
            FixedClock(dt.date(2026, 12, 8)),
            opener=lambda: open_register(t.path, PASSPHRASE),
        )
        qtbot.addWidget(view)
        view.resize(1200, 760)
        view.show()
        page = view.board
        page.refresh()
        assert "备份恢复" in page.summary.text() and "尚待重新发送" in page.summary.text()
        headers = [
            page.model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
            for c in range(page.model.columnCount())
        ]
        sequence = headers.index(page.tr("Sequence"))
        cells = [
            page.model.index(n, sequence).data(Qt.ItemDataRole.DisplayRole)
            for n in range(page.model.rowCount())
        ]
        assert cells and all("恢复后待重新发送" in c for c in cells)
        page.grab().save(os.environ.get("FPDESK_SHOT", str(tmp_path / "board.png")))

        # One village takes the township's update and sends again: no longer waited for.
        first = world3.villages[sorted(world3.villages)[0]]
        send(t, first, tmp_path / "down")
        [back] = send(first, t, tmp_path / "again")
        assert back.outcome == "accepted" and back.applied == 1
        page.refresh()
        waiting = [r.code for r in page.rows if r.resend_awaited]
        assert waiting == sorted(world3.villages)[1:]
    finally:
        i18n.install(qapp, "en")
