"""The print dialog: make the PDF off the GUI thread, preview its pages, save, cancel."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from fpdesk.core.clock import FixedClock
from fpdesk.gui import print_dialog
from fpdesk.gui.print_dialog import PrintDialog
from fpdesk.store import records
from fpdesk.store.db import Register, open_register
from tests.conftest import PASSPHRASE, VILLAGE
from tests.reports.pdf.conftest import TODAY, pdf_text, populate


@pytest.fixture
def village_path(register: Register, register_path: Path) -> Path:
    populate(register)
    return register_path


def _dialog(qtbot, path: Path) -> PrintDialog:  # type: ignore[no-untyped-def]
    dialog = PrintDialog(lambda: open_register(path, PASSPHRASE), VILLAGE,
                         clock=FixedClock(TODAY))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _pages(dialog: PrintDialog) -> list[QLabel]:
    return [w for w in dialog.pages.findChildren(QLabel) if w.objectName() == "page"]


def test_preview_then_save(qtbot, village_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    if print_dialog.shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    dialog = _dialog(qtbot, village_path)
    assert not dialog.save_button.isEnabled()
    dialog.period.setText("2026-11-28")
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.printed is not None, timeout=60_000)
    assert dialog.printed is not None
    pages = _pages(dialog)
    assert len(pages) == dialog.printed.result.pages == 2
    assert all(not p.pixmap().isNull() and p.pixmap().width() > 300 for p in pages)
    assert dialog.save_button.isEnabled()
    out = tmp_path / "saved.pdf"
    dialog.save_to(out)
    assert "黄建国" in pdf_text(out)
    assert str(out) in dialog.status.text()
    scratch = dialog._scratch
    dialog.reject()
    assert not scratch.exists()  # personal data does not linger in the temp folder


def test_without_pdftoppm_the_pages_are_listed(  # type: ignore[no-untyped-def]
    qtbot, village_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(print_dialog, "rasterise", lambda pdf, folder: None)
    dialog = _dialog(qtbot, village_path)
    dialog.kind.setCurrentIndex(dialog.kind.findData("cards"))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.printed is not None, timeout=60_000)
    # One card page: the woman floating in is not of this village's registered
    # population, so her card is not among the village's (population basis, issue 13).
    n = dialog.printed.result.pages
    listed = [p.text() for p in _pages(dialog)]
    assert n == 1 and listed in (
        [f"Page {i} of {n}" for i in range(1, n + 1)],
        [f"第 {i} 页，共 {n} 页" for i in range(1, n + 1)],
    )
    assert "pdftoppm" in dialog.status.text()
    assert dialog.open_button.isEnabled()


def test_a_bad_village_code_is_explained(qtbot, village_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, village_path)
    dialog.village.setText("450102001299")
    dialog.start()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=60_000)
    assert "450102001299" in dialog.status.text()
    assert dialog.printed is None and not dialog.save_button.isEnabled()


def test_cancel_stops_the_print_and_makes_no_file(  # type: ignore[no-untyped-def]
    qtbot, register: Register, register_path: Path
) -> None:
    populate(register)
    with register.transaction():  # a village big enough to be stopped half-way
        for number in range(2, 200):
            records.insert(register, "household", {
                "code": f"{VILLAGE}03{number:04d}", "village_code": VILLAGE,
                "group_no": "03", "address": f"新村 {number} 号"})
    dialog = _dialog(qtbot, register_path)
    dialog.start()
    task = dialog.task
    assert task is not None
    task.progressed.connect(lambda done, total: dialog.cancel())
    qtbot.waitUntil(lambda: dialog.task is None, timeout=60_000)
    assert dialog.printed is None
    assert not list(dialog._scratch.glob("*.pdf*"))
    assert dialog.status.text() in ("Cancelled: no file was made.", "已取消，没有生成文件。")
