"""An officer's account on a township laptop, in the window: the village tree, the
search box, the work list and the dashboard show the officer's village only, because
the operations behind them narrow (no widget checks anything)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from fpdesk.core.periods import parse_period
from fpdesk.gui import i18n
from fpdesk.store import accounts, keyring
from fpdesk.store.db import Register, create_register
from tests.conftest import PASSPHRASE
from tests.gui.conftest import type_text
from tests.reports import world
from tests.reports.world import TOWNSHIP, VILLAGE_A, VILLAGE_B

OFFICER, OFFICER_PW = "李专干", "officer-pass-1"
ADMIN, ADMIN_PW = "王管理", "admin-pass-1"


@pytest.fixture
def officer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp) -> Iterator[Register]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(keyring, "SCRYPT_N", 2**10)
    path = tmp_path / "township.fpdesk"
    with create_register(path, PASSPHRASE, role="township", area_code=TOWNSHIP) as reg:
        reg.set_actor("文员")
        w = world.build(reg)
        for village, name in ((VILLAGE_A, "甲秀英"), (VILLAGE_B, "乙秀兰")):
            w.household(f"H-{name}", village)
            w.person(name, f"H-{name}", 2, "1992-02-02", marital_status=20)
        accounts.add(reg, ADMIN, "administrator", None, ADMIN_PW)
    with accounts.login(path, ADMIN, ADMIN_PW) as reg:
        accounts.add(reg, OFFICER, "officer", VILLAGE_A, OFFICER_PW)
    assert i18n.install(qapp, "zh")
    reg = accounts.login(path, OFFICER, OFFICER_PW)
    yield reg
    reg.close()
    i18n.install(qapp, "en")


def _save(widget, folder: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    """A picture to look at after a change (tests run offscreen)."""
    assert widget.grab().save(str(folder / name))


def test_officer_window_shows_their_village_only(  # type: ignore[no-untyped-def]
    qtbot, officer: Register, prefs, clock, tmp_path: Path
) -> None:
    from fpdesk.gui.mainwindow import AREA_ROLE, MainWindow

    window = MainWindow(officer, prefs, clock)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    try:
        top = window.tree.topLevelItem(0)
        villages = [top.child(i).data(0, AREA_ROLE)[0] for i in range(top.childCount())]
        assert villages == [VILLAGE_A]
        assert window.households.rowCount() == 9  # the world's 8 in A and 甲秀英's

        window.search.setFocus()
        type_text(qtbot, window.search, "秀")
        qtbot.keyClick(window.search, Qt.Key.Key_Return)
        names = [window.results.index(r, 0).data() for r in range(window.results.rowCount())]
        assert any("甲秀英" in str(n) for n in names)
        assert not any("乙秀兰" in str(n) for n in names), names
        _save(window, tmp_path, "officer-township-search.png")
    finally:
        window.locker.stop()
        window.close()


def test_officer_dashboard_counts_their_village(  # type: ignore[no-untyped-def]
    qtbot, officer: Register, tmp_path: Path
) -> None:
    from fpdesk.gui.dashboard import Dashboard

    board = Dashboard(officer, period=parse_period("2019"))
    qtbot.addWidget(board)
    board.resize(1200, 800)
    board.show()
    qtbot.waitUntil(lambda: board.report is not None, timeout=20_000)
    assert board.report is not None
    assert board.report.areas == (VILLAGE_A,)
    assert board.report.name == "甲村"
    _save(board, tmp_path, "officer-township-dashboard.png")
