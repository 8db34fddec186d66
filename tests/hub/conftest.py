"""A real PostgreSQL for the hub tests: fpdesk's embedded server, started once per
session in a temporary folder; each test gets a fresh database on it.

When no server can start the hub tests skip, saying why; with
FPDESK_REQUIRE_POSTGRES=1 (CI, .ci/run) they fail instead, so a CI run never passes
with the hub untested.  On Windows they skip: the hub runs on the district office's
server, and the Windows check (under Wine) is of the village and township laptops.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from fpdesk.core.i18n import set_language
from fpdesk.hub import schema
from fpdesk.hub import server as hub_server
from fpdesk.hub.errors import HubError
from tests.sync.conftest import open_world
from tests.sync.helpers import World

REQUIRE = "FPDESK_REQUIRE_POSTGRES"


def _unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE) == "1":
        pytest.fail(f"{REQUIRE}=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def outside_pytest_temp() -> Path:
    """A new folder for a server's data, outside pytest's temporary root.

    Run as root, the server runs as a user of its own, which must be able to reach its
    folder; every pytest session (another one on the same machine too) makes its
    temporary root private again when it starts, which would lock the server out.
    """
    return Path(tempfile.mkdtemp(prefix="fpdesk-hub-test-"))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    """The embedded server's handle; `.get_uri()` is its maintenance database."""
    if sys.platform == "win32":
        pytest.skip("the district hub runs on a Linux or macOS server; not tested on Windows")
    folder = outside_pytest_temp()
    started = time.monotonic()
    try:
        server = hub_server.start(folder / "pgdata")
    except HubError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        _unavailable(f"no PostgreSQL server could start: {exc.text.en}")
    # Shown with -s: what the session pays once for a real server.
    print(f"\nembedded PostgreSQL started in {time.monotonic() - started:.2f} s", file=sys.stderr)
    yield server
    server.cleanup()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def server_url(pg_server: Any) -> str:
    return str(pg_server.get_uri())


@pytest.fixture
def hub_url(server_url: str) -> Iterator[str]:
    """The address of a fresh, empty database, dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    url = hub_server.ensure_database(server_url, name)
    yield url
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        # Roles belong to the server: the hub's staff roles are named after its database
        # (hub.staff), and the tests name their staff members so too.
        roles = conn.execute(
            "SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s)", (f"{name}_",)
        ).fetchall()
        if roles:  # together: a role may have granted another's membership
            names = sql.SQL(", ").join(sql.Identifier(role) for (role,) in roles)
            conn.execute(sql.SQL("DROP ROLE {}").format(names))


@pytest.fixture
def hub_conn(hub_url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(hub_url) as conn:
        yield conn


def stopped_server_url(folder: Path) -> str:
    """The address of a real server that has been stopped (a server that is down)."""
    server = hub_server.start(folder)
    url = str(server.get_uri())
    server.cleanup()
    return url


@pytest.fixture
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language(None)


@pytest.fixture
def hub(hub_conn: psycopg.Connection[Any]) -> psycopg.Connection[Any]:
    """A fresh hub database with every schema step applied."""
    schema.migrate(hub_conn)
    return hub_conn


@pytest.fixture
def world(tmp_path: Path, _template: Path) -> Iterator[World]:
    """A copy of the test module's own `_template` world (a township and its villages)."""
    opened = open_world(_template, tmp_path / "world")
    yield opened
    opened.close()
