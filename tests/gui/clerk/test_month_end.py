"""A whole month end at the township, driven through the clerk's workspace.

Three village laptops send real signed, encrypted bundles: one brings a conflict, one a
person already entered by another village, one arrives after a lost bundle (a gap).
The clerk imports the folder, reads the board, decides the conflict, merges (and
un-merges) the duplicate, and sends an update bundle back to every village.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from fpdesk.core.clock import FixedClock
from fpdesk.core.idnumber import check_char
from fpdesk.gui import i18n
from fpdesk.gui.clerk import ClerkWorkspace
from fpdesk.store import records
from fpdesk.store.db import Register, open_register
from fpdesk.sync import board, bundles, duplicates, ledger
from tests.conftest import PASSPHRASE
from tests.gui.conftest import type_text
from tests.sync.helpers import World, add_household, add_person, area_state, send

NUMBER = "450102199204050" + "22"
NUMBER += check_char(NUMBER)


def _v(world: World, n: int) -> Register:
    return world.villages[sorted(world.villages)[n]]


def month_of_bundles(world: World, folder: Path) -> dict[str, Any]:
    """Last month's round trip, then this month's bundles in `folder`."""
    a, b, c = (_v(world, n) for n in range(3))
    t = world.township
    hh_a = add_household(a, 1, address="一组 3 号")
    wang = add_person(a, hh_a, "王丽", birth_date="1992-04-05", id_number=NUMBER, phone="111")
    records.insert(
        a, "visit", {"person_id": wang, "visit_type": "postnatal", "visited_on": "2026-10-02"}
    )
    add_household(c, 1, address="三组")
    for village in (a, c):  # last month: imported, acknowledged
        send(village, t, world.root / "last-month")
        send(t, village, world.root / "last-month-back")
    # The ledger dates files by the real clock: date last month's files a month back.
    last_month = (dt.date.today().replace(day=1) - dt.timedelta(days=20)).isoformat()
    t.conn.execute("UPDATE sync_ledger SET seen_at = ?", (last_month + "T09:00:00+00:00",))
    # This month.
    records.update(t, "household", hh_a, {"address": "一组 5 号（乡里核对）"})
    records.update(a, "household", hh_a, {"address": "一组 7 号"})
    hh_b = add_household(b, 1, address="二组")
    twin = add_person(b, hh_b, "王丽", birth_date="1992-04-05", id_number=NUMBER, phone="222")
    hh_c = add_household(c, 2, address="三组 9 号")
    [lost] = bundles.export(c, world.root / "lost-on-the-way")
    add_person(c, hh_c, "周婷", birth_date="1999-09-09")
    # The laptop took an acknowledgement for the lost bundle (the township's register was
    # put back from a backup made before it was imported): its next bundle starts after it.
    c.conn.execute("UPDATE sync_device SET acked_by_peer = ? WHERE role = 'township'", (lost.upto,))
    for village in (a, b, c):
        bundles.export(village, folder)
    return {"hh_a": hh_a, "wang": wang, "twin": twin, "lost": lost}


def _opener(t: Register) -> Any:
    def opener() -> Register:
        reg = open_register(t.path, PASSPHRASE)
        reg.set_actor("文员")
        return reg

    return opener


@pytest.fixture
def workspace(qtbot, qapp, world3: World, prefs) -> Iterator[ClerkWorkspace]:  # type: ignore[no-untyped-def]
    assert i18n.install(qapp, "zh")  # the clerk works in Chinese
    clock = FixedClock(dt.datetime.now().replace(microsecond=0))
    view = ClerkWorkspace(world3.township, prefs, clock, opener=_opener(world3.township))
    qtbot.addWidget(view)
    view.resize(1200, 760)
    view.show()
    yield view
    i18n.install(qapp, "en")


def _import(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert page.task is not None
    qtbot.waitUntil(lambda: page.task is None, timeout=60_000)


def test_a_month_end(qtbot, world3: World, workspace: ClerkWorkspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    t = world3.township
    a, b, c = (_v(world3, n) for n in range(3))
    folder = tmp_path / "usb"
    made = month_of_bundles(world3, folder)

    # Import: one row per file, as each is done.
    page = workspace.importing
    page.set_folder(folder)
    assert "3" in page.where.text()
    _import(qtbot, page)
    got = {r["village"]: r for r in page.model.rows()}
    assert got[a.area_code]["outcome"] == "accepted" and got[a.area_code]["queued"] == 1
    assert got[b.area_code]["outcome"] == "accepted"
    assert got[c.area_code]["outcome"] == "gap"
    assert f"{made['lost'].after + 1}" in got[c.area_code]["reason_en"]
    assert page.model.rowCount() == 3 == len(ledger.rows(t)) - 2  # last month: two files
    shown = page.model.index(2, 2).data()
    assert shown in ("已导入", "缺号（等待缺少的包）")  # the result, in Chinese
    receipt = page.save_receipt(tmp_path / "receipt.pdf")
    assert receipt.read_bytes()[:5] == b"%PDF-"

    # The board: C has a hole and has not reported; A has a conflict, B a duplicate.
    workspace.setCurrentWidget(workspace.board)
    workspace.board.deadline.setValue(1)
    rows = {r.code: r for r in workspace.board.rows}
    assert rows[c.area_code].missing == [(made["lost"].after + 1, made["lost"].upto)]
    today = workspace.clerk.clock.today()
    assert rows[c.area_code].status == (board.LATE if today.day > 1 else board.DUE)
    assert rows[a.area_code].status == board.REPORTED and rows[a.area_code].open_conflicts == 1
    assert rows[b.area_code].open_duplicates == 1
    assert "缺" in workspace.board.model.index(sorted(rows).index(c.area_code), 5).data()

    # The conflict: before, village, township side by side; type another value.
    workspace.setCurrentWidget(workspace.conflicts)
    page = workspace.conflicts
    assert page.model.rowCount() == 1
    assert (page.before.text(), page.theirs.text(), page.ours.text()) == (
        "一组 3 号",
        "一组 7 号",
        "一组 5 号（乡里核对）",
    )
    qtbot.mouseClick(page.resolve_button, Qt.MouseButton.LeftButton)  # no reason yet
    assert "理由" in page.message.text() and page.model.rowCount() == 1
    page.take_value.setChecked(True)
    type_text(qtbot, page.value, "一组 7 号之一")
    type_text(qtbot, page.reason, "电话核实")
    qtbot.mouseClick(page.resolve_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 0
    assert records.get(t, "household", made["hh_a"])["address"] == "一组 7 号之一"
    assert "乡里核对" in str(records.history(t, made["hh_a"]))

    # The duplicate: same ID number; keep B's person with A's number; undo; merge again.
    workspace.setCurrentWidget(workspace.duplicates)
    page = workspace.duplicates
    assert page.model.rowCount() == 1
    assert page.model.index(0, 4).data() == "身份证号相同"
    pair = page.current()
    assert pair is not None
    keep_twin = pair.a["id"] == made["twin"]
    (page.keep_a if keep_twin else page.keep_b).setChecked(True)
    survivor_side = "a" if keep_twin else "b"
    other_side = "b" if keep_twin else "a"
    # The kept person has no number: the other's is chosen for it by default.
    assert page.findChild(type(page.keep_a), f"{other_side}_id_number").isChecked()
    assert page.findChild(type(page.keep_a), f"{survivor_side}_phone").isChecked()
    type_text(qtbot, page.reason, "同一人")
    qtbot.mouseClick(page.merge_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 0 and page.merges_model.rowCount() == 1
    twin = records.get(t, "person", made["twin"])
    assert (twin["id_number"], twin["phone"]) == (NUMBER, "222")
    assert records.get(t, "person", made["wang"])["deleted"] == 1
    page.merges_view.selectRow(0)
    qtbot.mouseClick(page.unmerge_button, Qt.MouseButton.LeftButton)
    dialog = page.unmerge_dialog  # asks first, and why
    assert dialog is not None and not dialog.ok.isEnabled()
    type_text(qtbot, dialog.reason, "母亲不同，先撤销")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 1 and page.merges_model.rowCount() == 1
    assert "母亲不同，先撤销" in page.merges_model.index(0, 5).data()
    assert records.get(t, "person", made["wang"])["id_number"] == NUMBER
    (page.keep_a if keep_twin else page.keep_b).setChecked(True)
    type_text(qtbot, page.reason, "同一人，再次核实")
    qtbot.mouseClick(page.merge_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 0

    # The lost bundle turns up and goes in the folder: importing again fills the hole.
    shutil.copy(made["lost"].path, folder)
    page = workspace.importing
    page.set_folder(folder)
    _import(qtbot, page)
    outcomes = [(r["village"], r["outcome"]) for r in page.model.rows()]
    assert sorted(outcomes) == sorted(
        [
            (a.area_code, "duplicate"),
            (b.area_code, "duplicate"),
            (c.area_code, "accepted"),
            (c.area_code, "accepted"),
        ]
    )
    row_c = next(r for r in board.villages(t, today) if r.code == c.area_code)
    assert row_c.missing == []

    # Send back: an update for every village, one sub-folder each.
    workspace.setCurrentWidget(workspace.send)
    send_page = workspace.send
    send_page.per_village.setChecked(True)
    task = send_page.export(tmp_path / "back")
    assert task is not None
    qtbot.waitUntil(lambda: send_page.task is None, timeout=60_000)
    assert send_page.model.rowCount() == 3
    for e in send_page.model.rows():
        village = world3.villages[e.recipient_area]
        assert e.path.parent.name == village.area_code
        [result] = bundles.import_files(village, [e.path])
        assert result.outcome == "accepted"
    assert records.get(a, "household", made["hh_a"])["address"] == "一组 7 号之一"
    assert records.get(a, "person", made["wang"])["deleted"] == 1
    assert records.get(b, "person", made["twin"])["id_number"] == NUMBER
    # A's visit moved with the merged person to B's village: A's update told it to let
    # its copy go, so every village agrees with the township; A keeps the tombstone,
    # whose note says where the person went.
    for village in (a, b, c):
        assert area_state(village, village.area_code) == area_state(t, village.area_code)
    assert "visit" not in area_state(a, a.area_code)
    assert made["twin"] in records.get(a, "person", made["wang"])["note"]
    assert duplicates.candidates(t) == []


def test_cancel_stops_between_bundles_and_the_rest_comes_later(
    qtbot,
    world3: World,
    workspace: ClerkWorkspace,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    t = world3.township
    folder = tmp_path / "usb"
    month_of_bundles(world3, folder)
    page = workspace.importing
    page.set_folder(folder)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    task = page.task
    assert task is not None
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)  # Cancel at once
    qtbot.waitUntil(lambda: page.task is None, timeout=60_000)
    done = page.model.rowCount()
    assert done < 3
    assert "取消" in page.status.text() or "Cancelled" in page.status.text()
    # What the table shows is exactly what the register holds: whole bundles only.
    assert len(ledger.rows(t)) - 2 == done
    assert page.start_button.isEnabled()
    _import(qtbot, page)
    outcomes = sorted(r["outcome"] for r in page.model.rows())
    assert outcomes.count("duplicate") == done and len(outcomes) == 3
