"""Every file and folder dialog of fpdesk: choose_folder, choose_open_file, choose_save_file.

Use these, never QFileDialog's own functions.  Why: to show a type and an icon for each
file, Qt's file dialog reads the first bytes of every file in the folder it shows
(QMimeDatabase) and closes them.  On Linux closing any descriptor of a file drops every
POSIX lock the process holds on it, so a dialog that lists the register's folder takes
away SQLite's locks on the open register; the next program that opens and closes it then
deletes its -wal and -shm under the window, and the window's writes are lost.

So the dialogs here:
- are Qt's own dialog, never the desktop's native one (which reads files too, and which
  Qt's translations cannot reach), with an icon provider and a type column that go by
  the file's name only and never open a file;
- start in the last folder chosen in this session, else Documents, else home, and never
  in the folder of a register this process has open (nor in the working folder, which
  is often the register's);
- refuse a register's own files (the database, -wal, -shm) as a file to read or write.

Each returns the chosen path as text, or "" when the user cancelled.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QFileInfo, QMimeDatabase, QStandardPaths
from PySide6.QtGui import QAbstractFileIconProvider, QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QStyle, QWidget

from fpdesk.store import db

_last_folder: Path | None = None


class NameOnlyIcons(QAbstractFileIconProvider):
    """Icons and types from a file's name alone: no file is ever opened to look inside.

    Qt calls this from its file-information thread; the icons are made here, on the GUI
    thread, and only handed out there."""

    def __init__(self) -> None:
        super().__init__()
        style = QApplication.style()
        self._folder = style.standardIcon(QStyle.StandardPixmap.SP_DirIcon)
        self._file = style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        self._drive = style.standardIcon(QStyle.StandardPixmap.SP_DriveHDIcon)
        self._computer = style.standardIcon(QStyle.StandardPixmap.SP_ComputerIcon)
        self._mime = QMimeDatabase()

    def icon(self, what: Any) -> QIcon:  # type: ignore[override]
        if isinstance(what, QFileInfo):
            if what.isRoot():
                return self._drive
            return self._folder if what.isDir() else self._file
        kinds = QAbstractFileIconProvider.IconType
        return {
            kinds.Computer: self._computer,
            kinds.Drive: self._drive,
            kinds.Folder: self._folder,
            kinds.Trashcan: self._folder,
            kinds.Network: self._computer,
        }.get(what, self._file)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return QCoreApplication.translate("FileDialogs", "Folder")
        # MatchExtension: by the name only (the default match reads the file's content).
        found = self._mime.mimeTypeForFile(info.fileName(), QMimeDatabase.MatchMode.MatchExtension)
        if found.isDefault():
            suffix = info.suffix()
            return (
                QCoreApplication.translate("FileDialogs", "{0} file").format(suffix.upper())
                if suffix
                else QCoreApplication.translate("FileDialogs", "File")
            )
        return found.comment()


def _default_folder() -> Path:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


def _register_folders() -> set[Path]:
    return {path.parent.resolve() for path in db.live_registers()}


def start_folder(wanted: str | Path | None = None) -> Path:
    """Where a dialog opens: `wanted` (a folder), else the last folder chosen, else
    Documents or home; never the folder of a register this process has open."""
    avoid = _register_folders()
    for candidate in (wanted, _last_folder, _default_folder(), Path.home()):
        if candidate is None or candidate == "":
            continue
        folder = Path(candidate)
        if folder.is_dir() and folder.resolve() not in avoid:
            return folder
    # Home itself holds the register: its parent, and the user goes where they need.
    return Path.home().parent


def _remember(chosen: str, is_folder: bool) -> None:
    global _last_folder
    if chosen:
        folder = Path(chosen) if is_folder else Path(chosen).parent
        if folder.resolve() not in _register_folders():
            _last_folder = folder


def make_dialog(
    parent: QWidget | None, caption: str, folder: Path, filters: str = ""
) -> QFileDialog:
    """Qt's own file dialog (never the native one) that reads no file to show it."""
    dialog = QFileDialog(parent, caption, str(folder), filters)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    provider = NameOnlyIcons()
    dialog.setIconProvider(provider)
    dialog._name_only_icons = provider  # type: ignore[attr-defined]  # kept alive with it
    dialog.setObjectName("fileDialog")
    return dialog


def _refuse_register_file(parent: QWidget | None, chosen: str) -> bool:
    """Whether `chosen` is one of an open register's own files (then say so)."""
    if not chosen or not db.is_live_file(chosen):
        return False
    QMessageBox.warning(
        parent,
        QCoreApplication.translate("FileDialogs", "Not this file"),
        QCoreApplication.translate(
            "FileDialogs",
            "This is the register's own file, which is in use. Choose another file; "
            "nothing was changed.",
        ),
    )
    return True


def _run(dialog: QFileDialog) -> str:
    if dialog.exec() != QFileDialog.DialogCode.Accepted:
        return ""
    files = dialog.selectedFiles()
    return files[0] if files else ""


def choose_folder(parent: QWidget | None, caption: str, start: str | Path | None = None) -> str:
    """A folder the user picks (a USB stick's, a backup folder), or ""."""
    dialog = make_dialog(parent, caption, start_folder(start))
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    chosen = _run(dialog)
    _remember(chosen, is_folder=True)
    return chosen


def choose_open_file(
    parent: QWidget | None, caption: str, filters: str = "", start: str | Path | None = None
) -> str:
    """An existing file to read (filters as Qt writes them: "Fonts (*.ttf *.ttc)"), or ""."""
    dialog = make_dialog(parent, caption, start_folder(start), filters)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    chosen = _run(dialog)
    if _refuse_register_file(parent, chosen):
        return ""
    _remember(chosen, is_folder=False)
    return chosen


def choose_save_file(
    parent: QWidget | None, caption: str, suggested: str | Path = "", filters: str = ""
) -> str:
    """Where to write a file, or "".  `suggested` is a file name, or a path whose folder
    is used if it is not a register's folder.  Asks before replacing a file."""
    wanted = Path(suggested) if suggested else None
    folder = start_folder(wanted.parent if wanted is not None and wanted.parent != Path() else None)
    dialog = make_dialog(parent, caption, folder, filters)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    if wanted is not None:
        dialog.selectFile(str(folder / wanted.name))
    chosen = _run(dialog)
    if _refuse_register_file(parent, chosen):
        return ""
    _remember(chosen, is_folder=False)
    return chosen
