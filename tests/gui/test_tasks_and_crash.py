"""Long work off the GUI thread; errors shown the right way; the demo built end to end."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from fpdesk.gui import crash, settings
from fpdesk.gui.settings import Settings
from fpdesk.gui.startup import Startup
from fpdesk.gui.tasks import Progress, run_task
from fpdesk.store.db import Register
from fpdesk.store.errors import DiskFull


def test_work_runs_off_the_gui_thread_and_reports_back_on_it(qtbot) -> None:
    gui_thread = threading.get_ident()
    seen: dict[str, object] = {}

    def work(progress: Progress) -> int:
        seen["worker"] = threading.get_ident()
        for i in range(3):
            progress.report(i + 1, 3, "step")
        return 42

    def done(result: int) -> None:
        seen["result"] = result
        seen["callback"] = threading.get_ident()

    task = run_task(None, work, on_done=done, show_progress=False)
    steps: list[int] = []
    task.progressed.connect(lambda n, total, text: steps.append(n))
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen["result"] == 42
    assert seen["worker"] != gui_thread
    assert seen["callback"] == gui_thread
    assert task.finished_ok is True


def test_cancel_stops_the_work(qtbot) -> None:
    started = threading.Event()

    def work(progress: Progress) -> None:
        started.set()
        while True:
            progress.check()  # raises Cancelled once the user pressed Cancel
            threading.Event().wait(0.01)

    task = run_task(None, work, show_progress=True, label="…")
    assert started.wait(5)
    assert task.dialog is not None
    task.dialog.findChild(QPushButton).click()  # the dialog's Cancel button
    qtbot.waitUntil(lambda: task.finished_ok is False, timeout=5000)


def test_an_error_in_the_work_goes_to_on_error(qtbot) -> None:
    errors: list[BaseException] = []

    def work(progress: Progress) -> None:
        raise DiskFull()

    run_task(None, work, on_error=errors.append, show_progress=False)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], DiskFull)


def _close_the_message_box(seen: list[str]) -> None:
    box = QApplication.activeModalWidget()
    if isinstance(box, QMessageBox):
        seen.append(box.text())
        box.done(0)


def test_a_bug_is_logged_and_shown(qtbot, tmp_path: Path) -> None:
    log_file = crash.setup_logging(tmp_path / "logs")
    previous = crash.install_excepthook()
    seen: list[str] = []
    try:
        QTimer.singleShot(0, lambda: _close_the_message_box(seen))
        try:
            raise ZeroDivisionError("a bug")
        except ZeroDivisionError as exc:
            import sys

            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        import sys

        sys.excepthook = previous
        for handler in list(logging.getLogger("fpdesk").handlers):
            if getattr(handler, "baseFilename", None) == str(log_file):
                handler.close()
                logging.getLogger("fpdesk").removeHandler(handler)
    assert seen and "fpdesk" in seen[0]
    assert "ZeroDivisionError: a bug" in log_file.read_text(encoding="utf-8")


def test_a_storage_error_is_a_plain_message_not_a_crash(qtbot) -> None:
    seen: list[str] = []
    QTimer.singleShot(0, lambda: _close_the_message_box(seen))
    crash.report(DiskFull(), "traceback text")
    assert seen == [DiskFull.text.zh]  # tests run in Chinese (FPDESK_LANG=zh)


@pytest.mark.slow
def test_demo_is_built_off_the_gui_thread_and_opened(
    qtbot, prefs: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "DEMO_PERSONS", 150)
    startup = Startup(prefs, demo=True)
    opened: list[Register] = []
    startup.opened.connect(opened.append)
    startup.begin()
    qtbot.waitUntil(lambda: bool(opened), timeout=120_000)
    register = opened[0]
    try:
        assert register.path == settings.demo_register_path()
        persons = register.query("SELECT count(*) AS n FROM person")[0]["n"]
        assert persons >= 150
    finally:
        register.close()
    assert not Path(str(settings.demo_register_path()) + ".partial").exists()


def test_many_short_tasks_in_a_row_do_not_crash(qtbot) -> None:
    # Each task is let go only after its pool thread has returned: freeing it earlier
    # crashed the process now and then.
    from fpdesk.gui import tasks

    results: list[int] = []
    for n in range(200):
        run_task(None, lambda progress, n=n: n, on_done=results.append, show_progress=False)
    qtbot.waitUntil(lambda: len(results) == 200, timeout=30_000)
    qtbot.waitUntil(lambda: not tasks._running, timeout=10_000)
    assert sorted(results) == list(range(200))


def test_any_error_the_user_can_act_on_is_a_plain_message(qtbot) -> None:
    """A refused bundle reaching the window's last handler is said plainly too (one
    base, core.errors.FpdeskError), not shown as a crash."""
    from fpdesk.sync.errors import NOT_FOR_US, BundleRefused

    seen: list[str] = []
    QTimer.singleShot(0, lambda: _close_the_message_box(seen))
    crash.report(BundleRefused(NOT_FOR_US), "traceback text")
    assert seen == [NOT_FOR_US.zh]
