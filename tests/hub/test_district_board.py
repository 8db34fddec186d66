"""The township's villages board says what the district hub has acknowledged of its
changes, from a real hub's real acknowledgement (a real PostgreSQL, real bundles), and
that after a restore from a backup the next export sends everything."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from fpdesk.core.clock import FixedClock
from fpdesk.gui import i18n
from fpdesk.gui.clerk import ClerkWorkspace
from fpdesk.hub import schema
from fpdesk.store import backup
from fpdesk.store.db import open_register
from tests.conftest import PASSPHRASE
from tests.hub.test_exchange import clerks_household, join, villages_work
from tests.hub.test_held import up
from tests.sync.conftest import open_world
from tests.sync.helpers import World, make_world, restore_township


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    make_world(tmp_path / "template", village_count=2).close()
    opened = open_world(tmp_path / "template", tmp_path / "world")
    yield opened
    opened.close()


@pytest.fixture
def prefs(user_folders: Path) -> Any:
    from fpdesk.gui.settings import Settings

    return Settings()


def test_the_board_shows_what_the_district_acknowledged(  # type: ignore[no-untyped-def]
    qtbot, qapp, hub_conn: psycopg.Connection[Any], world: World, prefs, tmp_path: Path
) -> None:
    schema.migrate(hub_conn)
    t = world.township
    villages_work(world)
    join(hub_conn, t, tmp_path)
    made = backup.create(t, world.root / "backups")
    reported = up(hub_conn, t, tmp_path / "a")
    clerks_household(t, sorted(world.villages)[0], 30)  # one change not yet reported
    assert i18n.install(qapp, "zh")
    try:
        view = ClerkWorkspace(
            t,
            prefs,
            FixedClock(dt.date(2026, 12, 8)),
            opener=lambda: open_register(t.path, PASSPHRASE),
        )
        qtbot.addWidget(view)
        view.resize(1200, 760)
        view.show()
        page = view.board
        page.refresh()
        said = page.summary.text()
        assert f"区县汇总库：已确认收到第 {reported.upto} 号以前的修改" in said, said
        assert "还有 1 条修改未经确认" in said
        page.grab().save(os.environ.get("FPDESK_SHOT", str(tmp_path / "board.png")))
        view.close()

        t = restore_township(world, made)
        view = ClerkWorkspace(
            t,
            prefs,
            FixedClock(dt.date(2026, 12, 8)),
            opener=lambda: open_register(t.path, PASSPHRASE),
        )
        qtbot.addWidget(view)
        view.show()
        view.board.refresh()
        said = view.board.summary.text()
        assert "还没有确认收到任何修改" in said and "下一次报送区县会发送全部修改" in said, said
    finally:
        i18n.install(qapp, "en")
