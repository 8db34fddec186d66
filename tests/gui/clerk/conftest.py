"""A month end: a township and three enrolled village laptops, real registers and files.

Made once per session and copied for each test (enrollment makes keys, which is slow).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from fpdesk.core.clock import FixedClock
from fpdesk.gui.clerk import ClerkWorkspace
from tests.sync.conftest import open_world
from tests.sync.helpers import World, make_world


@pytest.fixture(scope="session")
def _template_month(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("month")
    make_world(root, village_count=3).close()
    return root


@pytest.fixture
def world3(tmp_path: Path, _template_month: Path) -> Iterator[World]:
    opened = open_world(_template_month, tmp_path / "world")
    yield opened
    opened.close()
    shutil.rmtree(tmp_path / "world", ignore_errors=True)


@pytest.fixture
def workspace(qtbot, world3: World, prefs) -> Iterator[ClerkWorkspace]:  # type: ignore[no-untyped-def]
    """The clerk's workspace on the township, on 8 December 2026 (the month end's
    test has its own, in Chinese and shown)."""
    # No test opener: the workers open their connections as the window's do.
    view = ClerkWorkspace(world3.township, prefs, FixedClock(dt.date(2026, 12, 8)))
    qtbot.addWidget(view)
    yield view
