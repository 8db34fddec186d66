"""The one file-dialog helper: where its dialogs start, what they refuse, and that every
dialog of the window goes through it (the lock test, test_register_locks.py, proves
that its dialogs read no file)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QFileInfo, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox

import fpdesk.gui
from fpdesk.gui import file_dialogs
from fpdesk.store.db import Register

GUI = Path(fpdesk.gui.__file__).parent


@pytest.fixture(autouse=True)
def _forget_last_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_dialogs, "_last_folder", None)


def _names_qfiledialog(path: Path) -> bool:
    """The class itself named in code (a translation context "QFileDialog" is a string)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        (isinstance(node, ast.Name) and node.id == "QFileDialog")
        or (isinstance(node, ast.Attribute) and node.attr == "QFileDialog")
        or (isinstance(node, ast.alias) and node.name.endswith("QFileDialog"))
        for node in ast.walk(tree)
    )


def test_no_dialog_of_the_window_calls_qfiledialog_itself() -> None:
    offenders = [
        str(path.relative_to(GUI))
        for path in GUI.rglob("*.py")
        if path.name != "file_dialogs.py" and _names_qfiledialog(path)
    ]
    assert offenders == []


def test_a_dialog_never_starts_in_the_open_registers_folder(
    register: Register, monkeypatch: pytest.MonkeyPatch, user_folders: Path
) -> None:
    folder = register.path.parent
    monkeypatch.chdir(folder)
    monkeypatch.setenv("HOME", str(user_folders))
    user_folders.mkdir(parents=True, exist_ok=True)
    # Asked for the register's folder, or remembering it: another folder.
    assert file_dialogs.start_folder(folder).resolve() != folder.resolve()
    monkeypatch.setattr(file_dialogs, "_last_folder", folder)
    assert file_dialogs.start_folder().resolve() != folder.resolve()
    # Any other folder is used as asked, and the last one chosen is remembered.
    stick = folder / "stick"
    stick.mkdir()
    assert file_dialogs.start_folder(stick) == stick
    file_dialogs._remember(str(stick), is_folder=True)
    assert file_dialogs.start_folder() == stick


def test_home_holding_the_register_is_not_where_a_dialog_starts(
    register: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = register.path.parent
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(folder))
    assert file_dialogs.start_folder().resolve() != folder.resolve()


def test_types_and_icons_come_from_the_name(qtbot: Any, tmp_path: Path) -> None:
    provider = file_dialogs.NameOnlyIcons()
    # A file whose content says "SQLite database" and whose name says nothing: read,
    # Qt would call it an SQLite database; by the name alone it is an .fpdesk file.
    register_like = tmp_path / "township.fpdesk"
    register_like.write_bytes(b"SQLite format 3\x00" + bytes(4080))
    described = provider.type(QFileInfo(str(register_like)))
    assert "SQLite" not in described
    assert "FPDESK" in described
    pdf = provider.type(QFileInfo(str(tmp_path / "sheet.pdf")))  # Qt's name for the type
    assert "PDF" in pdf or "Portable Document" in pdf  # (Windows says the latter)
    folder = QCoreApplication.translate("FileDialogs", "Folder")
    assert provider.type(QFileInfo(str(tmp_path))) == folder
    assert not provider.icon(QFileInfo(str(register_like))).isNull()


def test_the_registers_own_files_are_refused(qtbot: Any, register: Register) -> None:
    shown: list[str] = []
    done: list[str] = []

    def answer() -> None:
        if not done:  # before answering: an answer may open the next box and wait
            QTimer.singleShot(20, answer)
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):  # "replace it?", then the refusal
            shown.append(box.text())
            yes = box.button(QMessageBox.StandardButton.Yes)
            yes.click() if yes is not None else box.accept()
        elif isinstance(box, QFileDialog):
            box.setDirectory(str(register.path.parent))
            # Typed as the clerk would (selectFile leaves a focused name box alone).
            name_box = box.findChild(QLineEdit, "fileNameEdit")
            assert name_box is not None
            name_box.setText(register.path.name + "-wal")
            box.accept()

    QTimer.singleShot(20, answer)
    try:
        assert file_dialogs.choose_save_file(None, "save", "x.pdf") == ""
    finally:
        done.append("yes")
    refusal = QCoreApplication.translate(
        "FileDialogs",
        "This is the register's own file, which is in use. Choose another file; "
        "nothing was changed.",
    )
    assert shown[-1] == refusal
    assert register.path.with_name(register.path.name + "-wal").exists()
