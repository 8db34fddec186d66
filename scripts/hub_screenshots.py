"""Render the window on a district hub (Chinese UI) into docs/screenshots/hub-*.png.

    QT_QPA_PLATFORM=offscreen python scripts/hub_screenshots.py [--out docs/screenshots]

Starts fpdesk's embedded PostgreSQL in a temporary folder, loads a small demo register
(invented people) into a new hub, adds a township staff login, and opens the window as
`fpdesk gui --hub URL` does (fpdesk.cli.hub_opening): as the hub's owner (the
indicators by township, the townships' board) and as the township's staff.  1366x768,
as scripts/screenshots.py.  Look at every picture.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from fpdesk import cli
from fpdesk.core.clock import FixedClock
from fpdesk.core.periods import parse_period
from fpdesk.demo import REFERENCE_DATE, build_demo
from fpdesk.gui import hub_window
from fpdesk.gui.dashboard import Dashboard
from fpdesk.hub import connection, load, schema, server, staff
from fpdesk.store.db import open_register

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1366, 768)
PASSPHRASE = "demo-passphrase-1"


def wait(board: Dashboard) -> None:
    while board.task is not None or board.report is None:
        QApplication.processEvents()


def shoot(window: hub_window.HubWindow, out: Path, name: str) -> None:
    for _ in range(5):
        QApplication.processEvents()
    picture = window.grab()
    assert (picture.width(), picture.height()) == SIZE, (picture.width(), picture.height())
    picture.save(str(out / f"{name}.png"))
    print(out / f"{name}.png")


def open_as(url: str) -> hub_window.HubWindow:
    opening, user, where = cli.hub_opening(url)
    window = hub_window.start(opening, "zh", FixedClock(REFERENCE_DATE), user=user, where=where)
    assert window is not None
    window.showNormal()
    window.resize(*SIZE)
    assert window.dashboard is not None
    wait(window.dashboard)
    window.dashboard.set_period(parse_period("2026"))  # a whole statistical year
    wait(window.dashboard)
    return window


def board_rows(conn: Any, township: str) -> None:
    """The board as a month shows it: the township enrolled and reported, a second one
    enrolled whose last bundle left a gap (made-up files; the status reads the ledger)."""
    other = township[:6] + "101000"
    conn.execute("UPDATE hub_township SET state = 'enrolled', received_upto = 120")
    conn.execute(
        "INSERT INTO hub_township (code, county_code, name, state, received_upto)"
        " VALUES (%s, %s, '石埠镇', 'enrolled', 40)",
        (other, other[:6]),
    )
    conn.execute(
        "INSERT INTO hub_ledger (file_name, file_hash, township_code, outcome, after_seq,"
        " seen_at) VALUES (%s, 'a', %s, 'accepted', 0, %s),"
        " (%s, 'b', %s, 'gap', 55, %s)",
        (
            f"{township}-0003.fpb",
            township,
            f"{REFERENCE_DATE.replace(day=1)} 09:12",
            f"{other}-0002.fpb",
            other,
            f"{REFERENCE_DATE.replace(day=1)} 10:40",
        ),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="fpdesk-hub-shots-"))
    for var in ("XDG_CONFIG_HOME", "XDG_STATE_HOME"):  # the settings and log stay here
        os.environ[var] = str(folder / var.lower())
    handle = server.start(folder / "pgdata")
    try:
        url = server.ensure_database(str(handle.get_uri()), "fpdesk_hub")
        register_path = folder / "township.fpdesk"
        build_demo(register_path, PASSPHRASE, persons=3000, seed=11)
        with connection.opened(url) as conn:
            schema.migrate(conn)
            register = open_register(register_path, PASSPHRASE)
            try:
                load.load_register(conn, register)
            finally:
                register.close()
            conn.commit()
            township = str(conn.execute("SELECT min(code) FROM hub_township").fetchone()[0])
            staff.add(conn, "li_xiaohong", township)
            board_rows(conn, township)
            conn.commit()
        app = QApplication.instance() or QApplication([])
        window = open_as(url)
        board = window.dashboard
        assert board is not None
        board.set_level("township")
        wait(board)
        shoot(window, args.out, "hub-dashboard")
        window.tabs.setCurrentIndex(1)
        shoot(window, args.out, "hub-townships")
        window.close()
        staff_url = re.sub(r"^postgresql://[^:@/]*", "postgresql://li_xiaohong", url)
        window = open_as(staff_url)
        shoot(window, args.out, "hub-township-staff")
        window.close()
        app.processEvents()
    finally:
        handle.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
