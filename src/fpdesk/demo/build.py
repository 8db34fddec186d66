"""build_demo: the synthetic district written into a new register file."""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from fpdesk.core.errors import FpdeskError
from fpdesk.core.i18n import Text
from fpdesk.demo.district import Layout, Message, Rows, insert_sql, stream
from fpdesk.demo.draws import (
    MAX_PERSONS,
    MIN_PERSONS,
    REFERENCE_DATE,
    TABLES,
    Progress,
)
from fpdesk.demo.processes import SECOND_PROCESS_FROM, from_second_process, frozen
from fpdesk.store import bulk, search
from fpdesk.store.db import create_register


class DemoSizeError(FpdeskError, ValueError):
    """The asked size is outside what the demo builds."""

    def __init__(self, persons: int) -> None:
        super().__init__(
            Text(
                f"演示登记册的人数必须在 {MIN_PERSONS} 到 {MAX_PERSONS:,} 之间（收到 {persons}）。",
                f"A demo register holds {MIN_PERSONS} to {MAX_PERSONS:,} persons (got {persons}).",
            )
        )


def _flush(conn: Any, rows: Rows) -> None:
    for table in TABLES:
        if rows[table]:
            conn.executemany(insert_sql(table), rows[table])


def check_size(persons: int) -> None:
    if not MIN_PERSONS <= persons <= MAX_PERSONS:
        raise DemoSizeError(persons)


def build_demo(
    path: str | Path,
    passphrase: str,
    *,
    persons: int = 2000,
    seed: int = 1,
    reference_date: dt.date = REFERENCE_DATE,
    progress: Progress | None = None,
    second_process: bool | None = None,
) -> dict[str, int]:
    """Make a new demo register at `path`; returns the number of rows per table.

    Refuses an existing file (store.errors.RegisterExists) and a size outside
    MIN_PERSONS..MAX_PERSONS (DemoSizeError).  On any failure the half-made file is removed.
    The rows are made by a second process from SECOND_PROCESS_FROM persons on (not in
    a frozen program); `second_process` says so explicitly.  The register is the same.
    """
    check_size(persons)
    if second_process is None:
        second_process = persons >= SECOND_PROCESS_FROM and not frozen()
    # The search index is built into a scratch file beside nothing of the user's: a
    # temporary folder, removed whatever happens.
    with tempfile.TemporaryDirectory(prefix="fpdesk-demo-") as scratch:
        index = Path(scratch) / "index.sqlite"
        if second_process:
            source: contextlib.AbstractContextManager[Iterator[Message]] = from_second_process(
                seed, reference_date, persons, index
            )
        else:
            source = contextlib.closing(stream(seed, reference_date, persons, index))
        with source as messages:
            return _write(path, passphrase, messages, persons, progress)


def _write(
    path: str | Path,
    passphrase: str,
    messages: Iterator[Message],
    persons: int,
    progress: Progress | None,
) -> dict[str, int]:
    kind, layout = next(messages)
    if kind != "layout":
        raise AssertionError(f"the demo's stream starts with {kind}")
    area_rows, township, device = cast(Layout, layout)
    register = create_register(
        path, passphrase, role="township", area_code=township, device_id=device
    )
    try:
        with bulk.loading(register, TABLES) as (conn, finish):
            conn.executemany(
                "INSERT INTO area_unit (code, parent_code, level, name, urban, quality_pilot, "
                "self_governance, demonstration, valid_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                "'2010-01-01')",
                area_rows,
            )
            for kind, content in messages:
                if kind == "rows":
                    _flush(conn, cast(Rows, content))
                elif kind == "done":
                    if progress is not None:
                        progress(cast(int, content), persons)
                elif kind == "made":
                    finish()  # while the search index is being built
                elif kind == "index":
                    # Attaching the index's file needs no transaction open: the rows
                    # are committed already (finish), the triggers go in after.
                    conn.execute("COMMIT")
                    search.load_index(conn, cast(str, content))
                    conn.execute("BEGIN IMMEDIATE")
                    break
        counts = {
            t: int(register.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
            for t in ("area_unit", *TABLES)
        }
    except BaseException:
        register.close()
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(str(path) + suffix).unlink()
        raise
    register.close()
    return counts
