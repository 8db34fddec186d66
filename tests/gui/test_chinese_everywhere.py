"""Chinese first: every window and form, rendered in zh_CN, shows no Latin-letter word
outside a short allow-list (codes, units, file names the officer types herself).

Each screen is also saved as a PNG when FPDESK_SHOTS names a folder, to look at.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTabWidget,
    QWidget,
)

from fpdesk.gui import i18n
from fpdesk.gui.forms import FORM_KINDS, build_form
from fpdesk.gui.mainwindow import MainWindow
from fpdesk.store.db import Register

# What may stay in Latin letters in a Chinese window: the program's name, units, file
# kinds, the keys printed on the keyboard, and the pinyin initials a search takes.
ALLOWED = {"fpdesk", "kg", "cm", "mm", "PDF", "Excel", "CSV", "JSON", "USB", "zs",
           "Ctrl", "Shift", "Alt", "Esc", "Enter", "Tab", "Del", "PgUp", "PgDown",
           # the language chooser names each language in itself
           "English", "Language"}
WORD = re.compile(r"[A-Za-z]{2,}")
# File names and paths, as they are on the disk.
EXTENSIONS = r"\.(?:fpdesk|fpb|pdf|xlsx|csv|json|age|ttc|ttf|png)\b"
FILE_NAME = re.compile(r"(?:/|[A-Za-z]:\\)\S+|\S*" + EXTENSIONS)


def latin_words(text: str) -> set[str]:
    text = FILE_NAME.sub("", text or "")
    return {w for w in WORD.findall(text) if w not in ALLOWED and not re.fullmatch(r"F\d+", w)}


def visible_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) of everything a person reads in a widget tree."""
    widgets = [root, *root.findChildren(QWidget)]
    yield "title", root.windowTitle()
    for w in widgets:
        if not w.isVisibleTo(root) and w is not root:
            continue
        name = f"{type(w).__name__}#{w.objectName()}"
        if isinstance(w, (QLabel, QAbstractButton)):
            yield name, w.text()
        elif isinstance(w, QLineEdit):
            yield name + ".placeholder", w.placeholderText()
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                yield f"{name}[{i}]", w.itemText(i)
        elif isinstance(w, QGroupBox):
            yield name, w.title()
        elif isinstance(w, QTabWidget):
            for i in range(w.count()):
                yield f"{name}.tab{i}", w.tabText(i)
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            for c in range(model.columnCount()):
                yield f"{name}.header{c}", str(model.headerData(c, Qt.Orientation.Horizontal) or "")
        elif isinstance(w, QMenu):
            for action in w.actions():
                yield f"{name}.action", action.text()
    if hasattr(root, "menuBar"):
        for action in root.menuBar().actions():  # type: ignore[attr-defined]
            yield "menu", action.text()
            menu = action.menu()
            for sub in menu.actions() if menu is not None else []:
                yield f"menu.{action.text()}", sub.text()


def english_left(root: QWidget) -> list[str]:
    return sorted({f"{where}: {text!r}" for where, text in visible_texts(root)
                   if latin_words(text)})


def shot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("FPDESK_SHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / f"{name}.png"))


@pytest.fixture
def chinese() -> Iterator[None]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    i18n.install(app, "zh")
    from fpdesk.core.i18n import set_language

    set_language("zh")
    yield
    i18n.install(app, "en")


def test_the_checker_finds_english(qtbot) -> None:  # type: ignore[no-untyped-def]
    label = QLabel("保存 Save")
    qtbot.addWidget(label)
    assert english_left(label) == ["QLabel#: '保存 Save'"]
    assert latin_words("身份证号 11010519491231002X，3 kg") == set()


def test_the_main_window_is_chinese(qtbot, chinese, main_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    main_window.showMaximized()  # as on the first start (offscreen Qt has no window
    main_window.resize(main_window.screen().availableGeometry().size())  # manager to do it)
    main_window.retranslate()
    view = main_window.household_view
    view.setCurrentIndex(view.model().index(0, 0))
    qtbot.waitUntil(lambda: main_window.detail.currentWidget() is main_window.household_page)
    shot(main_window, "main_household")
    assert english_left(main_window) == []
    main_window.tabs.setCurrentIndex(1)
    shot(main_window, "main_worklist")
    assert english_left(main_window) == []


@pytest.mark.parametrize("kind", FORM_KINDS)
def test_every_form_is_chinese(qtbot, chinese, filled_register: Register, clock, kind: str) -> None:  # type: ignore[no-untyped-def]
    register = filled_register
    household = register.query("SELECT household_id FROM person WHERE name = '李秀英'")[0]
    wife = register.query("SELECT id FROM person WHERE name = '李秀英'")[0]["id"]
    husband = register.query("SELECT id FROM person WHERE name = '张三'")[0]["id"]
    if kind == "household":
        context = {}
    elif kind in ("person", "move_in"):
        context = {"household_id": household["household_id"]}
    else:
        context = {"person_id": husband if kind in ("death", "move_out") else wife}
    form = build_form(kind, register, context, clock=clock)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.save()  # the messages under the fields are read too
    shot(form, f"form_{kind}")
    assert english_left(form) == []
    form.discard()


def test_the_person_page_and_history_are_chinese(qtbot, chinese, main_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from fpdesk.gui.forms.history import HistoryDialog

    register = main_window.register
    wife = register.query("SELECT id FROM person WHERE name = '李秀英'")[0]["id"]
    main_window.retranslate()
    main_window.person_page.show_person(wife)
    main_window.detail.setCurrentWidget(main_window.person_page)
    shot(main_window, "main_person")
    assert english_left(main_window) == []
    history = HistoryDialog(register, wife, main_window)
    qtbot.addWidget(history)
    history.show()
    shot(history, "history")
    assert english_left(history) == []


def test_the_dialogs_are_chinese(qtbot, chinese, main_window: MainWindow, prefs, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from fpdesk.gui.accounts_dialog import AccountsDialog, AuditLogDialog
    from fpdesk.gui.dashboard import Dashboard
    from fpdesk.gui.lock import LockCover
    from fpdesk.gui.print_dialog import PrintDialog
    from fpdesk.gui.settings_dialog import SettingsDialog
    from fpdesk.gui.startup import FirstRunDialog, UnlockDialog

    register = main_window.register
    made: list[tuple[str, QWidget]] = [
        ("settings", SettingsDialog(prefs, main_window, register=register)),
        ("first_run", FirstRunDialog(tmp_path / "new.fpdesk", prefs)),
        ("unlock", UnlockDialog(register.path)),
        ("accounts", AccountsDialog(register, main_window)),
        ("audit_log", AuditLogDialog(register, main_window)),
        ("print", PrintDialog(register.reopen, register.area_code, parent=main_window)),
        ("dashboard", Dashboard(register, main_window)),
    ]
    cover = LockCover(main_window)
    made.append(("lock_cover", cover))
    found = {}
    for name, widget in made:
        if widget.parent() is None:
            qtbot.addWidget(widget)
        widget.show()
        shot(widget, name)
        left = english_left(widget)
        if left:
            found[name] = left
        widget.close()
    assert found == {}


def test_the_clerks_window_is_chinese(qtbot, chinese, tmp_path, prefs, clock) -> None:  # type: ignore[no-untyped-def]
    from fpdesk.store import records
    from fpdesk.store.db import create_register
    from tests.conftest import PASSPHRASE, TOWNSHIP

    register = create_register(tmp_path / "t.fpdesk", PASSPHRASE, role="township",
                               area_code=TOWNSHIP)
    village = TOWNSHIP[:9] + "201"
    records.insert(register, "household", {"code": f"{village}010001",
                                           "village_code": village, "group_no": "01"})
    window = MainWindow(register, prefs, clock)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    try:
        window.retranslate()
        found = {}
        for i in range(window.tabs.count()):
            window.tabs.setCurrentIndex(i)
            shot(window, f"township_tab{i}")
            left = english_left(window)
            if left:
                found[i] = left
        clerk = window.clerk
        assert isinstance(clerk, QTabWidget)
        window.tabs.setCurrentWidget(clerk)
        for i in range(clerk.count()):
            clerk.setCurrentIndex(i)
            shot(window, f"clerk_page{i}")
            left = english_left(window)
            if left:
                found[f"clerk{i}"] = left
        assert found == {}
    finally:
        window.locker.stop()
        window.close()
        register.close()
