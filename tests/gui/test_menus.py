"""Every feature the README names has a menu path in the real window; Help ▸ Keyboard
lists them; the menus open what they name (print, dashboard, clerk, restore, keys)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox

from fpdesk.gui.mainwindow import MainWindow
from fpdesk.gui.menus import menu_paths, plain
from fpdesk.store.db import create_register
from tests.conftest import PASSPHRASE, TOWNSHIP

README = Path(__file__).resolve().parents[2] / "README.md"
_PATH = re.compile(r"`([^`]+)`(?: \(([^)]*)\))?")
_KEY = re.compile(r"^(Ctrl\+\S+|F\d+)$")


def readme_paths() -> list[tuple[list[str], str | None, bool]]:
    """(menu path, key or None, township only) for each path in the README's
    "In the window" list; `▸ X` after a path is X beside that path's last item."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## In the window", 1)[1].split("\n## ", 1)[0]
    found: list[tuple[list[str], str | None, bool]] = []
    for line in section.splitlines():
        if not line.startswith("- `"):
            continue
        township = "township" in line.lower()
        previous: list[str] = []
        for match in _PATH.finditer(line):
            parts = [p.strip() for p in match.group(1).split("▸")]
            path = [*previous[:-1], *parts[1:]] if not parts[0] else parts
            key = match.group(2) if match.group(2) and _KEY.match(match.group(2)) else None
            found.append((path, key, township))
            previous = path
    return found


@pytest.fixture
def township_window(qtbot, tmp_path, prefs, clock) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    register = create_register(
        tmp_path / "t.fpdesk", PASSPHRASE, role="township", area_code=TOWNSHIP
    )
    window = MainWindow(register, prefs, clock)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.locker.stop()
    window.close()
    register.close()


def _actions(window: MainWindow) -> dict[tuple[str, ...], QAction]:
    window.menus.enable_record_actions()
    return {tuple(path): action for path, action in menu_paths(window.menuBar())}


def test_the_readme_lists_the_window_features() -> None:
    paths = readme_paths()
    assert len(paths) >= 40  # the list was read, not skipped
    assert (["Statistics", "Dashboard"], "F6", False) in paths
    assert (["Records", "For this person", "Birth"], None, False) in paths


def test_every_feature_the_readme_names_has_an_action(
    main_window: MainWindow, township_window: MainWindow
) -> None:
    village, township = _actions(main_window), _actions(township_window)
    missing, wrong_keys = [], []
    for path, key, township_only in readme_paths():
        actions = township if township_only else village
        action = actions.get(tuple(path))
        if action is None:
            missing.append(" ▸ ".join(path))
            continue
        shortcuts = [
            s.toString(QKeySequence.SequenceFormat.PortableText) for s in action.shortcuts()
        ]
        if key is not None and key not in shortcuts:
            wrong_keys.append(f"{' ▸ '.join(path)}: {key} not in {shortcuts}")
    assert not missing, f"README features with no menu action: {missing}"
    assert not wrong_keys


def _mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_menu_item_has_its_own_letter_and_the_keys_are_unique(
    qtbot, township_window: MainWindow, language: str
) -> None:
    from fpdesk.gui import i18n

    app = QApplication.instance()
    try:
        assert i18n.install(app, language)  # type: ignore[arg-type]
        qtbot.waitUntil(
            lambda: (
                township_window.menus.file_menu.title()
                == ("文件(&F)" if language == "zh" else "&File")
            )
        )
        _letters_and_keys(township_window)
    finally:
        i18n.install(app, "en")  # type: ignore[arg-type]


def _letters_and_keys(township_window: MainWindow) -> None:
    bar = township_window.menuBar()
    township_window.menus.enable_record_actions()
    menus = [bar, *(a.menu() for a in bar.actions())]
    menus += [a.menu() for m in menus[1:] for a in m.actions() if a.menu() is not None]
    for menu in menus:
        letters = [_mnemonic(a.text()) for a in menu.actions() if not a.isSeparator()]
        assert None not in letters, [a.text() for a in menu.actions()]
        assert len(letters) == len(set(letters)), [a.text() for a in menu.actions()]
    seen: dict[str, str] = {}
    for path, action in menu_paths(bar):
        for shortcut in action.shortcuts():
            key = shortcut.toString(QKeySequence.SequenceFormat.PortableText)
            assert key not in seen, f"{key}: {seen.get(key)} and {path}"
            seen[key] = " ▸ ".join(path)


def test_help_keyboard_lists_every_menu_path_and_key(qtbot, main_window: MainWindow) -> None:
    main_window.menus.keyboard.trigger()
    dialog = main_window.menus.keyboard_dialog
    assert dialog is not None and dialog.isVisible()
    table = dialog.table
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows["Records ▸ New household…"] == QKeySequence("Ctrl+N").toString(
        QKeySequence.SequenceFormat.NativeText
    )
    assert "Print ▸ Visit round sheet…" in rows
    assert rows["Statistics ▸ Dashboard"] == "F6"
    dialog.close()


def test_plain_removes_mnemonics_in_both_languages() -> None:
    assert plain("&File") == "File"
    assert plain("文件(&F)") == "文件"
    assert plain("Record of &processing…") == "Record of processing…"
    assert plain("Tom && Jerry") == "Tom & Jerry"


def test_print_menu_opens_the_dialog_on_the_printout_for_the_village_in_view(
    qtbot, main_window: MainWindow
) -> None:
    main_window.tree.setCurrentItem(main_window.tree.topLevelItem(0).child(0))
    main_window.menus.print_kinds["rounds"].trigger()
    dialog = main_window.menus.print_dialog
    assert dialog.isVisible()
    assert dialog.kind.currentData() == "rounds"
    assert dialog.village.text() == main_window.register.area_code
    dialog.close()


def test_dashboard_opens_in_its_own_tab_by_f6(qtbot, main_window: MainWindow) -> None:
    assert main_window.dashboard is None  # nothing counted at start
    main_window.show_dashboard.trigger()
    dashboard = main_window.dashboard
    assert dashboard is not None and main_window.tabs.currentWidget() is main_window.dashboard_tab
    qtbot.waitUntil(lambda: dashboard.report is not None, timeout=30_000)
    main_window.show_households.trigger()
    main_window.show_dashboard.trigger()
    assert main_window.tabs.currentWidget() is main_window.dashboard_tab
    assert main_window.tabs.count() == 3  # one dashboard, not a second


def test_the_dashboard_counts_again_after_a_save_when_next_shown(
    qtbot, main_window: MainWindow, clock
) -> None:  # type: ignore[no-untyped-def]
    from fpdesk.store import operations

    main_window.show_dashboard.trigger()
    dashboard = main_window.dashboard
    qtbot.waitUntil(lambda: dashboard.report is not None, timeout=30_000)
    before = dashboard.report.result("births").numerator
    main_window.show_households.trigger()
    woman = main_window.register.query("SELECT id FROM person WHERE name = '欧阳娜娜'")[0]["id"]
    operations.record_birth(
        main_window.register,
        woman,
        {"name": "欧阳小红", "sex": 2, "birth_date": "2026-11-02"},
        clock=clock,
    )
    main_window.after_save()  # what a form's Save does
    main_window.show_dashboard.trigger()
    qtbot.waitUntil(
        lambda: (
            dashboard.report is not None
            and dashboard.report.result("births").numerator == before + 1
        ),
        timeout=30_000,
    )


def test_township_menu_opens_each_clerk_page(
    qtbot, township_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    menus = township_window.menus
    menus.clerk_pages[2].trigger()  # Conflicts
    clerk = township_window.clerk
    assert township_window.tabs.currentWidget() is clerk
    assert clerk.currentWidget() is clerk.conflicts
    asked: list[bool] = []  # Send back asks for the folder (cancelled here)
    monkeypatch.setattr(clerk.send, "choose_and_export", lambda: asked.append(True))
    menus.clerk_pages[5].trigger()
    assert clerk.currentWidget() is clerk.send and asked
    assert menus.print_receipt is not None
    menus.print_receipt.trigger()  # the print dialog on the receipt: nothing imported yet
    dialog = menus.print_dialog
    assert dialog.kind.currentData() == "receipt" and dialog.run.currentData() is None
    assert dialog.run.isEnabled() and not dialog.village.isEnabled()
    dialog.preview_button.click()  # says what is missing, makes nothing
    qtbot.waitUntil(lambda: dialog.task is None, timeout=60_000)
    assert dialog.printed is None and "还没有导入记录" in dialog.status.text()
    dialog.reject()


def test_record_actions_follow_what_is_shown(qtbot, main_window: MainWindow) -> None:
    menus = main_window.menus
    menus.enable_record_actions()
    assert not menus.person_menu.isEnabled() and not menus.history.isEnabled()
    person = main_window.register.query("SELECT id FROM person WHERE name = '李秀英'")[0]["id"]
    main_window.show_person(person)
    menus.enable_record_actions()
    assert menus.person_menu.isEnabled() and menus.history.isEnabled()
    birth = next(a for a in menus.person_menu.actions() if a.data() == "birth")
    birth.trigger()
    form = main_window.open_forms[-1]
    assert form.isVisible() and form.kind == "birth"
    form.done(0)
    menus.history.trigger()
    history = main_window.open_forms[-1]
    assert history.isVisible()
    history.done(0)


def test_restore_closes_the_register_and_brings_back_the_unlock_window(
    qtbot, tmp_path, prefs, register_path: Path, clock
) -> None:  # type: ignore[no-untyped-def]
    from fpdesk.gui.app import Session
    from fpdesk.gui.startup import UnlockDialog
    from fpdesk.store.db import open_register

    app = QApplication.instance()
    session = Session(app, prefs, clock)  # type: ignore[arg-type]
    register = open_register(register_path, PASSPHRASE)
    session.show(register)
    window = session.window
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.backups is not None and window.backups.task is None)
    window.menus.restore.trigger()
    assert not window.isVisible()
    dialog = session.startup.dialog if session.startup else None
    assert isinstance(dialog, UnlockDialog) and dialog.isVisible()
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: register.closed)
    assert dialog.restore_button.isVisible()
    window.locker.stop()
    dialog.reject()


def test_new_recovery_key_asks_then_shows_the_new_key_once(qtbot, tmp_path, prefs, clock) -> None:  # type: ignore[no-untyped-def]
    from fpdesk.store import accounts

    path = tmp_path / "acc.fpdesk"
    register, first_key = accounts.create_with_account(
        path, role="village", area_code="450102001201", name="韦丽", passphrase="village-key"
    )
    try:
        window = MainWindow(register, prefs, clock)
        qtbot.addWidget(window)
        window.show()
        assert window.menus.recovery_key.isEnabled()  # an administrator
        window.menus.recovery_key.trigger()
        box = window.menus.question
        assert isinstance(box, QMessageBox) and box.isVisible()
        box.button(QMessageBox.StandardButton.Yes).click()
        shown = window.menus.recovery_dialog
        assert shown.isVisible()
        key = shown.key_label.text()
        assert key and key != first_key
        window.locker.stop()
        window.close()
    finally:
        register.close()


def test_record_of_processing_reads_as_a_table_in_words_and_exports(
    qtbot, main_window: MainWindow, tmp_path: Path
) -> None:
    from fpdesk.store import access_log

    access_log.record(main_window.register, "print", {"kind": "rounds", "file": "rounds.pdf"})
    access_log.record(main_window.register, "backup", {"file": "x.fpdesk", "label": "daily"})
    main_window.keys_menu.audit_log.trigger()
    log = main_window.keys_menu.dialog
    assert log is not None and log.isVisible()
    table = log.table  # type: ignore[attr-defined]
    rows = [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]
    printed = next(r for r in rows if "rounds.pdf" in r[3])
    assert printed[2] == "print"  # the action's name (translated in a Chinese window)
    assert "随访服务单" in printed[3]  # the printout by its title, not its code
    assert "{" not in printed[3] and '"' not in printed[3]
    backed_up = next(r for r in rows if "x.fpdesk" in r[3])
    assert "daily" in backed_up[3] and "label" not in backed_up[3]
    out = tmp_path / "log.csv"
    log.export(out)  # type: ignore[attr-defined]
    assert "rounds.pdf" in out.read_text(encoding="utf-8")
    log.close()


def test_a_register_without_accounts_has_no_recovery_key_to_replace(
    main_window: MainWindow,
) -> None:
    main_window.menus.enable_register_actions()
    assert not main_window.menus.recovery_key.isEnabled()
    assert main_window.menus.restore.isEnabled()  # one passphrase: whoever holds it
