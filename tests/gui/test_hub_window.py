"""The window on a district hub (`fpdesk gui --hub URL`, issue 17 item 2) on a real
PostgreSQL: started through the command line's own entry, driven by keys and menu
actions; its numbers equal plain SQL counts and `fpdesk hub indicators`; a township's
staff sees its township only; a password is asked when the server wants one; a server
that is down, a database that is no hub and a machine without a hub are said plainly,
and the window is not opened (exit 1), with nothing written.

The hub holds the small demo register of tests/hub/test_staff.py (two townships)."""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QWidget

from fpdesk import cli
from fpdesk.core.clock import FixedClock
from fpdesk.gui import file_dialogs, hub_window, i18n
from fpdesk.gui.dashboard import VILLAGE_KEYS, Dashboard
from fpdesk.hub import schema, server, staff
from tests.gui.conftest import TODAY
from tests.hub.conftest import (  # noqa: F401
    hub_conn,
    hub_url,
    outside_pytest_temp,
    pg_server,
    server_url,
)
from tests.hub.test_staff import OTHER, as_user, demo_path, hub, member, mine  # noqa: F401

NO_KEYS = Qt.KeyboardModifier.NoModifier
YEAR = "2025"  # 1 Oct 2024 to 30 Sep 2025
# Live births of the statistical year whose mother was in the registered population
# (户籍人口) on the birth date: her last move by then led there (迁入, 流出, 返回), or
# her first move started there (迁出, 流出, 返回), or without moves her record says so.
BIRTHS = """
SELECT count(*) FROM birth b JOIN person m ON m.id = b.mother_id
LEFT JOIN LATERAL (SELECT kind FROM move WHERE person_id = m.id AND deleted = 0
  AND moved_on <= b.birth_date ORDER BY moved_on COLLATE "C" DESC, id COLLATE "C" DESC
  LIMIT 1) last ON true
LEFT JOIN LATERAL (SELECT kind FROM move WHERE person_id = m.id AND deleted = 0
  ORDER BY moved_on COLLATE "C", id COLLATE "C" LIMIT 1) first ON true
WHERE b.deleted = 0 AND b.child_relation = 'own'
  AND b.birth_date BETWEEN '2024-10-01' AND '2025-09-30'
  AND CASE WHEN last.kind IS NOT NULL THEN last.kind IN ('transfer_in', 'float_out', 'return')
           WHEN first.kind IS NOT NULL THEN first.kind IN ('transfer_out', 'float_out', 'return')
           ELSE coalesce(m.residence_status, 'here') IN ('here', 'out') END
"""
IN_TOWNSHIP = (
    " AND EXISTS (SELECT 1 FROM household h WHERE h.id = m.household_id"
    " AND left(h.village_code, 9) = left(%s, 9))"
)


def rows_of(query: str, township: str) -> str:
    """`query` over one township's rows only, said in SQL (what row-level security does
    for a township's staff login)."""
    assert township.isdigit()
    mine = f"WHERE township_code = '{township}'"
    return (
        query.replace("FROM birth b", f"FROM (SELECT * FROM birth {mine}) b")
        .replace("JOIN person m", f"JOIN (SELECT * FROM person {mine}) m")
        .replace("FROM move WHERE", f"FROM move {mine} AND")
    )


# The same births counted another way: each township's, added up.
BY_TOWNSHIP = "SELECT coalesce(sum(n), 0) FROM ({} GROUP BY b.township_code) t"


@pytest.fixture(autouse=True)
def english_after(qapp: Any) -> Iterator[None]:
    """The window installs the users' language (Chinese); later tests get Qt's own."""
    yield
    i18n.install(qapp, "en")


def scalar(conn: psycopg.Connection[Any], query: str, *params: Any) -> int:
    row = conn.execute(query, params).fetchone()
    conn.rollback()
    assert row is not None
    return int(row[0])


Answer = tuple[str, Callable[[QWidget], None]]
seen: list[str] = []  # the dialogs answered, by name
said: list[str] = []  # the failures' messages read


def answer(*answers: Answer) -> list[Answer]:
    """Answer the coming dialogs (a password, a failure), each when it is shown, as the
    user would: `(object name, act)`, in order."""
    waiting = list(answers)
    done: list[QWidget] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if (
            waiting
            and dialog is not None
            and dialog not in done
            and dialog.isVisible()
            and dialog.objectName() == waiting[0][0]
        ):
            done.append(dialog)
            seen.append(dialog.objectName())
            waiting.pop(0)[1](dialog)
        if waiting:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return waiting  # cleared: stop waiting


def password(text: str) -> Answer:
    """Type the password (keys; Chinese as the input method gives it) and press Enter."""

    def act(dialog: QWidget) -> None:
        edit = dialog.findChild(QLineEdit)
        assert edit is not None and edit.echoMode() == QLineEdit.EchoMode.Password
        for ch in text:
            QApplication.sendEvent(edit, QKeyEvent(QEvent.Type.KeyPress, 0, NO_KEYS, ch))
        QTest.keyClick(edit, Qt.Key.Key_Return)

    return "hub_password", act


def failure(again: bool = False, name: str = "hub_failed") -> Answer:
    """Read the message; Enter tries again, Escape gives up (or closes a notice)."""

    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        said.append(dialog.text())
        QTest.keyClick(dialog, Qt.Key.Key_Return if again else Qt.Key.Key_Escape)

    return name, act


@pytest.fixture(autouse=True)
def _forget() -> Iterator[None]:
    seen.clear()
    said.clear()
    yield


def open_window(qtbot: Any, url: str, asked: bool = False) -> hub_window.HubWindow:
    """The window as `fpdesk gui --hub URL` opens it (cli.hub_opening, hub_window.start:
    what cli.main runs before the event loop), once its numbers are counted."""
    opening, user, where = cli.hub_opening(url)
    unexpected = answer(failure()) if not asked else []
    window = hub_window.start(opening, "zh", FixedClock(TODAY), user=user, where=where)
    unexpected.clear()
    assert window is not None, said
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    assert window.dashboard is not None
    qtbot.waitUntil(lambda: window.dashboard is not None and window.dashboard.report is not None)
    return window


def choose_period(qtbot: Any, board: Dashboard, text: str) -> None:
    edit = board.period_box.lineEdit()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: board.report is not None and board.report.period.label == text)


def choose_level(qtbot: Any, board: Dashboard, level: str) -> None:
    """Down the level box by keys until `level` is chosen and counted."""
    board.level_box.setFocus()
    for _ in range(board.level_box.count()):
        if board.level_box.currentData() == level:
            break
        qtbot.keyClick(board.level_box, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: board.level == level and board.task is None)
    qtbot.waitUntil(lambda: board.villages.level == level)


def shown(board: Dashboard, key: str) -> str:
    card = next(c for c in board.cards if c.key == key)
    return card.value.text()


def indicators_json(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, Any]]:
    status = cli.main(["--lang", "en", "hub", "indicators", "--period", YEAR, "--json", *argv])
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    reports: list[dict[str, Any]] = json.loads(out)["reports"]
    return reports


def numerator(report: dict[str, Any], key: str) -> int:
    return int(next(r for r in report["results"] if r["key"] == key)["numerator"])


def test_the_district_journey(
    qtbot: Any,
    hub: str,  # noqa: F811
    hub_conn: psycopg.Connection[Any],  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    window = open_window(qtbot, hub)
    assert "区县汇总库" in window.windowTitle() and "所有者" in window.windowTitle()
    board = window.dashboard
    assert board is not None
    choose_period(qtbot, board, YEAR)
    births = scalar(hub_conn, BIRTHS)
    by_township = BY_TOWNSHIP.format(BIRTHS.replace("count(*)", "count(*) AS n"))
    assert births == scalar(hub_conn, by_township)
    assert births > 0
    (district,) = indicators_json(capsys, "--url", hub)
    assert shown(board, "births") == str(births) == str(numerator(district, "births"))
    assert board.report is not None and board.report.areas == tuple(district["areas"])

    # Rows by township: one per township and the district's total, as the command.
    choose_level(qtbot, board, "township")
    townships = indicators_json(capsys, "--level", "township", "--url", hub)
    rows = board.villages.reports
    assert [r.areas[0] for r in rows[:-1]] == [r["areas"][0] for r in townships]
    assert townships and board.villages.headerData(1, Qt.Orientation.Horizontal) == "乡镇"
    column = 2 + VILLAGE_KEYS.index("births")
    for row, report in enumerate(townships):
        cell = board.villages.index(row, column).data()
        # A township's births: its villages' (where the mother's household is).
        counted = scalar(hub_conn, BIRTHS + IN_TOWNSHIP, report["areas"][0])
        assert cell == str(numerator(report, "births")) == str(counted)

    # The townships' board: what `hub status` lists.
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == 1
    assert cli.main(["--lang", "en", "hub", "status", "--json", "--url", hub]) == 0
    status = json.loads(capsys.readouterr()[0])
    listed = [window.board.index(r, 0).data() for r in range(window.board.rowCount())]
    assert listed == [t["code"] for t in status["townships"]] == sorted([mine(hub_conn), OTHER])

    # File ▸ Export ▸ annual forms: the workbook `hub report` writes, read back.
    out = tmp_path / "annual.xlsx"
    monkeypatch.setattr(file_dialogs, "_run", lambda dialog: str(out))
    answer(failure(name=""))  # the "Saved" notice
    window.export_annual.trigger()
    qtbot.waitUntil(lambda: bool(said))
    assert str(out) in said[0]
    reference = tmp_path / "reference.xlsx"
    argv = ["hub", "report", "--kind", "annual", "--period", YEAR, "--out", str(reference)]
    assert cli.main([*argv, "--url", hub]) == 0
    assert _values(out) == _values(reference)


def _values(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(path, read_only=True)
    try:
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}
    finally:
        book.close()


def plain(text: str) -> str:
    """A menu text without its mnemonic: 文件(&F) -> 文件."""
    return re.sub(r"\(&\w\)|&", "", text)


def test_nothing_in_the_window_edits(qtbot: Any, hub: str) -> None:  # noqa: F811
    window = open_window(qtbot, hub)
    menus = [plain(a.text()) for a in window.menuBar().actions()]
    assert menus == ["文件", "查看"]
    texts = [plain(a.text()) for a in window.findChildren(QAction) if a.text()]
    # Every action the window has: reading, exporting, looking; none that edits (no
    # household, person or event menus as the register's window has).
    assert sorted(texts) == sorted(
        [
            "文件",
            "导出到 Excel",
            "导出年报表…",
            "导出各乡镇考核表…",
            "刷新",
            "退出",
            "查看",
            "统计指标",
            "各乡镇",
        ]
    )


def test_a_township_staff_sees_only_its_township(
    qtbot: Any,
    hub: str,  # noqa: F811
    hub_conn: psycopg.Connection[Any],  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    own = mine(hub_conn)
    name = member(hub, "li")
    staff.add(hub_conn, name, own)
    hub_conn.commit()  # mine() began the transaction staff.add joined
    url = as_user(hub, name)
    window = open_window(qtbot, url)
    township = scalar(hub_conn, "SELECT 1 FROM hub_township WHERE code = %s", own)
    assert township == 1
    title = window.windowTitle()
    assert "乡镇" in title and name in title and "所有者" not in title
    assert "只" in window.banner.text()
    board = window.dashboard
    assert board is not None
    # No district level to choose: the numbers are the township's.
    levels = [board.level_box.itemData(i) for i in range(board.level_box.count())]
    assert levels == ["township", "village"]
    choose_period(qtbot, board, YEAR)
    assert board.report is not None and board.report.areas == (own,)
    births = scalar(hub_conn, rows_of(BIRTHS, own))
    with psycopg.connect(url) as as_staff:  # row-level security does the filtering
        assert scalar(as_staff, BIRTHS) == births
        by_township = BY_TOWNSHIP.format(BIRTHS.replace("count(*)", "count(*) AS n"))
        assert scalar(as_staff, by_township) == births
    (report,) = indicators_json(capsys, "--url", url)
    assert shown(board, "births") == str(births) == str(numerator(report, "births"))
    assert births < scalar(hub_conn, BIRTHS)  # the district's total is not shown
    listed = [window.board.index(r, 0).data() for r in range(window.board.rowCount())]
    assert listed == [own]


@pytest.fixture
def asks_password(server_url: str, hub: str) -> Iterator[str]:  # noqa: F811
    """A district staff member whose login the server accepts only with a password
    (a line of its own at the top of the server's pg_hba.conf, taken away after)."""
    name = member(hub, "wang")
    with psycopg.connect(hub) as conn:
        staff.add(conn, name, None, "口令-right-1")
    with psycopg.connect(server_url, autocommit=True) as su:
        row = su.execute("SHOW hba_file").fetchone()
        assert row is not None
        hba = Path(str(row[0]))
        before = hba.read_text(encoding="utf-8")
        hba.write_text(f"local all {name} scram-sha-256\n" + before, encoding="utf-8")
        su.execute("SELECT pg_reload_conf()")
        try:
            yield as_user(hub, name)
        finally:
            hba.write_text(before, encoding="utf-8")
            su.execute("SELECT pg_reload_conf()")


def test_a_password_is_asked_and_a_wrong_one_said_plainly(
    qtbot: Any, asks_password: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Wrong, then (after "Try again") right.
    answer(password("wrong"), failure(again=True), password("口令-right-1"))
    window = open_window(qtbot, asks_password, asked=True)
    assert seen == ["hub_password", "hub_failed", "hub_password"]
    assert "不接受" in said[0] and "wrong" not in said[0]
    assert "区县人员" in window.windowTitle()
    assert "口令" not in window.windowTitle()


def test_a_password_asked_and_cancelled_opens_nothing(
    qtbot: Any, asks_password: str, capsys: pytest.CaptureFixture[str]
) -> None:
    answer(("hub_password", lambda dialog: QTest.keyClick(dialog, Qt.Key.Key_Escape)))
    assert cli.main(["gui", "--hub", asks_password]) == 1
    assert seen == ["hub_password"]


@pytest.mark.parametrize("again", [False, True])
def test_a_server_that_is_down(qtbot: Any, again: bool) -> None:
    """Said plainly; Try again asks the server again; Close: not opened, exit 1."""
    answer(*([failure(again=True)] if again else []), failure())
    assert cli.main(["gui", "--hub", "postgresql://x@127.0.0.1:1/db"]) == 1
    qtbot.waitUntil(lambda: len(said) == (2 if again else 1))
    assert all("连不上汇总库的服务器（127.0.0.1:1/db）" in text for text in said)


def test_a_database_that_is_no_hub_is_left_as_it_was(
    qtbot: Any,
    hub_url: str,  # noqa: F811
    hub_conn: psycopg.Connection[Any],  # noqa: F811
) -> None:
    answer(failure())
    assert cli.main(["gui", "--hub", hub_url]) == 1
    assert "还不是 fpdesk 汇总库" in said[0]
    tables = (
        "SELECT count(*) FROM pg_tables"
        " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
    )
    assert scalar(hub_conn, tables) == 0


def test_no_hub_on_this_computer(qtbot: Any) -> None:
    """`gui --hub` without an address: this computer's hub, here none (nothing made)."""
    answer(failure())
    assert cli.main(["gui", "--hub"]) == 1
    assert "这台电脑上还没有汇总库" in said[0]


def test_this_computers_hub_runs_while_the_window_is_open(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`gui --hub` without an address: the embedded hub `hub init` made, started for
    the window and stopped when it closes; a hub with no township yet says so."""
    if sys.platform == "win32":
        pytest.skip("the district hub runs on a Linux or macOS server; not tested on Windows")
    data = outside_pytest_temp()  # the server's own user must reach it (run as root)
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    try:
        if cli.main(["hub", "init"]) != 0:
            pytest.skip(f"no PostgreSQL server could start: {capsys.readouterr().err}")
        pid_file = server.data_folder() / "postmaster.pid"
        assert not pid_file.exists()
        opening, user, where = cli.hub_opening(None)
        window = hub_window.start(opening, "zh", FixedClock(TODAY), user=user, where=where)
        assert window is not None
        qtbot.addWidget(window)
        assert pid_file.exists()  # running while the window is open
        assert "本机汇总库" in window.windowTitle() and "所有者" in window.windowTitle()
        assert window.dashboard is None and "还没有任何乡镇的数据" in window.banner.text()
        assert window.board_summary.text() == "还没有乡镇加入汇总库。"
        assert not window.export_annual.isEnabled()
        window.quit_action.trigger()
        qtbot.waitUntil(lambda: not pid_file.exists())
    finally:
        shutil.rmtree(data, ignore_errors=True)


def test_a_wrong_address_is_said_plainly(qtbot: Any) -> None:
    answer(failure())
    assert cli.main(["gui", "--hub", "mysql://x@server/db"]) == 1
    assert "汇总库地址写得不对" in said[0] and "postgresql://" in said[0]


def test_a_hub_made_by_a_newer_fpdesk_is_left_as_it_was(
    qtbot: Any,
    hub_url: str,  # noqa: F811
    hub_conn: psycopg.Connection[Any],  # noqa: F811
) -> None:
    schema.migrate(hub_conn)
    with hub_conn.transaction():
        hub_conn.execute(
            "INSERT INTO hub_schema_version (position, name) VALUES (999, '0999_future')"
        )
    before = scalar(hub_conn, "SELECT count(*) FROM hub_schema_version")
    answer(failure())
    assert cli.main(["gui", "--hub", hub_url]) == 1
    assert "更新版本的 fpdesk" in said[0] and "请升级 fpdesk" in said[0]
    assert scalar(hub_conn, "SELECT count(*) FROM hub_schema_version") == before


def test_a_wrong_password_in_the_address_is_said_then_asked(qtbot: Any, asks_password: str) -> None:
    url = asks_password.replace(":@", ":not-it@", 1)
    answer(failure(again=True), password("口令-right-1"))
    window = open_window(qtbot, url, asked=True)
    assert seen == ["hub_failed", "hub_password"]
    assert "不接受" in said[0] and "not-it" not in said[0]
    assert "区县人员" in window.windowTitle()
