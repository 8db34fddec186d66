"""The clerk's pages one by one: refused files, keeping the township's value, two
different persons, enrolling, revoking and replacing laptops, the deadline setting,
and the main window's township tab."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from fpdesk.core.clock import FixedClock
from fpdesk.gui.clerk import ClerkWorkspace
from fpdesk.gui.clerk.common import Clerk
from fpdesk.store import records
from fpdesk.store.db import Register, create_register
from fpdesk.sync import bundles, conflicts, enrollment, keys
from tests.conftest import PASSPHRASE
from tests.gui.conftest import type_text
from tests.sync.helpers import World, add_household, add_person, send


def _v(world: World, n: int) -> Register:
    return world.villages[sorted(world.villages)[n]]


def test_a_damaged_file_is_refused_with_its_reason_and_the_good_ones_go_in(
    qtbot,
    world3: World,
    workspace: ClerkWorkspace,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    folder = tmp_path / "usb"
    add_household(_v(world3, 0), 1)
    [good] = bundles.export(_v(world3, 0), folder)
    (folder / "000-broken.fpb").write_bytes(good.path.read_bytes()[:-40])
    page = workspace.importing
    page.set_folder(folder)
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.task is None, timeout=60_000)
    rows = page.model.rows()
    assert [r["outcome"] for r in rows] == ["refused", "accepted"]
    assert rows[0]["reason_en"] and page.model.index(0, 5).data()
    assert page.receipt_button.isEnabled()


def test_keeping_the_townships_value_sends_it_back(
    qtbot,
    world3: World,
    workspace: ClerkWorkspace,  # type: ignore[no-untyped-def]
) -> None:
    v, t = _v(world3, 0), world3.township
    hh = add_household(v, 1, address="旧")
    send(v, t, world3.root / "a")
    records.update(t, "household", hh, {"address": "乡"})
    records.update(v, "household", hh, {"address": "村"})
    send(v, t, world3.root / "b")
    page = workspace.conflicts
    page.refresh()
    assert page.model.rowCount() == 1
    page.take_township.setChecked(True)
    type_text(qtbot, page.reason, "以乡里为准")
    assert page.resolve_current()
    assert conflicts.open_conflicts(t) == []
    send(t, v, world3.root / "back")
    assert records.get(v, "household", hh)["address"] == "乡"
    assert records.get(t, "household", hh)["address"] == "乡"


def test_two_different_persons_with_the_same_name_and_birth_date(
    qtbot,
    world3: World,
    workspace: ClerkWorkspace,  # type: ignore[no-untyped-def]
) -> None:
    t = world3.township
    for n in (0, 1):
        v = _v(world3, n)
        add_person(v, add_household(v, 1), "刘洋", birth_date="2000-01-01")
        send(v, t, world3.root / f"s{n}")
    page = workspace.duplicates
    page.refresh()
    assert page.model.rowCount() == 1
    assert page.model.index(0, 4).data() in ("姓名和出生日期相同", "same name and birth date")
    assert page.dismiss_current()
    assert page.model.rowCount() == 0
    page.refresh()
    assert page.model.rowCount() == 0


def test_enroll_revoke_and_replace_a_laptop(
    world3: World, workspace: ClerkWorkspace, tmp_path: Path
) -> None:
    t = world3.township
    page = workspace.devices
    page.refresh()
    assert page.model.rowCount() == 3
    code = t.area_code[:9] + "209"
    newcomer = create_register(tmp_path / "n.fpdesk", PASSPHRASE, role="village", area_code=code)
    enrollment.write_request(newcomer, tmp_path / "req.json")
    device = page.enroll(tmp_path / "req.json", tmp_path / "ans.json")
    assert device is not None and page.model.rowCount() == 4
    assert (
        page.fingerprint.text() == enrollment.finish(newcomer, tmp_path / "ans.json")["fingerprint"]
    )
    assert page.enroll(tmp_path / "req.json", tmp_path / "ans2.json") is not None  # re-enroll ok
    # A file that is not a request: a plain message, nothing enrolled.
    (tmp_path / "junk.json").write_text("{}", encoding="utf-8")
    assert page.enroll(tmp_path / "junk.json", tmp_path / "ans3.json") is None
    assert page.message.text() and page.model.rowCount() == 4
    # Replace the first village's laptop.
    old = _v(world3, 0)
    fresh = create_register(
        tmp_path / "f.fpdesk", PASSPHRASE, role="village", area_code=old.area_code
    )
    enrollment.write_request(fresh, tmp_path / "freq.json")
    (tmp_path / "out").mkdir()
    done = page.replace(old.device_id, tmp_path / "freq.json", tmp_path / "out")
    assert done is not None and done.snapshot.path.exists()
    assert keys.peer(t, old.device_id)["revoked_at"] is not None
    assert page.revoke(device["device_id"])
    states = {d["device_id"]: d["revoked_at"] for d in page.model.rows()}
    assert states[device["device_id"]] is not None and states[done.new["device_id"]] is None
    newcomer.close()
    fresh.close()


def test_the_deadline_is_a_setting(workspace: ClerkWorkspace, prefs: Any) -> None:
    board = workspace.board
    board.deadline.setValue(10)
    assert Clerk(workspace.clerk.register, prefs, workspace.clerk.clock).deadline_day() == 10
    assert all(r.status == "due" for r in board.rows)  # the 8th, before the 10th
    board.deadline.setValue(5)
    assert all(r.status == "late" for r in board.rows)


def test_the_main_window_of_a_township_shows_the_clerk(
    qtbot,
    world3: World,
    prefs: Any,  # type: ignore[no-untyped-def]
) -> None:
    from fpdesk.gui.mainwindow import MainWindow

    window = MainWindow(world3.township, prefs, FixedClock(dt.date(2026, 12, 8)))
    qtbot.addWidget(window)
    assert isinstance(window.clerk, ClerkWorkspace)
    assert window.tabs.indexOf(window.clerk) >= 0
    window.locker.stop()


def test_the_whole_register_is_searched_in_the_background(
    qtbot,
    world3: World,
    workspace: ClerkWorkspace,  # type: ignore[no-untyped-def]
) -> None:
    t = world3.township
    for n in (0, 1):
        v = _v(world3, n)
        hh = add_household(v, 5)
        mother = add_person(v, hh, "赵兰", birth_date="1960-01-01")
        child = add_person(v, hh, "孙强", sex=1, birth_date="1985-06-06")
        records.insert(
            v,
            "birth",
            {"mother_id": mother, "child_id": child, "birth_date": "1985-06-06", "sex": 1},
        )
        send(v, t, world3.root / f"s{n}")
    for c in conflicts.open_conflicts(t):  # flags closed: only the scan can find them
        conflicts.resolve(t, c["id"], "township")
    page = workspace.duplicates
    page.refresh()
    assert page.model.rowCount() == 0
    task = page.scan()
    assert task is not None
    qtbot.waitUntil(lambda: page.scan_task is None, timeout=60_000)
    assert page.model.rowCount() == 1
    assert page.current() is not None and page.current().a["name"] == "孙强"
    assert "1" in page.scan_status.text()
