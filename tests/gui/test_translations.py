"""Every visible string has a Chinese translation, and the shipped .qm matches the .ts."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fpdesk.gui import i18n
from fpdesk.gui.mainwindow import MainWindow
from fpdesk.gui.settings_dialog import SettingsDialog

# The checkout's .ts, found from this file: the tests also run against an installed
# wheel (Windows CI), which carries the compiled .qm but not the .ts.
TS = Path(__file__).resolve().parents[2] / "translations" / i18n.TS_FILE.name


def test_the_ts_is_finished() -> None:
    assert TS.exists()
    assert i18n.problems(TS) == []  # no unfinished, vanished, obsolete or empty message


def test_every_tr_string_in_the_sources_is_in_the_ts() -> None:
    # lupdate over the sources, on a copy: anything new shows up as unfinished.
    assert i18n.missing_from_sources(TS) == []


def test_the_shipped_qm_is_built_from_the_ts() -> None:
    assert i18n.qm_is_current(TS), "run: python -m fpdesk.gui.i18n build"


def test_the_checker_sees_an_unfinished_string(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ts = tmp_path / "x.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="zh_CN">'
        "<context><name>A</name><message><source>Save</source>"
        '<translation type="unfinished"></translation></message>'
        "<message><source>Old</source>"
        '<translation type="vanished">旧</translation></message></context></TS>',
        encoding="utf-8",
    )
    assert len(i18n.problems(ts)) == 2
    assert i18n.apply({"Save": "保存"}, ts) == 1
    assert len(i18n.problems(ts)) == 1


def test_language_switch(qtbot, main_window: MainWindow, prefs) -> None:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    main_window.language_wanted.connect(lambda language: i18n.install(app, language))
    try:
        assert i18n.install(app, "zh")
        qtbot.waitUntil(lambda: main_window.tabs.tabText(1) == "工作清单")
        assert main_window.search.placeholderText().startswith("搜索")
        main_window.open_settings.trigger()
        dialog = main_window.findChild(SettingsDialog)
        assert dialog is not None
        qtbot.waitExposed(dialog)
        dialog.language.setCurrentIndex(dialog.language.findData("en"))
        qtbot.keyClick(dialog.language, Qt.Key.Key_Return)  # OK
        assert prefs.language == "en"
        qtbot.waitUntil(lambda: main_window.tabs.tabText(1) == "Work list")
        assert main_window.household_page.add_person.text() == "Add a person"
    finally:
        i18n.install(app, "en")


def test_qt_own_dialogs_are_chinese(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Qt's file dialog ("Look in:", "Files of type:") and standard buttons in Chinese."""
    from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        i18n.install(app, "zh")
        dialog = QFileDialog()
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        qtbot.addWidget(dialog)
        labels = {label.text() for label in dialog.findChildren(QLabel)}
        assert "Look in:" not in labels and "Files of type:" not in labels
        assert {"查找范围(&L)：", "文件类型(&T)："} <= labels, labels
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        qtbot.addWidget(box)
        assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
    finally:
        i18n.install(app, "en")


def test_the_frozen_build_ships_qt_own_chinese() -> None:
    spec = (TS.parents[1] / "installer" / "fpdesk.spec").read_text(encoding="utf-8")
    assert '"qtbase_zh_CN.qm"' in spec and "PySide6/Qt/translations" in spec
    assert any((folder / "qtbase_zh_CN.qm").exists() for folder in i18n.qt_translation_dirs())


def test_filling_translations_keeps_the_chinese_chosen_elsewhere(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # The same English in two contexts: a mapping made for the new screen fills its
    # unfinished message and leaves the finished one as it was chosen.
    ts = tmp_path / "x.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="zh_CN">'
        "<context><name>Board</name><message><source>Reported</source>"
        "<translation>已上报</translation></message></context>"
        "<context><name>HubWindow</name><message><source>Reported</source>"
        '<translation type="unfinished"></translation></message></context></TS>',
        encoding="utf-8",
    )
    assert i18n.apply({"Reported": "已报"}, ts) == 1
    text = ts.read_text(encoding="utf-8")
    assert "已上报" in text and "已报<" in text and not i18n.problems(ts)
