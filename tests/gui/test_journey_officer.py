"""The village officer's day, through the real window's actions and keys only.

Unlock, find a woman by pinyin, record her due visit from the work list; a birth and
an IUD start for a young mother; a man leaves for work elsewhere; print the round
sheet (the PDF read back with pdftotext); the dashboard, whose numbers the command
line computes again; a drill-down; lock and unlock; quit with the backup on the way out.

No dialog is constructed here: each one is opened by the window's menus or keys.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QWidget

from fpdesk.gui.app import Session
from fpdesk.gui.mainwindow import MainWindow
from fpdesk.gui.menus import menu_paths
from fpdesk.gui.startup import Startup
from fpdesk.store import backup, operations
from fpdesk.store.db import Register
from tests.conftest import PASSPHRASE, VILLAGE
from tests.gui.conftest import _id, type_text
from tests.reports.pdf.conftest import pdf_text

CTRL = Qt.KeyboardModifier.ControlModifier


def _menu(window: MainWindow, *path: str) -> QAction:
    """The action at a menu path, as the officer reads it (English source text)."""
    window.menus.enable_record_actions()  # what the Records menu does when opened
    for found, action in menu_paths(window.menuBar()):
        if tuple(found) == path:
            assert action.isEnabled(), path
            return action
    raise AssertionError(f"no menu path {' ▸ '.join(path)}")


def _key(qtbot, widget: QWidget, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(widget, key, modifier)


def _focused(qtbot) -> QWidget:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _fill(qtbot, *entries: str | None) -> None:  # type: ignore[no-untyped-def]
    """Type each entry into the field with focus, then Tab (None: only Tab)."""
    for entry in entries:
        if entry:
            type_text(qtbot, _focused(qtbot), entry)
        _key(qtbot, _focused(qtbot), Qt.Key.Key_Tab)


def _newest_form(qtbot, window: MainWindow) -> QWidget:  # type: ignore[no-untyped-def]
    form = window.open_forms[-1]
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    return form


def _save(qtbot, form: QWidget) -> None:  # type: ignore[no-untyped-def]
    _key(qtbot, form.focusWidget() or form, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not form.isVisible())


def _active(qtbot, window: QWidget) -> None:  # type: ignore[no-untyped-def]
    """Back at the main window once a form has closed (where the window's keys work)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def _search(qtbot, window: MainWindow, text: str) -> None:  # type: ignore[no-untyped-def]
    _active(qtbot, window)
    _key(qtbot, window, Qt.Key.Key_F, CTRL)
    assert window.search.hasFocus()
    qtbot.keyClicks(window.search, text)
    _key(qtbot, window.search, Qt.Key.Key_Return)


OFFICER, OFFICER_PASSPHRASE = "韦丽", "village-key-1"


@pytest.fixture(params=["accounts", "one passphrase"])
def village_file(request, filled_register: Register, clock) -> Path:  # type: ignore[no-untyped-def]
    """The officer's register with one more young couple (黄丽 and 韦强), closed; with
    accounts (an administrator and the officer 韦丽), or an older one with a single
    passphrase."""
    operations.add_household(
        filled_register,
        {"group_no": 2, "address": "幸福路88号"},
        [
            {
                "name": "韦强",
                "sex": 1,
                "birth_date": "1996-04-04",
                "relationship": 0,
                "marital_status": 20,
                "id_number": _id("1996-04-04", 91),
            },
            {
                "name": "黄丽",
                "sex": 2,
                "birth_date": "1998-06-06",
                "relationship": 1,
                "marital_status": 20,
                "id_number": _id("1998-06-06", 92),
            },
        ],
        clock=clock,
    )
    path = filled_register.path
    if request.param == "accounts":
        from fpdesk.store import accounts

        accounts.add(filled_register, "管理员", "administrator", None, "admin-key-1")
        accounts.add(filled_register, OFFICER, "officer", VILLAGE, OFFICER_PASSPHRASE)
    filled_register.close()
    return path


def test_the_officers_day(
    qtbot, village_file: Path, prefs, clock, capsys, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    # -- unlock --------------------------------------------------------------------
    app = QApplication.instance()
    session = Session(app, prefs, clock)  # type: ignore[arg-type]
    startup = Startup(prefs, db=village_file)
    startup.opened.connect(session.show)
    startup.begin()
    unlock = startup.dialog
    assert unlock is not None
    qtbot.addWidget(unlock)
    with_accounts = unlock.uses_accounts
    passphrase = OFFICER_PASSPHRASE if with_accounts else PASSPHRASE
    if with_accounts:  # her name, then her own passphrase
        type_text(qtbot, unlock.user, OFFICER)
        _key(qtbot, unlock.user, Qt.Key.Key_Tab)
    type_text(qtbot, unlock.passphrase, passphrase)
    _key(qtbot, unlock.passphrase, Qt.Key.Key_Return)
    window = session.window
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    _active(qtbot, window)
    register = window.register
    # today's backup is made on a worker while she works
    qtbot.waitUntil(lambda: window.backups is not None and window.backups.task is None)

    if with_accounts:  # an officer's menus: no restoring, no new recovery key
        window.menus.enable_register_actions()
        assert not window.menus.restore.isEnabled()
        assert not window.menus.recovery_key.isEnabled()
        assert not window.keys_menu.accounts.isEnabled()
        assert window.keys_menu.backup_now.isEnabled()

    # -- search by pinyin, open the person -------------------------------------------
    _search(qtbot, window, "lxy")
    assert window.detail.currentWidget() is window.person_page
    assert "李秀英" in window.person_page.title.text()
    li = window.person_page.person_id

    # -- her IUD follow-up is due: recorded from the work list ---------------------------
    _key(qtbot, window, Qt.Key.Key_F4)
    assert window.tabs.currentWidget() is window.worklist
    qtbot.waitUntil(lambda: window.worklist_loaded)
    table = window.worklist.table
    table.setFocus()
    _key(qtbot, table, Qt.Key.Key_Home)
    for _ in range(window.worklist.proxy.rowCount()):
        item = table.currentIndex().data(Qt.ItemDataRole.UserRole + 3)
        if item is not None and item.person_id == li and item.visit_type == "iud_followup":
            break
        _key(qtbot, table, Qt.Key.Key_Down)
    else:
        raise AssertionError("李秀英's IUD follow-up is not on the work list")
    _key(qtbot, table, Qt.Key.Key_Return)  # the visit form, filled in
    visit = _newest_form(qtbot, window)
    _save(qtbot, visit)
    visits = register.query(
        "SELECT visit_type, follows_id FROM visit WHERE person_id = ? AND deleted = 0", (li,)
    )
    assert visits == [{"visit_type": "iud_followup", "follows_id": item.follows_id}]
    if with_accounts:  # the record says who: her account
        actors = register.query("SELECT DISTINCT actor FROM change_log WHERE tbl = 'visit'")
        assert actors == [{"actor": OFFICER}]

    # -- 黄丽 gave birth on 10 November -------------------------------------------------
    _active(qtbot, window)
    _key(qtbot, window, Qt.Key.Key_F3)
    _search(qtbot, window, "huangli")
    assert "黄丽" in window.person_page.title.text()
    huang = window.person_page.person_id
    _menu(window, "Records", "For this person", "Birth").trigger()
    birth = _newest_form(qtbot, window)
    _fill(qtbot, "韦小宝", "1", "20261110")
    _save(qtbot, birth)
    child = register.query(
        "SELECT p.name, p.household_id, b.birth_date FROM birth b "
        "JOIN person p ON p.id = b.child_id WHERE b.mother_id = ?",
        (huang,),
    )
    mother = register.query("SELECT household_id FROM person WHERE id = ?", (huang,))[0]
    assert child == [
        {"name": "韦小宝", "household_id": mother["household_id"], "birth_date": "2026-11-10"}
    ]

    # -- and chose an IUD after it ---------------------------------------------------------
    _menu(window, "Records", "For this person", "Start contraception").trigger()
    start = _newest_form(qtbot, window)
    for _ in range(3):  # the IUD is the third method of the list
        _key(qtbot, _focused(qtbot), Qt.Key.Key_Down)
    _key(qtbot, _focused(qtbot), Qt.Key.Key_Tab)
    _focused(qtbot).clear()  # type: ignore[attr-defined]
    type_text(qtbot, _focused(qtbot), "2026-11-25")
    _save(qtbot, start)
    episodes = register.query(
        "SELECT method, started_on FROM contraception WHERE woman_id = ? AND deleted = 0",
        (huang,),
    )
    assert episodes == [{"method": "iud", "started_on": "2026-11-25"}]

    # -- 王建国 leaves to work in Shenzhen ---------------------------------------------------
    _search(qtbot, window, "wjg")
    assert "王建国" in window.person_page.title.text()
    wang = window.person_page.person_id
    _menu(window, "Records", "For this person", "Float out").trigger()
    move = _newest_form(qtbot, window)
    _fill(qtbot, "2026-11-20")
    type_text(qtbot, _focused(qtbot), "广东省深圳市")
    _save(qtbot, move)
    assert register.query("SELECT residence_status FROM person WHERE id = ?", (wang,)) == [
        {"residence_status": "out"}
    ]
    assert "王建国" in window.person_page.title.text()  # the page shows the change
    timeline = window.person_page.model
    cells = [
        str(timeline.index(r, c).data())
        for r in range(timeline.rowCount())
        for c in range(timeline.columnCount())
    ]
    assert any("深圳" in cell for cell in cells)

    # -- the round sheet for tomorrow's walk ---------------------------------------------------
    _menu(window, "Print", "Visit round sheet…").trigger()
    printing = window.menus.print_dialog
    qtbot.waitExposed(printing)
    assert printing.kind.currentData() == "rounds"
    assert printing.village.text() == VILLAGE
    _key(qtbot, printing.preview_button, Qt.Key.Key_Space)  # Make and preview
    qtbot.waitUntil(lambda: printing.printed is not None, timeout=60_000)
    assert printing.printed is not None
    pdf = printing.printed.result.path
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):  # poppler reads it back where it is installed (not Windows)
        text = pdf_text(pdf, "-layout")
        assert "随访服务单" in text
        assert "黄丽" in text  # her postnatal visits are due
    assert printing.pages_layout.count() == printing.printed.result.pages  # the preview
    kept = tmp_path / "rounds.pdf"
    printing.save_to(kept)
    assert kept.read_bytes() == pdf.read_bytes()
    printing.close()
    assert not pdf.exists()  # the scratch copy with personal data is gone

    # -- the dashboard, and the same numbers from the command line ------------------------------
    _active(qtbot, window)
    _key(qtbot, window, Qt.Key.Key_F6)
    dashboard = window.dashboard
    assert dashboard is not None and window.tabs.currentWidget() is window.dashboard_tab
    qtbot.waitUntil(lambda: dashboard.report is not None, timeout=60_000)
    assert dashboard.report is not None
    shown = {r.key: (r.numerator, r.denominator) for r in dashboard.report.results}
    assert shown["births"][0] == 1  # 韦小宝, entered this morning

    from fpdesk.cli import main as cli

    monkeypatch.setenv("FPDESK_PASSPHRASE", passphrase)  # the command line logs in as she did
    if with_accounts:
        monkeypatch.setenv("FPDESK_USER", OFFICER)

    capsys.readouterr()
    code = cli(
        ["indicators", "--db", str(village_file), "--period", dashboard.period.label, "--json"]
    )
    assert code == 0
    (report,) = json.loads(capsys.readouterr().out)["reports"]
    again = {r["key"]: (r["numerator"], r["denominator"]) for r in report["results"]}
    assert again == shown

    # who is behind the births: the drill-down list
    card = next(c for c in dashboard.cards if c.key == "births")
    _key(qtbot, card.numerator, Qt.Key.Key_Space)
    drill = dashboard.dialog
    assert drill is not None and drill.isVisible()
    assert drill.model.rowCount() == 1
    drill.close()

    # -- lock at lunch, back after --------------------------------------------------------------
    _active(qtbot, window)
    _key(qtbot, window, Qt.Key.Key_L, CTRL)
    assert window.locker.locked
    lock = window.locker.dialog
    assert lock is not None
    type_text(qtbot, lock.passphrase, passphrase)
    _key(qtbot, lock.passphrase, Qt.Key.Key_Return)
    assert not window.locker.locked

    # -- the end of the day: Quit makes a backup, then the window closes ---------------------------
    before = {b.path for b in backup.list_backups(backup.default_folder(village_file))}
    _active(qtbot, window)
    _key(qtbot, window, Qt.Key.Key_Q, CTRL)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=60_000)
    after = backup.list_backups(backup.default_folder(village_file))
    assert [b.label for b in after if b.path not in before] == ["exit"]
    register.close()  # what fpdesk.gui.app.main does once the window has gone
