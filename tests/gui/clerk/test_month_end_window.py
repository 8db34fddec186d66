"""The clerk's whole month end through the main window's township menu, in Chinese,
on a register without accounts and on one with accounts.

Three village laptops send real signed, encrypted bundles (a conflict, a person
entered twice, a gap) and a copy damaged on the stick.  The clerk imports the folder,
reads the villages board, decides the conflict, merges the duplicate, undoes the
merge with a reason and merges again, sends updates back, imports a second time and
prints the receipt of the first run.  The background work opens its own connections
the window's own way (no test opener).  The folder and save dialogs are answered by
replacing gui.file_dialogs._run (the only thing not driven by a real click).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QLabel

from fpdesk.core.clock import FixedClock
from fpdesk.gui import file_dialogs, i18n
from fpdesk.gui.clerk import ClerkWorkspace
from fpdesk.gui.clerk.common import RED
from fpdesk.gui.mainwindow import MainWindow
from fpdesk.store import accounts, areas, keyring, records
from fpdesk.store.db import Register, open_register
from fpdesk.sync import bundles, decisions
from tests.conftest import PASSPHRASE
from tests.gui.clerk.test_month_end import month_of_bundles
from tests.gui.conftest import type_text
from tests.reports.pdf.conftest import flat, pdf_text
from tests.sync.helpers import World

TOWNSHIP_NAME = "三塘镇"
VILLAGE_NAMES = ["那况村", "石埠村", "沙井村"]
ADMIN, ADMIN_PW = "王管理", "admin-pass-1"
CLERK, CLERK_PW = "张文书", "clerk-pass-1"


def name_the_areas(t: Register) -> dict[str, str]:
    """The township's area list, as the clerk types it once."""
    codes = sorted(
        str(r["area_code"])
        for r in t.query("SELECT area_code FROM sync_device WHERE role='village'")
    )
    areas.set_name(t, t.area_code, TOWNSHIP_NAME)
    for code, name in zip(codes, VILLAGE_NAMES, strict=True):
        areas.set_name(t, code, name)
    return dict(zip(codes, VILLAGE_NAMES, strict=True))


def damaged_copy(folder: Path, village_code: str) -> Path:
    """One village's bundle, copied again to the stick and damaged on the way."""
    source = next(p for p in sorted(folder.glob("*.fpb")) if p.name.startswith(village_code))
    data = bytearray(source.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target = folder / (source.stem[:-8] + "damaged.fpb")
    target.write_bytes(bytes(data))
    return target


def with_accounts(world: World) -> Register:
    """The township register turned over to accounts, opened by the clerk's account."""
    path = world.township.path
    world.township.close()
    with open_register(path, PASSPHRASE) as reg:
        accounts.add(reg, ADMIN, "administrator", None, ADMIN_PW)
    with accounts.login(path, ADMIN, ADMIN_PW) as admin:
        accounts.add(admin, CLERK, "clerk", admin.area_code, CLERK_PW)
    clerk = accounts.login(path, CLERK, CLERK_PW)
    world.township = clerk
    return clerk


class Dialogs:
    """Answers for the window's file dialogs, in the order they are asked."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.folders: list[Path] = []
        self.saves: list[Path] = []
        self.opened: list[str] = []
        # Every dialog of the window runs through gui.file_dialogs._run: answered here.
        monkeypatch.setattr(file_dialogs, "_run", self._answer)
        monkeypatch.setattr(
            QDesktopServices,
            "openUrl",
            staticmethod(lambda url: self.opened.append(url.toLocalFile())),
        )

    def _answer(self, dialog: QFileDialog) -> str:
        if dialog.fileMode() == QFileDialog.FileMode.Directory:
            return str(self.folders.pop(0))
        return str(self.saves.pop(0))


@pytest.fixture
def zh(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    assert i18n.install(qapp, "zh")  # the clerk works in Chinese
    yield
    i18n.install(qapp, "en")


@pytest.fixture(params=["passphrase", "accounts"])
def kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(keyring, "SCRYPT_N", 2**10)  # accounts: a cheap key derivation
    return str(request.param)


def _wait(qtbot, page: Any) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: page.task is None, timeout=60_000)


def test_the_month_end_through_the_township_menu(  # type: ignore[no-untyped-def]
    qtbot, zh, kind: str, world3: World, prefs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, c = (world3.villages[code] for code in sorted(world3.villages))
    folder = tmp_path / "usb"
    made = month_of_bundles(world3, folder)
    names = name_the_areas(world3.township)
    damaged = damaged_copy(folder, a.area_code)
    t = with_accounts(world3) if kind == "accounts" else world3.township
    if kind == "passphrase":
        t.set_actor("文员")
    clerk_name = CLERK if kind == "accounts" else "文员"
    dialogs = Dialogs(monkeypatch)
    window = MainWindow(t, prefs, FixedClock(dt.datetime.now().replace(microsecond=0)))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    assert "乡镇级" in window.windowTitle() and "村级" not in window.windowTitle()
    assert TOWNSHIP_NAME in window.where.text()
    menu = window.clerk_menu
    assert menu is not None

    # Import the stick: one row per file, villages by name, the damaged copy refused.
    dialogs.folders.append(folder)
    menu.import_bundles.trigger()
    workspace = window.clerk
    assert isinstance(workspace, ClerkWorkspace)
    page = workspace.importing
    assert workspace.currentWidget() is page and page.task is not None
    _wait(qtbot, page)
    got = {r["file"]: r for r in page.model.rows()}
    assert len(got) == 4
    assert got[damaged.name]["outcome"] == "refused"
    # The damaged copy's village comes from its file name: shown, marked unverified.
    assert got[damaged.name]["village_code"] == a.area_code
    assert got[damaged.name]["village"] == f"{names[a.area_code]}（按文件名，未核实）"
    assert {names[r["village_code"]] for r in got.values()} == set(VILLAGE_NAMES)

    # The board: names, the refused file in red with its reason, the file that
    # delivered, the duplicate on both of its villages.
    menu.show_board.trigger()
    assert workspace.currentWidget() is workspace.board
    board = workspace.board
    rows = {r.code: r for r in board.rows}
    row_a = sorted(rows).index(a.area_code)
    assert board.model.index(row_a, 0).data() == names[a.area_code]
    assert board.model.index(row_a, 1).data() == a.area_code  # the code beside, in grey
    assert board.model.index(row_a, 3).data() != damaged.name  # the file that delivered
    assert board.model.index(row_a, board.model.columnCount() - 1).data() == "拒收 1"
    assert f"{names[a.area_code]} · {damaged.name}（拒收）：" in board.problems.text()
    assert "包文件已损坏" in board.problems.text()  # the reason
    assert board.model.index(row_a, 0).data(Qt.ItemDataRole.ForegroundRole).color() == RED
    assert rows[a.area_code].open_duplicates == 1 == rows[b.area_code].open_duplicates
    assert names[a.area_code] in board.summary.text()

    # The conflict: a reason is asked for, and the request goes as one is typed.
    menu.show_conflicts.trigger()
    page = workspace.conflicts
    assert workspace.currentWidget() is page
    assert workspace.tabText(workspace.indexOf(page)) == "冲突（1）"
    qtbot.mouseClick(page.resolve_button, Qt.MouseButton.LeftButton)
    assert "理由" in page.message.text()
    page.take_value.setChecked(True)
    type_text(qtbot, page.value, "一组 7 号之一")
    qtbot.keyClicks(page.reason, "x")
    assert page.message.text() == ""  # gone at the first letter
    page.reason.clear()
    type_text(qtbot, page.reason, "电话核实")
    widths = [page.view.columnWidth(i) for i in range(page.model.columnCount())]
    qtbot.mouseClick(page.resolve_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 0
    assert workspace.tabText(workspace.indexOf(page)) == "冲突"  # the count follows
    assert all(page.view.columnWidth(i) >= min(w, 100) for i, w in enumerate(widths))
    assert page.history_model.rowCount() == 1
    decided = [page.history_model.index(0, i).data() for i in range(6)]
    assert decided[1] == clerk_name and decided[5] == "电话核实" and "一组 7 号之一" in decided[4]

    # The duplicate: labels, not codes; merge; undo with a reason; merge again.
    menu.show_duplicates.trigger()
    page = workspace.duplicates
    assert workspace.tabText(workspace.indexOf(page)) == "疑似重复（1）"
    assert page.findChild(type(page.keep_a), "a_sex").text() == "女"
    assert names[a.area_code] in page.keep_a.text() + page.keep_b.text()
    type_text(qtbot, page.reason, "同一人")
    qtbot.mouseClick(page.merge_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 0 and page.merges_model.rowCount() == 1
    assert workspace.tabText(workspace.indexOf(page)) == "疑似重复"
    page.merges_view.selectRow(0)
    qtbot.mouseClick(page.unmerge_button, Qt.MouseButton.LeftButton)
    dialog = page.unmerge_dialog
    assert dialog is not None and dialog.isVisible() and not dialog.ok.isEnabled()
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton
    )
    assert records.get(t, "person", made["wang"])["deleted"] == 1  # Cancel: nothing undone
    qtbot.mouseClick(page.unmerge_button, Qt.MouseButton.LeftButton)
    dialog = page.unmerge_dialog
    assert dialog is not None
    type_text(qtbot, dialog.reason, "母亲不同，先撤销")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert records.get(t, "person", made["wang"])["deleted"] == 0
    assert page.model.rowCount() == 1
    assert "母亲不同，先撤销" in page.merges_model.index(0, 5).data()
    assert workspace.tabText(workspace.indexOf(page)) == "疑似重复（1）"
    type_text(qtbot, page.reason, "再次核实，是同一人")
    qtbot.mouseClick(page.merge_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 0 and page.merges_model.rowCount() == 2
    history = [(d["kind"], d["reason"], d["actor"]) for d in decisions.history(t)]
    assert history == [
        ("conflict", "电话核实", clerk_name),
        ("merge", "同一人", clerk_name),
        ("unmerge", "母亲不同，先撤销", clerk_name),
        ("merge", "再次核实，是同一人", clerk_name),
    ]

    # Send back: an update for every village, the decisions with their reasons in them.
    back = tmp_path / "back"
    dialogs.folders.append(back)
    workspace.send.per_village.setChecked(True)
    menu.send_back.trigger()
    send = workspace.send
    assert workspace.currentWidget() is send
    _wait(qtbot, send)
    assert send.model.rowCount() == 3
    for e in send.model.rows():
        [result] = bundles.import_files(world3.villages[e.recipient_area], [e.path])
        assert result.outcome == "accepted"
    assert records.get(a, "household", made["hh_a"])["address"] == "一组 7 号之一"
    reasons = {d["reason"] for d in decisions.history(a)}
    assert {"电话核实", "再次核实，是同一人"} <= reasons
    assert records.get(b, "person", made["twin"])["deleted"] == 0

    # A second pass over the stick, then the receipt of the first one.
    shutil.copy(made["lost"].path, folder)
    dialogs.folders.append(folder)
    menu.import_bundles.trigger()
    page = workspace.importing
    _wait(qtbot, page)
    # Last month's two runs, this month's two: the newest shown first.
    assert page.runs.count() == 4 and page.runs.currentIndex() == 0
    page.runs.setCurrentIndex(1)
    page.runs.activated.emit(1)  # as a click in the list does
    assert page.model.rowCount() == 4
    receipt = tmp_path / "receipt.pdf"
    dialogs.saves.append(receipt)
    menu.print_receipt.trigger()  # the print dialog, on the run chosen on the page
    printing = window.menus.print_dialog
    assert printing.kind.currentData() == "receipt"
    assert [printing.run.itemData(i) for i in range(4)] == [
        page.runs.itemData(i) for i in range(4)]  # the newest first
    assert printing.run.currentData() == page.runs.itemData(1)
    assert printing.run.currentText().endswith(f"4 个文件 · {clerk_name}")
    printing.preview_button.click()
    qtbot.waitUntil(lambda: printing.printed is not None, timeout=60_000)
    assert printing.findChildren(QLabel, "page")  # the receipt's pages, previewed
    printing.save_button.click()
    assert receipt.read_bytes()[:5] == b"%PDF-" and "已保存" in printing.status.text()
    logged = t.query("SELECT detail FROM access_log WHERE action = 'print' ORDER BY rowid DESC")
    assert json.loads(logged[0]["detail"])["run"] == page.runs.itemData(1)
    printing.reject()
    qtbot.mouseClick(page.receipt_button, Qt.MouseButton.LeftButton)  # the page's own button
    again = window.menus.print_dialog
    assert again is not printing and again.kind.currentData() == "receipt"
    assert again.run.currentData() == page.runs.itemData(1)
    again.reject()
    text = flat(pdf_text(receipt))
    assert text.startswith(TOWNSHIP_NAME + "变更包导入回执")  # the township by its name
    assert "已应用0无变化0待处理0" not in text  # counts only for what was taken
    assert all(name in text for name in VILLAGE_NAMES)
    assert "拒收" in text and "缺号" in text and clerk_name in text
    assert made["lost"].path.name not in text  # that came in the second pass
    window.locker.stop()
    window.close()
    assert c.area_code in json.dumps(names)
